#!/usr/bin/env bash
# Measures `samverkan gen`, `samverkan import` and `samverkan export` on a
# generated scale (L by default; SCALE=XL for the big one) into an empty
# embedded store in a temporary directory: wall time and peak RSS of each,
# from GNU time (/usr/bin/time -v). Usage: bench/import-l.sh [SCALE]
set -euo pipefail
scale=${1:-${SCALE:-L}}
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/samverkan-import-$scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
go build -o "$work/samverkan" .
measure() { # name, command…
	local name=$1; shift
	/usr/bin/time -v -o "$work/$name.time" "$@"
	awk -v n="$name" -F': ' '/Elapsed \(wall clock\)/ {t=$2} /Maximum resident set size/ {r=$2}
		END {printf "%-8s wall %s  peak RSS %.0f MB\n", n, t, r/1024}' "$work/$name.time"
}
measure gen "$work/samverkan" gen -scale "$scale" "$work/graph.json"
ls -l "$work/graph.json" | awk '{printf "file     %.0f MB\n", $5/1e6}'
measure import env DATA_DIR="$work/data" "$work/samverkan" import "$work/graph.json"
ls -l "$work/data/samverkan.db" | awk '{printf "store    %.0f MB\n", $5/1e6}'
measure export env DATA_DIR="$work/data" "$work/samverkan" export "$work/export.json"
# The export orders by id and key, the generator by generation: compare the entries as sets.
cmp -s <(sed 's/,$//' "$work/graph.json" | sort) <(sed 's/,$//' "$work/export.json" | sort) && echo "export   same entries as the generated file" \
	|| echo "export   DIFFERS from the generated file" >&2

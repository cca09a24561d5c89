#!/usr/bin/env bash
# Measures a restart on a generated scale (L by default): builds the server,
# writes the scale's graph (`samverkan gen`, seed 1), imports it into an
# empty embedded store in a temporary directory (`samverkan import`), then
# starts the server on that store STARTS times (3 by default) and prints
# the time from process start to the first /healthz 200, the CPU time
# until then and VmRSS then.
# STORE=dir uses (and keeps) that store directory, importing only when it
# has no file yet, e.g. to open a file an older build wrote.
# Usage: bench/restart.sh [SCALE]
set -euo pipefail
scale=${1:-${SCALE:-L}}
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/samverkan-restart-$scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
data=${STORE:-$work/data}
go build -o "$work/samverkan" .
if [ ! -e "$data/samverkan.db" ]; then
	"$work/samverkan" gen -scale "$scale" "$work/graph.json"
	DATA_DIR="$data" "$work/samverkan" import "$work/graph.json" >/dev/null
	rm -f "$work/graph.json"
fi
ls -l "$data/samverkan.db" | awk '{printf "store %.0f MB\n", $5/1e6}'
python3 bench/restart.py "$work/samverkan" "$data" "${STARTS:-3}"

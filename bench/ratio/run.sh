#!/usr/bin/env bash
# Samverkan side by side with NetworkX and igraph (issue 10, items 4-5), in
# one run: builds the server binary, generates the graph of a scale
# (`samverkan gen`), imports it into an embedded store in a temporary
# directory (`samverkan import`), and runs bench/ratio/ratio.py, which times
# NetworkX and igraph in-process on the same graph file, starts the real
# server on the store (a free loopback port), measures it over HTTP, checks
# its answers against NetworkX and prints a markdown table to stdout.
# Exit 1 when an answer disagrees with NetworkX.
#
#   bench/ratio/run.sh [S|M|L] [ratio.py options: --seed N --pairs 30 --samples 20 --restarts 3 ...]
#
# It installs NetworkX and igraph if the Python lacks them (pip, else
# Debian's python3-networkx and python3-igraph). SAMVERKAN_PYTHON names the
# interpreter (default python3); GEN_SEED the generator's seed (default 1).
set -euo pipefail
scale=${1:-S}
shift || true
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

py=${SAMVERKAN_PYTHON:-python3}
has() { "$1" -c 'import networkx, igraph' >/dev/null 2>&1; }
if ! has "$py"; then
  missing=()
  "$py" -c 'import networkx' >/dev/null 2>&1 || missing+=(networkx)
  "$py" -c 'import igraph' >/dev/null 2>&1 || missing+=(igraph)
  echo "ratio: installing ${missing[*]} for $py" >&2
  if ! "$py" -m pip install -q "${missing[@]}" >&2 || ! has "$py"; then
    if ! has /usr/bin/python3; then
      apt-get update -qq && apt-get install -y -qq python3-networkx python3-igraph >/dev/null
    fi
    py=/usr/bin/python3
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/samverkan-ratio-$scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/samverkan" .
"$work/samverkan" gen -scale "$scale" -seed "${GEN_SEED:-1}" "$work/graph.json" >&2
DATA_DIR="$work/data" "$work/samverkan" import "$work/graph.json" >&2

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit + uncommitted changes"; fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)
meta="commit $commit; $(nproc) cores ($cpu), $mem; $(go env GOVERSION); load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$py" bench/ratio/ratio.py --bin "$work/samverkan" --graph "$work/graph.json" --data "$work/data" \
  --scale "$scale" --meta "$meta" "$@"

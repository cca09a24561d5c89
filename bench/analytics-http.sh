#!/usr/bin/env bash
# Times GraphQL requests over HTTP against the server on an existing
# embedded store (XL is the one it is for): builds the binary, starts it on
# DATA_DIR (SEED=never), then, unless FRESH=1, waits until the start's own
# work is done (its CPU idle), and sends each query in turn, one at a time.
# For each: the first answer's time and code; while that is TIMEOUT it asks
# again every 10 s (up to POLLS times, default 60) and reports when it was
# answered; the server's CPU seconds over the request and its peak RSS
# (VmHWM) so far. A guard stops the server past MAX_RSS_KB (default 20 GB).
#
#   samverkan gen -scale XL xl.json && DATA_DIR=data-xl samverkan import xl.json
#   DATA_DIR=data-xl bench/analytics-http.sh 'similarActors(id: "a-53") { score }' 'communities { modularity }'
set -euo pipefail
: "${DATA_DIR:?set DATA_DIR to an imported store}"
polls=${POLLS:-60}
port=${PORT:-18181}
max_rss=${MAX_RSS_KB:-20000000}
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/samverkan-http.XXXXXX")
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/samverkan" .
start=$(date +%s.%N)
DATA_DIR=$DATA_DIR PORT=$port SEED=never RATE_LIMIT_PER_MINUTE=0 "$work/samverkan" > "$work/server.log" 2>&1 &
pid=$!
until curl -s -o /dev/null "localhost:$port/healthz"; do kill -0 "$pid" || { cat "$work/server.log"; exit 1; }; sleep 0.2; done
echo "start $(echo "$(date +%s.%N) - $start" | bc) s, $(grep VmRSS /proc/$pid/status | tr -s ' \t' ' ')"
cpu() { awk '{print ($14+$15)/100}' "/proc/$pid/stat"; }
if [ "${FRESH:-0}" != 1 ]; then
	prev=$(cpu)
	for _ in $(seq 60); do sleep 2; now=$(cpu); [ "$(echo "$now - $prev < 0.1" | bc)" = 1 ] && break; prev=$now; done
	echo "start's work done: $(cpu) CPU-s"
fi
( while kill -0 "$pid" 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	if [ "${r:-0}" -gt "$max_rss" ]; then echo "guard: RSS $r kB, server stopped"; kill -9 "$pid"; fi; sleep 1; done ) &
ask() { curl -s -m 40 -H 'content-type: application/json' --data-binary @"$work/body.json" "localhost:$port/graphql"; }
for q in "$@"; do
	printf '{ %s }' "$q" | python3 -c 'import json,sys; print(json.dumps({"query": sys.stdin.read()}))' > "$work/body.json"
	t0=$(date +%s.%N); c0=$(cpu)
	out=$(ask); t1=$(date +%s.%N)
	first=$(grep -o '"code":"[A-Z_]*"' <<<"$out" | head -1 || true)
	tries=0
	while grep -q '"TIMEOUT"' <<<"$out" && [ "$tries" -lt "$polls" ]; do sleep 10; tries=$((tries + 1)); out=$(ask); done
	t2=$(date +%s.%N)
	last=$(grep -o '"code":"[A-Z_]*"' <<<"$out" | head -1 || true)
	echo "$q | first $(echo "$t1 - $t0" | bc) s ${first:-ok} | last ${last:-ok} after $(echo "$t2 - $t0" | bc) s, $(echo "$(cpu) - $c0" | bc) CPU-s | $(grep VmHWM /proc/$pid/status | tr -s ' \t' ' ') | $(cut -c1-80 <<<"$out")"
done

#!/usr/bin/env bash
# Runs the API benchmarks (bench/, BenchmarkAPI) against a Neo4j server
# behind a simulated 10 ms link, then tears everything down.
#
#   sudo bench/neo4j-netem.sh            # as root: ip netns and tc need it
#
# It creates a network namespace with only a loopback interface, delays
# every packet leaving that interface by 5 ms (tc netem), so a round trip
# over loopback inside the namespace costs 10 ms, starts the Neo4j launcher
# inside it (tools/neo4j/run.sh, with its own port and NEO4J_STATE), runs
# the compiled benchmarks inside it, and on exit (or Ctrl-C) stops Neo4j
# and deletes the namespace. Everything stays on loopback; the whole run is
# bounded by BENCH_TIMEOUT.
#
# When the kernel has no netem (no sch_netem module, as in some VMs and
# containers), it says so and falls back to the benchmarks' own proxy delay
# (BENCH_LINK_DELAY: the same 5 ms per flight and direction, added by the
# round-trip-counting proxy instead of the kernel); BENCH_REQUIRE_NETEM=1
# makes that an error instead.
#
# Settings (environment):
#   BENCH_DELAY      one-way delay (default 5ms)
#   BENCH_SCALES     generator scales (default M; see bench/bench_api_test.go)
#   BENCH            -test.bench pattern (default 'API/.*/neo4j/')
#   BENCHTIME        -test.benchtime (default 1s)
#   BENCH_TIMEOUT    bound of the whole benchmark run (default 40m)
#   NEO4J_PORT       the server's port inside the namespace (default 17690)
#   NEO4J_HEAP       the server's JVM heap (default 2g)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
delay="${BENCH_DELAY:-5ms}"
port="${NEO4J_PORT:-17690}"
pattern="${BENCH:-API/.*/neo4j/}"
benchtime="${BENCHTIME:-1s}"
timeout="${BENCH_TIMEOUT:-40m}"
ns="samverkan-bench-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/samverkan-netem-XXXXXX")"
state="$work/neo4j"

if [ "$(id -u)" != 0 ]; then
  echo "neo4j-netem: run as root (ip netns and tc need it)" >&2
  exit 1
fi
if ! command -v ip >/dev/null || ! command -v tc >/dev/null; then
  apt-get update -qq && apt-get install -y -qq iproute2 >/dev/null
fi

cleanup() {
  set +e
  if ip netns list | grep -qw "$ns"; then
    ip netns exec "$ns" env NEO4J_PORT="$port" NEO4J_STATE="$state" "$root/tools/neo4j/run.sh" stop
    ip netns del "$ns"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Compile first, outside: the namespace has no network for modules.
(cd "$root" && go test -c -o "$work/bench.test" ./bench)

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
link_env=()
if ip netns exec "$ns" tc qdisc add dev lo root netem delay "$delay" 2>"$work/tc.err"; then
  echo "neo4j-netem: netem on lo in $ns: $(ip netns exec "$ns" tc qdisc show dev lo)"
else
  echo "neo4j-netem: this kernel has no netem ($(cat "$work/tc.err"))" >&2
  if [ "${BENCH_REQUIRE_NETEM:-}" = 1 ]; then
    exit 1
  fi
  echo "neo4j-netem: falling back to the proxy's delay: BENCH_LINK_DELAY=$delay per flight and direction" >&2
  link_env=(BENCH_LINK_DELAY="$delay")
fi

uri="$(ip netns exec "$ns" env NEO4J_PORT="$port" NEO4J_STATE="$state" "$root/tools/neo4j/run.sh" start | grep -o 'bolt://[0-9.:]*' | tail -n1)"
echo "neo4j-netem: Neo4j at $uri inside $ns"

cd "$root/bench"
ip netns exec "$ns" env NEO4J_URI="$uri" BENCH_SCALES="${BENCH_SCALES:-M}" "${link_env[@]}" \
  timeout "$timeout" "$work/bench.test" -test.run '^$' -test.bench "$pattern" -test.benchtime "$benchtime" \
  -test.timeout "$timeout"

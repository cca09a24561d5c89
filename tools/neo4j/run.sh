#!/usr/bin/env bash
# Starts and stops the in-process Neo4j Community server that the tests use.
#
#   tools/neo4j/run.sh start   build (Maven, dependencies cached in ~/.m2), start
#                              on a fresh data directory, wait until it answers,
#                              print the Bolt URI
#   tools/neo4j/run.sh stop    stop it (SIGTERM: a clean shutdown) and remove its data
#   tools/neo4j/run.sh uri     print the Bolt URI of the running server
#
# NEO4J_PORT (default 17687, so that a developer's own Neo4j on 7687 is never
# touched: the tests wipe the database) picks the loopback port; NEO4J_PASSWORD,
# when set, turns auth on with user neo4j and that password. NEO4J_STATE
# (default /tmp/samverkan-neo4j-$NEO4J_PORT) holds the pid, the log and the data.
# NEO4J_HEAP (default 2g) is the JVM's heap.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${NEO4J_PORT:-17687}"
state="${NEO4J_STATE:-${TMPDIR:-/tmp}/samverkan-neo4j-$port}"
heap="${NEO4J_HEAP:-2g}"

build() {
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    (apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven) >&2
  fi
  local stamp="$here/target/.built"
  if [ ! -f "$stamp" ] || [ "$here/pom.xml" -nt "$stamp" ] ||
     [ -n "$(find "$here/src" -newer "$stamp" -type f 2>/dev/null)" ]; then
    # Maven's output goes to stderr: stdout carries only the Bolt URI.
    (cd "$here" && mvn -q -B -Dstyle.color=never package -DskipTests) >&2
    touch "$stamp"
  fi
}

running() { [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; }

start() {
  if running; then
    echo "neo4j: already running on port $port (pid $(cat "$state/pid")); run.sh stop first" >&2
    exit 1
  fi
  build
  rm -rf "$state"
  mkdir -p "$state"
  NEO4J_LAUNCHER_PASSWORD="${NEO4J_PASSWORD:-}" \
    nohup java "-Xmx$heap" -cp "$here/target/classes:$here/target/lib/*" \
      se.samverkan.neo4j.Launcher "$port" "$state/data" >"$state/log" 2>&1 </dev/null &
  echo $! >"$state/pid"
  for _ in $(seq 1 1800); do
    if grep -q '^bolt://' "$state/log" 2>/dev/null; then
      grep '^bolt://' "$state/log" | head -n1
      return 0
    fi
    if ! running; then
      echo "neo4j: the server exited before it answered:" >&2
      tail -n 40 "$state/log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "neo4j: no answer after 180 s; log:" >&2
  tail -n 40 "$state/log" >&2
  exit 1
}

stop() {
  if running; then
    local pid; pid="$(cat "$state/pid")"
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "neo4j: no clean stop within 60 s; killing it" >&2
      kill -KILL "$pid" || true
    fi
  fi
  rm -rf "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  uri) running && echo "bolt://127.0.0.1:$port" ;;
  *) echo "usage: $0 start|stop|uri" >&2; exit 2 ;;
esac

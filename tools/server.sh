# Sourced by the tools' run.sh scripts: builds the server and starts it on a
# fresh embedded store on a loopback port. After `start_server [VAR=value…]`,
# $addr is host:port, $server_log the log file; the server stops and the temp
# files go when the sourcing script exits. Needs `root` (the repository).
tmp="$(mktemp -d)"
pid=""
server_log="$tmp/log"
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

start_server() {
  (cd "$root" && go build -o "$tmp/samverkan" .)
  env -u SEED DATA_DIR="$tmp/data" "$@" "$tmp/samverkan" -host 127.0.0.1 -port 0 >"$server_log" 2>&1 &
  pid=$!
  addr=""
  for _ in $(seq 1 600); do
    addr="$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$server_log" | head -n1)"
    [ -n "$addr" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server exited before listening:"; cat "$server_log"; exit 1
    fi
    sleep 0.1
  done
  echo "the server did not start:"; cat "$server_log"; exit 1
}

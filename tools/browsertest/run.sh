#!/usr/bin/env bash
# GraphiQL in a browser: builds the server, starts it on a fresh embedded
# store with the seed dataset, opens / in headless Chromium (Debian's, not a
# downloaded build) and runs a tour query; stops the server.
# SCREENSHOT=path keeps the final screenshot there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

(cd "$root" && go build -o "$tmp/samverkan" .)
# SEED is left to its default so the empty store loads the Nordic dataset.
env -u SEED DATA_DIR="$tmp/data" "$tmp/samverkan" -host 127.0.0.1 -port 0 >"$tmp/log" 2>&1 &
pid=$!

addr=""
for _ in $(seq 1 600); do
  addr="$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$tmp/log" | head -n1)"
  [ -n "$addr" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the server exited before listening:"; cat "$tmp/log"; exit 1
  fi
  sleep 0.1
done
if [ -z "$addr" ]; then
  echo "the server did not start:"; cat "$tmp/log"; exit 1
fi

status=0
node test.mjs "http://$addr/" || status=$?
if [ "$status" -ne 0 ]; then
  echo "server log:"; tail -n 50 "$tmp/log"
fi
exit "$status"

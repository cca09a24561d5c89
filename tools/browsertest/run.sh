#!/usr/bin/env bash
# GraphiQL in a browser: builds the server, starts it on a fresh embedded
# store with the seed dataset, opens / in headless Chromium (Debian's, not a
# downloaded build) with every request to another host refused, and runs a
# tour query; any console error fails it; stops the server.
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

source "$root/tools/server.sh"
# SEED is left to its default so the empty store loads the Nordic dataset.
start_server

status=0
node test.mjs "http://$addr/" || status=$?
if [ "$status" -ne 0 ]; then
  echo "server log:"; tail -n 50 "$server_log"
fi
exit "$status"

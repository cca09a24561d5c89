#!/usr/bin/env bash
# Real third-party GraphQL clients against the server: builds it, starts it
# on a fresh embedded store with the seed dataset, and runs test.mjs (Apollo
# Client 4 with @defer over HTTP and websocket; the graphql-ws 6 client) with
# node's test runner; stops the server.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

source "$root/tools/server.sh"
# SEED is left to its default so the empty store loads the Nordic dataset.
start_server

status=0
SAMVERKAN_URL="http://$addr/" node --test --test-reporter=spec test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  echo "server log:"; tail -n 50 "$server_log"
fi
exit "$status"

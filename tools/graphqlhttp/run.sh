#!/usr/bin/env bash
# GraphQL over HTTP conformance: builds the server, starts it on a fresh
# embedded store (introspection on, as audit 28B9 needs __type), runs
# graphql-http's server audits against /graphql and stops the server.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

source "$root/tools/server.sh"
start_server SEED=never

status=0
node audit.mjs "http://$addr/graphql" || status=$?
if [ "$status" -ne 0 ]; then
  echo "server log:"; tail -n 50 "$server_log"
fi
exit "$status"

#!/usr/bin/env bash
# The explorer in a browser: rebuilds its assets and checks that the
# committed build is what the sources give, builds the server, starts it on
# a fresh embedded store with the seed dataset and drives /explore in
# headless Chromium (Debian's). ARTIFACTS=dir keeps the screenshots there.
#   BENCH=1 run.sh   times a 2,000-node view on a generated graph instead
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
node build.mjs
if [ -d "$root/.git" ] && [ -n "$(git -C "$root" status --porcelain -- internal/explorer/dist)" ]; then
  echo "internal/explorer/dist is not what tools/explorer/src builds; run 'npm run build' in tools/explorer and commit:"
  git -C "$root" status --porcelain -- internal/explorer/dist
  exit 1
fi

source "$root/tools/server.sh"
export ARTIFACTS="${ARTIFACTS:-$here/artifacts}"
if [ -n "${BENCH:-}" ]; then
  # A generated ecosystem (M: 10,000 actors), imported before the start, so
  # that a hub's depth-3 neighbourhood reaches the 2,000-node limit.
  mkdir -p "$tmp/data"
  (cd "$root" && go build -o "$tmp/samverkan" . && "$tmp/samverkan" gen -scale M "$tmp/s.json" >/dev/null &&
    DATA_DIR="$tmp/data" "$tmp/samverkan" import "$tmp/s.json" >/dev/null)
  start_server
  # The first actor by name: at M its depth-3 neighbourhood passes 2,000 nodes.
  hub="$(curl -s "http://$addr/graphql" -H 'Content-Type: application/json' \
    -d '{"query":"{ actors(first: 1) { edges { node { id } } } }"}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')"
  [ -n "$hub" ] || { echo "no actor to start from"; exit 1; }
  BENCH="$hub" node test.mjs "http://$addr/"
  exit 0
fi
start_server
status=0
node test.mjs "http://$addr/" || status=$?
if [ "$status" -ne 0 ]; then
  echo "server log:"; tail -n 50 "$server_log"
fi
exit "$status"

#!/usr/bin/env bash
# Lints every Cypher statement of the Neo4j store with Neo4j's own linter,
# then checks that the linter still refuses known-bad statements.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
node lint.mjs ../../internal/store/neo4j/cypher
node lint.mjs --expect-fail testdata/bad

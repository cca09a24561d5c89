#!/usr/bin/env bash
# Refreshes the GraphiQL files the server embeds: installs the exact
# versions package.json pins (npm ci, from package-lock.json), copies their
# built browser files into internal/httpapi/graphiql/vendor/ and writes
# manifest.json there (each file's package, version and SHA-256). The Go test
# TestGraphiQLVendoredFilesMatchManifest checks the files against it.
# To move to other versions: edit package.json, `npm install`, run this,
# then run tools/browsertest/run.sh and commit everything.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/internal/httpapi/graphiql/vendor"
cd "$here"
npm ci --no-audit --no-fund

# vendored name | package | file inside the package
files=(
  "react.production.min.js|react|umd/react.production.min.js"
  "react-dom.production.min.js|react-dom|umd/react-dom.production.min.js"
  "graphiql.min.js|graphiql|graphiql.min.js"
  "graphiql.min.css|graphiql|graphiql.min.css"
  "plugin-explorer.umd.js|@graphiql/plugin-explorer|dist/index.umd.js"
  "plugin-explorer.css|@graphiql/plugin-explorer|dist/style.css"
)

rm -rf "$out"
mkdir -p "$out"
entries=()
for f in "${files[@]}"; do
  IFS='|' read -r name pkg path <<<"$f"
  src="node_modules/$pkg/$path"
  version="$(node -p "require('./node_modules/$pkg/package.json').version")"
  # The source-map comment names a file that is not served.
  sed -E '$ s#//[#@] sourceMappingURL=[^ ]*$##; $ s#/\*[#@] sourceMappingURL=[^ ]* \*/$##' "$src" >"$out/$name"
  sum="$(sha256sum "$out/$name" | cut -d' ' -f1)"
  entries+=("    {\"file\": \"$name\", \"package\": \"$pkg\", \"version\": \"$version\", \"path\": \"$path\", \"sha256\": \"$sum\"}")
done
{
  echo '{'
  echo '  "files": ['
  for i in "${!entries[@]}"; do
    sep=","; [ "$i" -eq $((${#entries[@]} - 1)) ] && sep=""
    echo "${entries[$i]}$sep"
  done
  echo '  ]'
  echo '}'
} >"$out/manifest.json"
echo "wrote $out:"
ls -l "$out"

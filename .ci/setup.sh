#!/usr/bin/env bash
# One-time setup of a fresh clone: system packages, code-server's ripgrep cache, npm ci.
# Run it as your normal user (it uses sudo for apt only) or as root. Needs Node.js 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
if [[ "$node_major" != 20 ]]; then
  echo "error: Node.js 20 is required (code-server 4.100 runs only on 20); found: $node_major." >&2
  echo "Install it, e.g. from https://nodejs.org or with nvm: nvm install 20" >&2
  exit 1
fi

echo "setup 1/3: system packages (apt; skipped when all are installed)"
bash .ci/setup-system.sh
echo "setup 2/3: code-server's ripgrep cache"
bash .ci/prepare-ripgrep-cache.sh

# Nothing may download at install time: onnxruntime-node (via @huggingface/transformers, a dev
# dependency) would fetch CUDA binaries from NuGet. As root, code-server's postinstall needs
# unsafe-perm, which npm 11 no longer knows: the install scripts get it from their shell.
export ONNXRUNTIME_NODE_INSTALL=skip
script_shell=()
if [[ $EUID -eq 0 ]]; then
  script_shell=(--script-shell "$PWD/.ci/script-shell.sh")
fi
echo "setup 3/3: npm ci (about a minute: code-server's native modules compile; npm prints when it is done)"
npm ci "${script_shell[@]}"

#!/usr/bin/env bash
# code-server's @vscode/ripgrep install step downloads rg from GitHub, which is unreachable offline.
# It first looks for a cached archive in $TMPDIR; we put Debian's /usr/bin/rg there.
set -euo pipefail
rg_bin="$(command -v rg || true)"
if [[ -z "$rg_bin" ]]; then
  echo "error: ripgrep (rg) is not installed; run: sudo bash .ci/setup-system.sh" >&2
  exit 1
fi
cache_dir="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
archive="$cache_dir/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ -s "$archive" ]]; then
  exit 0
fi
mkdir -p "$cache_dir"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp "$rg_bin" "$staging/rg"
tar -czf "$archive" -C "$staging" rg
echo "prepared ripgrep cache: $archive"

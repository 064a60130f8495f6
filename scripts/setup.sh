#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine, from Debian's packages and
# npm only. Idempotent, and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js ≥ 20.19: Vite 7 needs it (and playwright-core ≥ 20). Debian 12's own nodejs is 18, so it
# is not installed from apt; checked first, so that nothing else is installed in vain.
node_ok() {
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  IFS=. read -r major minor _ <<<"$v"
  ((major > 20 || (major == 20 && minor >= 19)))
}
if ! node_ok; then
  have=$(node --version 2>/dev/null || echo "no node")
  echo "setup: Node.js >= 20.19 is needed (Vite 7, playwright-core), found $have: install Node 20 LTS or newer (nodejs.org or NodeSource's deb), then re-run" >&2
  exit 1
fi

packages=(
  build-essential cmake ninja-build   # native toolchain
  emscripten                          # C++ → WebAssembly (3.1.6 on Debian 12)
  libeigen3-dev                       # linear algebra
  nlohmann-json3-dev                  # model-file header parsing
  catch2                              # C++ tests (v2)
  libcli11-dev                        # command-line parsing for the tools
  chromium                            # browser tests (driven by playwright-core)
  clang-14 libclang-rt-14-dev         # libFuzzer targets and sanitizer runtimes
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# JavaScript dependencies (dev server, D3, playwright-core). Re-run npm only when the lock file
# changed since the last install.
if [ -f package-lock.json ]; then
  stamp=node_modules/.unroll-lock.sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
fi

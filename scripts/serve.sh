#!/usr/bin/env bash
# Sets up the machine, builds both WebAssembly modules and serves the page (Vite dev server).
# Usage: scripts/serve.sh [--port N]      then open http://localhost:5173/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
scripts/build-wasm.sh
exec npx vite --host 127.0.0.1 "$@"

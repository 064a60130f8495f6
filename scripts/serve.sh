#!/usr/bin/env bash
# Sets up the machine, builds both WebAssembly modules and the training data (from ../shared/data,
# if it is there) and serves the page (Vite dev server).
# Usage: scripts/serve.sh [--port N]      then open http://localhost:5173/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
scripts/build-wasm.sh
scripts/make-training-data.sh --if-missing
exec npx vite --host 127.0.0.1 "$@"

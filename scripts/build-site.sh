#!/usr/bin/env bash
# Builds the site to publish: both WebAssembly modules and the training data (from ../shared/data,
# if it is there), then the page (vite build) into dist/, with the shipped models, the wasm builds
# and the training data (dist/data/, fetched only when the learner opens training) copied in. dist/ works from any folder of any static host
# (docs/deploy.md). Usage: scripts/build-site.sh [--out DIR]   (default dist)
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--out DIR]" >&2; exit 2 ;;
  esac
done

scripts/setup.sh
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
scripts/build-wasm.sh
scripts/make-training-data.sh --if-missing
missing=()
for m in seed-rnn bi-rnn best; do [ -s "models/$m.safetensors" ] || missing+=("models/$m.safetensors"); done
((${#missing[@]} == 0)) || { echo "build-site: missing ${missing[*]} (scripts/train-models.sh)" >&2; exit 1; }

npx vite build --outDir "$out" --emptyOutDir --logLevel warn
echo "build-site: $out/ is ready to publish ($(du -sh "$out" | cut -f1)); try it: python3 -m http.server -d $out 8000"

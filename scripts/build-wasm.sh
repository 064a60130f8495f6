#!/usr/bin/env bash
# Builds both WebAssembly modules (presets wasm-simd and wasm-scalar: same sources, with and
# without -msimd128) and copies unroll-{simd,scalar}.{js,wasm} into build/web-wasm/, which the dev
# server serves at /wasm/ (vite.config.js) and node picks up by default (wasm/api/unroll.js), and
# the trainer's unroll-trainer-{simd,scalar}.{js,wasm} (wasm/trainer/, wasm/api/trainer.js).
# Usage: scripts/build-wasm.sh [--jobs N] [--prefix DIR/NAME-]
#   --prefix build/my-  builds in build/my-wasm-simd and build/my-wasm-scalar instead of the
#                       presets' own build/wasm-simd and build/wasm-scalar (same settings).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc finds acorn there (Debian's node-acorn)

jobs=$(nproc)
prefix=""
while (($#)); do
  case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    *) echo "usage: $0 [--jobs N] [--prefix DIR/NAME-]" >&2; exit 2 ;;
  esac
done

out=build/web-wasm
mkdir -p "$out"
for variant in simd scalar; do
  preset=wasm-$variant
  if [[ -z $prefix ]]; then
    dir=build/$preset
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs" --target unroll_wasm --target unroll_trainer_wasm
  else
    dir=${prefix}$preset
    cmake --preset "$preset" -B "$dir" >/dev/null
    cmake --build "$dir" -j "$jobs" --target unroll_wasm --target unroll_trainer_wasm
  fi
  # Copy to a temporary name first so a server never hands out half a file.
  for ext in js wasm; do
    cp "$dir/wasm/unroll-$variant.$ext" "$out/.unroll-$variant.$ext.tmp"
    mv "$out/.unroll-$variant.$ext.tmp" "$out/unroll-$variant.$ext"
    # The in-browser trainer, a module of its own (wasm/trainer/), loaded only for training.
    cp "$dir/wasm/trainer/unroll-trainer-$variant.$ext" "$out/.unroll-trainer-$variant.$ext.tmp"
    mv "$out/.unroll-trainer-$variant.$ext.tmp" "$out/unroll-trainer-$variant.$ext"
  done
done

for f in "$out"/unroll-*.{js,wasm}; do
  printf '%-32s %8d bytes  %7d gzip\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done

#!/usr/bin/env bash
# The kernels alone, in the wasm SIMD build, under node: bench/wasm/kernels_bench.cpp compiled with
# the SIMD preset's flags against core/kernels/kernels_wasm_simd.cpp (no Eigen, no model).
# Usage: bench/wasm/kernels.sh [ROUNDS]      prints one table (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc finds acorn there (Debian's node-acorn)
out=build/bench-kernels
mkdir -p "$out"
em++ -std=c++17 -O3 -msimd128 -DUNROLL_WASM_SIMD=1 -Icore -sENVIRONMENT=node \
  bench/wasm/kernels_bench.cpp core/kernels/kernels_wasm_simd.cpp -o "$out/kernels_bench.cjs"
node --no-experimental-fetch "$out/kernels_bench.cjs" "$@"

#!/usr/bin/env bash
# One epoch of the tutorial's recipe (SimpleRNN 2×64, embedding 100, dropout 0.2, Adam 1e-3,
# batch 128, maxlen 80; 22,500 training reviews after the 10 % validation split) in the native
# trainer (tools/train, --threads 1: the wasm trainer is single-threaded) and in the WebAssembly
# trainer under node (both builds, bench/train/wasm_trainer.mjs). Prints seconds per epoch.
# A benchmark, not a test. Needs scripts/make-training-data.sh and scripts/build-wasm.sh first.
# Usage: bench/train/bench_wasm_trainer.sh [builds]   (default simd,scalar)
# Environment: BUILD (default build/native-release), DATA (default data/aclImdb),
#              FILE (default build/training-data/imdb-full.bin).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build/native-release}
data=${DATA:-data/aclImdb}
file=${FILE:-build/training-data/imdb-full.bin}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU seconds of the whole native run (reading and tokenizing included) beside its epoch line.
/usr/bin/time -f "native CPU %U s user + %S s system (whole run, data preparation included)" \
  "$build/tools/train" --data "$data" --output "$out/native.safetensors" --epochs 1 --skip-test \
  --threads 1 --seed 42 2>"$out/native.log" || { cat "$out/native.log" >&2; exit 1; }
echo "native tools/train --threads 1: $(grep '^epoch 1:' "$out/native.log")"
tail -1 "$out/native.log"
node bench/train/wasm_trainer.mjs "$file" "${1:-simd,scalar}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

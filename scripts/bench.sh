#!/usr/bin/env bash
# The benchmark suite (docs/benchmarks.md): our wasm against TensorFlow.js (cpu, wasm), ONNX
# Runtime (web, node) and PyTorch on the same weights and the same id sequences, in node and in
# headless Chromium. Writes the results into docs/benchmarks.md (between its bench markers).
#
# Usage: scripts/bench.sh [--quick] [--no-browser] [--jobs N] [--out FILE] [MODEL.safetensors ...]
#   Without models: models/seed-rnn.safetensors and models/best.safetensors; a missing one is
#   replaced by random weights of its documented shape (build/bench/random-*.safetensors).
#   --quick        short timing windows (a smoke test; figures are not worth publishing)
#   --no-browser   skip the Chromium page
#
# Needs: node ≥ 18, Emscripten (em++), /usr/bin/python3 with python3-torch and python3-onnx,
# /usr/bin/chromium, the data (scripts/extract-data.sh). Installs bench/peers' own npm packages
# (npm ci, install scripts off: nothing is downloaded at install or run time beyond the registry).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # emcc finds acorn there (Debian's node-acorn)

jobs=2
args=()
models=()
while (($#)); do
  case $1 in
    --quick|--no-browser) args+=("$1"); shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) args+=(--out "$2"); shift 2 ;;
    -*) echo "usage: $0 [--quick] [--no-browser] [--jobs N] [--out FILE] [MODEL.safetensors ...]" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done

/usr/bin/python3 -c 'import torch, onnx' 2>/dev/null || {
  echo "bench: needs python3-torch and python3-onnx (apt-get install -y python3-torch python3-onnx)" >&2; exit 1; }
scripts/extract-data.sh
[[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund
if [[ ! -d bench/peers/node_modules/onnxruntime-web ]] ||
   [[ bench/peers/package-lock.json -nt bench/peers/node_modules/.package-lock.json ]]; then
  (cd bench/peers && npm ci --ignore-scripts --no-audit --no-fund)
fi

# Our wasm: the product builds (wasm/api/unroll.js loads them).
[[ -f build/web-wasm/unroll-simd.wasm ]] || scripts/build-wasm.sh --jobs "$jobs"

# The models: shipped ones, or random weights of the documented shapes until they exist.
words=build/bench/words.txt
random_model() {  # name cell layers bidirectional vocab embedding units maxlen
  local out=build/bench/random-$1.safetensors
  if [[ ! -f $out ]]; then
    mkdir -p build/bench
    cut -f1 data/aclImdb/imdb.vocab > "$words"
    /usr/bin/python3 bench/peers/torch_peer.py random "$out" "${@:2}" "$words" >&2
  fi
  echo "$out"
}
if ((${#models[@]} == 0)); then
  if [[ -f models/seed-rnn.safetensors ]]; then models+=(models/seed-rnn.safetensors)
  else models+=("$(random_model seed-rnn simple_rnn 2 false 10000 100 64 80)"); fi
  if [[ -f models/best.safetensors ]]; then models+=(models/best.safetensors)
  else models+=("$(random_model best gru 1 true 20000 64 64 400)"); fi
fi

# PyTorch: OpenBLAS (pthread build), one thread, like every other engine here.
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
model_args=()
for m in "${models[@]}"; do model_args+=(--model "$m"); done
BENCH_COMMAND="scripts/bench.sh${args[*]:+ ${args[*]}}" \
  node bench/peers/bench.mjs "${model_args[@]}" "${args[@]}"

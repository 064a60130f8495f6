#!/usr/bin/env bash
# The benchmark suite (docs/benchmarks.md): our wasm against TensorFlow.js (cpu, wasm), ONNX
# Runtime (web, node) and PyTorch on the same weights and the same id sequences, in node and in
# headless Chromium. Writes the results into docs/benchmarks.md (between its bench markers).
#
# Usage: scripts/bench.sh [--quick] [--no-browser] [--jobs N] [--out FILE] [MODEL.safetensors ...]
#   Without models: every shipped model (models/seed-rnn, bi-rnn, best .safetensors); a missing
#   seed-rnn or best is replaced by random weights of its documented shape
#   (build/bench/random-*.safetensors).
#   --quick        short timing windows (a smoke test; figures are not worth publishing)
#   --no-browser   skip the Chromium page
#
# Needs: node ≥ 18, Emscripten (em++), /usr/bin/python3 with python3-torch and python3-onnx and
# OpenBLAS (libopenblas0-pthread; installed here when run as root, else the script stops),
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

# The peers as documented, or not at all: PyTorch on OpenBLAS (one thread). On Debian's default
# reference BLAS it is several times slower, which would inflate our ratios; so the OpenBLAS
# package is installed here (root) or the script stops, and torch_peer.py refuses to time PyTorch on
# any other BLAS (it reports the library it loaded).
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
peer_packages=(python3-torch python3-onnx libopenblas0-pthread)
if ! /usr/bin/python3 -c 'import torch, onnx' 2>/dev/null || [[ ! -e $openblas/libblas.so.3 ]]; then
  if [[ $(id -u) = 0 ]]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${peer_packages[@]}" >/dev/null
  else
    echo "bench: needs ${peer_packages[*]} (sudo apt-get install -y ${peer_packages[*]})" >&2; exit 1
  fi
fi
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
  [[ -f models/bi-rnn.safetensors ]] && models+=(models/bi-rnn.safetensors)
  if [[ -f models/best.safetensors ]]; then models+=(models/best.safetensors)
  else models+=("$(random_model best gru 1 true 20000 64 64 400)"); fi
fi

# PyTorch: OpenBLAS (pthread build), one thread, like every other engine here.
export LD_LIBRARY_PATH=$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
model_args=()
for m in "${models[@]}"; do model_args+=(--model "$m"); done
BENCH_COMMAND="scripts/bench.sh${args[*]:+ ${args[*]}}" \
  node bench/peers/bench.mjs "${model_args[@]}" "${args[@]}"

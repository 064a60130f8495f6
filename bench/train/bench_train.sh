#!/usr/bin/env bash
# Seconds per training epoch of the seed-rnn configuration (Embedding 10000×100, 2 × SimpleRNN(64)
# with input dropout 0.2, dense + sigmoid, Adam 1e-3, batch 128, maxlen 80; 22,500 training
# reviews): our trainer (tools/train) against PyTorch (Debian python3-torch, OpenBLAS) with the
# same number of threads. Prints both and the ratio.
# Usage: bench/train/bench_train.sh [threads...]     (default: 1 2)
# Environment: BUILD (default build/native-release), DATA (default data/aclImdb).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD:-build/native-release}
data=${DATA:-data/aclImdb}
scripts/extract-data.sh >/dev/null
if [ ! -x "$build/tools/train" ]; then
  [ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j 2 --target train >/dev/null
fi
threads_list=("$@")
((${#threads_list[@]})) || threads_list=(1 2)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

printf '%-8s %14s %14s %14s %14s %8s\n' threads "ours s/epoch" "ours rev/s" "torch s/epoch" "torch rev/s" ratio
for threads in "${threads_list[@]}"; do
  "$build/tools/train" --data "$data" --output "$out/seed.safetensors" --epochs 1 --skip-test \
    --threads "$threads" --seed 42 2>"$out/ours.log"
  ours=$(sed -nE 's/^epoch 1: .*\| ([0-9.]+) s, ([0-9]+) reviews\/s.*/\1 \2/p' "$out/ours.log")
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads /usr/bin/python3 bench/train/pytorch_seed_rnn.py "$data" "$threads" >"$out/torch.log"
  torch_s=$(sed -nE 's/^seconds_per_epoch ([0-9.]+)/\1/p' "$out/torch.log")
  torch_r=$(sed -nE 's/^reviews_per_second ([0-9.]+)/\1/p' "$out/torch.log")
  read -r ours_s ours_r <<<"$ours"
  printf '%-8s %14s %14s %14s %14s %7.2fx\n' "$threads" "$ours_s" "$ours_r" "$torch_s" "$torch_r" \
    "$(echo "$torch_s / $ours_s" | bc -l)"
done
echo "(ratio = PyTorch seconds per epoch / ours; load average: $(cut -d' ' -f1-3 /proc/loadavg))"

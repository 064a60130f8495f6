#!/usr/bin/env bash
# Trains the shipped models (models/*.safetensors) with the commands recorded in their provenance.
# Usage: scripts/train-models.sh [seed-rnn] [bi-rnn] [best]      (default: all three)
# Environment: BUILD (default build/native-release), THREADS (default 2).
# Wall clock on 2 shared cores: seed-rnn ~2-3 min, bi-rnn ~4-5 min, best ~10-15 min.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/native-release}
threads=${THREADS:-2}
scripts/extract-data.sh
if [ ! -x "$build/tools/train" ]; then
  [ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j 2 --target train
fi
train="$build/tools/train --data data/aclImdb --seed 42 --threads $threads"
names=("$@")
((${#names[@]})) || names=(seed-rnn bi-rnn best)
for name in "${names[@]}"; do
  case "$name" in
    # The tutorial's model: Embedding(10000, 100), 2 × SimpleRNN(64, dropout=0.2), Dense(1, sigmoid).
    seed-rnn) $train --output models/seed-rnn.safetensors --cell simple_rnn --vocab-size 10000 \
                --maxlen 80 --embedding 100 --units 64 --layers 2 --dropout 0.2 --lr 1e-3 --batch 128 --epochs 4 ;;
    # The same, each layer bidirectional.
    bi-rnn) $train --output models/bi-rnn.safetensors --cell simple_rnn --bidirectional --vocab-size 10000 \
              --maxlen 80 --embedding 100 --units 64 --layers 2 --dropout 0.2 --lr 1e-3 --batch 128 --epochs 4 ;;
    # Our strongest: LSTM(64) on the last 500 words (see docs/models.md for the candidates tried).
    best) $train --output models/best.safetensors --cell lstm --vocab-size 20000 --maxlen 500 \
            --embedding 64 --units 64 --layers 1 --dropout 0.5 --lr 5e-4 --batch 64 --epochs 4 --patience 2 ;;
    *) echo "train-models: unknown model $name" >&2; exit 2 ;;
  esac
done

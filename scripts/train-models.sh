#!/usr/bin/env bash
# Trains the shipped models (models/*.safetensors) with the command lines in models/recipes.txt, the
# one place they are written (docs/models.md shows the same lines; scripts/check-models.sh checks it),
# then stores each embedding as int8 (tools/quantize).
# Usage: scripts/train-models.sh [NAME ...]      (default: every model in models/recipes.txt)
# Environment: BUILD (default build/native-release).
# Wall clock on 2 shared cores: seed-rnn ~2-3 min, bi-rnn ~3 min, best ~10 min.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/native-release}
recipes=models/recipes.txt
scripts/extract-data.sh
# Always (re)build the trainer: an older build lacks the options of the recipes.
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j 2 --target train quantize

names=("$@")
((${#names[@]})) || mapfile -t names < <(grep -vE '^\s*(#|$)' "$recipes" | awk '{print $1}')
for name in "${names[@]}"; do
  line=$(grep -E "^$name " "$recipes" || true)
  [ -n "$line" ] || { echo "train-models: no recipe for $name in $recipes" >&2; exit 2; }
  read -r -a arguments <<<"${line#"$name "}"
  # A recipe that starts from word vectors (--embedding-init FILE) learns them first if FILE is not
  # there yet, from the words of the same training split (scripts/pretrain-embeddings.sh).
  vectors="" width=100
  for ((i = 0; i + 1 < ${#arguments[@]}; i++)); do
    case ${arguments[i]} in
      --embedding-init) vectors=${arguments[i + 1]} ;;
      --embedding) width=${arguments[i + 1]} ;;
    esac
  done
  if [ -n "$vectors" ] && [ ! -f "$vectors" ]; then
    BUILD=$build scripts/pretrain-embeddings.sh "$vectors" "$width" --seed 42 "${arguments[@]}"
  fi
  "$build/tools/train" --data data/aclImdb --seed 42 --output "models/$name.safetensors" "${arguments[@]}"
  # The shipped files store the embedding as int8 with a per-row scale (docs/model-format.md);
  # quantize measures the test accuracy both ways and refuses a drop over 0.2 points.
  "$build/tools/quantize" "models/$name.safetensors" "models/$name.safetensors" --data data/aclImdb
done

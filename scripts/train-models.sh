#!/usr/bin/env bash
# Trains the shipped models (models/*.safetensors) with the command lines in models/recipes.txt, the
# one place they are written (docs/models.md shows the same lines; scripts/check-models.sh checks it),
# then stores each embedding as int8 (tools/quantize). A recipe that learns from teachers
# (--teacher data/teachers/T.train.txt) first trains each missing teacher T from its own line
# (`teacher T ARGUMENTS`, into data/teachers/T.safetensors, never reading the test split) and saves
# its probabilities for the training reviews (tools/evaluate --split train --save-probabilities).
# Usage: scripts/train-models.sh [NAME ...]      (default: every model in models/recipes.txt)
# Environment: BUILD (default build/native-release).
# Wall clock on 2 shared cores: seed-rnn ~2-3 min, bi-rnn ~3 min, best ~90 min (its 100- and 150-wide
# word vectors and its five teachers included, one teacher at a time; ~19 min once data/ holds them).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/native-release}
recipes=models/recipes.txt
scripts/extract-data.sh
# Always (re)build the trainer: an older build lacks the options of the recipes.
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j 2 --target train quantize evaluate

# Trains one recipe's ARGUMENTS into OUTPUT: learns its word vectors first if they are missing, and
# seeds it with 42 unless the recipe names its own --seed.
train_recipe() {
  local output=$1
  shift
  local arguments=("$@") vectors="" width=100 seed=(--seed 42)
  for ((i = 0; i + 1 < ${#arguments[@]}; i++)); do
    case ${arguments[i]} in
      --embedding-init) vectors=${arguments[i + 1]} ;;
      --embedding) width=${arguments[i + 1]} ;;
      --seed) seed=() ;;
    esac
  done
  # A recipe that starts from word vectors (--embedding-init FILE) learns them first if FILE is not
  # there yet, from the words of the same training split (scripts/pretrain-embeddings.sh).
  if [ -n "$vectors" ] && [ ! -f "$vectors" ]; then
    BUILD=$build scripts/pretrain-embeddings.sh "$vectors" "$width" "${seed[@]}" "${arguments[@]}"
  fi
  "$build/tools/train" --data data/aclImdb "${seed[@]}" --output "$output" "${arguments[@]}"
}

names=("$@")
((${#names[@]})) || mapfile -t names < <(grep -vE '^\s*(#|$|teacher )' "$recipes" | awk '{print $1}')
for name in "${names[@]}"; do
  line=$(grep -E "^$name " "$recipes" || true)
  [ -n "$line" ] || { echo "train-models: no recipe for $name in $recipes" >&2; exit 2; }
  read -r -a arguments <<<"${line#"$name "}"
  for ((i = 0; i + 1 < ${#arguments[@]}; i++)); do
    [ "${arguments[i]}" = --teacher ] || continue
    probabilities=${arguments[i + 1]}
    [ -f "$probabilities" ] && continue
    teacher=$(basename "$probabilities" .train.txt)
    teacher_line=$(grep -E "^teacher $teacher " "$recipes" || true)
    [ -n "$teacher_line" ] || { echo "train-models: no recipe for teacher $teacher in $recipes" >&2; exit 2; }
    read -r -a teacher_arguments <<<"${teacher_line#"teacher $teacher "}"
    mkdir -p "$(dirname "$probabilities")"
    train_recipe "$(dirname "$probabilities")/$teacher.safetensors" "${teacher_arguments[@]}" --skip-test
    "$build/tools/evaluate" "$(dirname "$probabilities")/$teacher.safetensors" --data data/aclImdb --split train \
      --save-probabilities "$(dirname "$probabilities")"
  done
  train_recipe "models/$name.safetensors" "${arguments[@]}"
  # The shipped files store the embedding as int8 with a per-row scale (docs/model-format.md);
  # quantize measures the test accuracy both ways and refuses a drop over 0.2 points.
  "$build/tools/quantize" "models/$name.safetensors" "models/$name.safetensors" --data data/aclImdb
done

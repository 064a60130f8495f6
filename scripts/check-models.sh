#!/usr/bin/env bash
# Evaluates every shipped model (models/*.safetensors) on the full 25,000-review test split through
# the core's inference Model and fails if a model's accuracy is more than 0.1 point below the
# test accuracy recorded in its file's provenance, or if a model with stored probabilities
# (tests/fixtures/model-probabilities/<model>.test.txt, written by `evaluate --save-probabilities`
# before an engine refactor) now answers any review differently by more than 1e-6, or with another
# accuracy to four digits. Extracts the data first if needed.
# Usage: scripts/check-models.sh [data-archive-folder]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/extract-data.sh "${1:-../shared/data}"

build=${UNROLL_CHECK_BUILD:-build/native-release}
evaluate=$build/tools/evaluate
# The native stage of scripts/test.sh has usually built it already; otherwise build just the tool.
if [ ! -f "$build/CMakeCache.txt" ]; then
  if [ "$build" = build/native-release ]; then cmake --preset native-release >/dev/null
  else cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null; fi
fi
cmake --build "$build" -j "$(nproc)" --target evaluate >/dev/null

# docs/models.md shows the recipes the models were trained with: the very lines of models/recipes.txt.
while IFS= read -r recipe; do
  grep -qxF -- "$recipe" docs/models.md ||
    { echo "check-models: docs/models.md lacks the recipe line: $recipe" >&2; exit 1; }
done < <(grep -vE '^\s*(#|$)' models/recipes.txt)

shopt -s nullglob
models=(models/*.safetensors)
((${#models[@]})) || { echo "check-models: no models/*.safetensors" >&2; exit 1; }
threads=$(nproc)
((threads <= 4)) || threads=4
"$evaluate" "${models[@]}" --data data/aclImdb --split test --threads "$threads" --check 0.1 \
  --compare-probabilities tests/fixtures/model-probabilities --max-delta 1e-6

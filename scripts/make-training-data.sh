#!/usr/bin/env bash
# Builds the in-browser trainer's data files (docs/training-data.md) from the labeled IMDB archive:
# build/training-data/imdb-full.bin (25,000 / 25,000 reviews) and imdb-subset.bin (2,000 / 1,000).
# They are build outputs: never commit them (they hold the IMDB reviews as ids).
# Usage: scripts/make-training-data.sh [archive-folder]   (default: ../shared/data, as extract-data.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=${1:-../shared/data}
scripts/extract-data.sh "$source_dir"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "${JOBS:-2}" --target make_training_data
build/native-release/tools/make_training_data --data data/aclImdb \
  --archive "$source_dir/aclImdb_labeled.tar.gz" --output-dir build/training-data

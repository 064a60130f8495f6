#!/usr/bin/env bash
# Builds the in-browser trainer's data files (docs/training-data.md) from the labeled IMDB archive:
# build/training-data/imdb-full.bin (25,000 / 25,000 reviews) and imdb-subset.bin (2,000 / 1,000).
# They are build outputs: never commit them (they hold the IMDB reviews as ids). The page serves
# them at /data/ (vite.config.js; scripts/serve.sh and scripts/build-site.sh call this with
# --if-missing, the test script's browser stage too).
# Usage: scripts/make-training-data.sh [--if-missing] [archive-folder]   (default: ../shared/data, as extract-data.sh)
#   --if-missing  do nothing when both files exist; without the archive, say so and exit 0
#                 (the page then says that training has no data, and everything else works)
set -euo pipefail
cd "$(dirname "$0")/.."
if_missing=0
if [ "${1:-}" = --if-missing ]; then if_missing=1; shift; fi
source_dir=${1:-../shared/data}
if ((if_missing)); then
  [ -s build/training-data/imdb-full.bin ] && [ -s build/training-data/imdb-subset.bin ] && exit 0
  if [ ! -f "$source_dir/aclImdb_labeled.tar.gz" ] && [ ! -d data/aclImdb ]; then
    echo "make-training-data: no $source_dir/aclImdb_labeled.tar.gz: no training data for the page's training view" >&2
    exit 0
  fi
fi
scripts/extract-data.sh "$source_dir"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j "${JOBS:-2}" --target make_training_data
build/native-release/tools/make_training_data --data data/aclImdb \
  --archive "$source_dir/aclImdb_labeled.tar.gz" --output-dir build/training-data

#!/usr/bin/env bash
# Extracts the labeled IMDB reviews (../shared/data/aclImdb_labeled.tar.gz) into the git-ignored
# data/ folder, after checking the archive against its SHA256SUMS. Does nothing if data/aclImdb is
# already complete (its train/ and test/ folders hold 25,000 reviews each).
# Usage: scripts/extract-data.sh [archive-folder]   (default: ../shared/data, beside the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=${1:-../shared/data}
archive=$source_dir/aclImdb_labeled.tar.gz
target=data

count() { find "$target/aclImdb/$1" -name '*.txt' 2>/dev/null | wc -l; }
if [ -d "$target/aclImdb" ] && [ "$(count train)" -eq 25000 ] && [ "$(count test)" -eq 25000 ]; then
  exit 0
fi
[ -f "$archive" ] || { echo "extract-data: $archive not found" >&2; exit 1; }
if [ -f "$source_dir/SHA256SUMS" ]; then
  (cd "$source_dir" && sha256sum --quiet -c SHA256SUMS) || { echo "extract-data: checksum mismatch for $archive" >&2; exit 1; }
fi
mkdir -p "$target"
rm -rf "$target/aclImdb.partial"
mkdir -p "$target/aclImdb.partial"
tar -xzf "$archive" -C "$target/aclImdb.partial"
rm -rf "$target/aclImdb"
mv "$target/aclImdb.partial/aclImdb" "$target/aclImdb"
rm -rf "$target/aclImdb.partial"
echo "extract-data: $(count train) train and $(count test) test reviews in $target/aclImdb"

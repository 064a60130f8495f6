#!/usr/bin/env bash
# Learns word vectors without labels from the words of the training reviews only, for
# tools/train --embedding-init: tools/train --write-corpus holds the validation reviews out (pass
# the split options of the run that will use the vectors, e.g. --validation-block 100, so that its
# selection by validation stays honest), and the test split is never read. fastText's skip-gram
# (Debian's `fasttext`, installed here if missing) does the learning: the tool made for it, on one
# thread with its fixed seed, so the same corpus gives the same vectors.
# Usage: scripts/pretrain-embeddings.sh OUTPUT.vec WIDTH [tools/train split options ...]
#   e.g. scripts/pretrain-embeddings.sh data/vectors/skipgram-64.vec 64 --validation-block 100
# Environment: BUILD (default build/native-release). Wall clock: ~7 min for 5.2 M words, width 64.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/native-release}
usage="usage: scripts/pretrain-embeddings.sh OUTPUT.vec WIDTH [tools/train split options ...]"
output=${1:?$usage}
width=${2:?$usage}
shift 2
[[ $output == *.vec ]] || { echo "pretrain-embeddings: OUTPUT must end in .vec (fastText writes NAME.vec and NAME.bin)" >&2; exit 2; }

if ! command -v fasttext >/dev/null; then
  echo "pretrain-embeddings: installing fasttext (Debian)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends fasttext >/dev/null
fi
scripts/extract-data.sh
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j 2 --target train

mkdir -p "$(dirname "$output")"
corpus=$(mktemp)
trap 'rm -f "$corpus" "${output%.vec}.bin"' EXIT
"$build/tools/train" --data data/aclImdb --output /dev/null "$@" --write-corpus "$corpus"
# Skip-gram, window 5, 5 negative samples, 10 passes; words seen 3 times or more (every word of a
# 20,000-word vocabulary is seen far more often). No subwords: only whole words get an embedding row.
fasttext skipgram -input "$corpus" -output "${output%.vec}" -dim "$width" -ws 5 -neg 5 -epoch 10 \
  -minCount 3 -minn 0 -maxn 0 -thread 1 -verbose 1
echo "pretrain-embeddings: wrote $output"

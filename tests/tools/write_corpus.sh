#!/bin/sh
# tools/train --write-corpus: the corpus for unsupervised word vectors holds the training reviews'
# words, one review a line, and none of the validation reviews. A tiny aclImdb folder is made here
# (tiny_imdb.sh): review N of each label is "<label> review N" plus filler words, so every line says
# which review it came from. With --limit it holds just the reviews the run trains on; --split-seed
# draws the split instead of --seed.
# Usage: write_corpus.sh TRAIN-EXECUTABLE
set -eu
train=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/tiny_imdb.sh"
make_tiny_imdb "$dir" 40
"$train" --data "$dir/aclImdb" --output /dev/null --vocab-size 12 --validation 0.25 --validation-block 10 \
  --write-corpus "$dir/corpus.txt" 2> "$dir/log"
# "vocabulary 12 ids; 60 training, 20 validation reviews; ..."
training=$(sed -n 's/.*ids; \([0-9]*\) training, \([0-9]*\) validation.*/\1/p' "$dir/log")
validation=$(sed -n 's/.*ids; \([0-9]*\) training, \([0-9]*\) validation.*/\2/p' "$dir/log")
lines=$(wc -l < "$dir/corpus.txt")
distinct=$(sort -u "$dir/corpus.txt" | wc -l)
[ "$training" = 60 ] && [ "$validation" = 20 ] || { cat "$dir/log"; echo "unexpected split"; exit 1; }
[ "$lines" = 60 ] && [ "$distinct" = 60 ] || { echo "corpus has $lines lines ($distinct distinct), expected 60"; exit 1; }
# The tokenizer's words, lowercased, punctuation dropped.
grep -qx "pos review 0 a fine film well acted and well told" "$dir/corpus.txt" ||
  grep -qx "pos review 10 a fine film well acted and well told" "$dir/corpus.txt" ||
  { head -3 "$dir/corpus.txt"; echo "lines are not the tokenizer's words"; exit 1; }
# Whole blocks of 10 ids per label are held out: 20 validation reviews are missing, 10 of a label
# lost per block, and no validation review is in the corpus.
for label in pos neg; do
  n=$(grep -c "^$label review" "$dir/corpus.txt")
  [ "$n" = 30 ] || { echo "$n $label reviews in the corpus, expected 30"; exit 1; }
  missing_blocks=$(for i in $(seq 0 39); do
    grep -q "^$label review $i a" "$dir/corpus.txt" || echo $((i / 10))
  done | sort -u | wc -l)
  [ "$missing_blocks" = 1 ] || { echo "the missing $label reviews span $missing_blocks blocks, expected 1"; exit 1; }
done
# --limit N: the corpus is the N training reviews the run would train on, not all of them.
"$train" --data "$dir/aclImdb" --output /dev/null --vocab-size 12 --validation 0.25 --validation-block 10 \
  --limit 25 --write-corpus "$dir/limited.txt" 2> "$dir/log"
lines=$(wc -l < "$dir/limited.txt")
[ "$lines" = 25 ] || { cat "$dir/log"; echo "--limit 25 wrote $lines reviews, expected 25"; exit 1; }
grep -q "ids; 25 training, 20 validation" "$dir/log" || { cat "$dir/log"; echo "unexpected limited split"; exit 1; }
# --split-seed holds the split while --seed changes: --seed 7 --split-seed 42 holds out what
# --seed 42 does, and --seed 7 alone (which draws another block here) does not.
split_of() {
  "$train" --data "$dir/aclImdb" --output /dev/null --vocab-size 12 --validation 0.25 --validation-block 10 \
    "$@" --write-corpus "$dir/split.txt" 2> "$dir/log" || { cat "$dir/log"; exit 1; }
  cksum < "$dir/split.txt"
}
[ "$(split_of --seed 7 --split-seed 42)" = "$(split_of --seed 42)" ] || { echo "--split-seed 42 did not hold --seed 42's split"; exit 1; }
[ "$(split_of --seed 7)" != "$(split_of --seed 42)" ] || { echo "--seed 7 drew the same split as 42: the check above proves nothing"; exit 1; }
echo "corpus: 60 training reviews, none of the 20 validation reviews; 25 with --limit 25; --split-seed holds the split"

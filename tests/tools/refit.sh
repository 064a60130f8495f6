#!/bin/sh
# tools/train --validation 0, a refit: every training review is trained on, for exactly --epochs
# epochs, the last epoch is kept, and the provenance records no validation figure; --patience,
# which needs a validation split, is refused, and so is a fraction that holds out no review. A
# tiny aclImdb folder is made here (tiny_imdb.sh).
# Usage: refit.sh TRAIN-EXECUTABLE
set -eu
train=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/tiny_imdb.sh"
make_tiny_imdb "$dir" 20
cp "$dir"/aclImdb/train/pos/1*_9.txt "$dir/aclImdb/test/pos/"
cp "$dir"/aclImdb/train/neg/1*_2.txt "$dir/aclImdb/test/neg/"
common="--data $dir/aclImdb --archive /dev/null --vocab-size 20 --maxlen 12 --embedding 4 --units 3 --layers 1 --batch 8 --threads 1"
if "$train" $common --output "$dir/refused.safetensors" --validation 0 --patience 1 2> "$dir/refused.log"; then
  echo "--validation 0 --patience 1 was accepted"; exit 1
fi
grep -q -- "--patience needs a validation split" "$dir/refused.log" || { cat "$dir/refused.log"; exit 1; }
# A fraction that holds out no review is refused, not trained as an unchecked refit.
if "$train" $common --output "$dir/refused.safetensors" --validation 0.001 --patience 1 2> "$dir/refused.log"; then
  echo "--validation 0.001 (no review held out) was accepted"; exit 1
fi
grep -q -- "--validation 0.001 holds out no review; use --validation 0" "$dir/refused.log" || { cat "$dir/refused.log"; exit 1; }
"$train" $common --output "$dir/refit.safetensors" --validation 0 --epochs 3 2> "$dir/log" || { cat "$dir/log"; exit 1; }
grep -q "ids; 40 training, 0 validation reviews" "$dir/log" || { cat "$dir/log"; echo "not every review trained on"; exit 1; }
[ "$(grep -c '^epoch [0-9]: .*no validation' "$dir/log")" = 3 ] || { cat "$dir/log"; echo "expected 3 epochs"; exit 1; }
grep -q "a refit: last epoch 3" "$dir/log" || { cat "$dir/log"; echo "the last epoch was not kept"; exit 1; }
# The provenance is JSON inside the file's header; a refit records no validation figure.
header=$(head -c 65536 "$dir/refit.safetensors" | tr -d '\000' | tr '\n' ' ')
case $header in *validation_accuracy*|*val_loss*) echo "the refit's provenance records a validation figure"; exit 1 ;; esac
case $header in *'\"validation_reviews\":0'*) ;; *) echo "the provenance does not say 0 validation reviews"; exit 1 ;; esac
echo "refit: 40 training reviews, 3 epochs, the last kept, no validation recorded"

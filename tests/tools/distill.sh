#!/bin/sh
# tools/train --teacher: the training targets become the teachers' probabilities (mixed with the
# labels by --teacher-weight), read from tools/evaluate --split train --save-probabilities files;
# a file of the wrong length or with something other than a probability in it is refused with a
# message. A tiny aclImdb folder is made here (tiny_imdb.sh).
# Usage: distill.sh TRAIN-EXECUTABLE EVALUATE-EXECUTABLE
set -eu
train=$1
evaluate=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/tiny_imdb.sh"
make_tiny_imdb "$dir" 20
common="--data $dir/aclImdb --archive /dev/null --vocab-size 20 --maxlen 12 --embedding 4 --units 3 --layers 1 --batch 8 --threads 1 --skip-test --validation 0.2"
# A teacher, and its probabilities for the 40 training reviews, as the docs say to make them.
"$train" $common --output "$dir/teacher.safetensors" --epochs 2 2> "$dir/teacher.log" || { cat "$dir/teacher.log"; exit 1; }
"$evaluate" "$dir/teacher.safetensors" --data "$dir/aclImdb" --split train --threads 1 --save-probabilities "$dir" > "$dir/evaluate.log" ||
  { cat "$dir/evaluate.log"; exit 1; }
teacher=$dir/teacher.train.txt
[ "$(wc -l < "$teacher")" = 40 ] || { echo "expected 40 probabilities in $teacher"; exit 1; }
"$train" $common --output "$dir/student.safetensors" --epochs 2 --teacher "$teacher" --teacher "$teacher" --teacher-weight 0.7 \
  2> "$dir/student.log" || { cat "$dir/student.log"; exit 1; }
grep -q "distillation: each training target is 0.7 x the mean of 2 teachers + 0.3 x the label" "$dir/student.log" ||
  { cat "$dir/student.log"; echo "no distillation line"; exit 1; }
# The provenance (JSON in the file's header) names the teachers' files and their share.
header=$(head -c 65536 "$dir/student.safetensors" | tr -d '\000' | tr '\n' ' ')
case $header in *'\"teacher_weight\":0.7'*) ;; *) echo "the provenance lacks teacher_weight 0.7"; exit 1 ;; esac
case $header in *'\"teachers\":[\"teacher.train.txt\",\"teacher.train.txt\"]'*) ;; *) echo "the provenance lacks the teachers"; exit 1 ;; esac
# Targets of ½ for every review: the binary cross-entropy of any prediction against ½ is at least
# ln 2 = 0.6931, so every epoch's training loss must be too (with the labels it would fall below).
sed 's/.*/0.5/' "$teacher" > "$dir/half.txt"
"$train" $common --output "$dir/half.safetensors" --epochs 3 --lr 0.05 --teacher "$dir/half.txt" --teacher-weight 1 \
  2> "$dir/half.log" || { cat "$dir/half.log"; exit 1; }
losses=$(sed -n 's/^epoch [0-9]*: loss \([0-9.]*\) .*/\1/p' "$dir/half.log")
[ "$(echo "$losses" | wc -w)" = 3 ] || { cat "$dir/half.log"; echo "expected 3 epochs"; exit 1; }
for loss in $losses; do
  awk -v l="$loss" 'BEGIN { exit !(l >= 0.6931) }' || { cat "$dir/half.log"; echo "loss $loss below ln 2: the targets were not ½"; exit 1; }
done
"$train" $common --output "$dir/labels.safetensors" --epochs 3 --lr 0.05 2> "$dir/labels.log" || { cat "$dir/labels.log"; exit 1; }
last=$(sed -n 's/^epoch 3: loss \([0-9.]*\) .*/\1/p' "$dir/labels.log")
awk -v l="$last" 'BEGIN { exit !(l < 0.6931) }' || { cat "$dir/labels.log"; echo "with the labels the loss stayed at $last"; exit 1; }
# Refused, with a message: a file one review short, a value outside [0, 1], text, a missing file.
head -n 39 "$teacher" > "$dir/short.txt"
printf '1.5\n' > "$dir/big.txt"; tail -n 39 "$teacher" >> "$dir/big.txt"
sed '3s/.*/positive/' "$teacher" > "$dir/text.txt"
for case in "short.txt:holds 39 probabilities, the training split has 40 reviews" \
            "big.txt:line 1 is \"1.5\", not a probability in \[0, 1\]" \
            "text.txt:line 3 is \"positive\", not a probability" \
            "missing.txt:teacher file: cannot read"; do
  file=${case%%:*}
  message=${case#*:}
  if "$train" $common --output "$dir/refused.safetensors" --epochs 1 --teacher "$dir/$file" 2> "$dir/refused.log"; then
    echo "--teacher $file was accepted"; exit 1
  fi
  grep -q -- "$message" "$dir/refused.log" || { cat "$dir/refused.log"; echo "expected: $message"; exit 1; }
done
echo "distillation: targets from the teachers' files, wrong files refused"

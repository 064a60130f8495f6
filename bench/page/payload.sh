#!/usr/bin/env bash
# What a first visit transfers (gzip -9), from the production build: the page, the SIMD build and
# the default model (a browser loads one wasm build). Usage: npx vite build && bench/page/payload.sh
set -euo pipefail
cd "$(dirname "$0")/../../dist"
total=0
for f in index.html assets/* wasm/unroll-simd.js wasm/unroll-simd.wasm models/seed-rnn.safetensors; do
  [ -f "$f" ] || continue
  # Source maps are never fetched; the training view's chunks only when the learner opens training
  # (tests/browser/training.test.js checks that the first visit fetches none of them).
  case "$f" in *.map|assets/train-worker-*|assets/training-view-*) continue ;; esac
  size=$(gzip -9c "$f" | wc -c); total=$((total + size))
  printf '%-40s %9d bytes gzip\n' "$f" "$size"
done
printf '%-40s %9d bytes gzip\n' total "$total"

#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan) and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds per target, default 60]
# Findings (crash-*, timeout-*) are written to build/fuzz/findings/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
mkdir -p build/fuzz/findings
status=0
for target in tokenizer_fuzzer model_file_fuzzer run_fuzzer; do
  corpus=fuzz/corpus/${target%_fuzzer}
  work=build/fuzz/corpus/${target%_fuzzer}
  mkdir -p "$work"
  echo "== $target for ${seconds}s"
  # New inputs go to the scratch corpus; the committed seeds are read-only input.
  seeds=("$corpus"); [ "$target" = model_file_fuzzer ] && seeds+=(tests/fixtures)
  if ! build/fuzz/fuzz/$target "$work" "${seeds[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=build/fuzz/findings/ -print_final_stats=1 \
      2>build/fuzz/$target.log; then
    status=1
    tail -n 40 build/fuzz/$target.log
  fi
  grep -E "stat::number_of_executed_units|cov:" build/fuzz/$target.log | tail -n 2
done
exit $status

#!/usr/bin/env bash
# Sets up the machine and runs every test: the C++ core natively and as WebAssembly (SIMD and
# scalar builds, under node), the JavaScript API tests and the browser tests in headless Chromium.
# Usage: scripts/test.sh            (everything)
#        scripts/test.sh native     (one stage: native | sanitize | fuzz | wasm-simd | wasm-scalar |
#                                   js | browser | models)
# The js and browser stages run on the real WebAssembly build and the shipped models, never on the
# browser tests' mock: a missing build or model fails the stage, and UNROLL_MOCK=1 in the
# environment is refused (tests/browser/helpers.js does the same whenever CI=true).
# The js stage includes the type check of wasm/api/unroll.d.ts (tests/js/types.test.mjs, tsc) and
# the package test (tests/js/package.test.mjs: npm pack, install elsewhere, classify).
# The last line is the total: "all: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # emcc finds acorn there (Debian's node-acorn)
jobs=$(nproc)
stages=("$@")
((${#stages[@]})) || stages=(native sanitize fuzz wasm-simd wasm-scalar js browser models)

summary=()
passed=0; failed=0; skipped=0
record() {  # stage, passed, failed[, skipped]
  local skip=${4:-0}
  summary+=("$1: $2 passed, $3 failed, $skip skipped")
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + skip))
}

# What the js and browser stages need: both wasm builds (scripts/build-wasm.sh has just run) and
# every model the page ships. Prints what is missing and returns 1.
SHIPPED_MODELS=(seed-rnn bi-rnn best)
require_real() {  # stage
  local missing=() f
  [ "${UNROLL_MOCK:-}" = 1 ] && { echo "$1: UNROLL_MOCK=1 is set; the test script runs on the real module only (unset it)" >&2; return 1; }
  for f in build/web-wasm/unroll-{,trainer-}{simd,scalar}.{js,wasm} wasm/api/{unroll,trainer}.js; do [ -s "$f" ] || missing+=("$f"); done
  for f in "${SHIPPED_MODELS[@]}"; do [ -s "models/$f.safetensors" ] || missing+=("models/$f.safetensors"); done
  ((${#missing[@]} == 0)) && return 0
  echo "$1: missing ${missing[*]} (scripts/build-wasm.sh builds the wasm; scripts/train-models.sh the models)" >&2
  return 1
}

run_ctest() {  # preset
  local preset=$1 log
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  log=$(mktemp)
  set +e
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
  set -e
  local line total bad skip
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line"); bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  [ -n "$line" ] || { total=1; bad=1; }
  # CTest counts a skipped test (SKIP_RETURN_CODE, a failed fixture) among the passed ones and
  # lists it under "The following tests did not run:" with "(Skipped)".
  skip=$(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)' "$log" || true)
  record "$preset" $((total - bad - skip)) "$bad" "$skip"
  rm -f "$log"
}

run_node_tests() {  # stage name, node --test arguments
  local stage=$1 log; shift
  log=$(mktemp)
  set +e
  node --test "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local pass fail skip todo
  pass=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}'); fail=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  skip=$(grep -E '^# skipped [0-9]+' "$log" | tail -1 | awk '{print $3}'); todo=$(grep -E '^# todo [0-9]+' "$log" | tail -1 | awk '{print $3}')
  [ -n "$pass" ] || pass=0; [ -n "$fail" ] || fail=0; [ -n "$skip" ] || skip=0; [ -n "$todo" ] || todo=0
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  record "$stage" "$pass" "$fail" $((skip + todo))
  rm -f "$log"
}

for stage in "${stages[@]}"; do
  echo "==== $stage"
  case "$stage" in
    native) run_ctest native-release ;;
    sanitize) run_ctest native-sanitize ;;   # ASan + UBSan: any report fails the test
    fuzz) scripts/fuzz.sh "${UNROLL_FUZZ_SECONDS:-30}" && record fuzz 3 0 || record fuzz 0 3 ;;
    wasm-simd|wasm-scalar) run_ctest "$stage" ;;
    js|browser)
      scripts/build-wasm.sh
      if ! require_real "$stage"; then record "$stage" 0 1; continue; fi
      # The training view's browser test trains on the subset (tests/browser/training.test.js).
      if [ "$stage" = browser ]; then scripts/make-training-data.sh --if-missing; fi
      if [ "$stage" = js ]; then UNROLL_REQUIRE_REAL=1 run_node_tests js tests/js/
      else UNROLL_REQUIRE_REAL=1 run_node_tests browser --test-concurrency=1 tests/browser/; fi ;;
    models) [ -x scripts/check-models.sh ] && { scripts/check-models.sh && record models 1 0 || record models 0 1; } ;;
    *) echo "unknown stage $stage"; exit 2 ;;
  esac
done

echo
printf '%s\n' "${summary[@]}"
echo "all: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

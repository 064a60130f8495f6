#!/usr/bin/env bash
# Sets up the machine and runs every test: the C++ core natively and as WebAssembly (SIMD and
# scalar builds, under node), the JavaScript API tests and the browser tests in headless Chromium.
# Usage: scripts/test.sh            (everything)
#        scripts/test.sh native     (one stage: native | sanitize | fuzz | wasm-simd | wasm-scalar |
#                                   js | browser | models)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # emcc finds acorn there (Debian's node-acorn)
jobs=$(nproc)
stages=("$@")
((${#stages[@]})) || stages=(native sanitize fuzz wasm-simd wasm-scalar js browser models)

summary=()
passed=0; failed=0
record() {  # stage, passed, failed
  summary+=("$1: $2 passed, $3 failed"); passed=$((passed + $2)); failed=$((failed + $3))
}

run_ctest() {  # preset
  local preset=$1 log
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  log=$(mktemp)
  set +e
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
  set -e
  local line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line"); bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  [ -n "$line" ] || { total=1; bad=1; }
  record "$preset" $((total - bad)) "$bad"
  rm -f "$log"
}

run_node_tests() {  # stage name, node --test arguments
  local stage=$1 log; shift
  log=$(mktemp)
  set +e
  node --test "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local pass fail
  pass=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}'); fail=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  [ -n "$pass" ] || pass=0; [ -n "$fail" ] || fail=0
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  record "$stage" "$pass" "$fail"
  rm -f "$log"
}

for stage in "${stages[@]}"; do
  echo "==== $stage"
  case "$stage" in
    native) run_ctest native-release ;;
    sanitize) run_ctest native-sanitize ;;   # ASan + UBSan: any report fails the test
    fuzz) scripts/fuzz.sh "${UNROLL_FUZZ_SECONDS:-30}" && record fuzz 3 0 || record fuzz 0 3 ;;
    wasm-simd|wasm-scalar) run_ctest "$stage" ;;
    js) [ -d tests/js ] && { scripts/build-wasm.sh; run_node_tests js tests/js/; } ;;
    browser) [ -d tests/browser ] && { scripts/build-wasm.sh; run_node_tests browser --test-concurrency=1 tests/browser/; } ;;
    models) [ -x scripts/check-models.sh ] && { scripts/check-models.sh && record models 1 0 || record models 0 1; } ;;
    *) echo "unknown stage $stage"; exit 2 ;;
  esac
done

echo
printf '%s\n' "${summary[@]}"
echo "all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

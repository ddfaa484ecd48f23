#!/usr/bin/env bash
# CI's bounded fuzzing run: run_ci.sh FUZZER SEEDS SCRATCH. Fuzzes for HANDOFF_FUZZ_SECONDS
# (default 20) from the seeds, in a scratch corpus; fails on any crash, leak or sanitizer
# report, and leaves the crashing input in SCRATCH/artifacts for tests/fuzz/regressions/.
set -euo pipefail
fuzzer=$1 seeds=$2 scratch=$3
[ -x "$fuzzer" ] || { echo "SKIP: no fuzzer at $fuzzer"; exit 77; }
rm -rf "$scratch"
mkdir -p "$scratch/corpus" "$scratch/artifacts"
seconds=${HANDOFF_FUZZ_SECONDS:-20}
# Known, unfixed bugs (regressions/EXPECTED_TO_FAIL) are not fuzzed into again.
xfail=$(dirname "$0")/regressions/EXPECTED_TO_FAIL
HANDOFF_FUZZ_AVOID=$(sed -n 's/^[^#][^ ]* \(.*\)/\1/p' "$xfail" 2>/dev/null | tr '\n' ' ')
export HANDOFF_FUZZ_AVOID
[ -z "$HANDOFF_FUZZ_AVOID" ] || echo "left out (known, unfixed): $HANDOFF_FUZZ_AVOID"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
# With the Vulkan renderer, leaks whose stack lies in lavapipe alone are the driver's
# (lsan_vulkan.supp says why).
[ "${HANDOFF_FUZZ_RENDERER:-}" = vulkan ] &&
  export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(dirname "$0")/lsan_vulkan.supp
set +e
"$fuzzer" -error_exitcode=1 -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=3072 \
  -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" "$seeds" \
  >"$scratch/log.txt" 2>&1
code=$?
set -e
tail -n 40 "$scratch/log.txt"
[ "$code" -eq 77 ] && { echo "SKIP: the fuzzer cannot set up here"; exit 77; }
if [ "$code" -ne 0 ] || ls "$scratch/artifacts"/* >/dev/null 2>&1; then
  echo "FAIL: the fuzzer found a problem (status $code); inputs in $scratch/artifacts:" >&2
  ls -l "$scratch/artifacts" >&2
  exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/log.txt")
echo "ok: ${runs:-?} inputs in $seconds s, no crash, no leak"

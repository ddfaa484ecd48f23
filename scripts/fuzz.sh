#!/usr/bin/env bash
# Fuzzes the presenter's protocol handling for as long as you like (tests/fuzz/fuzz_presenter.c:
# libFuzzer, ASan and UBSan, the presenter core in-process, request streams with fds of every
# kind, a leak check after every client).
#
#   scripts/fuzz.sh [--hours H] [--jobs N] [--dir DIR]
#
#   --hours H  how long (default 4)
#   --jobs N   parallel fuzzing processes (default: the number of CPUs); libFuzzer's -fork mode,
#              which goes on after a crash and keeps every crashing input
#   --dir DIR  the corpus and the crashes (default fuzz-work/): DIR/corpus grows and may be
#              reused by the next run; DIR/crashes gets crash-*, leak-*, timeout-* inputs
#
# It builds the fuzzer first (needs clang: apt-get install clang), starts from the seeds
# (tests/fuzz/seeds, remade by tests/fuzz/make_seeds.py) and leaves out the requests of known,
# unfixed bugs (tests/fuzz/regressions/EXPECTED_TO_FAIL). For each crash it finds:
#   1. minimize it:  FUZZER -minimize_crash=1 -max_total_time=120 -artifact_prefix=min- CRASH
#   2. keep the smallest as tests/fuzz/regressions/NAME.bin; its replay becomes a CI test
#      (fuzz_regression_NAME) at the next cmake run;
#   3. until the bug is fixed, add "NAME iface.request" to regressions/EXPECTED_TO_FAIL.
# Replay one input with the requests shown:  WAYLAND_DEBUG=server HANDOFF_FUZZ_VERBOSE=1 FUZZER IN
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOURS=4 JOBS=$(nproc) DIR=fuzz-work
while [ $# -gt 0 ]; do
  case $1 in
    --hours) HOURS=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --dir) DIR=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed (apt-get install clang)" >&2; exit 1; }
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BUILD_DIR=$BUILD_DIR "$ROOT/scripts/build.sh" >/dev/null
cmake --build "$BUILD_DIR" --target handoff-fuzz >/dev/null
FUZZER=$BUILD_DIR/tests/fuzz/clang/tests/fuzz/handoff-fuzz-presenter
[ -x "$FUZZER" ] || { echo "fuzz.sh: the fuzzer was not built ($FUZZER)" >&2; exit 1; }

mkdir -p "$DIR/corpus" "$DIR/crashes"
HANDOFF_FUZZ_AVOID=$(sed -n 's/^[^#][^ ]* \(.*\)/\1/p' "$ROOT/tests/fuzz/regressions/EXPECTED_TO_FAIL" \
  2>/dev/null | tr '\n' ' ')
export HANDOFF_FUZZ_AVOID
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
seconds=$(awk -v h="$HOURS" 'BEGIN { printf "%d", h * 3600 }')
echo "fuzzing for $HOURS h with $JOBS jobs into $DIR (log: $DIR/log.txt)"
[ -z "$HANDOFF_FUZZ_AVOID" ] || echo "left out (known, unfixed): $HANDOFF_FUZZ_AVOID"
set +e
"$FUZZER" -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=3072 \
  -print_final_stats=1 -artifact_prefix="$DIR/crashes/" "$DIR/corpus" "$ROOT/tests/fuzz/seeds" \
  >"$DIR/log.txt" 2>&1
set -e
tail -n 5 "$DIR/log.txt"
found=$(find "$DIR/crashes" -type f | wc -l)
echo "done: $(find "$DIR/corpus" -type f | wc -l) inputs in the corpus, $found crashing inputs in $DIR/crashes"
[ "$found" -eq 0 ]

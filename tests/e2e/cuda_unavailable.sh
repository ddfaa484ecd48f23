#!/usr/bin/env bash
# Where CUDA cannot be loaded (no libcuda.so.1, or no device: CI), --renderer cuda and
# cuda-host say so in one line and exit 1, before they even connect. Skips where CUDA works.
. "$(dirname "$0")/lib.sh"
for renderer in cuda cuda-host; do
  set +e
  WAYLAND_DISPLAY=handoff-no-such-display "$PRODUCER" --renderer "$renderer" --frames 1 \
    >"$WORK/out.txt" 2>"$WORK/err.txt"
  code=$?
  set -e
  if ! grep -q "no CUDA\|CUDA driver is too old" "$WORK/err.txt"; then
    grep -q "cannot connect" "$WORK/err.txt" && skip "CUDA loads here: $(cat "$WORK/err.txt")"
    cat "$WORK/err.txt"
    fail "$renderer: no message about CUDA"
  fi
  cat "$WORK/err.txt"
  expect_eq "$renderer exit" "$code" 1
  expect_eq "$renderer lines" "$(wc -l <"$WORK/err.txt")" 1
  grep -q "^handoff-producer: --renderer $renderer: no CUDA" "$WORK/err.txt" || fail "$renderer: unclear message"
done
# grep reads the whole help: grep -q would quit early, and pipefail then fails on SIGPIPE.
"$PRODUCER" --help | grep "cuda: CUDA kernels write" >/dev/null || fail "--help does not document cuda"
echo ok

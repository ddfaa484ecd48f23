#!/usr/bin/env bash
# The CPU round trip (--renderer cuda-host: CUDA kernels, each frame copied to a memfd) into
# the pixman presenter, mailbox and fifo, random delays on both sides: no torn, no stale frame.
# It is the comparison of the CUDA benchmark, so it must be right too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cuda_lib.sh"
for mode in mailbox fifo; do
  frames=600
  "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size "$CUDA_SIZE" \
    --renderer pixman --check solid --debug-blit-delay-us 1500 --seed "$SEED" \
    --snapshot "$WORK/$mode.png" --stats "$WORK/presenter-$mode.json" -- \
    "$PRODUCER" --renderer cuda-host --frames $frames --fps 0 --size "$CUDA_SIZE" --pattern solid \
    --buffers 3 --present-mode $mode --debug-render-delay-us 1500 --seed "$SEED" \
    --stats "$WORK/producer-$mode.json" || fail "$mode: the run failed"
  expect_eq "$mode torn" "$(json_num "$WORK/presenter-$mode.json" torn)" 0
  expect_eq "$mode stale" "$(json_num "$WORK/presenter-$mode.json" stale)" 0
  expect_eq "$mode last feedback" "$(json_num "$WORK/producer-$mode.json" last_frame_feedback)" $frames
  "$PROBE" "$WORK/$mode.png" --fill "$(solid_hex $frames)" || fail "$mode: the snapshot is not frame $frames"
  echo "ok $mode: torn 0, stale 0, checked $(json_num "$WORK/presenter-$mode.json" checked)"
done

#!/usr/bin/env bash
# fifo on outputs paced at 30, 60 and 144 Hz (stress_fifo.sh covers --refresh 0): every frame
# shown exactly once and in order, nothing torn or stale, and the run ends on the last frame.
# Each rate runs about two seconds; a stalled run fails at its timeout instead of hanging.
. "$(dirname "$0")/lib.sh"
SECONDS_PER_RATE=${SECONDS_PER_RATE:-2}
for hz in ${RATES:-30 60 144}; do
  frames=$((hz * SECONDS_PER_RATE))
  echo "fifo at $hz Hz, $frames frames"
  timeout 60 "$PRESENTER" --socket "$SOCKET-$hz" --output headless --refresh "$hz" \
    --size 320x240 --check solid --debug-blit-delay-us 1000 --seed "$SEED" \
    --snapshot "$WORK/shot-$hz.png" --stats "$WORK/presenter-$hz.json" -- \
    "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 --pattern solid --buffers 3 \
    --present-mode fifo --debug-render-delay-us 1000 --seed "$SEED" \
    --stats "$WORK/producer-$hz.json" || fail "the run at $hz Hz failed"
  p=$WORK/presenter-$hz.json
  q=$WORK/producer-$hz.json
  expect_eq "torn at $hz Hz" "$(json_num "$p" torn)" 0
  expect_eq "stale at $hz Hz" "$(json_num "$p" stale)" 0
  expect_eq "fifo skipped at $hz Hz" "$(json_num "$p" fifo_skipped)" 0
  expect_eq "presenter presented at $hz Hz" "$(json_num "$p" frames_presented)" "$frames"
  expect_gt "checked at $hz Hz" "$(json_num "$p" checked)" $((frames - 1))
  expect_eq "producer presented at $hz Hz" "$(json_num "$q" frames_presented)" "$frames"
  expect_eq "discarded at $hz Hz" "$(json_num "$q" frames_discarded)" 0
  expect_eq "last feedback at $hz Hz" "$(json_num "$q" last_frame_feedback)" "$frames"
  "$PROBE" "$WORK/shot-$hz.png" --fill "$(solid_hex "$frames")" ||
    fail "the snapshot at $hz Hz is not frame $frames"
done
echo ok

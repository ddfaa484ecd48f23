#!/usr/bin/env bash
# mailbox on outputs paced at 30, 60 and 144 Hz, the producer rendering twice as fast as the
# output refreshes (stress_mailbox.sh and stress_paced.sh cover 60 Hz at full speed and
# --refresh 0): frames are replaced, none torn or stale, every frame gets feedback, and the run
# ends on the last frame. Each rate runs about two seconds.
. "$(dirname "$0")/lib.sh"
SECONDS_PER_RATE=${SECONDS_PER_RATE:-2}
for hz in ${RATES:-30 60 144}; do
  fps=$((hz * 2))
  frames=$((fps * SECONDS_PER_RATE))
  echo "mailbox at $hz Hz, $frames frames at $fps fps"
  timeout 60 "$PRESENTER" --socket "$SOCKET-$hz" --output headless --refresh "$hz" \
    --size 320x240 --check solid --debug-blit-delay-us 1000 --seed "$SEED" \
    --snapshot "$WORK/shot-$hz.png" --stats "$WORK/presenter-$hz.json" -- \
    "$PRODUCER" --frames "$frames" --fps "$fps" --size 320x240 --pattern solid --buffers 2 \
    --present-mode mailbox --debug-render-delay-us 1000 --seed "$SEED" \
    --stats "$WORK/producer-$hz.json" || fail "the run at $hz Hz failed"
  p=$WORK/presenter-$hz.json
  q=$WORK/producer-$hz.json
  expect_eq "torn at $hz Hz" "$(json_num "$p" torn)" 0
  expect_eq "stale at $hz Hz" "$(json_num "$p" stale)" 0
  expect_gt "checked at $hz Hz" "$(json_num "$p" checked)" $((hz / 2))
  expect_eq "submitted at $hz Hz" "$(json_num "$q" frames_submitted)" "$frames"
  presented=$(json_num "$q" frames_presented)
  discarded=$(json_num "$q" frames_discarded)
  expect_eq "presented + discarded at $hz Hz" $((presented + discarded)) "$frames"
  expect_gt "discarded at $hz Hz" "$discarded" 0
  expect_eq "last feedback at $hz Hz" "$(json_num "$q" last_frame_feedback)" "$frames"
  "$PROBE" "$WORK/shot-$hz.png" --fill "$(solid_hex "$frames")" ||
    fail "the snapshot at $hz Hz is not frame $frames"
  echo "  $presented presented, $discarded discarded"
done
echo ok

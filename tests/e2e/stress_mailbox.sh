#!/usr/bin/env bash
# Thousands of solid frames at full speed, random delays on both sides: no torn, no stale
# frame, and the run ends on the last frame.
. "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-3000}
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 --check solid \
  --debug-blit-delay-us 1500 --seed "$SEED" --snapshot "$WORK/shot.png" \
  --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 0 --size 320x240 --pattern solid --buffers 3 \
  --present-mode mailbox --debug-render-delay-us 1500 --seed "$SEED" \
  --stats "$WORK/producer.json" || fail "the run failed"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_gt checked "$(json_num "$WORK/presenter.json" checked)" 100
expect_eq submitted "$(json_num "$WORK/producer.json" frames_submitted)" "$FRAMES"
presented=$(json_num "$WORK/producer.json" frames_presented)
discarded=$(json_num "$WORK/producer.json" frames_discarded)
expect_eq "presented + discarded" $((presented + discarded)) "$FRAMES"
expect_eq "last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" "$FRAMES"
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex "$FRAMES")" || fail "the snapshot is not frame $FRAMES"
echo "ok: $presented presented, $discarded discarded, torn 0, stale 0"

#!/usr/bin/env bash
# fifo shows every frame exactly once, in order, under random delays on both sides.
. "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-1500}
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 --check solid \
  --debug-blit-delay-us 1500 --seed "$SEED" --snapshot "$WORK/shot.png" \
  --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 0 --size 320x240 --pattern solid --buffers 3 \
  --present-mode fifo --debug-render-delay-us 1500 --seed "$SEED" \
  --stats "$WORK/producer.json" || fail "the run failed"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_eq "fifo skipped" "$(json_num "$WORK/presenter.json" fifo_skipped)" 0
expect_eq "presenter presented" "$(json_num "$WORK/presenter.json" frames_presented)" "$FRAMES"
expect_gt "checked" "$(json_num "$WORK/presenter.json" checked)" $((FRAMES - 1))
expect_eq "producer presented" "$(json_num "$WORK/producer.json" frames_presented)" "$FRAMES"
expect_eq discarded "$(json_num "$WORK/producer.json" frames_discarded)" 0
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex "$FRAMES")" || fail "the snapshot is not frame $FRAMES"
echo ok

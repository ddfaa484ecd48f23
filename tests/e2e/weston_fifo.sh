#!/usr/bin/env bash
# Nested in weston, fifo: every frame reaches the parent's screen, once, in order. The nested
# output sends a frame ahead of the parent's frame callback only where it may be replaced: a
# frame with fifo content is never replaced, so the parent presents each and discards none.
# Composed (--direct off), with slow reads: weston_direct.sh runs fifo with direct frames.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-150}
start_weston 1024 768
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET" --output wayland --size 320x240 \
  --direct off --check solid --debug-blit-delay-us 1000 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 0 --size 320x240 --pattern solid --buffers 3 \
  --present-mode fifo --debug-render-delay-us 1500 --seed "$SEED" \
  --stats "$WORK/producer.json" >"$WORK/run.log" 2>&1 || { cat "$WORK/run.log"; fail "the run failed"; }
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_eq "fifo skipped" "$(json_num "$WORK/presenter.json" fifo_skipped)" 0
expect_eq "checked" "$(json_num "$WORK/presenter.json" checked)" "$FRAMES"
expect_eq "presented by the parent" "$(json_num "$WORK/producer.json" frames_presented)" "$FRAMES"
expect_eq "discarded by the parent" "$(json_num "$WORK/producer.json" frames_discarded)" 0
echo ok

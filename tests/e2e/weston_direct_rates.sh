#!/usr/bin/env bash
# Nested in weston with direct frames and the default two images, the producer faster than the
# parent: at twice its 60 Hz and free-running, with random delays on both sides. Direct frames
# now go to the parent as soon as they are ready, each replacing the last one there (none is
# held back to the parent's frame callback): every one is checked when handed over and again
# when the parent gives it back, and none is torn or stale; the run ends on the last frame.
# (The latency this buys is handoff-bench --rates' to measure, not this test's.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-600}
start_weston 1024 768
for fps in 120 0; do
  WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-$fps" --output wayland --size 320x240 \
    --check solid --debug-blit-delay-us 500 --seed "$SEED" --stats "$WORK/$fps.json" \
    --snapshot "$WORK/$fps.png" -- \
    "$PRODUCER" --frames "$FRAMES" --fps "$fps" --size 320x240 --pattern solid \
    --debug-render-delay-us 1500 --seed "$SEED" --stats "$WORK/$fps-producer.json" \
    >"$WORK/$fps.log" 2>&1 || { cat "$WORK/$fps.log"; fail "the run at --fps $fps failed"; }
  echo "--fps $fps: $(tr -d '\n ' <"$WORK/$fps.json" | grep -o '"output_frames":[0-9]*\|"direct_frames":[0-9]*\|"checked":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*\|"rechecked_after_parent":[0-9]*' | tr '\n' ' ')"
  expect_eq "--fps $fps torn" "$(json_num "$WORK/$fps.json" torn)" 0
  expect_eq "--fps $fps stale" "$(json_num "$WORK/$fps.json" stale)" 0
  expect_gt "--fps $fps direct frames" "$(json_num "$WORK/$fps.json" direct_frames)" $((FRAMES / 2))
  expect_gt "--fps $fps rechecked" "$(json_num "$WORK/$fps.json" rechecked_after_parent)" $((FRAMES / 2))
  expect_eq "--fps $fps last feedback" "$(json_num "$WORK/$fps-producer.json" last_frame_feedback)" "$FRAMES"
  "$PROBE" "$WORK/$fps.png" --fill "$(solid_hex "$FRAMES")" || fail "--fps $fps: the snapshot is not frame $FRAMES"
done
echo ok

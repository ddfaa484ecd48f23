#!/usr/bin/env bash
# The Vulkan presenter nested in weston (lavapipe): its compositions are read back into the
# wl_shm buffers it shows, and weston's own screenshot shows the window filled with exactly
# color(N) of the last frame of a Vulkan producer, after a stressed run with no torn or stale
# frame.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-240}
start_weston 1024 768
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET" --size 320x240 --renderer vulkan \
  --check solid --debug-blit-delay-us 1000 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --renderer vulkan --frames "$FRAMES" --fps 120 --size 320x240 --pattern solid \
  --buffers 3 --debug-render-delay-us 1500 --seed "$SEED" --hold --stats "$WORK/producer.json" \
  >"$WORK/run.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
wait_for "$WORK/run.log" "showing frame $FRAMES" 120
grep -q "output=wayland renderer=vulkan" "$WORK/run.log" || fail "not the nested Vulkan presenter"
shot=$(screenshot)
"$PROBE" "$shot" --window "$(solid_hex "$FRAMES")" 320x240 || fail "the window is not frame $FRAMES"
kill -TERM "$presenter"
wait "$presenter" || fail "the presenter did not exit cleanly"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_gt checked "$(json_num "$WORK/presenter.json" checked)" 20
expect_eq "last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" "$FRAMES"
echo ok

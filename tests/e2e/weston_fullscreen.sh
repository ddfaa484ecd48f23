#!/usr/bin/env bash
# Toggling fullscreen while frames stream (each toggle resizes the presenter's output through
# a configure from weston) keeps every frame whole; fullscreen shows the window scaled to the
# whole output, still exactly color(N).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-600}
start_weston 1024 768
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --output wayland --socket "$SOCKET" --size 320x240 \
  --check solid --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 120 --size 320x240 --pattern solid \
  --debug-render-delay-us 1500 --seed "$SEED" --hold >"$WORK/run.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
wait_for "$WORK/run.log" "output=wayland" 10
for _ in 1 2 3 4 5 6 7; do
  sleep 0.4
  kill -USR1 "$presenter"
done
wait_for "$WORK/run.log" "showing frame $FRAMES" 120
sleep 0.5
shot=$(screenshot)
"$PROBE" "$shot" --window "$(solid_hex "$FRAMES")" 1024x768 || fail "fullscreen window is not frame $FRAMES"
kill -TERM "$presenter"
wait "$presenter" || fail "the presenter did not exit cleanly"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
# The first configure sizes the window; each of the 7 toggles resizes it again.
expect_gt "resizes" "$(json_num "$WORK/presenter.json" output_resizes)" 7
echo ok

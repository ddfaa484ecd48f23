#!/usr/bin/env bash
# Nested in weston: weston's own screenshot shows the presenter's window filled with exactly
# color(N) of the last frame, after a stressed mailbox run at full speed with no torn or stale
# frame.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-1000}
start_weston 1024 768
# No --output: auto nests because WAYLAND_DISPLAY reaches weston.
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET" --size 320x240 \
  --check solid --debug-blit-delay-us 1000 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 0 --size 320x240 --pattern solid --buffers 3 \
  --debug-render-delay-us 1500 --seed "$SEED" --hold --stats "$WORK/producer.json" \
  >"$WORK/run.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
wait_for "$WORK/run.log" "showing frame $FRAMES" 120
grep -q "output=wayland" "$WORK/run.log" || fail "the presenter did not nest"
shot=$(screenshot)
if ! "$PROBE" "$shot" --window "$(solid_hex "$FRAMES")" 320x240; then
  cat "$WORK/run.log"
  # Tells a feedback that came before the parent showed the frame from a wrong frame.
  sleep 0.5
  "$PROBE" "$(screenshot)" --window "$(solid_hex "$FRAMES")" 320x240 &&
    fail "the window showed frame $FRAMES only after its feedback said it was presented"
  fail "the window is not frame $FRAMES"
fi
kill -TERM "$presenter"
wait "$presenter" || fail "the presenter did not exit cleanly"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_gt checked "$(json_num "$WORK/presenter.json" checked)" 20
expect_eq "last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" "$FRAMES"
echo ok

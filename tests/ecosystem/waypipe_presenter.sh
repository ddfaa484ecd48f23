#!/usr/bin/env bash
# Across machines (waypipe run locally): the producer and the presenter on the "rendering"
# side, the presenter's window carried by waypipe to weston. handoff-v1 stays local, nothing
# special is asked of the user, the stressed run has no torn or stale frame, and weston's own
# screenshot shows the window filled with exactly color(N) of the last frame.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../e2e/weston_lib.sh"
. "$(dirname "$0")/waypipe_lib.sh"
FRAMES=${FRAMES:-240}
start_weston 1024 768
start_waypipe_client
through_waypipe "$PRESENTER" --output wayland --socket "$SOCKET" --size 320x240 \
  --check solid --debug-blit-delay-us 1000 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames "$FRAMES" --fps 120 --size 320x240 --pattern solid --buffers 3 \
  --debug-render-delay-us 1500 --seed "$SEED" --hold --stats "$WORK/producer.json" \
  >"$WORK/run.log" 2>&1 &
server=$!
PIDS+=("$server")
presenter=$(child_of "$server" "$PRESENTER")
wait_for "$WORK/run.log" "showing frame $FRAMES" 60
grep -q "output=wayland" "$WORK/run.log" || fail "the presenter did not nest"
expect_window_shot "$(solid_hex "$FRAMES")" 320x240
kill -TERM "$presenter"
wait "$server" || fail "the presenter (or waypipe) did not exit cleanly"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_gt checked "$(json_num "$WORK/presenter.json" checked)" 20
expect_eq "last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" "$FRAMES"
# Presentation times came back from weston through waypipe.
expect_gt "presented" "$(json_num "$WORK/producer.json" frames_presented)" 20
echo ok

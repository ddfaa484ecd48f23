#!/usr/bin/env bash
# `handoff-producer --sync implicit` is a plain wl_shm client, so it goes through waypipe
# straight to a remote compositor (weston here) with no presenter: weston's screenshot shows
# its last frame, exactly color(N).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../e2e/weston_lib.sh"
. "$(dirname "$0")/waypipe_lib.sh"
FRAMES=${FRAMES:-120}
start_weston 1024 768
start_waypipe_client
through_waypipe "$PRODUCER" --sync implicit --frames "$FRAMES" --fps 60 --size 320x240 \
  --pattern solid --hold --stats "$WORK/producer.json" >"$WORK/run.log" 2>&1 &
server=$!
PIDS+=("$server")
producer=$(child_of "$server" "$PRODUCER")
wait_for "$WORK/run.log" "showing frame $FRAMES" 60
expect_window_shot "$(solid_hex "$FRAMES")" 320x240
kill -TERM "$producer"
wait "$server" || fail "the producer (or waypipe) did not exit cleanly"
cat "$WORK/producer.json"
expect_eq "last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" "$FRAMES"
expect_gt "presented" "$(json_num "$WORK/producer.json" frames_presented)" 10
echo ok

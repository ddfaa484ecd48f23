#!/usr/bin/env bash
# A parent that withholds frame callbacks: weston's kiosk-shell shows nothing on a headless
# output without a seat, so it never sends the presenter's window a frame callback. The
# presenter must keep its clients flowing anyway (replace, release, discard feedback), and say
# once, at the default log level, that the parent is not showing its window. A hang fails at
# the timeout instead of blocking the suite. With direct frames too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
MESSAGE="is not showing the window"

weston --backend=headless-backend.so --use-pixman --shell=kiosk-shell.so --idle-time=0 \
  --socket="$PARENT" --width=800 --height=600 >"$WORK/weston.log" 2>&1 &
WESTON=$!
PIDS+=("$WESTON")
for _ in $(seq 200); do
  [ -S "$XDG_RUNTIME_DIR/$PARENT" ] && break
  kill -0 "$WESTON" 2>/dev/null || break
  sleep 0.05
done
[ -S "$XDG_RUNTIME_DIR/$PARENT" ] || { cat "$WORK/weston.log" >&2; fail "weston did not start"; }

# run NAME PRODUCER-ARGS...: one presenter nested in weston, one producer; both must finish.
# SIZE: both programs' size (kiosk-shell makes the window the output's 800x600).
run() {
  local name=$1 code=0 size=${SIZE:-320x240}
  shift
  WAYLAND_DISPLAY=$PARENT timeout 60 "$PRESENTER" --output wayland --socket "$SOCKET-$name" \
    --size "$size" --stats "$WORK/presenter-$name.json" -- \
    "$PRODUCER" --size "$size" --pattern solid --fps 0 --stats "$WORK/producer-$name.json" "$@" \
    >"$WORK/$name.log" 2>&1 || code=$?
  cat "$WORK/$name.log"
  [ "$code" -ne 124 ] || fail "$name: the run hung"
  [ "$code" -eq 0 ] || fail "$name: the run failed ($code)"
  grep -q "output=wayland" "$WORK/$name.log" || fail "$name: the presenter did not nest"
  local said
  said=$(grep -c "$MESSAGE" "$WORK/$name.log" || true)
  expect_eq "$name: messages \"$MESSAGE\"" "$said" 1
}

run mailbox --present-mode mailbox --frames 300
discarded=$(json_num "$WORK/producer-mailbox.json" frames_discarded)
expect_gt "mailbox: discarded" "$discarded" 0
expect_eq "mailbox: last feedback" "$(json_num "$WORK/producer-mailbox.json" last_frame_feedback)" 300

run fifo --present-mode fifo --frames 120
expect_eq "fifo: submitted" "$(json_num "$WORK/producer-fifo.json" frames_submitted)" 120
expect_eq "fifo: last feedback" "$(json_num "$WORK/producer-fifo.json" last_frame_feedback)" 120
# Frames the size of the window go to the parent as the producer's own images (direct
# frames) until the stall is seen; the parent then still holds one, which it would keep while
# it shows nothing: one composed frame must take its place, or a producer with two images
# waits forever for the other.
for mode in mailbox fifo; do
  SIZE=800x600 run "direct-$mode" --present-mode "$mode" --frames 120
  expect_gt "direct $mode: direct frames before the stall" \
    "$(json_num "$WORK/presenter-direct-$mode.json" direct_frames)" 0
  expect_eq "direct $mode: last feedback" \
    "$(json_num "$WORK/producer-direct-$mode.json" last_frame_feedback)" 120
done
echo "ok: mailbox discarded $discarded of 300"

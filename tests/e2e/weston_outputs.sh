#!/usr/bin/env bash
# One presenter with a window in weston beside a headless output at another size and rate,
# every window on both: with random delays, each output's checker sees no torn and no stale
# frame, mailbox and fifo, and both snapshots are the last frame. Then two windows in weston,
# both showing the producer's own images as direct frames: a commit is released only once
# both parents gave the image back, and nothing is torn. The negative controls drop the locks
# of the window's output (a bug on purpose), first as the first output, then as the second,
# beside a headless one whose reads end at once: the producer then draws into an image the
# parent may still read, and that output's second check must see it. (Between two windows in
# one weston, the second window's parent gives its image back after the first's, so dropping
# the first's locks shows nothing: the second's hold the commit long enough.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-600}
FIFO_FRAMES=${FIFO_FRAMES:-150}
start_weston 1024 768

# run NAME MODE FRAMES BUFFERS PRESENTER-OPTIONS...
run() {
  local name=$1 mode=$2 frames=$3 buffers=$4
  shift 4
  WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-$name" --check solid --seed "$SEED" \
    "$@" -- "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 --pattern solid \
    --buffers "$buffers" --present-mode "$mode" --debug-render-delay-us 1500 --seed "$SEED" \
    --stats "$WORK/$name-producer.json" >"$WORK/$name.log" 2>&1 ||
    { cat "$WORK/$name.log"; fail "the $name run failed"; }
}

summary() {
  tr -d '\n ' <"$1" | grep -o '"output_frames":[0-9]*\|"direct_frames":[0-9]*\|"checked":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*\|"rechecked_after_parent":[0-9]*' | tr '\n' ' '
}

# Nested first (the primary output: the parent paces the clients), headless at 144 Hz beside.
for mode in mailbox fifo; do
  frames=$FRAMES
  [ "$mode" = fifo ] && frames=$FIFO_FRAMES
  run "$mode" "$mode" "$frames" 3 --debug-blit-delay-us 1500 \
    --output wayland --size 320x240 --snapshot "$WORK/$mode-a.png" --stats "$WORK/$mode-a.json" \
    --output headless --size 160x120 --refresh 144 \
    --snapshot "$WORK/$mode-b.png" --stats "$WORK/$mode-b.json"
  for out in a b; do
    echo "$mode output $out: $(summary "$WORK/$mode-$out.json")"
    expect_eq "$mode $out torn" "$(json_num "$WORK/$mode-$out.json" torn)" 0
    expect_eq "$mode $out stale" "$(json_num "$WORK/$mode-$out.json" stale)" 0
    expect_gt "$mode $out checked" "$(json_num "$WORK/$mode-$out.json" checked)" 10
    "$PROBE" "$WORK/$mode-$out.png" --fill "$(solid_hex "$frames")" ||
      fail "$mode: output $out's snapshot is not frame $frames"
  done
  expect_eq "$mode last feedback" "$(json_num "$WORK/$mode-producer.json" last_frame_feedback)" "$frames"
done
expect_eq "fifo presented" "$(json_num "$WORK/fifo-producer.json" frames_presented)" "$FIFO_FRAMES"

# Two windows in weston, each output handing the producer's images to its parent.
twice() {
  local name=$1
  shift
  run "$name" mailbox "$FRAMES" 2 "$@" \
    --output wayland --size 320x240 --stats "$WORK/$name-a.json" \
    --output wayland --size 320x240 --stats "$WORK/$name-b.json"
  echo "$name: a $(summary "$WORK/$name-a.json"); b $(summary "$WORK/$name-b.json")"
}
twice both
for out in a b; do
  expect_eq "both $out torn" "$(json_num "$WORK/both-$out.json" torn)" 0
  expect_eq "both $out stale" "$(json_num "$WORK/both-$out.json" stale)" 0
  expect_gt "both $out direct frames" "$(json_num "$WORK/both-$out.json" direct_frames)" 100
  expect_gt "both $out rechecked" "$(json_num "$WORK/both-$out.json" rechecked_after_parent)" 100
done
run ignore-first mailbox "$FRAMES" 2 --debug-ignore-reads 0 \
  --output wayland --size 320x240 --stats "$WORK/ignore-first-a.json" \
  --output headless --size 320x240 --refresh 144 --stats "$WORK/ignore-first-b.json"
run ignore-second mailbox "$FRAMES" 2 --debug-ignore-reads 1 \
  --output headless --size 320x240 --refresh 144 --stats "$WORK/ignore-second-a.json" \
  --output wayland --size 320x240 --stats "$WORK/ignore-second-b.json"
echo "first output's locks dropped: window $(summary "$WORK/ignore-first-a.json")"
echo "second output's locks dropped: window $(summary "$WORK/ignore-second-b.json")"
expect_gt "first output's reads ignored: torn there" "$(json_num "$WORK/ignore-first-a.json" torn)" 0
expect_gt "second output's reads ignored: torn there" "$(json_num "$WORK/ignore-second-b.json" torn)" 0
echo ok

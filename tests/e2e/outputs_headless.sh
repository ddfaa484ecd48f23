#!/usr/bin/env bash
# One presenter, two headless outputs at other sizes and rates (60 and 144 Hz), every window
# on both: with random delays on every side, each output's checker sees no torn and no stale
# frame, mailbox and fifo, and each output's snapshot is the last frame. Frame callbacks,
# feedback and fifo follow the first output: fifo shows every frame on it. A second output
# slower than the first (30 Hz beside a free-running one) has not drawn the last frame when the
# producer, paced by the first, goes: it draws it for its snapshot as the window goes.
. "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-600}
FIFO_FRAMES=${FIFO_FRAMES:-120}

# run NAME MODE FRAMES [RATE-A RATE-B]
run() {
  local name=$1 mode=$2 frames=$3 rate_a=${4:-60} rate_b=${5:-144}
  "$PRESENTER" --socket "$SOCKET-$name" --check solid --debug-blit-delay-us 1500 --seed "$SEED" \
    --output headless --size 320x240 --refresh "$rate_a" \
    --snapshot "$WORK/$name-a.png" --stats "$WORK/$name-a.json" \
    --output headless --size 200x200 --refresh "$rate_b" \
    --snapshot "$WORK/$name-b.png" --stats "$WORK/$name-b.json" -- \
    "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 --pattern solid --buffers 2 \
    --present-mode "$mode" --debug-render-delay-us 1500 --seed "$SEED" \
    --stats "$WORK/$name-producer.json" >"$WORK/$name.log" 2>&1 ||
    { cat "$WORK/$name.log"; fail "the $name run failed"; }
  local out
  for out in a b; do
    local json=$WORK/$name-$out.json
    echo "$name output $out: $(tr -d '\n ' <"$json" | grep -o '"output_frames":[0-9]*\|"checked":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*' | tr '\n' ' ')"
    expect_eq "$name $out torn" "$(json_num "$json" torn)" 0
    expect_eq "$name $out stale" "$(json_num "$json" stale)" 0
    expect_gt "$name $out checked" "$(json_num "$json" checked)" 10
  done
  expect_eq "$name last feedback" "$(json_num "$WORK/$name-producer.json" last_frame_feedback)" "$frames"
  # The first output is the window's size; the second, square, shows it letterboxed.
  "$PROBE" "$WORK/$name-a.png" --fill "$(solid_hex "$frames")" || fail "$name: output a's snapshot is not frame $frames"
  "$PROBE" "$WORK/$name-b.png" --window "$(solid_hex "$frames")" 200x150 ||
    fail "$name: output b's snapshot is not frame $frames"
}

run mailbox mailbox "$FRAMES"
run fifo fifo "$FIFO_FRAMES"
run slow-second mailbox "$FRAMES" 0 30
# fifo follows the first output: every frame is shown there, once.
expect_eq "fifo presented on the first output" "$(json_num "$WORK/fifo-a.json" frames_presented)" "$FIFO_FRAMES"
expect_eq "fifo presented to the producer" "$(json_num "$WORK/fifo-producer.json" frames_presented)" "$FIFO_FRAMES"
# The 144 Hz output repaints more often than the 60 Hz one over the same run.
expect_gt "output b's frames over output a's" "$(json_num "$WORK/mailbox-b.json" output_frames)" \
  "$(json_num "$WORK/mailbox-a.json" output_frames)"
echo ok

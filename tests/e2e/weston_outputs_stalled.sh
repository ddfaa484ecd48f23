#!/usr/bin/env bash
# One output stops: a window in a kiosk-shell weston that never shows it (no frame callbacks),
# beside a headless output. Whether the stopped one is the first output (the one the clients
# follow) or the second, the run goes on: the producer finishes, mailbox and fifo, with direct
# frames offered (the parent holds an image it will not give back until a composed frame
# replaces it), and the headless output shows every frame it checks whole and fresh and ends
# on the last one. A hang fails at the timeout instead of blocking the suite.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
weston --backend=headless-backend.so --use-pixman --shell=kiosk-shell.so --idle-time=0 \
  --socket="$PARENT" --width=320 --height=240 >"$WORK/weston.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 200); do
  [ -S "$XDG_RUNTIME_DIR/$PARENT" ] && break
  sleep 0.05
done
[ -S "$XDG_RUNTIME_DIR/$PARENT" ] || { cat "$WORK/weston.log" >&2; fail "weston did not start"; }

# run NAME MODE FRAMES FIRST SECOND: FIRST and SECOND are "stopped" or "headless".
run() {
  local name=$1 mode=$2 frames=$3 code=0 outs=() which
  for which in "$4" "$5"; do
    if [ "$which" = stopped ]; then
      outs+=(--output wayland --size 320x240 --stats "$WORK/$name-stopped.json")
    else
      outs+=(--output headless --size 320x240 --refresh 144 --stats "$WORK/$name-headless.json"
        --snapshot "$WORK/$name.png")
    fi
  done
  WAYLAND_DISPLAY=$PARENT timeout 90 "$PRESENTER" --socket "$SOCKET-$name" --check solid \
    --seed "$SEED" "${outs[@]}" -- "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 \
    --pattern solid --present-mode "$mode" --debug-render-delay-us 1000 --seed "$SEED" \
    --stats "$WORK/$name-producer.json" >"$WORK/$name.log" 2>&1 || code=$?
  [ "$code" -ne 124 ] || { cat "$WORK/$name.log"; fail "$name: the run hung"; }
  [ "$code" -eq 0 ] || { cat "$WORK/$name.log"; fail "$name: the run failed ($code)"; }
  local json=$WORK/$name-headless.json
  echo "$name: headless $(tr -d '\n ' <"$json" | grep -o '"output_frames":[0-9]*\|"checked":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*' | tr '\n' ' ')"
  expect_eq "$name torn" "$(json_num "$json" torn)" 0
  expect_eq "$name stale" "$(json_num "$json" stale)" 0
  expect_gt "$name checked" "$(json_num "$json" checked)" 10
  expect_eq "$name last feedback" "$(json_num "$WORK/$name-producer.json" last_frame_feedback)" "$frames"
  "$PROBE" "$WORK/$name.png" --fill "$(solid_hex "$frames")" || fail "$name: the headless output's snapshot is not frame $frames"
}

run stopped-first-mailbox mailbox 300 stopped headless
run stopped-first-fifo fifo 90 stopped headless
run stopped-second-mailbox mailbox 300 headless stopped
run stopped-second-fifo fifo 90 headless stopped
echo ok

#!/usr/bin/env bash
# The parent's input reaches a client inside the nested presenter: wev (package wev) shows the
# keys typed into the parent, and the pointer's enter, motion (in the client's own surface
# coordinates: the presenter scales wev's 640x480 window into its 320x240 one), button and
# axis. wayland-info (package wayland-utils) sees the seat's pointer and keyboard and the
# output's mode at the parent's refresh.
. "$(dirname "$0")/lib.sh"
PARENT_BIN=$HANDOFF_BUILD/tests/handoff-test-parent
PARENT=parent-$$

if command -v wayland-info >/dev/null; then
  timeout 30 "$PARENT_BIN" --socket "$PARENT" --refresh 50 -- \
    "$PRESENTER" --output wayland --socket "$SOCKET-info" --size 320x240 -- \
    sh -c 'sleep 1; wayland-info' >"$WORK/info.log" 2>&1 || fail "wayland-info failed: $(tail -5 "$WORK/info.log")"
  grep -q "capabilities: pointer keyboard" "$WORK/info.log" || fail "the seat lacks the parent's devices"
  grep -q "width: 320 px, height: 240 px, refresh: 50.000 Hz" "$WORK/info.log" ||
    fail "the output's mode is not the window's size at the parent's 50 Hz: $(grep -A1 mode: "$WORK/info.log")"
  echo "wayland-info: seat pointer keyboard, output 320x240 at 50 Hz"
else
  echo "wayland-info is not installed (package wayland-utils): its part is left out"
fi

command -v wev >/dev/null || skip "wev is not installed (package wev)"
code=0
timeout 30 "$PARENT_BIN" --socket "$PARENT" \
  --input "wait 800; move 100 50; click 100 50; type hi; scroll 10" -- \
  "$PRESENTER" --output wayland --socket "$SOCKET-wev" --size 320x240 -- \
  timeout 3 stdbuf -oL wev >"$WORK/wev.log" 2>&1 || code=$?
[ "$code" -eq 124 ] || { tail "$WORK/wev.log"; fail "wev: status $code, not its timeout"; }
grep -q "keymap: format: 1 (xkb v1)" "$WORK/wev.log" || fail "wev got no keymap"
grep -q "wl_keyboard\] enter" "$WORK/wev.log" || fail "wev's window got no keyboard focus"
for sym in h i; do
  grep -q "sym: $sym .*utf8: '$sym'" "$WORK/wev.log" || fail "the key $sym did not reach wev"
done
grep -q "wl_pointer\] enter" "$WORK/wev.log" || fail "the pointer did not enter wev's window"
grep -q "motion: .*x, y: 200.000000, 100.000000" "$WORK/wev.log" ||
  fail "no motion at wev's 200,100: $(grep motion "$WORK/wev.log" | head -3)"
grep -q "button: .*272 (left), state: 1 (pressed)" "$WORK/wev.log" || fail "no button press reached wev"
grep -q "axis: .*vertical), value: 10.000000" "$WORK/wev.log" || fail "no axis reached wev"
if grep -q "protocol error\|error in client communication" "$WORK/wev.log"; then
  fail "a protocol error: $(grep -m1 error "$WORK/wev.log")"
fi
echo "ok: wev got the keys, the pointer, a button and an axis"

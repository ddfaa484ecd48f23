#!/usr/bin/env bash
# The seat is fed by every nested output, not only the first: with two nested outputs (two
# windows in the parent, each showing wev's window, 640x480 scaled into 320x240), input played
# into the second one's window reaches wev (package wev): keyboard focus, the keys, the pointer's
# enter and motion in wev's own coordinates, and a button. Then the pointer moves to the first
# one's window and still reaches wev there.
. "$(dirname "$0")/lib.sh"
PARENT_BIN=$HANDOFF_BUILD/tests/handoff-test-parent
PARENT=parent-$$

command -v wev >/dev/null || skip "wev is not installed (package wev)"
code=0
timeout 30 "$PARENT_BIN" --socket "$PARENT" \
  --input "wait 1200; target 1; move 100 50; click 100 50; type hi; wait 200; target 0; move 60 30; click 60 30" -- \
  "$PRESENTER" --output wayland --size 320x240 --output wayland --size 320x240 \
  --socket "$SOCKET-wev" -- timeout 4 stdbuf -oL wev >"$WORK/wev.log" 2>&1 || code=$?
[ "$code" -eq 124 ] || { tail "$WORK/wev.log"; fail "wev: status $code, not its timeout"; }
grep -q "wl_keyboard\] enter" "$WORK/wev.log" || fail "wev's window got no keyboard focus"
for sym in h i; do
  grep -q "sym: $sym .*utf8: '$sym'" "$WORK/wev.log" ||
    fail "the key $sym typed into the second output's window did not reach wev"
done
grep -q "motion: .*x, y: 200.000000, 100.000000" "$WORK/wev.log" ||
  fail "no motion at wev's 200,100 from the second output: $(grep motion "$WORK/wev.log" | head -3)"
grep -q "button: .*272 (left), state: 1 (pressed)" "$WORK/wev.log" ||
  fail "no button press from the second output reached wev"
grep -q "motion: .*x, y: 120.000000, 60.000000" "$WORK/wev.log" ||
  fail "no motion at wev's 120,60 from the first output: $(grep motion "$WORK/wev.log" | tail -3)"
if grep -q "protocol error\|error in client communication" "$WORK/wev.log"; then
  fail "a protocol error: $(grep -m1 error "$WORK/wev.log")"
fi
echo "ok: input from both nested outputs reached wev"

#!/usr/bin/env bash
# A popup's input, nested (handoff-test-popup-client in a 320x240 presenter window, at scale 1):
# a click opens a grabbing popup at 100,100; the grab takes the keyboard to it, the pointer goes
# to it where it lies (in its own coordinates), and a click outside it dismisses it with
# popup_done, which gives the keyboard back to the window.
. "$(dirname "$0")/lib.sh"
PARENT_BIN=$HANDOFF_BUILD/tests/handoff-test-parent
CLIENT=$HANDOFF_BUILD/tests/handoff-test-popup-client
PARENT=parent-$$

code=0
timeout 30 "$PARENT_BIN" --socket "$PARENT" \
  --input "wait 800; move 50 50; click 50 50; wait 500; move 120 115; click 120 115; wait 300; move 10 10; click 10 10; wait 300" -- \
  "$PRESENTER" --output wayland --size 320x240 --socket "$SOCKET-popup" --direct off -- \
  timeout 4 "$CLIENT" >"$WORK/client.log" 2>&1 || code=$?
[ "$code" -eq 124 ] || { cat "$WORK/client.log"; fail "the client: status $code, not its timeout"; }
expect() {
  grep -qx "$1" "$WORK/client.log" || { cat "$WORK/client.log" >&2; fail "$2"; }
}
expect "keyboard enter toplevel" "the window never got the keyboard"
expect "popup configured 100 100 40 30" "the popup was not configured at 100,100 40x30"
expect "keyboard enter popup" "the grab did not take the keyboard to the popup"
expect "pointer enter popup 20 15" "the pointer did not enter the popup at its 20,15"
expect "popup done" "a click outside the popup did not dismiss it"
# In order: the popup's grab, the pointer on it, a click on it, then its dismissal and the
# keyboard back on the window.
order=$(grep -n "" "$WORK/client.log" | tr '\n' ' ')
line() { grep -nx "$1" "$WORK/client.log" | tail -1 | cut -d: -f1; }
[ "$(line 'keyboard enter popup')" -lt "$(line 'pointer enter popup 20 15')" ] || fail "order: $order"
[ "$(line 'pointer enter popup 20 15')" -lt "$(line 'popup done')" ] || fail "order: $order"
[ "$(line 'popup done')" -lt "$(line 'keyboard enter toplevel')" ] ||
  fail "the keyboard did not come back to the window after the popup went: $order"
clicks=$(grep -c "^button$" "$WORK/client.log")
[ "$clicks" -ge 3 ] || fail "$clicks buttons arrived, not 3: $order"
if grep -q "protocol error\|error in client communication" "$WORK/client.log"; then
  fail "a protocol error: $(grep -m1 error "$WORK/client.log")"
fi
echo "ok: grab, pointer on the popup, dismissed by a click outside"

#!/usr/bin/env bash
# The presenter's own keys, nested: the parent's seat sends its capabilities at once on bind
# (as weston and sway do), and Ctrl+Alt+Q, typed into the parent, must quit the presenter;
# Ctrl+Alt+S writes a snapshot. A plain q goes to the clients and does not quit it (the
# negative control). Before the fix the keyboard was never bound and nothing quit.
. "$(dirname "$0")/lib.sh"
PARENT_BIN=$HANDOFF_BUILD/tests/handoff-test-parent
PARENT=parent-$$
CTRL=29 ALT=56 Q=16 S=31

# run NAME SCRIPT: the presenter under the test parent, which plays SCRIPT; prints the status.
run() {
  local code=0
  (cd "$WORK" && timeout "${TIMEOUT:-20}" "$PARENT_BIN" --socket "$PARENT" --input "wait 300; $2" -- \
    "$PRESENTER" --output wayland --socket "$SOCKET-$1" --size 320x240 -v -- \
    "$PRODUCER" --size 320x240 --pattern solid --frames 10 --hold) >"$WORK/$1.log" 2>&1 || code=$?
  echo "$code"
}

code=$(run quit "down $CTRL; down $ALT; key $Q; up $ALT; up $CTRL")
grep -v " fps, " "$WORK/quit.log" || true
[ "$code" -ne 124 ] || fail "Ctrl+Alt+Q did not quit the presenter"
expect_eq "Ctrl+Alt+Q: the presenter's status" "$code" 0

code=$(run snapshot "down $CTRL; down $ALT; key $S; up $ALT; up $CTRL; wait 300; down $CTRL; down $ALT; key $Q")
expect_eq "Ctrl+Alt+S then Q: status" "$code" 0
grep -q "wrote handoff-snapshot.png" "$WORK/snapshot.log" || fail "Ctrl+Alt+S wrote no snapshot"
"$PROBE" "$WORK/handoff-snapshot.png" --fill "$(solid_hex 10)" || fail "the snapshot is not frame 10"

code=$(TIMEOUT=3 run plain "key $Q; key 1")
[ "$code" -eq 124 ] || { cat "$WORK/plain.log"; fail "a plain q or Escape quit the presenter (status $code)"; }
echo "ok"

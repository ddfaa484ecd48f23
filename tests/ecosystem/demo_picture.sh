#!/usr/bin/env bash
# scripts/demo.sh prints its stats table with the latency in milliseconds and writes one picture
# of two labelled panels: Handoff's last frame, and the first torn frame that the presenter's
# checker caught in the run without sync (--torn-snapshot), or its last frame when none tore.
. "$(dirname "$0")/../e2e/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
command -v weston >/dev/null || skip "weston is not installed"
export FRAMES=60 SIZE=320x240

# check_demo LOG PNG: the table, the latency line and a two-panel picture.
check_demo() {
  for row in "frames submitted" "frames presented" "frames checked" torn stale; do
    grep -qE "^  $row +[0-9]+ +[0-9]+$" "$1" || fail "no \"$row\" row in the demo's table"
  done
  grep -qE "latency, acquire signaled to presented by the parent: p50 [0-9.]+ ms, p99 [0-9.]+ ms$" \
    "$1" || fail "the latency line is not in milliseconds"
  [ -f "$2" ] || fail "no picture"
  # Two 640-pixel panels and margins: the composed picture, not a copy of one frame.
  local width
  width=$(od -An -tu1 -j16 -N4 "$2" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
  expect_eq "picture width" "$width" 1352
}

HANDOFF_BUILD=$HANDOFF_BUILD DEMO_OUT=$WORK/demo bash "$SRC/scripts/demo.sh" \
  >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; fail "the demo failed"; }
cat "$WORK/demo.log"
check_demo "$WORK/demo.log" "$WORK/demo/handoff-demo.png"
# The right panel is the torn frame the presenter saved whenever its checker caught one.
torn=$(json_num "$WORK/demo/unsynced-presenter.json" torn)
if [ "$torn" -gt 0 ]; then
  [ -f "$WORK/demo/unsynced-torn.png" ] || fail "$torn torn frames, but no --torn-snapshot file"
  grep -q "right: no sync, the first torn frame the presenter's checker caught" "$WORK/demo.log" ||
    fail "the picture does not show the torn snapshot"
  # A torn frame is not one colour down its stamp column: the probe must say so.
  if "$PROBE" "$WORK/demo/unsynced-torn.png" --fill 000000 >/dev/null 2>&1; then
    fail "the torn snapshot is one flat colour"
  fi
else
  grep -q "no torn frame was caught this time" "$WORK/demo.log" ||
    fail "no torn frame, but the picture is not labelled as the last frame"
fi
echo ok

#!/usr/bin/env bash
# scripts/demo.sh prints its stats table with the latency in milliseconds and writes one picture
# of two labelled panels. With today's presenter (no --torn-snapshot) the no-sync panel is its
# last frame, labelled so; with a presenter whose --help offers --torn-snapshot (a stand-in
# here), the demo passes it and shows the frame it saved.
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

HANDOFF_BUILD=$HANDOFF_BUILD DEMO_OUT=$WORK/fallback bash "$SRC/scripts/demo.sh" \
  >"$WORK/fallback.log" 2>&1 || { cat "$WORK/fallback.log"; fail "the demo failed"; }
cat "$WORK/fallback.log"
check_demo "$WORK/fallback.log" "$WORK/fallback/handoff-demo.png"
grep -q "right: no sync, its last frame, not a torn one" "$WORK/fallback.log" ||
  fail "the fallback picture is not labelled as the last frame"

# A stand-in presenter that offers --torn-snapshot and saves its last frame there.
mkdir -p "$WORK/fake/presenter"
ln -s "$HANDOFF_BUILD/producer" "$WORK/fake/producer"
cat >"$WORK/fake/presenter/handoff-presenter" <<FAKE
#!/usr/bin/env bash
if [ "\$1" = --help ]; then
  "$HANDOFF_BUILD/presenter/handoff-presenter" --help
  echo "  --torn-snapshot FILE.png  (a test's stand-in)"
  exit 0
fi
args=() torn="" snapshot=""
while [ \$# -gt 0 ] && [ "\$1" != -- ]; do
  case \$1 in
  --torn-snapshot) torn=\$2; echo "torn-snapshot \$2" >>"$WORK/fake.log"; shift 2; continue ;;
  --snapshot) snapshot=\$2 ;;
  esac
  args+=("\$1")
  shift
done
[ -n "\$torn" ] || exec "$HANDOFF_BUILD/presenter/handoff-presenter" "\${args[@]}" "\$@"
"$HANDOFF_BUILD/presenter/handoff-presenter" "\${args[@]}" "\$@"
status=\$?
cp "\$snapshot" "\$torn"
exit \$status
FAKE
chmod +x "$WORK/fake/presenter/handoff-presenter"
HANDOFF_BUILD=$WORK/fake DEMO_OUT=$WORK/torn bash "$SRC/scripts/demo.sh" >"$WORK/torn.log" 2>&1 ||
  { cat "$WORK/torn.log"; fail "the demo failed with --torn-snapshot"; }
check_demo "$WORK/torn.log" "$WORK/torn/handoff-demo.png"
expect_eq "--torn-snapshot passed" "$(cat "$WORK/fake.log")" "torn-snapshot $WORK/torn/unsynced-torn.png"
grep -q "right: no sync, the first torn frame the presenter's checker caught" "$WORK/torn.log" ||
  fail "the picture does not show the torn snapshot"
echo ok

#!/usr/bin/env bash
# Every format the presenter advertises shows the exact colour; one it does not is refused
# with a clear message.
. "$(dirname "$0")/lib.sh"
for fmt in XRGB8888 ARGB8888 XBGR8888 ABGR8888 XBGR2101010 ABGR2101010; do
  for sync in explicit implicit; do
    # No --output and no WAYLAND_DISPLAY: auto runs headless.
    "$PRESENTER" --socket "$SOCKET" --refresh 0 --size 96x64 \
      --snapshot "$WORK/$fmt.png" -- \
      "$PRODUCER" --frames 7 --fps 0 --size 96x64 --pattern solid --format "$fmt" \
      --sync "$sync" >"$WORK/run.log" || fail "$fmt $sync: the run failed"
    grep -q "output=headless" "$WORK/run.log" || fail "auto did not choose headless"
    "$PROBE" "$WORK/$fmt.png" --fill "$(solid_hex 7)" || fail "$fmt $sync: wrong colour"
  done
done
set +e
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 -- \
  "$PRODUCER" --frames 1 --format ABGR16161616F 2>"$WORK/err.txt"
code=$?
set -e
cat "$WORK/err.txt"
expect_eq "unsupported format exit" "$code" 1
grep -q "does not take the format ABGR16161616F" "$WORK/err.txt" || fail "unclear message"
echo ok

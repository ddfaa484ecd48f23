#!/usr/bin/env bash
# foot (a terminal, which needs wl_subcompositor, wl_seat and wl_data_device_manager): shown
# headless, and nested, commands typed into the parent run in its shell and a click on its
# title bar (a subsurface) reaches it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
need foot foot
headless foot-headless 3 foot --working-directory="$WORK" sh
"$PROBE" "$WORK/foot-headless.png" --varied 3 || fail "foot's window is not in the headless snapshot"
nested foot-nested 4 "wait 1500; type touch_typed
; wait 300; type echo_handoff
" foot --working-directory="$WORK" sh
[ -e "$WORK/typed" ] || fail "the command typed into the parent did not run in foot"
"$PROBE" "$WORK/foot-nested.png" --varied 3 || fail "foot's window is not in the nested snapshot"
# Its title bar is a subsurface above the window: a click on its close button (top right)
# reaches it, and foot exits (before the pointer reached subsurfaces, it ran on to its timeout).
code=0
(cd "$WORK" && timeout 60 "$PARENT_BIN" --socket "$PARENT" --input "wait 1500; move 628 10; click 628 10" -- \
  "$PRESENTER" --output wayland --size 640x480 --socket "$SOCKET-close" -- timeout 10 foot sh) \
  >"$WORK/foot-close.log" 2>&1 || code=$?
[ "$code" -ne 124 ] || fail "a click on foot's close button (in its title bar subsurface) did not reach it"
echo "ok: foot drew its window, ran what was typed, and closed on a click on its title bar"

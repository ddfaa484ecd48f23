#!/usr/bin/env bash
# foot (a terminal, which needs wl_subcompositor, wl_seat and wl_data_device_manager): shown
# headless, and nested, commands typed into the parent run in its shell.
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
echo "ok: foot drew its window and ran what was typed"

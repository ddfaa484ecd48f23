#!/usr/bin/env bash
# A GTK4 window (gtk4-widget-factory, package gtk-4-examples, drawn with GTK's cairo renderer
# on wl_shm): shown headless and nested, with no protocol error; nested, it takes a click.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
need gtk4-widget-factory gtk-4-examples
export GSK_RENDERER=cairo GDK_DEBUG=${GDK_DEBUG:-} NO_AT_BRIDGE=1 GTK_A11Y=none
headless gtk4-headless 5 gtk4-widget-factory
"$PROBE" "$WORK/gtk4-headless.png" --varied 50 || fail "the GTK4 window is not in the snapshot"
nested gtk4-nested 5 "wait 2500; move 300 200; click 300 200" gtk4-widget-factory
"$PROBE" "$WORK/gtk4-nested.png" --varied 50 || fail "the GTK4 window is not in the nested snapshot"
echo "ok"

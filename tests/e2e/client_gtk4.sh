#!/usr/bin/env bash
# A GTK4 window (gtk4-widget-factory, package gtk-4-examples, drawn with GTK's cairo renderer
# on wl_shm): shown headless and nested, with no protocol error; nested, it takes a click, and a
# click on its menu button (the header bar's right end: 601,77 of the 640x480 output, where the
# layout puts GTK's default 1419x786 window) opens its menu as an xdg_popup with a grab, placed
# by its positioner and not dismissed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
need gtk4-widget-factory gtk-4-examples
export GSK_RENDERER=cairo GDK_DEBUG=${GDK_DEBUG:-} NO_AT_BRIDGE=1 GTK_A11Y=none
headless gtk4-headless 5 gtk4-widget-factory
"$PROBE" "$WORK/gtk4-headless.png" --varied 50 || fail "the GTK4 window is not in the snapshot"
nested gtk4-nested 5 "wait 2500; move 300 200; click 300 200" gtk4-widget-factory
"$PROBE" "$WORK/gtk4-nested.png" --varied 50 || fail "the GTK4 window is not in the nested snapshot"
nested gtk4-menu 5 "wait 2500; move 601 77; click 601 77; wait 1500" \
  env WAYLAND_DEBUG=1 gtk4-widget-factory
grep -q "xdg_surface@[0-9]*\.get_popup(" "$WORK/gtk4-menu.log" ||
  fail "the click on the menu button opened no popup (is the button elsewhere in this GTK?)"
grep -q "xdg_popup@[0-9]*\.grab(" "$WORK/gtk4-menu.log" || fail "GTK's menu took no grab"
grep -qE "xdg_popup@[0-9]+\.configure\([0-9-]+, [0-9-]+, [1-9][0-9]*, [1-9][0-9]*\)" \
  "$WORK/gtk4-menu.log" || fail "GTK's menu was not configured"
if grep -q "xdg_popup@[0-9]*\.popup_done" "$WORK/gtk4-menu.log"; then
  fail "GTK's menu was dismissed"
fi
echo "GTK4 menu: $(grep -m1 -oE "xdg_popup@[0-9]+\.configure\([^)]*\)" "$WORK/gtk4-menu.log")"
echo "ok"

#!/usr/bin/env bash
# The real clients again, inside the presenter nested in a headless weston: foot, GTK4, mpv
# and SDL2 (whichever are installed; skips when none is, or without weston), each checked by
# the presenter's snapshot and the absence of protocol errors, and weston's own screenshot
# shows the presenter's window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
. "$(dirname "$0")/clients_lib.sh"
start_weston 800 600
ran=()
if command -v foot >/dev/null; then
  in_weston foot 3 foot --working-directory="$WORK" sh
  "$PROBE" "$WORK/foot.png" --varied 3 || fail "foot's window is not in the snapshot"
  ran+=(foot)
fi
if command -v gtk4-widget-factory >/dev/null; then
  GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none in_weston gtk4 5 gtk4-widget-factory
  "$PROBE" "$WORK/gtk4.png" --varied 50 || fail "the GTK4 window is not in the snapshot"
  ran+=(gtk4)
fi
if command -v mpv >/dev/null; then
  in_weston mpv 30 mpv --no-config --vo=wlshm --ao=null --no-audio --length=2 \
    av://lavfi:testsrc=size=320x240:rate=30
  "$PROBE" "$WORK/mpv.png" --varied 20 || fail "mpv's picture is not in the snapshot"
  ran+=(mpv)
fi
SPRITE=/usr/libexec/installed-tests/SDL2/testsprite2
if [ -x "$SPRITE" ]; then
  (cd /usr/libexec/installed-tests/SDL2 && SDL_VIDEODRIVER=wayland SDL_RENDER_DRIVER=software \
    in_weston sdl2 3 "$SPRITE")
  "$PROBE" "$WORK/sdl2.png" --varied 3 || fail "the SDL2 window is not in the snapshot"
  ran+=(sdl2)
fi
[ ${#ran[@]} -gt 0 ] || skip "none of foot, gtk-4-examples, mpv, libsdl2-tests is installed"
# The presenter's window in weston, with a client in it, in weston's own screenshot.
(cd "$WORK" && WAYLAND_DISPLAY=$PARENT timeout 30 "$PRESENTER" --output wayland --size 640x480 \
  --socket "$SOCKET-shot" -- "$PRODUCER" --size 640x480 --pattern solid --frames 30 --hold) \
  >"$WORK/shot.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/shot.log" "showing frame 30" 20
sleep 0.5
shot=$(screenshot)
"$PROBE" "$shot" --window "$(solid_hex 30)" 600x400 || fail "weston's screenshot lacks the presenter's window"
echo "ok: ${ran[*]} in the presenter nested in weston"

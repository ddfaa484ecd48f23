#!/usr/bin/env bash
# An SDL2 2.26 program (testsprite2 from libsdl2-tests) on SDL's Wayland driver: it crashed
# without wl_seat and needs wl_output. Shown headless and nested, with no protocol error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
SPRITE=/usr/libexec/installed-tests/SDL2/testsprite2
[ -x "$SPRITE" ] || skip "testsprite2 is not installed (package libsdl2-tests)"
export SDL_VIDEODRIVER=wayland SDL_RENDER_DRIVER=software
cd /usr/libexec/installed-tests/SDL2 # its icon.bmp
headless sdl2-headless 3 "$SPRITE" --info all
"$PROBE" "$WORK/sdl2-headless.png" --varied 3 || fail "the SDL2 window is not in the snapshot"
nested sdl2-nested 3 "wait 800; move 100 100; key 57" "$SPRITE"
"$PROBE" "$WORK/sdl2-nested.png" --varied 3 || fail "the SDL2 window is not in the nested snapshot"
echo "ok"

#!/usr/bin/env bash
# mpv --vo=wlshm (it needs wl_output) playing a generated test video (lavfi's testsrc) to
# its end: exit 0, the picture's many colours in the snapshot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
need mpv mpv
MPV=(mpv --no-config --vo=wlshm --ao=null --no-audio --length=2 --keep-open=no
  av://lavfi:testsrc=size=320x240:rate=30)
headless mpv-headless 30 "${MPV[@]}"
grep -q "No outputs found\|doesn't support" "$WORK/mpv-headless.log" && fail "mpv: $(grep -m1 "No outputs" "$WORK/mpv-headless.log")"
"$PROBE" "$WORK/mpv-headless.png" --varied 20 || fail "mpv's picture is not in the snapshot"
nested mpv-nested 30 "wait 100" "${MPV[@]}"
"$PROBE" "$WORK/mpv-nested.png" --varied 20 || fail "mpv's picture is not in the nested snapshot"
echo "ok"

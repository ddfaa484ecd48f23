#!/usr/bin/env bash
# Builds Handoff and shows it. A producer hands a moving picture to the presenter with explicit
# sync; then the same run without sync (the D3D9 shared-surface bug) for comparison; every
# composed frame is checked for torn and stale content.
#
# With a Wayland session ($WAYLAND_DISPLAY reachable) the presenter's window opens there.
# Without one, a headless weston is started as the parent. Prints the stats and writes one
# picture, build/demo/handoff-demo.png: the frame Handoff presented beside a torn frame of the
# run without sync (caught by the presenter's --torn-snapshot; its last frame, labelled as such,
# when no frame tore), each with its counts.
#
# HANDOFF_BUILD names an existing build to use instead of building (the tests do); DEMO_OUT the
# directory to write to; FRAMES, FPS and SIZE change the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${HANDOFF_BUILD:-}" ]; then
  B=$HANDOFF_BUILD
else
  echo "Building..."
  scripts/build.sh >/dev/null
  B=$PWD/build
fi
OUT=${DEMO_OUT:-$B/demo}
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.json
FRAMES=${FRAMES:-300}
FPS=${FPS:-120}
SIZE=${SIZE:-1280x720}

PIDS=()
own_runtime_dir=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "$own_runtime_dir" ] || rm -rf "$own_runtime_dir"
}
trap cleanup EXIT

json() { sed -n "s/.*\"$2\": \([0-9.-]*\).*/\1/p" "$1" | head -n 1; }
latency() {
  sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.-]*\), \"p90_us\": [0-9.-]*, \"p99_us\": \([0-9.-]*\).*/\1 \2/p" "$1" |
    awk '{ printf "p50 %.1f ms, p99 %.1f ms", $1 / 1000, $2 / 1000 }'
}

session=""
fullscreen=""
if [ -n "${WAYLAND_DISPLAY:-}" ] && "$B/presenter/handoff-presenter" --help >/dev/null &&
  [ -S "${XDG_RUNTIME_DIR:-/nonexistent}/$WAYLAND_DISPLAY" -o -S "$WAYLAND_DISPLAY" ]; then
  session=$WAYLAND_DISPLAY
  where="a window in your session ($session)"
else
  XDG_RUNTIME_DIR=$(mktemp -d /tmp/handoff-demo-XXXXXX)
  chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
  own_runtime_dir=$XDG_RUNTIME_DIR

  session=handoff-demo-weston
  weston --backend=headless-backend.so --use-pixman --debug --idle-time=0 \
    --socket="$session" --width="${SIZE%x*}" --height="${SIZE#*x}" >"$OUT/weston.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [ -S "$XDG_RUNTIME_DIR/$session" ] && break; sleep 0.05; done
  [ -S "$XDG_RUNTIME_DIR/$session" ] || { cat "$OUT/weston.log"; echo "weston did not start" >&2; exit 1; }
  where="a fullscreen window in a headless weston"
  fullscreen=--fullscreen
fi
export WAYLAND_DISPLAY=$session

# The presenter saves the first torn frame its checker finds.
torn_args=(--torn-snapshot "$OUT/unsynced-torn.png")

# run NAME SYNC [HOLD [PRESENTER ARGS...]]: the moving pattern, random render delays, every
# frame checked.
run() {
  "$B/presenter/handoff-presenter" --output wayland --size "$SIZE" $fullscreen \
    --check stamp --snapshot "$OUT/$1-presenter.png" --stats "$OUT/$1-presenter.json" \
    "${@:4}" -- \
    "$B/producer/handoff-producer" --frames "$FRAMES" --fps "$FPS" --size "$SIZE" \
    --pattern moving --sync "$2" --debug-render-delay-us 4000 ${3:+--hold} \
    --stats "$OUT/$1-producer.json" >"$OUT/$1.log" 2>&1 &
  local presenter=$!
  if [ -n "${3:-}" ]; then
    for _ in $(seq 600); do grep -q "showing frame" "$OUT/$1.log" && break; sleep 0.05; done
    if [ -n "$own_runtime_dir" ]; then
      (cd "$OUT" && weston-screenshooter && mv wayland-screenshot-*.png "$1-weston.png")
    fi
    kill -TERM "$presenter"
  fi
  wait "$presenter"
}

echo "Handing $FRAMES frames of $SIZE at $FPS fps from handoff-producer to handoff-presenter,"
echo "shown as $where..."
run synced explicit hold
echo "...and the same without synchronization (--sync none)..."
run unsynced none "" "${torn_args[@]}"

p=$OUT/synced-producer.json
s=$OUT/synced-presenter.json
u=$OUT/unsynced-presenter.json
cat <<REPORT

                    explicit sync        no sync (D3D9 style)
  frames submitted  $(printf '%-20s %s' "$(json "$p" frames_submitted)" "$(json "$OUT/unsynced-producer.json" frames_submitted)")
  frames presented  $(printf '%-20s %s' "$(json "$p" frames_presented)" "$(json "$OUT/unsynced-producer.json" frames_presented)")
  frames checked    $(printf '%-20s %s' "$(json "$s" checked)" "$(json "$u" checked)")
  torn              $(printf '%-20s %s' "$(json "$s" torn)" "$(json "$u" torn)")
  stale             $(printf '%-20s %s' "$(json "$s" stale)" "$(json "$u" stale)")

  (mailbox: a frame replaced by a newer one before the next refresh is discarded, not shown)

  latency, acquire signaled to presented by the parent: $(latency "$p" latency_acquire_to_presented)
  producer CPU per frame: $(json "$p" cpu_us_per_frame) us; presenter CPU per output frame: $(json "$s" cpu_us_per_output_frame) us
REPORT

# The picture: what Handoff presented (weston's own screenshot when the demo started weston),
# beside a frame of the run without sync.
synced_png=$OUT/synced-weston.png
synced_note="its last frame, as weston showed it"
if [ ! -f "$synced_png" ]; then
  synced_png=$OUT/synced-presenter.png
  synced_note="its last frame, as the presenter composed it"
fi
mark=()
if [ -f "$OUT/unsynced-torn.png" ]; then
  unsynced_png=$OUT/unsynced-torn.png
  unsynced_note="the first torn frame the presenter's checker caught"
  mark=(--mark-tears 2)
else
  unsynced_png=$OUT/unsynced-presenter.png
  unsynced_note="its last frame (no torn frame was caught this time)"
fi
python=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c "import PIL" 2>/dev/null; then python=$candidate && break; fi
done
if [ -n "$python" ]; then
  "$python" scripts/demo_picture.py "$OUT/handoff-demo.png" \
    "One producer process, one presenter process: $FRAMES frames of $SIZE at $FPS fps" \
    --panel "$synced_png" "Handoff (explicit sync)" \
    "Handoff: $(json "$s" torn) torn, $(json "$s" stale) stale of $(json "$s" checked)" \
    "$synced_note" "#5fd068" \
    --panel "$unsynced_png" "No synchronization (--sync none)" \
    "no sync: $(json "$u" torn) torn, $(json "$u" stale) stale of $(json "$u" checked)" \
    "$unsynced_note" "#ff6b5e" "${mark[@]}"
else
  echo "(python3-pil is missing, so the picture is Handoff's frame alone; scripts/deps.sh installs it)"
  cp "$synced_png" "$OUT/handoff-demo.png"
fi
cat <<REPORT

Picture: $OUT/handoff-demo.png
  (left: Handoff, $synced_note; right: no sync, $unsynced_note)
Stats: $OUT/synced-presenter.json, $OUT/synced-producer.json
REPORT

#!/usr/bin/env bash
# Builds Handoff and shows it: a producer hands a moving picture to the presenter with explicit
# sync, then the same run without sync (the D3D9 shared-surface bug) for comparison.
# Writes build/demo/handoff-demo.png and prints the stats.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
B=$PWD/build
OUT=$B/demo
mkdir -p "$OUT"
FRAMES=${FRAMES:-300}
SIZE=${SIZE:-1280x720}
FPS=${FPS:-120}

if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR:-/nonexistent}" ]; then
  XDG_RUNTIME_DIR=$(mktemp -d /tmp/handoff-demo-XXXXXX)
  chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
fi

json() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
latency() { sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/p50 \1 us, p99 \2 us/p" "$1"; }

# run NAME SYNC: the moving pattern with random render delays, every frame checked.
run() {
  "$B/presenter/handoff-presenter" --output headless --refresh 60 --size "$SIZE" \
    --check stamp --snapshot "$OUT/$1.png" --stats "$OUT/$1-presenter.json" -- \
    "$B/producer/handoff-producer" --frames "$FRAMES" --fps "$FPS" --size "$SIZE" \
    --pattern moving --sync "$2" --debug-render-delay-us 4000 \
    --stats "$OUT/$1-producer.json" >/dev/null
}

echo "Handing $FRAMES frames of $SIZE at $FPS fps from handoff-producer to handoff-presenter (headless, 60 Hz)..."
run synced explicit
cp "$OUT/synced.png" "$OUT/handoff-demo.png"
echo "...and the same without synchronization (--sync none)..."
run unsynced none

p=$OUT/synced-producer.json
s=$OUT/synced-presenter.json
u=$OUT/unsynced-presenter.json
cat <<REPORT

                    explicit sync        no sync (D3D9 style)
  frames presented  $(printf '%-20s %s' "$(json "$p" frames_presented)" "$(json "$OUT/unsynced-producer.json" frames_presented)")
  frames checked    $(printf '%-20s %s' "$(json "$s" checked)" "$(json "$u" checked)")
  torn              $(printf '%-20s %s' "$(json "$s" torn)" "$(json "$u" torn)")
  stale             $(printf '%-20s %s' "$(json "$s" stale)" "$(json "$u" stale)")

  latency, acquire signaled to presented: $(latency "$p" latency_acquire_to_presented)
  producer CPU per frame: $(json "$p" cpu_us_per_frame) us; presenter CPU per output frame: $(json "$s" cpu_us_per_output_frame) us

Snapshot of the last frame: $OUT/handoff-demo.png
Stats: $OUT/synced-presenter.json, $OUT/synced-producer.json
REPORT

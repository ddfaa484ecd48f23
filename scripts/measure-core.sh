#!/usr/bin/env bash
# Measures the frame path at one size, headless with --refresh 0: presented fps, latency from
# acquire signaled to presented (p50/p99, both sides' view), and CPU per frame on each side,
# for mailbox and fifo. Usage: scripts/measure-core.sh [--build DIR] [--size WxH] [--frames N]
#   [--buffers N] [--runs N] [--renderer pixman|vulkan]
set -euo pipefail
BUILD=build SIZE=1920x1080 FRAMES=2000 BUFFERS=2 RUNS=2 RENDERER=pixman
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --buffers) BUFFERS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --renderer) RENDERER=$2; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "measure-core.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/handoff-measure-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 700 "$WORK"
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
ms() { awk "BEGIN { print $1 / 1000 }"; }
num() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
pct() { sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/\1 \2/p" "$1"; }
printf '| mode | run | presented fps | latency p50 / p99 (presenter) | producer CPU/frame | presenter CPU/output frame |\n'
printf '|---|---|---|---|---|---|\n'
for mode in mailbox fifo; do
  for run in $(seq "$RUNS"); do
    echo "measure-core: $mode run $run, $FRAMES frames at $SIZE" >&2
    "$BUILD/presenter/handoff-presenter" --socket "measure-$$" --output headless --refresh 0 \
      $( [ "$RENDERER" = pixman ] || echo --renderer "$RENDERER" ) \
      --size "$SIZE" --stats "$WORK/p.json" -- \
      "$BUILD/producer/handoff-producer" --frames "$FRAMES" --fps 0 --size "$SIZE" \
      --pattern solid --present-mode "$mode" --buffers "$BUFFERS" --stats "$WORK/c.json" \
      >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
    read -r p50 p99 < <(pct "$WORK/p.json" latency_ready_to_presented)
    printf '| %s | %s | %s | %.2f / %.2f ms | %.2f ms | %.2f ms |\n' "$mode" "$run" \
      "$(num "$WORK/c.json" presented_fps)" "$(ms "$p50")" "$(ms "$p99")" \
      "$(ms "$(num "$WORK/c.json" cpu_us_per_frame)")" \
      "$(ms "$(num "$WORK/p.json" cpu_us_per_output_frame)")"
  done
done

#!/usr/bin/env bash
# The GPU handoff measured on a machine with a Vulkan GPU (run there; on this project's NVIDIA
# H100 through the device tool, see docs/gpu.md): handoff-producer --renderer vulkan into
# handoff-presenter --renderer vulkan, headless, --refresh 0, with vk_opaque_fd memory and
# timelines wherever the device offers them; 1080p and 4K, mailbox and fifo, the checker reading
# back one frame in EVERY. Prints one Markdown table and writes every figure as JSON lines.
#
# Each size and mode runs twice: saturated (the producer free-running, --fps 0: throughput,
# with frames queueing behind the GPU) and paced (--fps PACED, 240 by default: the GPU mostly
# idle, so latency minus the composition's GPU time is what synchronization and scheduling
# add: the sync overhead).
#
# Usage: scripts/gpu_bench.sh [--build DIR] [--frames N] [--every N] [--paced FPS] [--json FILE]
set -euo pipefail
BUILD=build FRAMES=3000 EVERY=30 PACED=240 JSON=/dev/null
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --every) EVERY=$2; shift 2 ;;
    --paced) PACED=$2; shift 2 ;;
    --json) JSON=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/handoff-gpu-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 700 "$WORK"
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
num() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
pct() {
  sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/\1 \2/p" "$1"
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

: >"$JSON"
echo "Signal to callback through the presenter's sync path:"
"$BUILD/tests/handoff-bench-sync-wake" || echo "(handoff-bench-sync-wake failed: $?)"
echo
printf '| size | mode | producer fps | memory / timelines | fps | latency p50 / p99 | composition (GPU) | plain copy | composition vs copy | latency p50 - GPU | checked / torn / stale |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for size in 1920x1080 3840x2160; do
  copy=$("$BUILD/tests/handoff-bench-vk-copy" "$size" 2>"$WORK/copy.err") ||
    { cat "$WORK/copy.err" >&2; exit 1; }
  copy_us=$(echo "$copy" | sed -n 's/.*"copy_us": \([0-9.]*\).*/\1/p')
  for run in "mailbox 0" "fifo 0" "mailbox $PACED" "fifo $PACED"; do
    read -r mode rate <<<"$run"
    frames=$FRAMES
    [ "$rate" = 0 ] || frames=$((rate * 3)) # three seconds
    echo "gpu_bench: $size $mode at --fps $rate, $frames frames" >&2
    "$BUILD/presenter/handoff-presenter" -v --socket "gpu-$$" --renderer vulkan --output headless \
      --refresh 0 --size "$size" --check solid --check-every "$EVERY" --stats "$WORK/p.json" -- \
      "$BUILD/producer/handoff-producer" -v --renderer vulkan --frames "$frames" --fps "$rate" \
      --size "$size" --pattern solid --present-mode "$mode" --buffers 3 \
      --stats "$WORK/c.json" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
    kinds=$(sed -n 's/.*: memory \([a-z_]*\).*timelines \([a-z_]*\).*/\1 \/ \2/p' "$WORK/out" | head -n 1)
    read -r p50 p99 < <(pct "$WORK/p.json" latency_ready_to_presented)
    gpu_us=$(num "$WORK/p.json" gpu_us_per_output_frame)
    submit_us=$(num "$WORK/p.json" submit_us_per_output_frame)
    wait_us=$(num "$WORK/p.json" wait_us_per_output_frame)
    read -r to_repaint _ < <(pct "$WORK/p.json" ready_to_repaint)
    read -r repaint _ < <(pct "$WORK/p.json" repaint_to_submit)
    fps=$(num "$WORK/c.json" presented_fps)
    ratio=$(calc "$copy_us / $gpu_us")
    sync=$(calc "$p50 - $gpu_us")
    checked=$(num "$WORK/p.json" checked) torn=$(num "$WORK/p.json" torn)
    stale=$(num "$WORK/p.json" stale)
    printf '| %s | %s | %s | %s | %s | %s / %s us | %s us | %s us | %s | %s us | %s / %s / %s |\n' \
      "$size" "$mode" "$rate" "${kinds:-?}" "$fps" "$p50" "$p99" "$gpu_us" "$copy_us" "$ratio" "$sync" \
      "$checked" "$torn" "$stale"
    printf '{"size": "%s", "mode": "%s", "producer_fps": %s, "kinds": "%s", "fps": %s, "latency_p50_us": %s, "latency_p99_us": %s, "gpu_us": %s, "copy_us": %s, "composition_vs_copy": %s, "latency_minus_gpu_p50_us": %s, "ready_to_repaint_p50_us": %s, "repaint_p50_us": %s, "submit_us": %s, "wait_us": %s, "checked": %s, "torn": %s, "stale": %s}\n' \
      "$size" "$mode" "$rate" "${kinds:-?}" "$fps" "$p50" "$p99" "$gpu_us" "$copy_us" "$ratio" \
      "$sync" "$to_repaint" "$repaint" "$submit_us" "$wait_us" "$checked" "$torn" "$stale" \
      >>"$JSON"
    echo "  parts: ready to repaint p50 $to_repaint us, repaint p50 $repaint us (submit $submit_us us, wait for the GPU $wait_us us, GPU $gpu_us us)" >&2
    grep -i "renderer on\|vulkan:" "$WORK/out" | head -n 2 >&2 || true
  done
done

#!/usr/bin/env bash
# Frames from CUDA measured on an NVIDIA GPU (run there; on this project's H200 through the
# device tool, see docs/gpu.md): into handoff-presenter --renderer vulkan, headless,
# --refresh 0, the checker reading one frame in EVERY, from four producers in the same run:
#   vulkan       handoff-producer --renderer vulkan (the GPU baseline)
#   cuda-array   --renderer cuda: CUDA kernels into the presenter's images (CUDA arrays)
#   cuda-linear  --renderer cuda --cuda-layout linear (device pointers)
#   cuda-host    --renderer cuda-host: the same kernels, each frame copied to a memfd (the CPU
#                round trip)
# at 1080p and 4K. Each runs saturated (--fps 0: frames per second, CPU per frame of each
# process) and paced (--fps PACED, 240 by default: latency with the GPU mostly idle). Latency:
# the presenter's, from the frame's acquire point seen signaled to the composition's end
# (every producer), and the producer's, from the end of the frame's last kernel on the GPU's
# clock to the composition's end (the CUDA ones). Prints one Markdown table; JSON lines too.
#
# Usage: scripts/cuda_bench.sh [--build DIR] [--frames N] [--every N] [--paced FPS]
#                              [--sizes "WxH ..."] [--json FILE]
# DIR holds presenter/handoff-presenter and producer/handoff-producer.
set -euo pipefail
BUILD=build FRAMES=3000 EVERY=30 PACED=240 JSON=/dev/null SIZES="1920x1080 3840x2160"
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --every) EVERY=$2; shift 2 ;;
    --paced) PACED=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --json) JSON=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cuda_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/handoff-cuda-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 700 "$WORK"
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
num() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
pct() {
  sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/\1 \2/p" "$1"
}

: >"$JSON"
printf '| size | producer | fps (saturated) | CPU us/frame producer / presenter | latency p50 / p99, acquire seen to composed | latency p50 / p99, kernel end to composed | checked / torn / stale |\n'
printf '|---|---|---|---|---|---|---|\n'
for size in $SIZES; do
  for producer in vulkan cuda-array cuda-linear cuda-host; do
    case $producer in
      vulkan) args=(--renderer vulkan) ;;
      cuda-array) args=(--renderer cuda --cuda-layout array) ;;
      cuda-linear) args=(--renderer cuda --cuda-layout linear) ;;
      cuda-host) args=(--renderer cuda-host) ;;
    esac
    declare -A res=()
    for rate in 0 "$PACED"; do
      frames=$FRAMES
      [ "$rate" = 0 ] || frames=$((rate * 3)) # three seconds
      echo "cuda_bench: $size $producer at --fps $rate, $frames frames" >&2
      "$BUILD/presenter/handoff-presenter" --socket "cuda-$$" --renderer vulkan --output headless \
        --refresh 0 --size "$size" --check solid --check-every "$EVERY" --stats "$WORK/p.json" -- \
        "$BUILD/producer/handoff-producer" -v "${args[@]}" --frames "$frames" --fps "$rate" \
        --size "$size" --pattern solid --buffers 3 --stats "$WORK/c.json" >"$WORK/out" 2>&1 ||
        { cat "$WORK/out" >&2; exit 1; }
      grep -m 2 "vulkan: \|cuda: " "$WORK/out" >&2 || true
      read -r p50 p99 < <(pct "$WORK/p.json" latency_ready_to_presented)
      read -r k50 k99 < <(pct "$WORK/c.json" latency_kernel_end_to_presented) || k50="" k99=""
      res[$rate]="$(num "$WORK/c.json" presented_fps) $(num "$WORK/c.json" cpu_us_per_frame) $(num "$WORK/p.json" cpu_us_per_output_frame) $p50 $p99 ${k50:--} ${k99:--} $(num "$WORK/p.json" checked) $(num "$WORK/p.json" torn) $(num "$WORK/p.json" stale)"
      echo "  $size $producer --fps $rate: ${res[$rate]}" >&2
    done
    read -r fps cpu_c cpu_p _ _ _ _ checked torn stale <<<"${res[0]}"
    read -r _ _ _ p50 p99 k50 k99 checked2 torn2 stale2 <<<"${res[$PACED]}"
    printf '| %s | %s | %s | %s / %s | %s / %s us | %s / %s us | %s / %s / %s |\n' "$size" "$producer" \
      "$fps" "$cpu_c" "$cpu_p" "$p50" "$p99" "$k50" "$k99" $((checked + checked2)) \
      $((torn + torn2)) $((stale + stale2))
    printf '{"size": "%s", "producer": "%s", "fps": %s, "producer_cpu_us": %s, "presenter_cpu_us": %s, "latency_acquire_p50_us": %s, "latency_acquire_p99_us": %s, "latency_kernel_end_p50_us": "%s", "latency_kernel_end_p99_us": "%s", "checked": %s, "torn": %s, "stale": %s}\n' \
      "$size" "$producer" "$fps" "$cpu_c" "$cpu_p" "$p50" "$p99" "$k50" "$k99" \
      $((checked + checked2)) $((torn + torn2)) $((stale + stale2)) >>"$JSON"
  done
done

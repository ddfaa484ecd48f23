#!/usr/bin/env bash
# The GPU handoff measured on a machine with a Vulkan GPU (run there; on the project's NVIDIA
# H200 through the device tool, see docs/gpu.md): handoff-producer --renderer vulkan into
# handoff-presenter --renderer vulkan, headless, --refresh 0, with vk_opaque_fd memory and
# timelines wherever the device offers them. In one run:
#
#  1. the baselines: a frame copied on the presenter's queue by vkCmdCopyImage (the raster
#     path), by a compute shader image to image and buffer to buffer (handoff-bench-vk-copy),
#     and by one cudaMemcpyAsync where CUDA is (handoff-bench-cuda-copy, built here with nvcc
#     if it is not next to the other programs); the memory bandwidth is the best of them;
#  2. the composition at 1080p, 4K and 8K, saturated (producer --fps 0) and paced (--fps
#     PACED), by compute shaders and, for before/after, by the blit fallback
#     (--debug-vk-blit), with its GPU time against each baseline and against the frame's bytes
#     (read and written) at the memory bandwidth;
#  3. the latency's parts at 1080p paced: the completion wait (hybrid, sleep, poll) and the
#     device-side wait on acquire points;
#  4. four 1080p producers into one 4K output, and the checker on every frame at 8K;
#  5. correctness: every frame checked under random delays on both sides, mailbox and fifo,
#     and the --sync none control, which must show torn or stale frames.
#
# Every composition run checks one frame in EVERY (--check solid). Prints Markdown tables and
# writes every figure as JSON lines.
#
# Usage: scripts/gpu_bench.sh [--build DIR | --bin DIR] [--every N] [--paced FPS] [--json FILE]
#                             [--sizes "WxH..."] [--no-raster]
#   --bin DIR: the programs in one folder, as scripts/gpu_carry.sh packs them
#   --sizes: default "1920x1080 3840x2160 7680x4320"; the first is the size of the latency,
#            four-window (into twice its width and height) and correctness runs, the last
#            that of the checker's
#   --no-raster: neither vkCmdCopyImage, the blit fallback nor the producer's render pass
#            is run (the raster path was seen to hang on a GPU, and a hang can lose the
#            device for the runs after it)
set -euo pipefail
BUILD=build BIN="" EVERY=30 PACED=240 JSON=/dev/null SIZES="1920x1080 3840x2160 7680x4320"
RASTER_PATH=yes
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --every) EVERY=$2; shift 2 ;;
    --paced) PACED=$2; shift 2 ;;
    --json) JSON=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --no-raster) RASTER_PATH=no; shift ;;
    -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$BIN" ]; then
  PRESENTER=$BIN/handoff-presenter PRODUCER=$BIN/handoff-producer
  VKCOPY=$BIN/handoff-bench-vk-copy SYNCWAKE=$BIN/handoff-bench-sync-wake
  CUDACOPY=$BIN/handoff-bench-cuda-copy
else
  PRESENTER=$BUILD/presenter/handoff-presenter PRODUCER=$BUILD/producer/handoff-producer
  VKCOPY=$BUILD/tests/handoff-bench-vk-copy SYNCWAKE=$BUILD/tests/handoff-bench-sync-wake
  CUDACOPY=$BUILD/bench/handoff-bench-cuda-copy
fi
HERE=$(cd "$(dirname "$0")" && pwd)
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
read -r -a size_list <<<"$SIZES"
SMALL=${size_list[0]} BIG=${size_list[${#size_list[@]}-1]}
FOUR=$((2 * ${SMALL%x*}))x$((2 * ${SMALL#*x}))
case " $SIZES " in *" $FOUR "*) ;; *) SIZES="$SIZES $FOUR" ;; esac

echo "## Baselines: one frame copied on the presenter's queue, and by CUDA"
echo
if [ ! -x "$CUDACOPY" ] && command -v nvcc >/dev/null; then
  CUDACOPY=$WORK/handoff-bench-cuda-copy
  nvcc -O2 -o "$CUDACOPY" "$HERE/../bench/cuda_copy.cu" || CUDACOPY=""
fi
declare -A COPY CUDA RASTER COMPUTE BUFFER
BW=0
echo "| size | vkCmdCopyImage | compute, image to image | compute, buffer to buffer | cudaMemcpyAsync (alone / in a row) | best GB/s |"
echo "|---|---|---|---|---|---|"
for size in $SIZES; do
  # Exit 3: a copy never finished (its figure is -1); the others are still good.
  copy_args=()
  [ "$RASTER_PATH" = no ] && copy_args=(--no-raster)
  line=$("$VKCOPY" "${copy_args[@]}" "$size" 2>"$WORK/copy.err") || cat "$WORK/copy.err" >&2
  [ -n "$line" ] || exit 1
  echo "$line" >"$WORK/copy.json"
  RASTER[$size]=$(num "$WORK/copy.json" raster_us)
  COMPUTE[$size]=$(num "$WORK/copy.json" compute_us)
  BUFFER[$size]=$(num "$WORK/copy.json" buffer_us)
  COPY[$size]=$(num "$WORK/copy.json" copy_us)
  bw=$(num "$WORK/copy.json" buffer_gb_per_s)
  cuda="-" cuda_row="-"
  if [ -n "$CUDACOPY" ] && [ -x "$CUDACOPY" ] && "$CUDACOPY" "$size" >"$WORK/cuda.json" 2>/dev/null; then
    cuda=$(num "$WORK/cuda.json" cuda_memcpy_us)
    cuda_row=$(num "$WORK/cuda.json" cuda_memcpy_in_a_row_us)
    CUDA[$size]=$cuda
    cbw=$(num "$WORK/cuda.json" cuda_gb_per_s)
    bw=$(awk "BEGIN { print ($cbw > $bw) ? $cbw : $bw }")
    sed 's/}$//' "$WORK/copy.json" | tr -d '\n' >>"$JSON"
    sed 's/^{"width": [0-9]*, "height": [0-9]*,/,/' "$WORK/cuda.json" >>"$JSON"
  else
    cat "$WORK/copy.json" >>"$JSON"
  fi
  BW=$(awk "BEGIN { print ($bw > $BW) ? $bw : $BW }")
  echo "| $size | ${RASTER[$size]} us | ${COMPUTE[$size]} us | ${BUFFER[$size]} us | $cuda / $cuda_row us | $bw |"
done
echo
echo "Memory bandwidth (read plus written), the best measured: $BW GB/s"
echo

# run LABEL SIZE MODE FPS FRAMES PRODUCERS [PRESENTER OPTIONS...] -- [PRODUCER OPTIONS...]
run() {
  local label=$1 size=$2 mode=$3 rate=$4 frames=$5 producers=$6
  shift 6
  local pre=() post=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do pre+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  post=("$@")
  local wsize=$size
  [ "$producers" -gt 1 ] && wsize=$SMALL
  echo "gpu_bench: $label $size $mode --fps $rate, $frames frames x $producers" >&2
  "$PRESENTER" -v --socket "gpu-$$" --renderer vulkan --output headless --refresh 0 \
    --size "$size" --check solid --check-every "$EVERY" "${pre[@]}" --stats "$WORK/p.json" -- \
    bash -c 'n=$1; shift; pids=(); for i in $(seq 1 "$n"); do
        "$@" --stats "'"$WORK"'/c$i.json" --seed "$i" & pids+=($!)
      done
      s=0; for p in "${pids[@]}"; do wait "$p" || s=1; done; exit $s' \
    run "$producers" "$PRODUCER" -v --renderer vulkan --frames "$frames" --fps "$rate" \
    --size "$wsize" --pattern solid --present-mode "$mode" --buffers 3 "${post[@]}" \
    >"$WORK/out" 2>&1 || { tail -n 30 "$WORK/out" >&2; echo "gpu_bench: $label failed" >&2; return 1; }
  local w=${size%x*} h=${size#*x}
  local kinds p50 p99 gpu fps cpu checked torn stale
  kinds=$(sed -n 's/.*: memory \([a-z_]*\).*timelines \([a-z_]*\).*/\1 \/ \2/p' "$WORK/out" | head -n 1)
  read -r p50 p99 < <(pct "$WORK/p.json" latency_ready_to_presented)
  gpu=$(num "$WORK/p.json" gpu_us_per_output_frame)
  cpu=$(num "$WORK/p.json" cpu_us_per_output_frame)
  fps=$(num "$WORK/c1.json" presented_fps)
  checked=$(num "$WORK/p.json" checked) torn=$(num "$WORK/p.json" torn)
  stale=$(num "$WORK/p.json" stale)
  local at_bw vs_copy vs_cuda="-" vs_bw lat
  at_bw=$(calc "2.0 * $w * $h * 4 / ($BW * 1000)")
  vs_copy=$(calc "$gpu / ${COPY[$size]}")
  [ -n "${CUDA[$size]:-}" ] && vs_cuda=$(calc "$gpu / ${CUDA[$size]}")
  vs_bw=$(calc "$gpu / $at_bw")
  lat=$(calc "$p50 - $gpu")
  printf '| %s | %s | %s | %s | %s | %s / %s us | %s us | %s | %s | %s | %s us | %s us | %s / %s / %s |\n' \
    "$label" "$size" "$mode" "$rate" "$fps" "$p50" "$p99" "$gpu" "$vs_copy" "$vs_cuda" "$vs_bw" \
    "$lat" "$cpu" "$checked" "$torn" "$stale"
  printf '{"label": "%s", "size": "%s", "mode": "%s", "producer_fps": %s, "producers": %s, "kinds": "%s", "fps": %s, "latency_p50_us": %s, "latency_p99_us": %s, "gpu_us": %s, "best_copy_us": %s, "cuda_memcpy_us": "%s", "bytes_at_bandwidth_us": %s, "vs_best_copy": %s, "vs_cuda": "%s", "vs_bandwidth": %s, "latency_minus_gpu_p50_us": %s, "cpu_us_per_frame": %s, "checked": %s, "torn": %s, "stale": %s}\n' \
    "$label" "$size" "$mode" "$rate" "$producers" "${kinds:-?}" "$fps" "$p50" "$p99" "$gpu" \
    "${COPY[$size]}" "${CUDA[$size]:-}" "$at_bw" "$vs_copy" "$vs_cuda" "$vs_bw" "$lat" "$cpu" \
    "$checked" "$torn" "$stale" >>"$JSON"
  grep -i "renderer on" "$WORK/out" | head -n 1 >&2 || true
}

header() {
  echo "| run | size | mode | producer fps | fps | latency p50 / p99 | composition (GPU) | vs best copy | vs cudaMemcpy | vs bytes at bandwidth | latency p50 - GPU | presenter CPU / frame | checked / torn / stale |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
}

echo "## The composition: compute shaders, and the blit fallback (before)"
echo
header
for size in "${size_list[@]}"; do
  case $size in 1920x1080) sat=3000 ;; 3840x2160) sat=2000 ;; 7680x4320) sat=600 ;; *) sat=300 ;; esac
  for path in compute blit; do
    [ "$path" = blit ] && [ "$RASTER_PATH" = no ] && continue
    extra=()
    [ "$path" = blit ] && extra=(--debug-vk-blit)
    run "$path" "$size" mailbox 0 "$sat" 1 "${extra[@]}"
    run "$path" "$size" mailbox "$PACED" $((PACED * 3)) 1 "${extra[@]}"
  done
done
run compute "$SMALL" fifo 0 3000 1
[ "$RASTER_PATH" = yes ] && run "compute, producer in a render pass" "$BIG" mailbox 0 600 1 -- --debug-vk-render-pass
echo
echo "## Latency at $SMALL, paced: how the presenter waits"
echo
header
run "wait hybrid (default)" "$SMALL" mailbox "$PACED" $((PACED * 3)) 1
run "wait sleep" "$SMALL" mailbox "$PACED" $((PACED * 3)) 1 --debug-vk-wait sleep
run "wait poll" "$SMALL" mailbox "$PACED" $((PACED * 3)) 1 --debug-vk-wait poll
run "device wait too" "$SMALL" mailbox "$PACED" $((PACED * 3)) 1 --debug-vk-device-wait
run "as before: sleep + device wait" "$SMALL" mailbox "$PACED" $((PACED * 3)) 1 \
  --debug-vk-wait sleep --debug-vk-device-wait
echo
echo "## Four $SMALL producers into one $FOUR output; the checker on every frame at $BIG"
echo
header
run "4 windows, compute" "$FOUR" mailbox 0 1000 4
[ "$RASTER_PATH" = yes ] && run "4 windows, blit" "$FOUR" mailbox 0 1000 4 --debug-vk-blit
run "check every frame, solid" "$BIG" mailbox "$PACED" $((PACED * 3)) 1 --check-every 1
run "check every frame, stamp" "$BIG" mailbox "$PACED" $((PACED * 3)) 1 --check-every 1 \
  --check stamp
echo
echo "## Correctness: every frame checked, random delays on both sides ($SMALL)"
echo
header
EVERY=1
run "mailbox, delays" "$SMALL" mailbox 0 2000 1 --debug-blit-delay-us 1500 -- \
  --debug-render-delay-us 1500
run "fifo, delays" "$SMALL" fifo 0 2000 1 --debug-blit-delay-us 1500 -- \
  --debug-render-delay-us 1500
run "control: --sync none" "$SMALL" mailbox 0 600 1 --debug-blit-delay-us 1500 -- \
  --debug-render-delay-us 1500 --sync none --buffers 2
echo
echo "## Signal to callback through the presenter's sync path"
echo
"$SYNCWAKE" || echo "(handoff-bench-sync-wake failed: $?)"

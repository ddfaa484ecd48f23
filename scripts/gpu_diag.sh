#!/usr/bin/env bash
# A short look at a GPU machine, each step bounded (about 100 s in all): the GPU's state, the
# copy bench of the programs in BIN (and OLD, another build's, if given: is the raster path
# alive at all?), the timeline and composition tests, one cudaMemcpyAsync per size, and
# 600-frame presenter runs at 1080p and 4K by compute and by blits. Figures go to stdout, the
# stats to OUT (default: a temporary folder). This is what docs/gpu.md's second device call ran.
#
# Usage: scripts/gpu_diag.sh BIN [OLD_VK_COPY] [OUT]
set -uo pipefail
case ${1:-} in -h|--help|"") sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
B=$1 OLD=${2:-} OUT=${3:-$(mktemp -d)}
export XDG_RUNTIME_DIR=$(mktemp -d)
nvidia-smi --query-gpu=name,clocks.sm,ecc.errors.uncorrected.volatile.total,pstate \
  --format=csv,noheader 2>/dev/null || true
if [ -n "$OLD" ]; then echo "== old vk-copy"; timeout 8 "$OLD" 1920x1080; echo "old=$?"; fi
echo "== timeline"; timeout 8 "$B/test_gpu_timeline" 2>&1 | tail -3
echo "== compose"; timeout 15 "$B/test_vk_compose" 2>&1 | tail -12
echo "== vk-copy"; timeout 20 "$B/handoff-bench-vk-copy" 1920x1080 3840x2160 7680x4320; echo "copy=$?"
echo "== cuda"; timeout 8 "$B/handoff-bench-cuda-copy" 1920x1080 3840x2160 7680x4320
for r in compute blit; do
  extra=""; [ $r = blit ] && extra=--debug-vk-blit
  for s in 1920x1080 3840x2160; do
    # shellcheck disable=SC2086 # extra is one word or none
    timeout 8 "$B/handoff-presenter" --socket "d$$" --renderer vulkan $extra --output headless \
      --refresh 0 --size $s --check solid --check-every 30 --stats "$OUT/p-$r-$s.json" -- \
      "$B/handoff-producer" --renderer vulkan --frames 600 --fps 0 --size $s --pattern solid \
      --buffers 3 --stats "$OUT/c-$r-$s.json" >"$OUT/run-$r-$s.log" 2>&1
    echo "$r $s rc=$? $(grep -o '"gpu_us_per_output_frame": [0-9.]*\|"checked": [0-9]*\|"torn": [0-9]*\|"stale": [0-9]*' "$OUT/p-$r-$s.json" 2>/dev/null | tr '\n' ' ') $(grep -o '"presented_fps": [0-9.]*' "$OUT/c-$r-$s.json" 2>/dev/null)"
    grep -i "error\|renderer on" "$OUT/run-$r-$s.log" | head -3
  done
done

#!/usr/bin/env bash
# CUDA with synchronization switched off (--sync none): acquire points signaled at commit,
# before the kernels end, and images reused without waiting for their release. The checker
# must see torn or stale frames, so the zeros of cuda_stress_* mean something.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cuda_lib.sh"
for layout in array linear; do
  "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size "$CUDA_SIZE" \
    --renderer vulkan --check solid --debug-blit-delay-us 1500 --seed "$SEED" \
    --stats "$WORK/presenter-$layout.json" -- \
    "$PRODUCER" --renderer cuda --cuda-layout "$layout" --frames 600 --fps 0 --size "$CUDA_SIZE" \
    --pattern solid --buffers 2 --sync none --debug-render-delay-us 1500 --seed "$SEED" ||
    fail "$layout: the run failed"
  torn=$(json_num "$WORK/presenter-$layout.json" torn)
  stale=$(json_num "$WORK/presenter-$layout.json" stale)
  echo "cuda $layout without sync: torn $torn, stale $stale"
  expect_gt "$layout torn + stale" $((torn + stale)) 0
done
echo ok

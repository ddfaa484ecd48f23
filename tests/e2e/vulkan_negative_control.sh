#!/usr/bin/env bash
# The Vulkan producer with synchronization switched off: acquire points signaled at commit, not
# when the GPU completes, and images reused without waiting. The checker must see torn or stale
# frames, so the GPU path's zeros above mean something.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 --check solid \
  --debug-blit-delay-us 1500 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --renderer vulkan --frames 600 --fps 0 --size 320x240 --pattern solid \
  --buffers 2 --sync none --debug-render-delay-us 1500 --seed "$SEED" || fail "the run failed"
torn=$(json_num "$WORK/presenter.json" torn)
stale=$(json_num "$WORK/presenter.json" stale)
echo "vulkan without sync: torn $torn, stale $stale"
expect_gt "torn + stale" $((torn + stale)) 0
echo ok

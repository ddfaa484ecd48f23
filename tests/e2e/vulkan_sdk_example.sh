#!/usr/bin/env bash
# A Vulkan application built on the SDK's Vulkan API (its own instance and device, clears with
# vkCmdClearColorImage, the SDK's semaphores and barriers) shows its frames exactly.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
EXAMPLE=$HANDOFF_BUILD/tests/vulkan/handoff-vk-sdk-example
# The loader unloads lavapipe at vkDestroyInstance, and lavapipe's globals then look leaked to
# LeakSanitizer with no symbol to suppress them by. The producer's runs (which keep the driver
# loaded) check the SDK for leaks; this one leaves leak detection off for the example alone.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 160x120 --check solid \
  --snapshot "$WORK/shot.png" --stats "$WORK/presenter.json" -- "$EXAMPLE" 120 \
  >"$WORK/run.log" || { cat "$WORK/run.log"; fail "the example failed"; }
cat "$WORK/run.log"
grep -q "memory memfd" "$WORK/run.log" || fail "not the memfd path"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex 120)" || fail "the example's last frame is not shown"
echo ok

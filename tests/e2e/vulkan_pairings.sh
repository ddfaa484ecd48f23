#!/usr/bin/env bash
# Every pairing of renderers on lavapipe: a CPU or Vulkan producer into a pixman or Vulkan
# presenter, mailbox and fifo, unpaced and at 60 Hz, random delays on both sides: no torn, no
# stale frame, and the snapshot is exactly the last frame. Then the negative control on the
# all-Vulkan path: without sync, the checker must catch torn or stale frames.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
for producer in cpu vulkan; do
  for presenter in pixman vulkan; do
    vulkan_stress mailbox 0 "${FRAMES:-300}" "$producer" "$presenter"
    vulkan_stress mailbox 60 "${PACED_FRAMES:-1500}" "$producer" "$presenter"
    vulkan_stress fifo 0 "${FRAMES:-300}" "$producer" "$presenter"
    vulkan_stress fifo 60 "${FIFO_PACED_FRAMES:-60}" "$producer" "$presenter"
  done
done
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 --renderer vulkan \
  --check solid --debug-blit-delay-us 1500 --seed "$SEED" --stats "$WORK/none.json" -- \
  "$PRODUCER" --renderer vulkan --sync none --frames 300 --fps 0 --size 320x240 --pattern solid \
  --buffers 2 --debug-render-delay-us 1500 --seed "$SEED" 2>"$WORK/none.log" ||
  { cat "$WORK/none.log"; fail "the run without sync failed"; }
bad=$(($(json_num "$WORK/none.json" torn) + $(json_num "$WORK/none.json" stale)))
expect_gt "torn + stale without sync (Vulkan to Vulkan)" "$bad" 0
echo "ok: without sync, $(json_num "$WORK/none.json" torn) torn and $(json_num "$WORK/none.json" stale) stale"

#!/usr/bin/env bash
# The Vulkan presenter as on a GPU, which is never asked to import read-only host mappings (NVIDIA's
# driver refuses them, and on the H200 every memfd frame was then left undrawn: 300 of 300
# stale): memfd client memory is copied into the renderer's own buffer each frame instead.
# Forced here on lavapipe with --debug-vk-copy-client-memory: CPU frames, mailbox and fifo,
# random delays on both sides, every frame checked, the snapshot exactly the last frame.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
for mode in mailbox fifo; do
  tag=copied-$mode frames=${FRAMES:-300}
  "$PRESENTER" -v --socket "$SOCKET" --output headless --refresh 0 --size 320x240 \
    --renderer vulkan --debug-vk-copy-client-memory --check solid --check-every 1 \
    --debug-blit-delay-us 1500 --seed "$SEED" --snapshot "$WORK/$tag.png" \
    --stats "$WORK/presenter-$tag.json" -- \
    "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 --pattern solid --buffers 3 \
    --present-mode "$mode" --debug-render-delay-us 1500 --seed "$SEED" \
    --stats "$WORK/producer-$tag.json" 2>"$WORK/$tag.log" ||
    { cat "$WORK/$tag.log"; fail "$tag: the run failed"; }
  grep -q "host import of writable memory only (client memory is copied)" "$WORK/$tag.log" ||
    { cat "$WORK/$tag.log"; fail "$tag: client memory was not copied"; }
  if grep -q "cannot read" "$WORK/$tag.log"; then
    cat "$WORK/$tag.log"
    fail "$tag: the renderer could not read a buffer"
  fi
  stress_verdict "$tag" "$mode" "$frames"
done

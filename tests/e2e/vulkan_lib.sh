# Shared by the vulkan_*.sh tests, after lib.sh: runs the Vulkan producer on Mesa's lavapipe,
# whatever other drivers the machine has, so that the memfd path is the one tested and CI
# without a GPU runs it. Skips (77) where lavapipe is not installed.
# HANDOFF_LVP_ICD may name another lavapipe ICD file (with LD_LIBRARY_PATH for it).
lvp_icd=${HANDOFF_LVP_ICD:-}
[ -n "$lvp_icd" ] || for dir in /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d /etc/vulkan/icd.d; do
  for f in "$dir"/lvp_icd*.json; do
    [ -e "$f" ] && lvp_icd=$f && break 2
  done
done
[ -n "$lvp_icd" ] || skip "no lavapipe ICD (mesa-vulkan-drivers) installed"
export VK_ICD_FILENAMES=$lvp_icd VK_DRIVER_FILES=$lvp_icd
# lavapipe's worker threads: enough for these small images, and fair to parallel tests.
export LP_NUM_THREADS=${LP_NUM_THREADS:-2}

# vulkan_stress MODE REFRESH FRAMES [PRODUCER_RENDERER [PRESENTER_RENDERER]]: solid frames
# from the producer (Vulkan by default) into the presenter (pixman by default) with random
# delays on both sides; no torn, no stale frame, every frame accounted for, and the snapshot
# is exactly the last frame. A Vulkan producer hands memfd memory to the pixman presenter and
# its own images (vk_opaque_fd, the same lavapipe device) to the Vulkan one.
vulkan_stress() {
  local mode=$1 refresh=$2 frames=$3 producer=${4:-vulkan} presenter=${5:-pixman}
  local tag="$1-$2-$producer-$presenter"
  "$PRESENTER" --socket "$SOCKET" --output headless --refresh "$refresh" --size 320x240 \
    --renderer "$presenter" --check solid --debug-blit-delay-us 1500 --seed "$SEED" \
    --snapshot "$WORK/$tag.png" --stats "$WORK/presenter-$tag.json" -- \
    "$PRODUCER" --renderer "$producer" --frames "$frames" --fps 0 --size 320x240 --pattern solid \
    --buffers 3 --present-mode "$mode" --debug-render-delay-us 1500 --seed "$SEED" -v \
    --stats "$WORK/producer-$tag.json" 2>"$WORK/$tag.log" || { cat "$WORK/$tag.log"; fail "$tag: the run failed"; }
  if [ "$producer" = vulkan ]; then
    local memory=memfd
    [ "$presenter" = vulkan ] && memory=vk_opaque_fd
    grep -q "vulkan: .*memory $memory.*timelines shm (signaled once the GPU has completed)" \
      "$WORK/$tag.log" || { cat "$WORK/$tag.log"; fail "$tag: not the $memory path"; }
  fi
  stress_verdict "$tag" "$mode" "$frames"
}

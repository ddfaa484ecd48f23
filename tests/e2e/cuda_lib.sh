# Shared by the cuda_*.sh tests, after lib.sh: skips (77) where the CUDA driver or a CUDA
# device is missing (CI: no CUDA at all), and points Vulkan at NVIDIA's driver where it is
# installed, so that the presenter composes on the GPU that CUDA renders on.
cuda_probe=$(WAYLAND_DISPLAY=handoff-no-such-display "$PRODUCER" --renderer cuda --frames 1 2>&1 || true)
case $cuda_probe in
  *"no CUDA"* | *"CUDA driver is too old"*) skip "$cuda_probe" ;;
esac
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json; do
    [ -e "$f" ] && export VK_DRIVER_FILES=$f && break
  done
fi
CUDA_SIZE=${CUDA_SIZE:-640x360}

# cuda_stress MODE REFRESH FRAMES LAYOUT: solid frames from CUDA kernels into the Vulkan
# presenter, a random delay kernel (up to 1.5 ms) between the halves of every frame and random
# delays in the presenter's blits; no torn, no stale frame, every frame accounted for, the
# snapshot exactly the last frame, and the path the one meant (vk_opaque_fd memory and
# timelines, the layout asked for).
cuda_stress() {
  local mode=$1 refresh=$2 frames=$3 layout=$4
  local tag="$mode-$refresh-$layout" rate=0
  # Paced mailbox: the producer at twice the output's rate, so that frames are replaced
  # unshown and the run lasts long enough for the checker (a free-running GPU producer ends
  # 300 frames in a few refreshes).
  [ "$mode" = mailbox ] && [ "$refresh" != 0 ] && rate=$((2 * refresh))
  "$PRESENTER" --socket "$SOCKET" --output headless --refresh "$refresh" --size "$CUDA_SIZE" \
    --renderer vulkan --check solid --debug-blit-delay-us 1500 --seed "$SEED" \
    --snapshot "$WORK/$tag.png" --stats "$WORK/presenter-$tag.json" -- \
    "$PRODUCER" --renderer cuda --cuda-layout "$layout" --frames "$frames" --fps "$rate" \
    --size "$CUDA_SIZE" --pattern solid --buffers 3 --present-mode "$mode" \
    --debug-render-delay-us 1500 --seed "$SEED" -v --stats "$WORK/producer-$tag.json" \
    2>"$WORK/$tag.log" || { cat "$WORK/$tag.log"; fail "$tag: the run failed"; }
  local want="arrays and surface objects"
  [ "$layout" = linear ] && want="linear device pointers"
  grep -q "cuda: .*memory vk_opaque_fd.*timelines vk_opaque_fd.*CUDA device .*$want" \
    "$WORK/$tag.log" || { cat "$WORK/$tag.log"; fail "$tag: not the zero-copy $layout path"; }
  stress_verdict "$tag" "$mode" "$frames"
}

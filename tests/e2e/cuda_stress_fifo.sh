#!/usr/bin/env bash
# CUDA kernels into the Vulkan presenter's own images, fifo, unpaced and at 60 Hz, with both
# layouts (CUDA arrays and linear device pointers): no torn, no stale frame, with the release
# waited for and the acquire signaled on the producer's CUDA stream.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cuda_lib.sh"
for layout in array linear; do
  cuda_stress fifo 0 "${FRAMES:-1500}" "$layout"
  cuda_stress fifo 60 "${FRAMES_PACED:-300}" "$layout"
done

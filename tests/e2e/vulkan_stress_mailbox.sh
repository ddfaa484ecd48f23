#!/usr/bin/env bash
# The Vulkan producer (lavapipe, memfd memory, shm timelines signaled after the GPU completes)
# into the pixman presenter, mailbox, unpaced and at 60 Hz: no torn, no stale frame.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
vulkan_stress mailbox 0 "${FRAMES:-1500}"
vulkan_stress mailbox 60 "${FRAMES:-2000}"

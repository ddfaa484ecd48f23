#!/usr/bin/env bash
# The Vulkan producer into the pixman presenter, fifo, unpaced and at 60 Hz: every frame shown
# once, in order, none torn or stale.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
vulkan_stress fifo 0 "${FRAMES:-1000}"
vulkan_stress fifo 60 "${FRAMES:-150}"

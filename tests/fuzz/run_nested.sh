#!/usr/bin/env bash
# The fuzzer's CI run with its presenter nested in a headless weston (HANDOFF_FUZZ_OUTPUT=
# wayland): direct frames hand client images to a real parent, whose wl_shm errors would end
# the presenter's connection. run_nested.sh FUZZER SEEDS SCRATCH, with HANDOFF_BUILD set.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib.sh"
. "$HERE/../e2e/weston_lib.sh"
start_weston 256 256
# The presenter's window is as large as the fuzzer's output: direct frames are possible.
WAYLAND_DISPLAY=$PARENT HANDOFF_FUZZ_OUTPUT=wayland bash "$HERE/run_ci.sh" "$@"

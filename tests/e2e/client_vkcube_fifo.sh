#!/usr/bin/env bash
# vkcube in FIFO mode on Mesa 25's Vulkan WSI (lavapipe), which paces with wp_fifo_v1 and
# wp_commit_timing_v1 when a compositor offers them, and then uses no frame callback: every
# frame it is told of is presented once, in order (rising output sequence numbers), none
# discarded, headless at 60 Hz and nested in handoff-test-parent at 60 Hz. A stub that did
# not hold commits ran vkcube at 1,500 commits/s. HANDOFF_LVP_ICD may name a lavapipe ICD
# file (with LD_LIBRARY_PATH for its libraries) other than the system's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clients_lib.sh"
need vkcube-wayland vulkan-tools
need vulkaninfo vulkan-tools
# HANDOFF_MESA25_ICD and HANDOFF_MESA25_LIBS: an unpacked Mesa 25 for this test alone (.ci/run).
icd=${HANDOFF_MESA25_ICD:-${HANDOFF_LVP_ICD:-}}
[ -n "${HANDOFF_MESA25_LIBS:-}" ] && export LD_LIBRARY_PATH=$HANDOFF_MESA25_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if [ -z "$icd" ]; then
  for f in /usr/share/vulkan/icd.d/lvp_icd*.json; do [ -e "$f" ] && icd=$f && break; done
fi
[ -n "$icd" ] || skip "no lavapipe ICD (package mesa-vulkan-drivers)"
export VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd LP_NUM_THREADS=${LP_NUM_THREADS:-2}
mesa=$(XDG_RUNTIME_DIR=$WORK vulkaninfo --summary 2>/dev/null | sed -n 's/.*driverInfo *= *Mesa \([0-9]*\).*/\1/p' | head -n 1)
[ "${mesa:-0}" -ge 25 ] ||
  skip "lavapipe is Mesa ${mesa:-?}, not 25 or later (mesa-vulkan-drivers from bookworm-backports)"

# check NAME: the WAYLAND_DEBUG log of vkcube in the run's log.
check() {
  local log=$WORK/$1.log
  grep -q 'bind([0-9]*, "wp_fifo_manager_v1"' "$log" ||
    skip "the presenter offers no wp_fifo_v1 (built with wayland-protocols < 1.38)"
  grep -q 'bind([0-9]*, "wp_commit_timing_manager_v1"' "$log" || fail "$1: commit timing not bound"
  local frames presented discarded
  frames=$(grep -c -- '-> wl_surface@[0-9]*\.frame(' "$log" || true)
  expect_eq "$1: frame callbacks asked for" "$frames" 0
  presented=$(grep -c 'wp_presentation_feedback@[0-9]*\.presented(' "$log" || true)
  discarded=$(grep -c 'wp_presentation_feedback@[0-9]*\.discarded(' "$log" || true)
  expect_eq "$1: frames discarded" "$discarded" 0
  expect_gt "$1: frames presented" "$presented" 100
  local order
  order=$(grep -o 'wp_presentation_feedback@[0-9]*\.presented([^)]*)' "$log" |
    awk -F'[(,)]' '{s = $6 * 4294967296 + $7} NR > 1 && s <= prev {bad++} NR > 1 && s != prev + 1 {gap++}
      {prev = s} END {print bad + 0, gap + 0}')
  expect_eq "$1: frames out of order or shown twice" "${order% *}" 0
  echo "$1: $presented presented, none discarded, in order (${order#* } refreshes without a new frame)"
}

VK=(env WAYLAND_DEBUG=client vkcube-wayland --c 120 --present_mode 2)
headless vkcube-headless 60 "${VK[@]}"
check vkcube-headless
nested vkcube-nested 60 "wait 100" "${VK[@]}"
check vkcube-nested
echo ok

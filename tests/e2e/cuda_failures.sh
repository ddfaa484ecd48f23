#!/usr/bin/env bash
# CUDA failures are a clear message and exit status 1, never a crash or a hang: a presenter
# that names no Vulkan device (pixman), implicit sync, a Vulkan device that is no CUDA device
# (lavapipe, where installed), and a lost context (a kernel that faults at frame 20).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cuda_lib.sh"

run_expecting_failure() { # NAME PATTERN PRESENTER_RENDERER PRODUCER_ARGS...
  local name=$1 pattern=$2 renderer=$3 code
  shift 3
  set +e
  timeout 60 "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 64x64 \
    --renderer "$renderer" -- "$PRODUCER" --renderer cuda --fps 0 --size 64x64 "$@" \
    2>"$WORK/$name.txt"
  code=$?
  set -e
  cat "$WORK/$name.txt"
  expect_eq "$name exit" "$code" 1
  grep -q "$pattern" "$WORK/$name.txt" || fail "$name: unclear message"
}
run_expecting_failure pixman "handoff-producer: --renderer cuda: .*names no Vulkan device" pixman \
  --frames 5
run_expecting_failure implicit "handoff-producer: --renderer cuda: CUDA windows need explicit sync" \
  vulkan --frames 5 --sync implicit
run_expecting_failure lost "handoff-producer: CUDA: .*\(fault\|launch\|illegal\|LAUNCH\|ILLEGAL\|TRAP\)" \
  vulkan --frames 200 --debug-cuda-fault-at 20
for f in /usr/share/vulkan/icd.d/lvp_icd*.json; do
  [ -e "$f" ] || continue
  VK_DRIVER_FILES=$f VK_ICD_FILENAMES=$f run_expecting_failure lavapipe \
    "is none of the .* CUDA devices" vulkan --frames 5
done
echo ok

#!/usr/bin/env bash
# The CUDA failures that need no GPU, against a fake libcuda.so.1 (tests/cuda/fake_cuda.c)
# found first on LD_LIBRARY_PATH: a driver with no device (one line, exit 1, before
# connecting), a CUDA device that is not the presenter's Vulkan device (lavapipe here: the
# UUIDs differ), and a presenter that names no Vulkan device (pixman); and with two presenters,
# each of them checked. Each is a message naming the problem and exit status 1, never a crash
# or a hang. Then the pool's growth, imported image by image (below).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
EXAMPLE=$HANDOFF_BUILD/tests/cuda/handoff-cuda-sdk-example
export LD_LIBRARY_PATH=$HANDOFF_BUILD/tests/cuda/fake${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
[ -e "$HANDOFF_BUILD/tests/cuda/fake/libcuda.so.1" ] || fail "no fake libcuda.so.1 built"

set +e
HANDOFF_FAKE_CUDA=no-device WAYLAND_DISPLAY=handoff-no-such-display "$PRODUCER" --renderer cuda \
  --frames 1 2>"$WORK/no-device.txt"
code=$?
set -e
cat "$WORK/no-device.txt"
expect_eq "no-device exit" "$code" 1
expect_eq "no-device lines" "$(wc -l <"$WORK/no-device.txt")" 1
grep -q "^handoff-producer: --renderer cuda: no CUDA device: cuInit: CUDA_ERROR_NO_DEVICE" \
  "$WORK/no-device.txt" || fail "no-device: unclear message"

expect_failure() { # NAME PATTERN PRESENTER_RENDERER
  set +e
  HANDOFF_FAKE_CUDA=other-device timeout 60 "$PRESENTER" --socket "$SOCKET" --output headless \
    --refresh 0 --size 64x64 --renderer "$3" -- "$EXAMPLE" 5 64x64 >"$WORK/$1.out" 2>"$WORK/$1.txt"
  code=$?
  set -e
  cat "$WORK/$1.txt"
  expect_eq "$1 exit" "$code" 1
  grep -q "$2" "$WORK/$1.txt" || fail "$1: unclear message"
}
expect_failure other-device "cuda-sdk-example: CUDA: the presenter's GPU (Vulkan device UUID .*) is none of the 1 CUDA devices here" vulkan
expect_failure pixman "cuda-sdk-example: the presenter names no Vulkan device: run it with --renderer vulkan" pixman

# Two presenters (the window's and one more): each is checked. A second one that names no
# Vulkan device is named; two Vulkan presenters on lavapipe get as far as the CUDA device.
expect_failure_two() { # NAME PATTERN PRESENTER_RENDERER SECOND_RENDERER
  "$PRESENTER" --socket "$SOCKET-2" --output headless --refresh 0 --size 64x64 --renderer "$4" \
    >"$WORK/$1-second.log" 2>&1 &
  local second=$! _
  for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET-2" ] && break; sleep 0.05; done
  set +e
  HANDOFF_FAKE_CUDA=other-device timeout 60 "$PRESENTER" --socket "$SOCKET" --output headless \
    --refresh 0 --size 64x64 --renderer "$3" -- "$EXAMPLE" 5 64x64 "$SOCKET-2" >"$WORK/$1.out" \
    2>"$WORK/$1.txt"
  code=$?
  set -e
  kill "$second"
  wait "$second" || true
  cat "$WORK/$1.txt"
  expect_eq "$1 exit" "$code" 1
  grep -q "$2" "$WORK/$1.txt" || fail "$1: unclear message"
}
expect_failure_two second-pixman "cuda-sdk-example: presenter 1 names no Vulkan device: run it with --renderer vulkan" vulkan pixman
expect_failure_two first-pixman "cuda-sdk-example: presenter 0 names no Vulkan device" pixman vulkan
expect_failure_two two-vulkan "cuda-sdk-example: CUDA: the presenter's GPU (Vulkan device UUID .*) is none of the 1 CUDA devices here" vulkan vulkan

# The pool's growth (tests/cuda/cuda_fake_grow.c): the fake is the presenter's device
# (same-device, lavapipe's UUID), the window starts with 2 images, grows to 4 of 6, and each
# is imported into CUDA once and given back once. The SDK's own device needs
# VK_KHR_external_semaphore_fd, which older lavapipe (Mesa 22) lacks: then this part is
# skipped, said so.
uuid=$(vulkaninfo 2>/dev/null | sed -n 's/.*deviceUUID *= *\([0-9a-f-]*\).*/\1/p' | head -n 1)
if [ -z "$uuid" ]; then
  echo "grow: skipped (no vulkaninfo to read lavapipe's device UUID)"
else
  set +e
  HANDOFF_FAKE_CUDA=same-device HANDOFF_FAKE_CUDA_UUID=$uuid timeout 60 "$PRESENTER" \
    --socket "$SOCKET" --output headless --refresh 0 --size 64x64 --renderer vulkan -- \
    "$HANDOFF_BUILD/tests/cuda/handoff-cuda-fake-grow" >"$WORK/grow.out" 2>"$WORK/grow.txt"
  code=$?
  set -e
  cat "$WORK/grow.out" "$WORK/grow.txt"
  if grep -q "cannot make a device on .*: extension not present" "$WORK/grow.txt"; then
    echo "grow: skipped (this lavapipe has no VK_KHR_external_semaphore_fd)"
  else
    expect_eq "grow exit" "$code" 0
    grep -q "grown to 4 of 6, each imported once and given back" "$WORK/grow.out" ||
      fail "grow: no verdict"
  fi
fi
echo ok

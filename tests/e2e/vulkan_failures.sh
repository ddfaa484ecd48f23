#!/usr/bin/env bash
# Vulkan failures are a clear message and exit status 1, never a crash or a hang: no driver at
# all, and a presenter that takes no memory this device can export. --help documents it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
"$PRODUCER" --help | grep "vulkan: render on the GPU" >/dev/null || fail "--help does not document vulkan"

run_expecting_failure() { # NAME PATTERN ENV...: the producer fails with PATTERN on stderr
  local name=$1 pattern=$2 code
  shift 2
  set +e
  timeout 60 env "$@" "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 64x64 -- \
    "$PRODUCER" --renderer vulkan --frames 5 --fps 0 --size 64x64 2>"$WORK/$name.txt"
  code=$?
  set -e
  cat "$WORK/$name.txt"
  expect_eq "$name exit" "$code" 1
  grep -q "$pattern" "$WORK/$name.txt" || fail "$name: unclear message"
}
run_expecting_failure no-driver "handoff-producer: --renderer vulkan: .*Vulkan" \
  VK_ICD_FILENAMES="$WORK/none.json" VK_DRIVER_FILES="$WORK/none.json"
# A 16384x16384 image is refused by the presenter's limits or lavapipe's memory: either way a
# message, not a crash.
set +e
timeout 120 "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 64x64 -- \
  "$PRODUCER" --renderer vulkan --frames 2 --fps 0 --size 16384x16384 --format ABGR2101010 \
  --buffers 16 2>"$WORK/huge.txt"
code=$?
set -e
cat "$WORK/huge.txt"
[ "$code" -ne 0 ] || fail "16 images of 1 GiB were accepted"
[ "$code" -lt 124 ] || fail "huge images: crash or hang (status $code)"
grep -q "handoff-producer: " "$WORK/huge.txt" || fail "huge images: no message"
echo ok

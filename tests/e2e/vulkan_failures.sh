#!/usr/bin/env bash
# Vulkan failures are a clear message and exit status 1, never a crash or a hang: no driver at
# all, and images past the presenter's limit on mapped memory. --help documents it.
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
# Images of 1 GiB (16384x16384) past what the presenter lets a client map (1.5 GiB here): the
# pool starts with two, and the second is refused while the window is made, before any frame
# is drawn: a message, not a crash. (The pool grows only as images run short, so --buffers 16
# alone makes no more than two.)
set +e
timeout 120 "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 64x64 \
  --limit mapped-mib=1536 -- "$PRODUCER" --renderer vulkan --frames 2 --fps 0 \
  --size 16384x16384 --format ABGR2101010 --buffers 16 2>"$WORK/huge.txt"
code=$?
set -e
cat "$WORK/huge.txt"
expect_eq "huge images exit" "$code" 1
grep -q "handoff-producer: --renderer vulkan: .*protocol error" "$WORK/huge.txt" ||
  fail "huge images: no message"
echo ok

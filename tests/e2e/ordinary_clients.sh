#!/usr/bin/env bash
# Clients that know nothing of handoff-v1 work unchanged: our own producer as a plain wl_shm
# client, weston-simple-shm, and a Vulkan WSI swapchain (vkcube on lavapipe).
. "$(dirname "$0")/lib.sh"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 200x150 \
  --snapshot "$WORK/implicit.png" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames 50 --fps 0 --size 200x150 --pattern solid --sync implicit \
  --stats "$WORK/producer.json" || fail "implicit run failed"
presented=$(json_num "$WORK/producer.json" frames_presented)
discarded=$(json_num "$WORK/producer.json" frames_discarded)
expect_eq "implicit presented + discarded" $((presented + discarded)) 50
expect_eq "implicit last feedback" "$(json_num "$WORK/producer.json" last_frame_feedback)" 50
"$PROBE" "$WORK/implicit.png" --fill "$(solid_hex 50)" || fail "implicit: wrong colour"

command -v weston-simple-shm >/dev/null || skip "weston-simple-shm is not installed"
set +e
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 320x240 \
  --snapshot "$WORK/shm.png" --stats "$WORK/shm.json" -- timeout -s INT 2 weston-simple-shm
code=$?
set -e
# timeout answers 124 when it had to stop the client, as it must: simple-shm runs forever.
expect_eq "weston-simple-shm status" "$code" 124
expect_gt "weston-simple-shm frames" "$(json_num "$WORK/shm.json" frames_presented)" 30
"$PROBE" "$WORK/shm.png" --varied 100 || fail "weston-simple-shm's window is not in the snapshot"

command -v vkcube-wayland >/dev/null || skip "vkcube-wayland (vulkan-tools) is not installed"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 \
  --snapshot "$WORK/vk.png" --stats "$WORK/vk.json" -- vkcube-wayland --c 60 \
  || fail "vkcube failed"
expect_gt "vkcube frames" "$(json_num "$WORK/vk.json" frames_presented)" 30
"$PROBE" "$WORK/vk.png" --varied 100 || fail "vkcube's window is not in the snapshot"
echo ok

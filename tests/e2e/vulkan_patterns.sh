#!/usr/bin/env bash
# The Vulkan producer draws what the CPU producer draws: the moving pattern keeps its stamp
# column (--check stamp) and its last frame is pixel for pixel the CPU's; the solid pattern is
# exact in every format the presenter takes, with explicit and with implicit sync (wl_shm).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vulkan_lib.sh"
for renderer in vulkan cpu; do
  "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 400x300 --check stamp \
    --snapshot "$WORK/moving-$renderer.png" --stats "$WORK/moving-$renderer.json" -- \
    "$PRODUCER" --renderer $renderer --frames 200 --fps 0 --size 400x300 --buffers 3 \
    --debug-render-delay-us 1000 --seed "$SEED" || fail "moving $renderer: the run failed"
  expect_eq "moving $renderer torn" "$(json_num "$WORK/moving-$renderer.json" torn)" 0
  expect_eq "moving $renderer stale" "$(json_num "$WORK/moving-$renderer.json" stale)" 0
done
"$PROBE" "$WORK/moving-vulkan.png" --varied 5 || fail "the moving pattern is not drawn"
cmp -s "$WORK/moving-vulkan.png" "$WORK/moving-cpu.png" \
  || fail "the Vulkan moving pattern differs from the CPU's"
for fmt in XRGB8888 ARGB8888 XBGR8888 ABGR8888 XBGR2101010 ABGR2101010; do
  for sync in explicit implicit; do
    "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 96x64 \
      --snapshot "$WORK/$fmt.png" -- \
      "$PRODUCER" --renderer vulkan --frames 7 --fps 0 --size 96x64 --pattern solid \
      --format "$fmt" --sync "$sync" || fail "$fmt $sync: the run failed"
    "$PROBE" "$WORK/$fmt.png" --fill "$(solid_hex 7)" || fail "$fmt $sync: wrong colour"
  done
done
echo ok

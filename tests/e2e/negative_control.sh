#!/usr/bin/env bash
# The same stress with synchronization switched off (the D3D9 shared-surface bug) must show
# torn or stale frames: proof that the checks can fail.
. "$(dirname "$0")/lib.sh"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 320x240 --check solid \
  --debug-blit-delay-us 1500 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  "$PRODUCER" --frames 1000 --fps 0 --size 320x240 --pattern solid --buffers 2 --sync none \
  --debug-render-delay-us 1500 --seed "$SEED" || fail "the run failed"
torn=$(json_num "$WORK/presenter.json" torn)
stale=$(json_num "$WORK/presenter.json" stale)
echo "without sync: torn $torn, stale $stale"
expect_gt "torn + stale" $((torn + stale)) 0
echo ok

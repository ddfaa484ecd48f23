#!/usr/bin/env bash
# Mailbox at full speed into a 60 Hz output: most frames are replaced, none may tear or go
# stale, and two windows are checked at once.
. "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-1500}
cat >"$WORK/two-producers.sh" <<SCRIPT
"$PRODUCER" --frames $FRAMES --fps 0 --size 320x240 --pattern solid --debug-render-delay-us 2000 \
  --seed 1 --stats "$WORK/producer-1.json" & a=\$!
"$PRODUCER" --frames $FRAMES --fps 0 --size 200x300 --pattern solid --debug-render-delay-us 2000 \
  --seed 2 --stats "$WORK/producer-2.json" & b=\$!
wait \$a && wait \$b
SCRIPT
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 640x480 --check solid \
  --debug-blit-delay-us 1000 --seed "$SEED" --stats "$WORK/presenter.json" -- \
  bash "$WORK/two-producers.sh" || fail "the run failed"
cat "$WORK/presenter.json"
expect_eq torn "$(json_num "$WORK/presenter.json" torn)" 0
expect_eq stale "$(json_num "$WORK/presenter.json" stale)" 0
expect_gt checked "$(json_num "$WORK/presenter.json" checked)" 50
expect_gt discarded "$(json_num "$WORK/presenter.json" frames_discarded)" 0
for i in 1 2; do
  expect_eq "last feedback $i" "$(json_num "$WORK/producer-$i.json" last_frame_feedback)" "$FRAMES"
done
echo ok

#!/usr/bin/env bash
# weston dies: the presenter exits within a second with a message and a non-zero status, and
# its producer exits with a clear error instead of hanging.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
start_weston 800 600
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --output wayland --socket "$SOCKET" --size 320x240 \
  >"$WORK/presenter.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
wait_for "$WORK/presenter.log" "output=wayland" 10
WAYLAND_DISPLAY=$SOCKET "$PRODUCER" --size 320x240 --fps 60 >"$WORK/producer.log" 2>&1 &
producer=$!
PIDS+=("$producer")
sleep 1
kill -0 "$producer" || fail "the producer did not run"
kill -9 "$WESTON"
start=$(date +%s%N)
set +e
wait "$presenter"; code=$?
presenter_ms=$((($(date +%s%N) - start) / 1000000))
wait "$producer"; producer_code=$?
set -e
cat "$WORK/presenter.log" "$WORK/producer.log"
[ "$code" -ne 0 ] || fail "the presenter exited 0 after losing its parent"
[ "$presenter_ms" -le 1000 ] || fail "the presenter took $presenter_ms ms to exit"
grep -q "parent compositor went away" "$WORK/presenter.log" || fail "no message from the presenter"
[ "$producer_code" -ne 0 ] || fail "the producer exited 0 after losing its presenter"
grep -q "handoff-producer: lost the connection" "$WORK/producer.log" || fail "unclear producer message"
echo "ok: the presenter exited $code after $presenter_ms ms"

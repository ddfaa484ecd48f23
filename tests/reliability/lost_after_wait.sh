#!/usr/bin/env bash
# The lost connection wins over a timed-out wait: a producer whose presenter is stopped
# (SIGSTOP) waits for images in 100 ms slices, each one ending with "no image was released in
# time"; the presenter is then killed, and the producer must exit saying that it lost the
# connection. Fails on an SDK that keeps the first error it recorded.
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"

"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 320x240 \
  >"$WORK/presenter.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET" ] && break; sleep 0.05; done
[ -S "$XDG_RUNTIME_DIR/$SOCKET" ] || fail "the presenter did not start"

WAYLAND_DISPLAY=$SOCKET "$PRODUCER" --fps 0 --size 320x240 >"$WORK/producer.log" 2>&1 &
producer=$!
PIDS+=("$producer")
sleep 1
kill -0 "$producer" 2>/dev/null || { cat "$WORK/producer.log"; fail "the producer did not run"; }
kill -STOP "$presenter"
sleep 0.6 # several timed-out 100 ms waits
kill -9 "$presenter"
set +e
wait "$producer"
code=$?
set -e
tail -n 1 "$WORK/producer.log"
[ "$code" -ne 0 ] || fail "the producer exited 0 though its presenter died"
grep -q "handoff-producer: lost the connection" "$WORK/producer.log" ||
  fail "unclear message: $(tail -n 1 "$WORK/producer.log")"
echo "ok: after timed-out waits, the producer reports the lost connection"

#!/usr/bin/env bash
# Clients that crash leave nothing behind in the presenter; a producer whose presenter dies
# exits with a clear error; the command-line contract holds.
. "$(dirname "$0")/lib.sh"

"$PRESENTER" --help | grep "Usage: handoff-presenter" >/dev/null || fail "presenter --help"
"$PRODUCER" --help | grep "Usage: handoff-producer" >/dev/null || fail "producer --help"
set +e
"$PRESENTER" --size 0x0 2>"$WORK/err.txt"; code=$?
set -e
expect_eq "bad --size exit" "$code" 2
grep -q "invalid --size '0x0'" "$WORK/err.txt" || fail "unclear --size message"
set +e
WAYLAND_DISPLAY=nothing-here "$PRODUCER" --frames 1 2>"$WORK/err.txt"; code=$?
set -e
expect_eq "no compositor exit" "$code" 1
grep -q "cannot connect to the Wayland display 'nothing-here'" "$WORK/err.txt" \
  || fail "unclear connect message"

# --exit-after-frames ends the run on its own; the command sees its compositor go.
set +e
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 64x64 \
  --exit-after-frames 30 --stats "$WORK/exit.json" -- "$PRODUCER" --size 64x64 2>"$WORK/err.txt"
code=$?
set -e
expect_eq "--exit-after-frames status" "$code" 0
expect_eq "--exit-after-frames frames" "$(json_num "$WORK/exit.json" output_frames)" 30

"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 320x240 >/dev/null &
presenter=$!
PIDS+=("$presenter")
for _ in $(seq 100); do [ -S "$XDG_RUNTIME_DIR/$SOCKET" ] && break; sleep 0.05; done
export WAYLAND_DISPLAY=$SOCKET
count_fds() { find "/proc/$presenter/fd" -mindepth 1 | wc -l; }
count_maps() { grep -c -e handoff-image -e handoff-timeline "/proc/$presenter/maps" || true; }
"$PRODUCER" --frames 20 --fps 0 --size 64x64 --pattern solid
fds=$(count_fds)
maps=$(count_maps)
for i in 1 2 3; do
  "$PRODUCER" --fps 0 --size 320x240 --buffers 4 --debug-render-delay-us 3000 &
  victim=$!
  sleep 0.5
  kill -9 "$victim"
  wait "$victim" 2>/dev/null || true
done
sleep 0.5
kill -0 "$presenter" || fail "the presenter died with its clients"
expect_eq "presenter fds after crashes" "$(count_fds)" "$fds"
expect_eq "presenter mappings after crashes" "$(count_maps)" "$maps"
"$PRODUCER" --frames 20 --fps 0 --size 64x64 --pattern solid || fail "no service after crashes"

"$PRODUCER" --fps 60 --size 64x64 2>"$WORK/err.txt" &
producer=$!
sleep 0.5
kill -9 "$presenter"
start=$(date +%s)
set +e
wait "$producer"; code=$?
set -e
cat "$WORK/err.txt"
[ "$code" -ne 0 ] || fail "the producer exited 0 though its presenter died"
[ $(($(date +%s) - start)) -le 5 ] || fail "the producer took too long to notice"
grep -q "handoff-producer: .*connection\|handoff-producer: .*protocol" "$WORK/err.txt" \
  || fail "unclear message when the presenter died"
echo ok

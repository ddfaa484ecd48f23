#!/usr/bin/env bash
# What is lost under load, with several producers busy (720p mailbox as fast as it goes, fifo
# at 60 fps, a plain wl_shm client, slow renders with frames in flight):
#
#   lost_under_load.sh presenter   the presenter is killed (SIGKILL): every producer exits
#                                  non-zero within 5 s with "lost the connection"
#   lost_under_load.sh parent      a nested presenter's parent weston is killed: the presenter
#                                  exits non-zero within 1 s saying so, then every producer
#                                  exits as above (skips with 77 without weston)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
WHAT=${1:-presenter}

case $WHAT in
  presenter)
    "$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 1280x720 \
      >"$WORK/presenter.log" 2>&1 &
    presenter=$!
    PIDS+=("$presenter")
    for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET" ] && break; sleep 0.05; done
    ;;
  parent)
    # shellcheck source=../e2e/weston_lib.sh
    . "$HERE/../e2e/weston_lib.sh"
    start_weston 1280 720
    WAYLAND_DISPLAY=$PARENT "$PRESENTER" --output wayland --socket "$SOCKET" --size 1280x720 \
      >"$WORK/presenter.log" 2>&1 &
    presenter=$!
    PIDS+=("$presenter")
    wait_for "$WORK/presenter.log" "output=wayland" 10
    ;;
  *) fail "usage: lost_under_load.sh presenter|parent" ;;
esac
[ -S "$XDG_RUNTIME_DIR/$SOCKET" ] || fail "the presenter did not start"

export WAYLAND_DISPLAY=$SOCKET
LOADS=(
  "--fps 0 --size 1280x720 --present-mode mailbox"
  "--fps 60 --size 640x480 --present-mode fifo"
  "--fps 60 --size 320x240 --sync implicit"
  "--fps 0 --size 320x240 --buffers 4 --debug-render-delay-us 5000"
)
producers=()
for i in "${!LOADS[@]}"; do
  # shellcheck disable=SC2086 # the arguments are words on purpose
  "$PRODUCER" ${LOADS[$i]} >"$WORK/producer$i.log" 2>&1 &
  producers+=($!)
  PIDS+=($!)
done
sleep 2
for i in "${!producers[@]}"; do
  kill -0 "${producers[$i]}" 2>/dev/null || { cat "$WORK/producer$i.log"; fail "producer $i did not run"; }
done

start=$(date +%s%N)
if [ "$WHAT" = presenter ]; then
  kill -9 "$presenter"
else
  kill -9 "$WESTON"
  set +e
  wait "$presenter"
  code=$?
  set -e
  ms=$((($(date +%s%N) - start) / 1000000))
  cat "$WORK/presenter.log"
  [ "$code" -ne 0 ] || fail "the presenter exited 0 after losing its parent under load"
  [ "$ms" -le 1000 ] || fail "the presenter took $ms ms to exit under load"
  grep -q "parent compositor went away" "$WORK/presenter.log" || fail "no message from the presenter"
  echo "the presenter exited $code after $ms ms"
fi
for i in "${!producers[@]}"; do
  set +e
  wait "${producers[$i]}"
  code=$?
  set -e
  ms=$((($(date +%s%N) - start) / 1000000))
  tail -n 1 "$WORK/producer$i.log"
  [ "$code" -ne 0 ] || fail "producer $i (${LOADS[$i]}) exited 0 though its presenter died"
  [ "$ms" -le 5000 ] || fail "producer $i took $ms ms to notice"
  grep -q "handoff-producer: lost the connection" "$WORK/producer$i.log" ||
    fail "producer $i (${LOADS[$i]}): unclear message: $(tail -n 1 "$WORK/producer$i.log")"
  echo "producer $i (${LOADS[$i]}) exited $code within $ms ms"
done
echo "ok: under load, losing the $WHAT ends every client with a clear message"

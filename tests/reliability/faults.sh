#!/usr/bin/env bash
# Producers killed with SIGKILL at random moments, with frames in flight, again and again,
# beside a legitimate 60 fps producer:
#
#   faults.sh [--quick] [--iterations N]
#
# Default 1000 kills (about 6 minutes); --quick (CI) does 100 in about 30 s. Each victim renders
# slowly (frames in flight: images out, points unsignaled, commits queued) with a random
# present mode, sync mode, buffer count and size, and dies after a random 10 to 250 ms. The
# script fails when the presenter dies, when the legitimate producer's presented count stops
# rising, or when, after the last kill, the presenter's fds or mappings of client memory are
# not back to their baseline exactly, or its RSS is not back within a small slack.
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"

ITERATIONS=1000
while [ $# -gt 0 ]; do
  case $1 in
    --quick) ITERATIONS=100 ;;
    --iterations) ITERATIONS=$2; shift ;;
    *) fail "unknown argument $1" ;;
  esac
  shift
done
RANDOM=$SEED
# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default), which would
# read as RSS growth: keep it small.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=8

"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 1280x720 \
  >"$WORK/presenter.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET" ] && break; sleep 0.05; done
export WAYLAND_DISPLAY=$SOCKET
"$PRODUCER" --fps 60 --size 320x240 -v >"$WORK/legit.log" 2>&1 &
legit=$!
PIDS+=("$legit")

fds() { find "/proc/$presenter/fd" -mindepth 1 -maxdepth 1 | wc -l; }
maps() { grep -c -e handoff-image -e handoff-timeline "/proc/$presenter/maps" || true; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$presenter/status"; }
presented() { grep presented "$WORK/legit.log" | tail -n 1 | awk '{ print $4 }'; }

victim_args() {
  local sizes=(64x64 320x240 1280x720) modes=(mailbox fifo) syncs=(explicit explicit implicit)
  echo "--fps 0 --size ${sizes[RANDOM % 3]} --buffers $((RANDOM % 4 + 1))" \
    "--present-mode ${modes[RANDOM % 2]} --sync ${syncs[RANDOM % 3]}" \
    "--debug-render-delay-us $((RANDOM % 8000)) --seed $RANDOM"
}

# A warm-up: the presenter's allocator and its first client's lazily made state settle.
for _ in 1 2 3; do
  # shellcheck disable=SC2046 # the arguments are words on purpose
  "$PRODUCER" $(victim_args) >/dev/null 2>&1 &
  sleep 0.3
  kill -9 $! 2>/dev/null || true
  wait $! 2>/dev/null || true
done
sleep 1
fds0=$(fds) maps0=$(maps) rss0=$(rss_kib)
p_last=$(presented)
echo "baseline: $fds0 fds, $maps0 mappings of client memory, RSS $((rss0 / 1024)) MiB"

start=$(date +%s)
for i in $(seq "$ITERATIONS"); do
  # shellcheck disable=SC2046
  "$PRODUCER" $(victim_args) >/dev/null 2>&1 &
  victim=$!
  sleep "0.$(printf '%03d' $((RANDOM % 240 + 10)))"
  kill -9 "$victim" 2>/dev/null || true
  wait "$victim" 2>/dev/null || true
  if [ $((i % 20)) -eq 0 ]; then
    kill -0 "$presenter" 2>/dev/null || fail "the presenter died after $i kills"
    kill -0 "$legit" 2>/dev/null || fail "the legitimate producer stopped after $i kills"
    p=$(presented)
    [ "${p:-0}" -gt "${p_last:-0}" ] || fail "the legitimate producer's frames stopped after $i kills"
    p_last=$p
    echo "$i kills: presenter $(fds) fds, RSS $(($(rss_kib) / 1024)) MiB; legit presented $p"
  fi
done
elapsed=$(($(date +%s) - start))

fds1="" maps1="" rss1=""
for _ in $(seq 60); do
  fds1=$(fds) maps1=$(maps) rss1=$(rss_kib)
  [ "$fds1" -eq "$fds0" ] && [ "$maps1" -eq "$maps0" ] && break
  sleep 0.05
done
echo "after $ITERATIONS kills in $elapsed s: $fds1 fds (baseline $fds0)," \
  "$maps1 mappings ($maps0), RSS $((rss1 / 1024)) MiB ($((rss0 / 1024)) MiB)"
expect_eq "presenter fds after $ITERATIONS kills" "$fds1" "$fds0"
expect_eq "presenter mappings of client memory after $ITERATIONS kills" "$maps1" "$maps0"
# RSS: the allocator may keep some freed memory; a leak per kill would show far above this.
slack=$((8192 + rss0 / 10))
[ "$rss1" -le $((rss0 + slack)) ] ||
  fail "presenter RSS grew from $((rss0 / 1024)) to $((rss1 / 1024)) MiB over $ITERATIONS kills"
"$PRODUCER" --frames 20 --fps 0 --size 64x64 --pattern solid || fail "no service after the kills"
echo "ok: the presenter survived $ITERATIONS kills; fds and mappings back to baseline, RSS within $((slack / 1024)) MiB"

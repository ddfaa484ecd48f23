#!/usr/bin/env bash
# Soak: a million frames at 720p through one presenter, with random delays on both sides, half
# in mailbox mode and half in fifo, every composed frame checked (--check solid). The
# presenter's fds, RSS and mappings of client memory are sampled into a CSV and plotted.
#
#   scripts/soak.sh [--frames N] [--delay-us D] [--interval S] [--out DIR] [--quick]
#
#   --frames N     frames in all, half per mode (default 1000000: about an hour here)
#   --delay-us D   the producer sleeps up to D us inside each render, the presenter up to D us
#                  inside each buffer read (default 2000)
#   --interval S   seconds between samples (default 1)
#   --out DIR      where soak.csv, soak.svg and the logs go (default soak-YYYYmmdd-HHMMSS)
#   --quick        CI: 4000 frames (about 10 s here), samples every 0.5 s
#
# Fails when a frame is torn or stale, when the presenter's fd count changes while the same
# clients are connected or is not back to its first value at the end, when its mappings of
# client memory are not back, or when its RSS grows past 8 MiB + 10% after the first tenth.
# Needs HANDOFF_BUILD (default: build/ next to this script); gnuplot (gnuplot-nox) draws.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${HANDOFF_BUILD:-$ROOT/build}
PRESENTER=$BUILD/presenter/handoff-presenter
PRODUCER=$BUILD/producer/handoff-producer
FRAMES=1000000 DELAY=2000 INTERVAL=1 OUT=""
while [ $# -gt 0 ]; do
  case $1 in
    --frames) FRAMES=$2; shift ;;
    --delay-us) DELAY=$2; shift ;;
    --interval) INTERVAL=$2; shift ;;
    --out) OUT=$2; shift ;;
    --quick) FRAMES=4000 INTERVAL=0.5 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -x "$PRESENTER" ] || [ ! -x "$PRODUCER" ]; then
  echo "soak.sh: build first (no $PRESENTER)" >&2
  exit 1
fi

RUNTIME=$(mktemp -d /tmp/handoff-soak-XXXXXX)
chmod 700 "$RUNTIME"
if [ -z "$OUT" ]; then
  if [ -n "${HANDOFF_BUILD:-}" ] && [ "$FRAMES" -le 10000 ]; then OUT=$RUNTIME/out; else OUT=soak-$(date +%Y%m%d-%H%M%S); fi
fi
mkdir -p "$OUT"
export XDG_RUNTIME_DIR=$RUNTIME
unset WAYLAND_DISPLAY
# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default), which would
# read as RSS growth: keep it small.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=8
SOCKET=handoff-soak-$$
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RUNTIME"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 1280x720 --check solid \
  --debug-blit-delay-us "$DELAY" --seed 1 --stats "$OUT/presenter.json" -v \
  >"$OUT/presenter.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
for _ in $(seq 200); do [ -S "$RUNTIME/$SOCKET" ] && break; sleep 0.05; done
[ -S "$RUNTIME/$SOCKET" ] || fail "the presenter did not start"
export WAYLAND_DISPLAY=$SOCKET

fds() { find "/proc/$presenter/fd" -mindepth 1 -maxdepth 1 | wc -l; }
maps() { grep -c -e handoff-image -e handoff-timeline "/proc/$presenter/maps" || true; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$presenter/status"; }
# From the presenter's progress line (once a second): presented, torn, stale.
progress() {
  { grep presented "$OUT/presenter.log" || true; } | tail -n 1 |
    sed -n 's/.*presented \([0-9]*\).*torn \([0-9]*\), stale \([0-9]*\).*/\1,\2,\3/p'
}

fds0=$(fds) maps0=$(maps) rss0=$(rss_kib)
echo "soak: $FRAMES frames at 1280x720, delays up to $DELAY us on both sides; output in $OUT"
echo "presenter before: $fds0 fds, $maps0 mappings of client memory, RSS $((rss0 / 1024)) MiB"
echo "seconds,phase,presented,torn,stale,fds,rss_kib,maps" >"$OUT/soak.csv"
start=$(date +%s%N)
half=$((FRAMES / 2))
for mode in mailbox fifo; do
  "$PRODUCER" --size 1280x720 --pattern solid --fps 0 --frames "$half" --present-mode "$mode" \
    --debug-render-delay-us "$DELAY" --seed 2 --stats "$OUT/producer-$mode.json" \
    >"$OUT/producer-$mode.log" 2>&1 &
  producer=$!
  PIDS+=("$producer")
  while kill -0 "$producer" 2>/dev/null; do
    t=$(awk -v n="$(date +%s%N)" -v s="$start" 'BEGIN { printf "%.1f", (n - s) / 1e9 }')
    p=$(progress)
    echo "$t,$mode,${p:-0,0,0},$(fds),$(rss_kib),$(maps)" >>"$OUT/soak.csv"
    sleep "$INTERVAL"
  done
  wait "$producer" || fail "the $mode producer failed: $(tail -n 2 "$OUT/producer-$mode.log")"
done
sleep 0.5
fds1=$(fds) maps1=$(maps) rss1=$(rss_kib)
seconds=$((($(date +%s%N) - start) / 1000000000))
kill -TERM "$presenter"
wait "$presenter" || fail "the presenter exited with an error: $(tail -n 3 "$OUT/presenter.log")"

num() { sed -n "s/.*\"$2\": \([0-9]*\).*/\1/p" "$1" | head -n 1; }
torn=$(num "$OUT/presenter.json" torn) stale=$(num "$OUT/presenter.json" stale)
checked=$(num "$OUT/presenter.json" checked)
presented=$(($(num "$OUT/producer-mailbox.json" frames_presented) + $(num "$OUT/producer-fifo.json" frames_presented)))
echo "presenter after:  $fds1 fds, $maps1 mappings of client memory, RSS $((rss1 / 1024)) MiB"
echo "$FRAMES frames sent in $seconds s, $presented presented, $checked output frames checked:" \
  "torn $torn, stale $stale"

# Flat: while one client is connected the fd count is one value; the first tenth of the run
# is the allocator's warm-up, after which RSS stays within the slack.
# A phase's first and last samples may fall before its producer connected or after it left.
read -r fd_min fd_max rss_ref rss_max < <(awk -F, 'NR > 1 {
    n++; f[n] = $6; r[n] = $7; ph[n] = $2 }
  END { lo = 1e9; hi = 0; ref = r[int(n / 10) + 1]; mr = 0
    for (i = 1; i <= n; i++) {
      if (i > 1 && i < n && ph[i - 1] == ph[i] && ph[i + 1] == ph[i]) {
        if (f[i] < lo) lo = f[i]; if (f[i] > hi) hi = f[i] }
      if (i > n / 10 && r[i] > mr) mr = r[i] }
    if (hi == 0) lo = hi = f[n]
    print lo, hi, ref, mr }' "$OUT/soak.csv")
echo "samples: fds $fd_min..$fd_max, RSS after warm-up $((rss_ref / 1024))..$((rss_max / 1024)) MiB"

if command -v gnuplot >/dev/null; then
  gnuplot <<EOF || echo "soak: gnuplot failed; the CSV is in $OUT"
set terminal svg size 900,500
set output "$OUT/soak.svg"
set datafile separator ","
set key autotitle columnhead
set xlabel "seconds"
set ylabel "RSS (MiB)"
set y2label "fds, mappings"
set y2tics
set ytics nomirror
set title "handoff-presenter over $FRAMES frames: RSS, fds and client mappings"
plot "$OUT/soak.csv" using 1:(\$7/1024) with lines title "RSS (MiB)", \
     "" using 1:6 axes x1y2 with steps title "fds", \
     "" using 1:8 axes x1y2 with steps title "mappings of client memory"
EOF
  [ -f "$OUT/soak.svg" ] && echo "plot: $OUT/soak.svg"
else
  echo "soak: no gnuplot (apt-get install gnuplot-nox): no plot, the CSV is $OUT/soak.csv"
fi

[ "$torn" = 0 ] || fail "$torn torn frames"
[ "$stale" = 0 ] || fail "$stale stale frames"
[ "${checked:-0}" -gt 0 ] || fail "no frame was checked"
[ "$fds1" -eq "$fds0" ] || fail "the presenter's fds went from $fds0 to $fds1"
[ "$maps1" -eq "$maps0" ] || fail "the presenter's mappings of client memory went from $maps0 to $maps1"
[ $((fd_max - fd_min)) -le 1 ] || fail "the presenter's fds moved between $fd_min and $fd_max"
slack=$((8192 + rss_ref / 10))
[ "$rss_max" -le $((rss_ref + slack)) ] ||
  fail "the presenter's RSS grew from $((rss_ref / 1024)) to $((rss_max / 1024)) MiB"
echo "ok: torn 0, stale 0; fds and mappings back to $fds0 and $maps0; RSS flat within $((slack / 1024)) MiB"

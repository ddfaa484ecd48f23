#!/usr/bin/env bash
# One producer into several headless presenters (issue 15, part 3): prints, never asserts.
#   bench/multi_presenters.sh [--build DIR] [--seconds N] [--size WxH]
# Rows: the CPU producer at --fps 0 into 1, 2 and 4 presenters at --refresh 0, then one
# 144 Hz presenter alone and beside a 30 Hz one (mailbox). For each run: the producer's
# submitted fps and CPU per frame (its own --stats), each presenter's shown fps, its latency
# from ready to presented (p50/p99, its --stats) and its whole-process CPU per shown frame
# (from /proc, since a presenter's stats count its repaints only).
set -euo pipefail
BUILD=build SECONDS_PER_RUN=5 SIZE=1920x1080
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "multi_presenters.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
PRESENTER=$BUILD/presenter/handoff-presenter
PRODUCER=$BUILD/producer/handoff-producer
[ -x "$PRESENTER" ] && [ -x "$PRODUCER" ] || {
  echo "multi_presenters.sh: build first ($BUILD)" >&2
  exit 1
}
WORK=$(mktemp -d /tmp/handoff-multi-bench-XXXXXX)
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
TICK=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
num() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
pct() { sed -n "s/.*\"$2\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/\1 \2/p" "$1"; }

# run NAME RATE... : one producer into one presenter per RATE
run() {
  local name=$1
  shift
  local rates=("$@") pids=() displays=() i
  for i in "${!rates[@]}"; do
    "$PRESENTER" --socket "$name-$i" --output headless --size "$SIZE" --refresh "${rates[$i]}" \
      --stats "$WORK/$name-$i.json" >"$WORK/$name-$i.log" 2>&1 &
    pids+=($!)
    PIDS+=($!)
    displays+=(--display "$name-$i")
  done
  for i in "${!rates[@]}"; do
    for _ in $(seq 200); do [ -S "$WORK/$name-$i" ] && break; sleep 0.05; done
  done
  local before=() t0 t1
  "$PRODUCER" --fps 0 --size "$SIZE" --pattern solid "${displays[@]}" \
    --stats "$WORK/$name-producer.json" >"$WORK/$name-producer.log" 2>&1 &
  local producer=$!
  PIDS+=("$producer")
  sleep 1 # past the start
  for i in "${!rates[@]}"; do before+=("$(cpu_ticks "${pids[$i]}")"); done
  local pbefore
  pbefore=$(cpu_ticks "$producer")
  t0=$(date +%s%N)
  sleep "$SECONDS_PER_RUN"
  t1=$(date +%s%N)
  local pafter after=()
  pafter=$(cpu_ticks "$producer")
  for i in "${!rates[@]}"; do after+=("$(cpu_ticks "${pids[$i]}")"); done
  kill -INT "$producer"
  wait "$producer" || true
  for i in "${!rates[@]}"; do kill -TERM "${pids[$i]}"; wait "${pids[$i]}" || true; done
  local secs pj=$WORK/$name-producer.json
  secs=$(num "$pj" seconds)
  local submitted pfps
  submitted=$(num "$pj" frames_submitted)
  pfps=$(awk "BEGIN{printf \"%.0f\", $submitted / $secs}")
  local pcpu
  pcpu=$(awk "BEGIN{printf \"%.0f\", ($pafter - $pbefore) * 1e6 / $TICK / ($pfps * ($t1 - $t0) / 1e9)}")
  printf '%-16s producer %5s fps, %5s us CPU/frame (window) %s us (its stats)\n' \
    "$name" "$pfps" "$pcpu" "$(num "$pj" cpu_us_per_frame)"
  for i in "${!rates[@]}"; do
    local j=$WORK/$name-$i.json frames fps lat cpu
    frames=$(num "$j" output_frames)
    fps=$(awk "BEGIN{printf \"%.0f\", $(num "$j" frames_presented) / $secs}")
    lat=$(pct "$j" latency_ready_to_presented)
    cpu=$(awk "BEGIN{printf \"%.0f\", (${after[$i]} - ${before[$i]}) * 1e6 / $TICK / ($fps * ($t1 - $t0) / 1e9 + 1e-9)}")
    printf '%-16s   presenter %d (refresh %3s): %5s fps shown, latency p50/p99 %s us, %5s us CPU/frame\n' \
      "" "$i" "${rates[$i]}" "$fps" "$(echo "$lat" | tr ' ' '/')" "$cpu"
  done
}

echo "one producer, several presenters: $SIZE, $SECONDS_PER_RUN s each, $(nproc) CPUs"
run one 0
run two 0 0
run four 0 0 0 0
run fast-alone 144
run fast-beside-30 144 30

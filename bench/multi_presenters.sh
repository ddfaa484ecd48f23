#!/usr/bin/env bash
# One producer into several headless presenters (issue 15, part 3): prints, never asserts.
#   bench/multi_presenters.sh [--build DIR] [--seconds N]
# First handoff-bench --multi-only (part 5 of handoff-bench: one producer into 1, 2 and 4
# presenters and into one presenter of two outputs, at 1080p, --refresh 0), then what
# handoff-bench does not do: one 144 Hz presenter alone and beside a 30 Hz one (mailbox), the
# fast one's rate in each. For each: the producer's submitted fps and each presenter's shown
# fps (their --stats).
set -euo pipefail
BUILD=build SECONDS_PER_RUN=5 SIZE=1920x1080
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "multi_presenters.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
PRESENTER=$BUILD/presenter/handoff-presenter
PRODUCER=$BUILD/producer/handoff-producer
BENCH=$BUILD/bench/handoff-bench
if [ ! -x "$PRESENTER" ] || [ ! -x "$PRODUCER" ] || [ ! -x "$BENCH" ]; then
  echo "multi_presenters.sh: build first ($BUILD)" >&2
  exit 1
fi
"$BENCH" --multi-only --presenter "$PRESENTER" --producer "$PRODUCER" |
  sed -n '/^### 5\./,/^### Goals/p' | sed '$d'

WORK=$(mktemp -d /tmp/handoff-multi-bench-XXXXXX)
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
num() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }

# run NAME RATE... : one producer into one presenter per RATE
run() {
  local name=$1
  shift
  local rates=("$@") pids=() displays=() i _
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
  "$PRODUCER" --fps 0 --size "$SIZE" --pattern solid "${displays[@]}" \
    --stats "$WORK/$name-producer.json" >"$WORK/$name-producer.log" 2>&1 &
  local producer=$!
  PIDS+=("$producer")
  sleep "$SECONDS_PER_RUN"
  kill -INT "$producer"
  wait "$producer" || true
  for i in "${!rates[@]}"; do kill -TERM "${pids[$i]}"; wait "${pids[$i]}" || true; done
  local pj=$WORK/$name-producer.json secs
  secs=$(num "$pj" seconds)
  printf '| %s | %s |' "$name" "$(awk "BEGIN{printf \"%.0f\", $(num "$pj" frames_submitted) / $secs}")"
  for i in "${!rates[@]}"; do
    printf ' %s Hz: %s fps |' "${rates[$i]}" \
      "$(awk "BEGIN{printf \"%.0f\", $(num "$WORK/$name-$i.json" output_frames) / $secs}")"
  done
  echo
}

echo
echo "### A 144 Hz presenter alone and beside a 30 Hz one ($SIZE, mailbox, $SECONDS_PER_RUN s each, $(nproc) CPUs)"
echo
echo "| case | producer fps | presenter 0 | presenter 1 |"
echo "|---|---|---|---|"
run fast-alone 144
run fast-beside-30 144 30

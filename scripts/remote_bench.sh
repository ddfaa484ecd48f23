#!/usr/bin/env bash
# Measures what waypipe costs the presenter's window: the same run nested in a headless weston
# directly, and through waypipe run locally (`waypipe client` beside weston, `waypipe server`
# running the presenter), as it would be from another machine with `waypipe ssh`. Prints the
# producer's presented fps, its latency from acquire signaled to presented by weston, and the
# CPU time that waypipe's two connection processes spent per presented frame.
# docs/remote.md has the numbers. Usage: scripts/remote_bench.sh [RUNS] (default 3); set
# HANDOFF_BUILD to use an existing build, SIZES, PATTERNS, FPS_LIST and FRAMES to change runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${HANDOFF_BUILD:-}" ]; then
  scripts/build.sh >/dev/null
  HANDOFF_BUILD=$PWD/build
fi
RUNS=${1:-3}
FRAMES=${FRAMES:-300}
PRESENTER=$HANDOFF_BUILD/presenter/handoff-presenter
PRODUCER=$HANDOFF_BUILD/producer/handoff-producer
command -v waypipe >/dev/null || { echo "waypipe is not installed (scripts/deps.sh)" >&2; exit 1; }

XDG_RUNTIME_DIR=$(mktemp -d /tmp/handoff-remote-XXXXXX)
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
unset WAYLAND_DISPLAY
W=$XDG_RUNTIME_DIR
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

weston --backend=headless-backend.so --use-pixman --idle-time=0 --socket=parent \
  --width=1920 --height=1080 >"$W/weston.log" 2>&1 &
PIDS+=($!)
WAYLAND_DISPLAY=parent waypipe --socket "$W/waypipe.sock" client >"$W/waypipe.log" 2>&1 &
CLIENT=$!
PIDS+=("$CLIENT")
for _ in $(seq 100); do [ -S "$W/parent" ] && [ -S "$W/waypipe.sock" ] && break; sleep 0.05; done
sleep 1 # past weston's fade-in

json() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1; }
lat() { sed -n "s/.*\"latency_acquire_to_presented\": {\"p50_us\": \([0-9.]*\), \"p90_us\": [0-9.]*, \"p99_us\": \([0-9.]*\).*/\1 \2/p" "$1"; }

# waypipe_cpu_ms SERVER: samples, until SERVER exits, the CPU time of the processes that
# waypipe's server and client fork for the connection; prints the total in ms.
waypipe_cpu_ms() {
  local pid
  while kill -0 "$1" 2>/dev/null; do
    for pid in $(pgrep -P "$1" -x waypipe) $(pgrep -P "$CLIENT" -x waypipe); do
      awk -v pid="$pid" '{ print pid, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
    done
    sleep 0.1
  done | awk -v hz="$(getconf CLK_TCK)" '{ t[$1] = $2 } END { for (p in t) s += t[p]; print s * 1000 / hz }'
}

# run PATH SIZE PATTERN FPS: one run; prints "fps p50_us p99_us waypipe_cpu_ms".
run() {
  local cmd=("$PRESENTER" --output wayland --size "$2" --stats "$W/presenter.json" --
    "$PRODUCER" --frames "$FRAMES" --fps "$4" --size "$2" --pattern "$3" --stats "$W/producer.json")
  rm -f "$W"/*.json
  local cpu=0 server
  if [ "$1" = direct ]; then
    WAYLAND_DISPLAY=parent "${cmd[@]}" >"$W/run.log" 2>&1 || { cat "$W/run.log" >&2; return 1; }
  else
    waypipe --socket "$W/waypipe.sock" server -- "${cmd[@]}" >"$W/run.log" 2>&1 &
    server=$!
    cpu=$(waypipe_cpu_ms "$server")
    wait "$server" || { cat "$W/run.log" >&2; return 1; }
  fi
  echo "$(json "$W/producer.json" presented_fps) $(lat "$W/producer.json") $cpu" \
    "$(json "$W/producer.json" frames_presented)"
}

printf '%-10s %-8s %-4s %-8s %8s %8s %8s %14s\n' size pattern fps path "fps" "p50 ms" "p99 ms" \
  "waypipe CPU"
for size in ${SIZES:-1280x720 1920x1080}; do
  for pattern in ${PATTERNS:-moving solid}; do
    for fps in ${FPS_LIST:-60 0}; do
      for path in direct waypipe; do
        for _ in $(seq "$RUNS"); do
          read -r f p50 p99 cpu presented < <(run "$path" "$size" "$pattern" "$fps")
          printf '%-10s %-8s %-4s %-8s %8.1f %8.1f %8.1f %8.1f ms/fr\n' "$size" "$pattern" "$fps" \
            "$path" "$f" "$(awk "BEGIN { print $p50 / 1000 }")" "$(awk "BEGIN { print $p99 / 1000 }")" \
            "$(awk "BEGIN { print $cpu / $presented }")"
        done
      done
    done
  done
done

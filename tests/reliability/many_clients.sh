#!/usr/bin/env bash
# Many clients, each within every limit (handoff-attack at_limits), beside a legitimate 60 fps
# producer: prints the producer's frame rate with them and without, and the presenter's CPU.
#
#   many_clients.sh [--quick] [--clients N] [--windows W] [--seconds S] [--perf FILE]
#
# Defaults: 20 clients of 50 windows each (1,000 of the 1,024 windows the presenter shows),
# 10 s. --perf records the presenter with perf (call graphs) into FILE. --quick (CI): 5
# clients of 10 windows for 2 s, asserting only that the presenter lives and the producer's
# frames keep coming; the frame rate is a measurement (docs/security.md), never asserted.
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
ATTACK=$HANDOFF_BUILD/tests/reliability/handoff-attack
CLIENTS=20 WINDOWS=50 SECONDS_=10 PERF=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) CLIENTS=5 WINDOWS=10 SECONDS_=2 ;;
    --clients) CLIENTS=$2; shift ;;
    --windows) WINDOWS=$2; shift ;;
    --seconds) SECONDS_=$2; shift ;;
    --perf) PERF=$2; shift ;;
    *) fail "unknown argument $1" ;;
  esac
  shift
done
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 60 --size 1280x720 \
  >"$WORK/presenter.log" 2>&1 &
presenter=$!
PIDS+=("$presenter")
for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET" ] && break; sleep 0.05; done
[ -S "$XDG_RUNTIME_DIR/$SOCKET" ] || fail "the presenter did not start"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${1:-$presenter}/stat" 2>/dev/null || echo 0; }
# The attackers' CPU ticks together: on a small machine they compete with the presenter.
attackers_ticks() {
  local sum=0 a
  for a in "${attackers[@]}"; do sum=$((sum + $(cpu_ticks "$a"))); done
  echo "$sum"
}

# legit_fps SECONDS: the legitimate producer's presented frames per second over that long.
legit_fps() {
  WAYLAND_DISPLAY=$SOCKET "$PRODUCER" --fps 60 --size 320x240 --frames $((60 * $1)) \
    --stats "$WORK/legit.json" >"$WORK/legit.log" 2>&1 || { cat "$WORK/legit.log"; fail "the legitimate producer failed"; }
  # Presented frames over the run's own duration (a producer held back by late releases
  # takes longer than its frames at 60 fps would).
  awk -v n="$(json_num "$WORK/legit.json" frames_presented)" \
    -v s="$(json_num "$WORK/legit.json" seconds)" 'BEGIN { printf "%.1f", n / s }'
}
alone=$(legit_fps 2)
attackers=()
for i in $(seq "$CLIENTS"); do
  WAYLAND_DISPLAY=$SOCKET ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    "$ATTACK" at_limits $((SECONDS_ + 30)) "$WINDOWS" >"$WORK/attack-$i.out" 2>&1 &
  attackers+=($!)
  PIDS+=($!)
done
sleep 2 # all connected, their windows shown
cpu0=$(cpu_ticks) acpu0=$(attackers_ticks) t0=$(date +%s%N)
if [ -n "$PERF" ]; then
  perf record -g -p "$presenter" -o "$PERF" -- sleep "$SECONDS_" >/dev/null 2>&1 &
fi
with=$(legit_fps "$SECONDS_")
cpu1=$(cpu_ticks) acpu1=$(attackers_ticks) t1=$(date +%s%N)
kill -0 "$presenter" 2>/dev/null || fail "the presenter died"
for a in "${attackers[@]}"; do
  kill -0 "$a" 2>/dev/null || { cat "$WORK"/attack-*.out | sort | uniq -c; fail "an attacker was disconnected: it did not stay within the limits"; }
done
pct() { awk -v c="$1" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", 100 * c / hz / (t / 1e9) }'; }
cpu=$(pct $((cpu1 - cpu0)))
acpu=$(pct $((acpu1 - acpu0)))
kill "${attackers[@]}" 2>/dev/null || true
wait "${attackers[@]}" 2>/dev/null || true
echo "legitimate producer: ${alone} fps alone, ${with} fps beside $CLIENTS clients of $WINDOWS windows" \
  "at their limits ($(awk -v a="$with" 'BEGIN { printf "%d", 100 * a / 60 }')% of 60); presenter CPU ${cpu}%, the $CLIENTS clients' ${acpu}% (of $(nproc) CPUs: $((100 * $(nproc)))%)"
[ "$(json_num "$WORK/legit.json" frames_presented)" -gt 0 ] || fail "the legitimate producer's frames stopped"
echo ok

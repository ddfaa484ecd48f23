#!/usr/bin/env bash
# One producer, several presenters (handoff-producer --display, repeated), random delays on
# every side (each presenter's reads, the producer's drawing):
#   two      mailbox into presenters at free-running and 60 Hz: each checker sees 0 torn and
#            0 stale, every presenter is sent frames
#   four     fifo into presenters at 30, 60, 144 Hz and free-running: the same
#   killstop mailbox into three: one is SIGKILLed and one SIGSTOPped mid-run; the producer
#            drops the killed one at once, sends the stopped one nothing past its hold limit,
#            and goes on to its last frame into the third, whose snapshot is that frame
#   nested   mailbox into a presenter nested in weston and a headless one at 144 Hz: the same
#   grow     the image pool (--buffers 8): one frame makes 2 images, a paced run into two
#            presenters that keep up makes fewer than 8, and with one presenter SIGSTOPped
#            the pool grows past hold limit + 1 (the producer's summary and --stats count)
#   control  the negative control: with HANDOFF_SDK_DEBUG_ONE_RELEASE=1 the SDK reuses an
#            image once presenter 0 alone released it; the slow second presenter sees torn
#            frames (this proves that the test can fail)
# and the same with a Vulkan producer and Vulkan presenters on lavapipe (skipped, 77, without
# it): the images are vk_opaque_fd memory imported by each presenter, the timelines shm ones
# signaled by the SDK's GPU completion thread (lavapipe exports no semaphore fds):
#   vk_two, vk_four, vk_killstop, vk_control, vk_nested, vk_grow  as above (vk_killstop:
#            the stopped presenter stays stopped to the end, often longer than its
#            composition's 5 s wait, which counts only time awake)
#   vk_mixed   a Vulkan and a pixman presenter: memfd memory for both (what both take)
. "$(dirname "$0")/lib.sh"
WHICH=${1:-all}
# Options of every presenter and of the producer: the CPU paths unless vk_* below.
PRESENTER_ARGS=()
PRODUCER_ARGS=()
case $WHICH in
  vk_*)
    # shellcheck source=vulkan_lib.sh
    . "$(dirname "$0")/vulkan_lib.sh"
    # One lavapipe thread each: up to five Vulkan processes share CI's two cores.
    export LP_NUM_THREADS=1
    PRESENTER_ARGS=(--renderer vulkan)
    PRODUCER_ARGS=(--renderer vulkan -v)
    ;;
esac

# start NAME REFRESH [PRESENTER-OPTIONS...]: a headless presenter on $SOCKET-NAME
start() {
  local name=$1 refresh=$2
  shift 2
  "$PRESENTER" --socket "$SOCKET-$name" --output headless --size 320x240 --refresh "$refresh" \
    --check solid --seed "$SEED" --stats "$WORK/$name.json" --snapshot "$WORK/$name.png" \
    ${PRESENTER_ARGS[@]+"${PRESENTER_ARGS[@]}"} "$@" \
    >"$WORK/$name.log" 2>&1 &
  eval "PID_$name=$!"
  PIDS+=($!)
  local _
  for _ in $(seq 200); do [ -S "$XDG_RUNTIME_DIR/$SOCKET-$name" ] && return; sleep 0.05; done
  fail "presenter $name did not start"
}

# finish NAME: stops presenter NAME and prints its checker's counts
finish() {
  local pid
  eval "pid=\$PID_$1"
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid"
  wait "$pid" || { cat "$WORK/$1.log"; fail "presenter $1 failed"; }
  echo "presenter $1: $(tr -d '\n ' <"$WORK/$1.json" | grep -o '"checked":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*' | tr '\n' ' ')"
}

# clean NAME: 0 torn and 0 stale, and something checked
clean() {
  expect_eq "$1 torn" "$(json_num "$WORK/$1.json" torn)" 0
  expect_eq "$1 stale" "$(json_num "$WORK/$1.json" stale)" 0
  expect_gt "$1 checked" "$(json_num "$WORK/$1.json" checked)" 10
}

# produce LOG OPTIONS...: the producer, with random drawing delays
produce() {
  local log=$1
  shift
  "$PRODUCER" --size 320x240 --pattern solid --debug-render-delay-us 1500 --seed "$SEED" \
    ${PRODUCER_ARGS[@]+"${PRODUCER_ARGS[@]}"} "$@" >"$WORK/$log" 2>&1
}

# transport LOG MEMORY: a Vulkan producer's images went as MEMORY, with shm timelines
transport() {
  [ ${#PRODUCER_ARGS[@]} -eq 0 ] && return
  grep -q "vulkan: .*memory $2.*timelines shm (signaled once the GPU has completed)" "$WORK/$1" ||
    { cat "$WORK/$1"; fail "$1: not the $2 path"; }
}

# FRAMES: fewer on the slower Vulkan paths, to keep the suite's time
frames() { if [ ${#PRODUCER_ARGS[@]} -eq 0 ]; then echo "$1"; else echo "$2"; fi; }


sent() { sed -n "s/.*presenter $2 ([^)]*): \([0-9]*\) frames sent.*/\1/p" "$WORK/$1"; }

run_two() {
  start a 0 --debug-blit-delay-us 1500
  start b 60 --debug-blit-delay-us 1500
  local frames
  frames=$(frames 1500 600)
  produce two.log --frames "$frames" --fps 0 --display "$SOCKET-a" --display "$SOCKET-b" ||
    { cat "$WORK/two.log"; fail "the two-presenter run failed"; }
  cat "$WORK/two.log"
  transport two.log vk_opaque_fd
  finish a
  finish b
  clean a
  clean b
  expect_gt "frames sent to b" "$(sent two.log 1)" 10
  "$PROBE" "$WORK/a.png" --fill "$(solid_hex "$frames")" || fail "a's snapshot is not frame $frames"
  "$PROBE" "$WORK/b.png" --fill "$(solid_hex "$frames")" || fail "b's snapshot is not frame $frames"
  echo "ok: two presenters, mailbox"
}

run_four() {
  local n rates=(30 60 144 0)
  for n in 0 1 2 3; do start "f$n" "${rates[$n]}" --debug-blit-delay-us 1500; done
  local frames=300
  produce four.log --frames "$frames" --fps 0 --present-mode fifo --display "$SOCKET-f0" \
    --display "$SOCKET-f1" --display "$SOCKET-f2" --display "$SOCKET-f3" ||
    { cat "$WORK/four.log"; fail "the four-presenter run failed"; }
  cat "$WORK/four.log"
  transport four.log vk_opaque_fd
  for n in 0 1 2 3; do
    finish "f$n"
    clean "f$n"
    expect_gt "frames sent to f$n" "$(sent four.log "$n")" 5
    "$PROBE" "$WORK/f$n.png" --fill "$(solid_hex "$frames")" || fail "f$n's snapshot is not frame $frames"
  done
  echo "ok: four presenters, fifo"
}

run_killstop() {
  start k 144
  start s 144
  start c 144 --debug-blit-delay-us 1500
  local frames=432
  produce killstop.log --frames "$frames" --fps 144 --display "$SOCKET-k" --display "$SOCKET-s" \
    --display "$SOCKET-c" &
  local producer=$!
  PIDS+=("$producer")
  sleep 1
  kill -0 "$producer" 2>/dev/null || { cat "$WORK/killstop.log"; fail "the producer did not run"; }
  # shellcheck disable=SC2154 # PID_k and PID_s are set by start, through eval
  kill -9 "$PID_k"
  # shellcheck disable=SC2154
  kill -STOP "$PID_s"
  local stopped_at=$SECONDS
  wait "$producer" || { cat "$WORK/killstop.log"; fail "the producer did not go on"; }
  cat "$WORK/killstop.log"
  transport killstop.log vk_opaque_fd
  grep -q "presenter 0 went away" "$WORK/killstop.log" || fail "the killed presenter was not dropped"
  grep -q "presenter 0 (.*went away" "$WORK/killstop.log" || fail "no summary for the killed presenter"
  local skipped
  skipped=$(sed -n 's/.*presenter 1 ([^)]*): [0-9]* frames sent, \([0-9]*\) skipped.*/\1/p' "$WORK/killstop.log")
  expect_gt "frames the stopped presenter skipped" "$skipped" 100
  expect_gt "frames sent to the third" "$(sent killstop.log 2)" $((frames / 2))
  finish c
  clean c
  "$PROBE" "$WORK/c.png" --fill "$(solid_hex "$frames")" || fail "the third presenter's snapshot is not frame $frames"
  # Stopped for over 5 s, longer than a Vulkan composition's wait may take awake: once
  # continued it must go on, not fail that wait.
  while [ $((SECONDS - stopped_at)) -le 6 ]; do sleep 0.5; done
  finish s
  expect_eq "s torn" "$(json_num "$WORK/s.json" torn)" 0
  echo "ok: a killed presenter is dropped, a stopped one skipped, the third ends on the last frame"
}

run_nested() {
  # shellcheck source=weston_lib.sh
  . "$(dirname "$0")/weston_lib.sh"
  start_weston 1024 768
  WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-w" --output wayland --size 320x240 \
    --check solid --seed "$SEED" --stats "$WORK/w.json" --debug-blit-delay-us 1500 \
    ${PRESENTER_ARGS[@]+"${PRESENTER_ARGS[@]}"} >"$WORK/w.log" 2>&1 &
  PID_w=$!
  PIDS+=("$PID_w")
  wait_for "$WORK/w.log" "output=wayland" 10
  start h 144 --debug-blit-delay-us 1500
  produce nested.log --frames 600 --fps 0 --display "$SOCKET-w" --display "$SOCKET-h" ||
    { cat "$WORK/nested.log"; fail "the nested run failed"; }
  cat "$WORK/nested.log"
  transport nested.log vk_opaque_fd
  finish w
  finish h
  clean w
  clean h
  "$PROBE" "$WORK/h.png" --fill "$(solid_hex 600)" || fail "the headless presenter's snapshot is not frame 600"
  echo "ok: nested beside headless"
}

run_control() {
  start n0 0
  start n1 0 --debug-blit-delay-us 5000
  HANDOFF_SDK_DEBUG_ONE_RELEASE=1 produce control.log --frames 600 --fps 0 --buffers 2 \
    --display "$SOCKET-n0" --display "$SOCKET-n1" ||
    { cat "$WORK/control.log"; fail "the control run failed"; }
  transport control.log vk_opaque_fd
  finish n0
  finish n1
  expect_gt "torn frames with one presenter's release waited on" "$(json_num "$WORK/n1.json" torn)" 0
  echo "ok: the negative control tears"
}

run_mixed() {
  start v 0 --debug-blit-delay-us 1500
  PRESENTER_ARGS=(--renderer pixman)
  start p 60 --debug-blit-delay-us 1500
  local frames=300
  produce mixed.log --frames "$frames" --fps 0 --display "$SOCKET-v" --display "$SOCKET-p" ||
    { cat "$WORK/mixed.log"; fail "the mixed run failed"; }
  cat "$WORK/mixed.log"
  transport mixed.log memfd
  finish v
  finish p
  clean v
  clean p
  "$PROBE" "$WORK/v.png" --fill "$(solid_hex "$frames")" || fail "v's snapshot is not frame $frames"
  "$PROBE" "$WORK/p.png" --fill "$(solid_hex "$frames")" || fail "p's snapshot is not frame $frames"
  echo "ok: a Vulkan and a pixman presenter take one Vulkan producer's memfd images"
}

# images LOG: how many images the producer's pool made (its summary line)
images() { sed -n 's/^handoff-producer: \([0-9]*\) images made of --buffers.*/\1/p' "$WORK/$1"; }

run_grow() {
  start g0 144
  start g1 144
  # The first frame needs two images: no more are made, however many --buffers allows.
  produce grow-first.log --frames 1 --fps 0 --buffers 8 --stats "$WORK/grow-first.json" \
    --display "$SOCKET-g0" --display "$SOCKET-g1" ||
    { cat "$WORK/grow-first.log"; fail "the one-frame run failed"; }
  cat "$WORK/grow-first.log"
  transport grow-first.log vk_opaque_fd
  expect_eq "images for one frame" "$(images grow-first.log)" 2
  expect_eq "images in --stats" "$(json_num "$WORK/grow-first.json" images)" 2
  # Both presenters keep up at 30 fps: each holds the image it shows and at times the next,
  # so the pool grows little if at all: never past what two holds and a drawing need.
  produce grow-live.log --frames 60 --fps 30 --buffers 8 --display "$SOCKET-g0" \
    --display "$SOCKET-g1" || { cat "$WORK/grow-live.log"; fail "the paced run failed"; }
  cat "$WORK/grow-live.log"
  local live
  live=$(images grow-live.log)
  expect_gt "images with both presenters keeping up" "$live" 1
  expect_lt "images with both presenters keeping up" "$live" 5
  # g1 stopped: it keeps the images it holds (its hold limit, 2), and g0 goes on with its
  # own and one to draw: the pool must have grown past hold limit + 1.
  produce grow-stopped.log --frames 240 --fps 120 --buffers 8 --display "$SOCKET-g0" \
    --display "$SOCKET-g1" &
  local producer=$!
  PIDS+=("$producer")
  sleep 0.5
  kill -0 "$producer" 2>/dev/null || { cat "$WORK/grow-stopped.log"; fail "the producer did not run"; }
  # shellcheck disable=SC2154 # PID_g1 is set by start, through eval
  kill -STOP "$PID_g1"
  wait "$producer" || { cat "$WORK/grow-stopped.log"; fail "the producer did not go on"; }
  cat "$WORK/grow-stopped.log"
  local grown
  grown=$(images grow-stopped.log)
  expect_gt "images with one presenter stopped" "$grown" 3
  expect_lt "images with one presenter stopped (--buffers 8)" "$grown" 9
  finish g0
  finish g1
  echo "ok: the pool starts with 2 images, has $live with both presenters keeping up, grows to $grown with one stopped"
}

case $WHICH in
  two | vk_two) run_two ;;
  four | vk_four) run_four ;;
  killstop | vk_killstop) run_killstop ;;
  control | vk_control) run_control ;;
  vk_mixed) run_mixed ;;
  nested | vk_nested) run_nested ;;
  grow | vk_grow) run_grow ;;
  all) run_two; run_four; run_killstop; run_control; run_nested; run_grow ;;
  *) fail "usage: multi_presenters.sh [vk_]two|[vk_]four|[vk_]killstop|[vk_]control|vk_mixed|[vk_]nested|[vk_]grow|all" ;;
esac

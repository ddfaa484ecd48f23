# waypipe run locally: a `waypipe client` beside the headless weston (source after lib.sh and
# weston_lib.sh). Programs started with `through_waypipe CMD...` reach weston only through it,
# as they would from another machine with `waypipe ssh`.
command -v waypipe >/dev/null || skip "waypipe is not installed (scripts/deps.sh installs it)"
WAYPIPE_SOCKET=$WORK/waypipe.sock

# start_waypipe_client: after start_weston.
start_waypipe_client() {
  WAYLAND_DISPLAY=$PARENT waypipe --socket "$WAYPIPE_SOCKET" client >"$WORK/waypipe-client.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    [ -S "$WAYPIPE_SOCKET" ] && return 0
    sleep 0.05
  done
  cat "$WORK/waypipe-client.log" >&2
  fail "waypipe client did not start"
}

# through_waypipe CMD...: becomes a waypipe server that runs CMD with WAYLAND_DISPLAY set to
# its socket (exec, so that `through_waypipe ... &` gives waypipe's pid in $!).
through_waypipe() {
  exec env -u WAYLAND_DISPLAY waypipe --socket "$WAYPIPE_SOCKET" server -- "$@"
}

# child_of PID PROGRAM: the process running PROGRAM that PID started.
child_of() {
  local child
  for _ in $(seq 100); do
    child=$(pgrep -P "$1" -f "^$2( |$)" | head -n 1)
    [ -n "$child" ] && { echo "$child"; return 0; }
    sleep 0.05
  done
  ps -ef >&2
  fail "process $1 did not start $2"
}

# expect_window_shot HEX WxH: weston's screenshot shows one WxH window of colour HEX. Retried
# for up to 3 s: weston fades its output in at start, dimming every pixel for a moment.
expect_window_shot() {
  local shot
  for _ in $(seq 10); do
    shot=$(screenshot)
    "$PROBE" "$shot" --window "$1" "$2" && return 0
    sleep 0.3
  done
  fail "weston's screenshot does not show a $2 window of colour $1"
}

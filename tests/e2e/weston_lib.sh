# Helpers for the tests that run under a real, headless weston (source after lib.sh).
command -v weston >/dev/null || skip "weston is not installed"
command -v weston-screenshooter >/dev/null || skip "weston-screenshooter is not installed"
PARENT=weston-e2e-$$
mkdir -p "$WORK/shots"

# start_weston W H: a headless weston on a private socket; screenshots need --debug.
start_weston() {
  weston --backend=headless-backend.so --use-pixman --debug --idle-time=0 \
    --socket="$PARENT" --width="${1:-1024}" --height="${2:-768}" >"$WORK/weston.log" 2>&1 &
  WESTON=$!
  PIDS+=("$WESTON")
  for _ in $(seq 200); do
    [ -S "$XDG_RUNTIME_DIR/$PARENT" ] && return 0
    kill -0 "$WESTON" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/weston.log" >&2
  fail "weston did not start"
}

# wait_for FILE TEXT [SECONDS]
wait_for() {
  for _ in $(seq $((${3:-30} * 20))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  cat "$1" >&2 || true
  fail "no \"$2\" in $1"
}

# screenshot: weston's own screenshot of its output; prints the file's path.
screenshot() {
  local before after
  before=$(ls "$WORK/shots" | wc -l)
  (cd "$WORK/shots" && WAYLAND_DISPLAY=$PARENT weston-screenshooter) || fail "weston-screenshooter failed"
  after=$(ls -t "$WORK/shots"/*.png | head -n 1)
  [ "$(ls "$WORK/shots" | wc -l)" -gt "$before" ] || fail "no screenshot was written"
  echo "$after"
}

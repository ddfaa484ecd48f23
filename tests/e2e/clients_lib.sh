# Real clients from Debian packages inside the presenter (source after lib.sh): headless, and
# nested in handoff-test-parent, whose seat types into them. Each run must end by the
# client's timeout (124) or its own exit 0, with no protocol error, and leave a snapshot.
PARENT_BIN=$HANDOFF_BUILD/tests/handoff-test-parent
PARENT=parent-$$

# need COMMAND PACKAGE: skips naming the package when COMMAND is missing.
need() { command -v "$1" >/dev/null || skip "$1 is not installed (package $2)"; }

# check_run NAME CODE: the status and the log of a run.
check_run() {
  local name=$1 code=$2
  [ "$code" -eq 0 ] || [ "$code" -eq 124 ] || { tail -20 "$WORK/$name.log"; fail "$name: status $code"; }
  if grep -qiE "protocol error|error in client communication|Segmentation fault" "$WORK/$name.log"; then
    fail "$name: $(grep -m1 -iE "protocol error|error in client communication|Segmentation fault" "$WORK/$name.log")"
  fi
  [ -s "$WORK/$name.png" ] || fail "$name: no snapshot"
}

# headless NAME SECONDS COMMAND...: the client on a headless 60 Hz presenter for SECONDS.
headless() {
  local name=$1 secs=$2 code=0
  shift 2
  (cd "$WORK" && timeout 60 "$PRESENTER" --output headless --refresh 60 --size 640x480 \
    --socket "$SOCKET-$name" --snapshot "$WORK/$name.png" -- timeout "$secs" "$@") \
    >"$WORK/$name.log" 2>&1 || code=$?
  check_run "$name" "$code"
}

# nested NAME SECONDS SCRIPT COMMAND...: the same nested in the test parent, which plays
# SCRIPT (handoff-test-parent --help) into the client's window.
nested() {
  local name=$1 secs=$2 script=$3 code=0
  shift 3
  (cd "$WORK" && timeout 60 "$PARENT_BIN" --socket "$PARENT" --input "$script" -- \
    "$PRESENTER" --output wayland --size 640x480 --socket "$SOCKET-$name" \
    --snapshot "$WORK/$name.png" -- timeout "$secs" "$@") >"$WORK/$name.log" 2>&1 || code=$?
  check_run "$name" "$code"
}

# in_weston NAME SECONDS COMMAND...: the same nested in a headless weston (start_weston from
# weston_lib.sh first), which has no seat and answers feedback at its own pace.
in_weston() {
  local name=$1 secs=$2 code=0
  shift 2
  (cd "$WORK" && WAYLAND_DISPLAY=$PARENT timeout 60 "$PRESENTER" --output wayland --size 640x480 \
    --socket "$SOCKET-$name" --snapshot "$WORK/$name.png" -- timeout "$secs" "$@") \
    >"$WORK/$name.log" 2>&1 || code=$?
  check_run "$name" "$code"
  grep -q "output=wayland" "$WORK/$name.log" || fail "$name: the presenter did not nest"
}

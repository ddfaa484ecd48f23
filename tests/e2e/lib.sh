# Shared helpers for the end-to-end tests. Each test sources this with the build directory
# in HANDOFF_BUILD; it gets a private XDG_RUNTIME_DIR that is removed on exit (kept, with the
# screenshots and stats, when HANDOFF_KEEP is set).
set -euo pipefail

: "${HANDOFF_BUILD:?HANDOFF_BUILD must name the build directory}"
PRESENTER=$HANDOFF_BUILD/presenter/handoff-presenter
PRODUCER=$HANDOFF_BUILD/producer/handoff-producer
PROBE=$HANDOFF_BUILD/tests/handoff-png-probe
SEED=${HANDOFF_SEED:-$RANDOM}

WORK=$(mktemp -d /tmp/handoff-e2e-XXXXXX)
chmod 700 "$WORK"
export XDG_RUNTIME_DIR=$WORK
unset WAYLAND_DISPLAY
SOCKET=handoff-e2e-$$
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${HANDOFF_KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip() {
  echo "SKIP: $*" >&2
  exit 77
}

# json_num FILE KEY: the number after "KEY": in FILE.
json_num() {
  local v
  v=$(sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -n 1)
  [ -n "$v" ] || fail "no \"$2\" in $1"
  echo "$v"
}

# solid_hex N: RRGGBB of frame N of --pattern solid.
solid_hex() {
  printf '%06x' $(((($1 * 2654435761) & 0xffffffff) >> 8))
}

expect_eq() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }
expect_gt() { awk "BEGIN { exit !($2 > $3) }" || fail "$1: expected more than $3, got $2"; }

echo "seed $SEED (set HANDOFF_SEED to repeat)"

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
expect_lt() { awk "BEGIN { exit !($2 < $3) }" || fail "$1: expected less than $3, got $2"; }

echo "seed $SEED (set HANDOFF_SEED to repeat)"

# stress_verdict TAG MODE FRAMES: the verdict of a stress run whose presenter wrote
# $WORK/presenter-TAG.json and snapshot $WORK/TAG.png, and whose producer wrote
# $WORK/producer-TAG.json: no torn, no stale frame, every frame submitted and accounted for,
# feedback for the last one, fifo showing every frame checked, the snapshot exactly the last.
stress_verdict() {
  local tag=$1 mode=$2 frames=$3
  local p=$WORK/presenter-$tag.json q=$WORK/producer-$tag.json
  expect_eq "$tag torn" "$(json_num "$p" torn)" 0
  expect_eq "$tag stale" "$(json_num "$p" stale)" 0
  expect_eq "$tag submitted" "$(json_num "$q" frames_submitted)" "$frames"
  local presented discarded
  presented=$(json_num "$q" frames_presented)
  discarded=$(json_num "$q" frames_discarded)
  expect_eq "$tag presented + discarded" $((presented + discarded)) "$frames"
  expect_eq "$tag last feedback" "$(json_num "$q" last_frame_feedback)" "$frames"
  if [ "$mode" = fifo ]; then
    expect_eq "$tag fifo skipped" "$(json_num "$p" fifo_skipped)" 0
    expect_eq "$tag discarded" "$discarded" 0
    expect_gt "$tag checked" "$(json_num "$p" checked)" $((frames - 1))
  else
    expect_gt "$tag checked" "$(json_num "$p" checked)" 50
  fi
  "$PROBE" "$WORK/$tag.png" --fill "$(solid_hex "$frames")" || fail "$tag: the snapshot is not frame $frames"
  echo "ok $tag: $presented presented, $discarded discarded, $(json_num "$q" presented_fps) fps, torn 0, stale 0, checked $(json_num "$p" checked)"
}

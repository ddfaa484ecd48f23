#!/usr/bin/env bash
# Nested in weston, direct frames: one opaque window the output's size goes to the parent as
# the client's own image, with no composition, and its release waits for the parent's
# wl_buffer.release. Random delays on both sides, mailbox then fifo: every direct frame is
# checked when handed over and again when the parent gives it back, and none is torn or
# stale. The negative control releases direct frames without waiting for the parent (a bug
# on purpose): the producer then draws into an image the parent may still read, and the
# second check must see it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/weston_lib.sh"
FRAMES=${FRAMES:-600}
FIFO_FRAMES=${FIFO_FRAMES:-200} # one parent frame each
start_weston 1024 768

# run NAME PRESENT_MODE BUFFERS [PRESENTER OPTIONS...]
run() {
  local name=$1 mode=$2 buffers=$3
  shift 3
  local frames=$FRAMES
  [ "$mode" = fifo ] && frames=$FIFO_FRAMES
  WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-$name" --output wayland \
    --size 320x240 --check solid --seed "$SEED" --stats "$WORK/$name.json" "$@" -- \
    "$PRODUCER" --frames "$frames" --fps 0 --size 320x240 --pattern solid --buffers "$buffers" \
    --present-mode "$mode" --debug-render-delay-us 1500 --seed "$SEED" \
    >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; fail "the $name run failed"; }
  echo "$name: $(tr -d '\n ' <"$WORK/$name.json" | grep -o '"output_frames":[0-9]*\|"direct_frames":[0-9]*\|"output_frames_discarded":[0-9]*\|"torn":[0-9]*\|"stale":[0-9]*\|"rechecked_after_parent":[0-9]*' | tr '\n' ' ')"
}

# Mailbox with three images runs free (one at the parent, one waiting, one drawn); fifo
# with two waits for each.
for mode in mailbox fifo; do
  run "$mode" "$mode" "$([ "$mode" = mailbox ] && echo 3 || echo 2)"
  frames=$(($(json_num "$WORK/$mode.json" output_frames) + $(json_num "$WORK/$mode.json" output_frames_discarded)))
  expect_eq "$mode torn" "$(json_num "$WORK/$mode.json" torn)" 0
  expect_eq "$mode stale" "$(json_num "$WORK/$mode.json" stale)" 0
  # Every frame but the first few (before the window is configured to its size) is direct.
  expect_gt "$mode direct frames" "$(json_num "$WORK/$mode.json" direct_frames)" $((frames * 9 / 10))
  expect_gt "$mode frames checked again after the parent" \
    "$(json_num "$WORK/$mode.json" rechecked_after_parent)" $((frames * 9 / 10))
done
expect_eq "fifo frames presented" "$(json_num "$WORK/fifo.json" frames_presented)" "$FIFO_FRAMES"

# A second window comes and goes: composed frames while it shows, direct frames before and
# after, and nothing torn or stale across the changes.
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-two" --output wayland --size 320x240 \
  --check solid --seed "$SEED" --stats "$WORK/two.json" -- sh -c "
    '$PRODUCER' --frames 900 --fps 200 --size 320x240 --pattern solid --buffers 3 & first=\$!
    sleep 1
    '$PRODUCER' --frames 100 --fps 200 --size 320x240 --pattern solid --buffers 2 || exit 1
    wait \$first" >"$WORK/two.log" 2>&1 || { cat "$WORK/two.log"; fail "the two-window run failed"; }
submitted=$(($(json_num "$WORK/two.json" output_frames) + $(json_num "$WORK/two.json" output_frames_discarded)))
direct=$(json_num "$WORK/two.json" direct_frames)
echo "two windows: $submitted frames, $direct direct"
expect_eq "two windows torn" "$(json_num "$WORK/two.json" torn)" 0
expect_eq "two windows stale" "$(json_num "$WORK/two.json" stale)" 0
expect_gt "two windows: direct frames" "$direct" 0
expect_gt "two windows: composed frames" $((submitted - direct)) 0

# A hostile client's images that the parent could not map (a read-only fd, write seals) and
# more images than the output makes parent buffers for, shown in turn: the presenter composes
# what it cannot hand over and keeps its parent; once that client is gone its images are
# freed, and the next client's frames are direct again.
ATTACK=$HANDOFF_BUILD/tests/reliability/handoff-attack
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-attack" --output wayland --size 256x256 \
  --stats "$WORK/attack.json" -- sh -c "
    '$ATTACK' direct_fds 2 256 || exit 1
    '$PRODUCER' --frames 200 --fps 0 --size 256x256 --pattern solid --buffers 3" \
  >"$WORK/attack.log" 2>&1 || { cat "$WORK/attack.log"; fail "the presenter did not live through the attack"; }
grep -q "outcome: survived" "$WORK/attack.log" || { cat "$WORK/attack.log"; fail "the attack did not run"; }
echo "attack: direct frames $(json_num "$WORK/attack.json" direct_frames), images $(json_num "$WORK/attack.json" direct_images)"
# The attacker's first image and 15 of its 21 plain ones fill the 16 parent buffers; the
# read-only and sealed ones are refused; the producer's 3 come once the attacker's are freed.
expect_eq "client images handed to the parent" "$(json_num "$WORK/attack.json" direct_images)" 19

# The widest stride the presenter takes (256 KiB) on an output 8191 rows tall: the pool is just
# under 2 GiB, at the edge of what the parent's wl_shm accepts (a refused pool would end the
# presenter's connection). It is handed over, and the parent keeps the presenter.
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-stride" --output wayland --size 64x8191 \
  --stats "$WORK/stride.json" -- "$ATTACK" direct_stride 1 8191 >"$WORK/stride.log" 2>&1 ||
  { cat "$WORK/stride.log"; fail "the presenter did not live through the widest stride"; }
grep -q "outcome: survived" "$WORK/stride.log" || { cat "$WORK/stride.log"; fail "the stride attack did not run"; }
expect_eq "widest stride: images handed to the parent" "$(json_num "$WORK/stride.json" direct_images)" 1
expect_gt "widest stride: direct frames" "$(json_num "$WORK/stride.json" direct_frames)" 0
# Its 2 GiB span is the client's: the presenter's copy of the last frame (kept when the
# window goes) holds only the pixels, not the stride (it copied all 2 GiB before).
rss=$(json_num "$WORK/stride.json" max_rss_kib)
[ "$rss" -lt $((512 * 1024)) ] || fail "widest stride: the presenter's peak RSS was $rss KiB, over 512 MiB"

# Images sealed only against shrinking, each given a write seal right after create_buffer,
# 200 times: seals belong to the file, so a check when the image came cannot hold when the
# parent maps it. Only memory sealed with F_SEAL_SEAL goes to the parent; the presenter keeps
# its parent (before: it lost it within about 10 tries) and serves the next client.
WAYLAND_DISPLAY=$PARENT "$PRESENTER" --socket "$SOCKET-race" --output wayland --size 256x256 \
  --stats "$WORK/race.json" -- sh -c "
    '$ATTACK' direct_seal_race 1 256 || exit 1
    '$PRODUCER' --frames 100 --fps 0 --size 256x256 --pattern solid --buffers 3" \
  >"$WORK/race.log" 2>&1 || { cat "$WORK/race.log"; fail "the presenter lost its parent to the seal race"; }
grep -q "outcome: survived" "$WORK/race.log" || { cat "$WORK/race.log"; fail "the seal race did not run"; }
echo "seal race: direct frames $(json_num "$WORK/race.json" direct_frames), images $(json_num "$WORK/race.json" direct_images)"

run early mailbox 2 --debug-direct-early-release
expect_gt "direct frames without the parent's release: torn" "$(json_num "$WORK/early.json" torn)" 0

# --direct off composes every frame, as before.
run composed mailbox 2 --direct off
expect_eq "composed: direct frames" "$(json_num "$WORK/composed.json" direct_frames)" 0
expect_eq "composed torn" "$(json_num "$WORK/composed.json" torn)" 0
echo ok

#!/usr/bin/env bash
# The producer SDK installs with its pkg-config file, and an application built against the
# installed static archive alone (the README's example) shows its frames. (The shared library
# has its own test: tests/ecosystem/sdk_shared.sh.)
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cmake --install "$HANDOFF_BUILD" --prefix "$WORK/prefix" >/dev/null || fail "install failed"
pc=$(find "$WORK/prefix" -name handoff-producer.pc)
[ -n "$pc" ] || fail "no handoff-producer.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
# --static lists what the archive needs; the linker would take the shared library beside it for
# -lhandoff-producer, so the archive is named.
libs=$(pkg-config --libs --static handoff-producer)
libs=${libs/-lhandoff-producer/-l:libhandoff-producer.a}
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror ${HANDOFF_EXTRA_CFLAGS:-} -o "$WORK/example" "$SRC/tests/sdk_example.c" \
  $(pkg-config --cflags handoff-producer) $libs || fail "the example does not build"
! objdump -p "$WORK/example" | grep -q "NEEDED *libhandoff-producer" ||
  fail "the example is linked against the shared library, not the archive"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 160x120 \
  --snapshot "$WORK/shot.png" -- "$WORK/example" 25 || fail "the example failed"
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex 25)" || fail "the example's last frame is not shown"
echo ok

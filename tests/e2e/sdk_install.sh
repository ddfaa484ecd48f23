#!/usr/bin/env bash
# The producer SDK installs with its pkg-config file, and an application built against the
# installed copy alone (the README's example) shows its frames.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cmake --install "$HANDOFF_BUILD" --prefix "$WORK/prefix" >/dev/null || fail "install failed"
pc=$(find "$WORK/prefix" -name handoff-producer.pc)
[ -n "$pc" ] || fail "no handoff-producer.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror ${HANDOFF_EXTRA_CFLAGS:-} -o "$WORK/example" "$SRC/tests/sdk_example.c" \
  $(pkg-config --cflags --libs --static handoff-producer) || fail "the example does not build"
"$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 --size 160x120 \
  --snapshot "$WORK/shot.png" -- "$WORK/example" 25 || fail "the example failed"
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex 25)" || fail "the example's last frame is not shown"
echo ok

#!/usr/bin/env bash
# The producer SDK installs as a shared library with a SONAME beside the static archive. It
# exports exactly the functions that handoff-producer.h declares (and the version node the
# linker adds), and the README's example links against it through the same pkg-config file,
# then runs and shows its frames.
. "$(dirname "$0")/../e2e/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cmake --install "$HANDOFF_BUILD" --prefix "$WORK/prefix" >/dev/null || fail "install failed"
pc=$(find "$WORK/prefix" -name handoff-producer.pc)
[ -n "$pc" ] || fail "no handoff-producer.pc installed"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
libdir=$(dirname "$(dirname "$pc")")
[ -f "$libdir/libhandoff-producer.a" ] || fail "no static archive beside the shared library"
so=$libdir/libhandoff-producer.so
[ -L "$so" ] || fail "no libhandoff-producer.so link for the linker"
soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
expect_eq SONAME "$soname" libhandoff-producer.so.0
[ -f "$libdir/$soname" ] || fail "no $soname installed"

# The public functions: every declaration in the header (comments start with a space or *).
sed -n 's/^[a-z].*[ *]\(hp_[a-z_]*\)(.*/\1/p' "$SRC/producer/handoff-producer.h" \
  "$SRC/producer/handoff-producer-vulkan.h" "$SRC/producer/handoff-producer-cuda.h" | sort -u \
  >"$WORK/public"
[ "$(wc -l <"$WORK/public")" -gt 5 ] || fail "found too few functions in the header"
nm -D --defined-only "$libdir/$soname" | awk '{ print $3 }' | sed 's/@.*//' | sort -u \
  >"$WORK/exported"
# The linker adds the version node's name as an absolute symbol.
grep -vx HANDOFF_PRODUCER_0 "$WORK/exported" >"$WORK/exported_functions" || true
diff -u "$WORK/public" "$WORK/exported_functions" ||
  fail "exported symbols (+) differ from the header's functions (-)"
nm -D --defined-only "$libdir/$soname" | grep -q ' hp_frame_begin@@HANDOFF_PRODUCER_0$' ||
  fail "the symbols are not versioned"

# The plain pkg-config line (no --static) links the shared library.
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Werror ${HANDOFF_EXTRA_CFLAGS:-} -o "$WORK/example" \
  "$SRC/tests/sdk_example.c" $(pkg-config --cflags --libs handoff-producer) ||
  fail "the example does not build against the shared library"
objdump -p "$WORK/example" | grep -q "NEEDED *libhandoff-producer.so.0" ||
  fail "the example is not linked against the shared library"
LD_LIBRARY_PATH=$libdir "$PRESENTER" --socket "$SOCKET" --output headless --refresh 0 \
  --size 160x120 --snapshot "$WORK/shot.png" -- "$WORK/example" 25 || fail "the example failed"
"$PROBE" "$WORK/shot.png" --fill "$(solid_hex 25)" || fail "the example's last frame is not shown"
echo ok

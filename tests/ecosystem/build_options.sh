#!/usr/bin/env bash
# A release build (plain cmake) does not turn warnings into errors; HANDOFF_WERROR=ON, which
# scripts/build.sh passes, does. scripts/deps.sh asks apt-get only for what dpkg-query reports
# missing, and does not call it at all when nothing is.
. "$(dirname "$0")/../e2e/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

# c_flags DIR: the compile flags of the common library in a configured build directory.
c_flags() { sed -n 's/^C_FLAGS = //p' "$1/common/CMakeFiles/handoff-common.dir/flags.make"; }
cmake -S "$SRC" -B "$WORK/release" -DHANDOFF_TESTS=OFF -DHANDOFF_MANPAGES=OFF >/dev/null ||
  fail "a plain configure failed"
cmake -S "$SRC" -B "$WORK/dev" -DHANDOFF_TESTS=OFF -DHANDOFF_MANPAGES=OFF \
  -DHANDOFF_WERROR=ON >/dev/null || fail "a configure with HANDOFF_WERROR=ON failed"
c_flags "$WORK/release" | grep -q -- "-Wall" || fail "no flags found in the release build"
! c_flags "$WORK/release" | grep -q -- "-Werror" || fail "a release build has -Werror"
c_flags "$WORK/dev" | grep -q -- "-Werror" || fail "HANDOFF_WERROR=ON does not add -Werror"
grep -q -- "-DHANDOFF_WERROR=ON" "$SRC/scripts/build.sh" || fail "scripts/build.sh does not turn it on"

# deps.sh against a fake dpkg-query (everything installed but $MISSING) and a fake apt-get
# that only records its arguments.
mkdir "$WORK/bin"
cat >"$WORK/bin/dpkg-query" <<'FAKE'
#!/bin/sh
for last; do :; done
[ "$last" = "${MISSING:-}" ] && exit 1
printf 'install ok installed'
FAKE
cat >"$WORK/bin/apt-get" <<FAKE
#!/bin/sh
echo "\$*" >>"$WORK/apt-get.log"
FAKE
printf '#!/bin/sh\nexec "$@"\n' >"$WORK/bin/sudo"
chmod +x "$WORK/bin"/*
PATH=$WORK/bin:$PATH bash "$SRC/scripts/deps.sh" >/dev/null || fail "deps.sh failed"
[ ! -e "$WORK/apt-get.log" ] || fail "deps.sh called apt-get with nothing missing"
MISSING=waypipe PATH=$WORK/bin:$PATH bash "$SRC/scripts/deps.sh" >/dev/null || fail "deps.sh failed"
cat "$WORK/apt-get.log"
grep -qx "install -y --no-install-recommends waypipe" "$WORK/apt-get.log" ||
  fail "deps.sh did not install exactly the missing package"
echo ok

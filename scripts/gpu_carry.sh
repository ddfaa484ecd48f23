#!/usr/bin/env bash
# Packs a build for a machine that has a GPU but none of Debian's libraries (the project's
# device machine: Ubuntu with the NVIDIA driver, no Wayland): the programs and test binaries of
# BUILD, and the Debian libraries they link (libwayland, pixman, libpng, xkbcommon, libffi, zlib)
# into DEST/bin and DEST/lib. On the other machine:
#
#   for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig   # Vulkan loader and libglvnd
#   export LD_LIBRARY_PATH=$PWD/DEST/lib PATH=$PWD/DEST/bin:$PATH
#
# .gl holds Debian's libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 (.deb,
# fetched with apt-get download); the NVIDIA driver needs the glvnd ones beside the loader.
#
# Usage: scripts/gpu_carry.sh [--build DIR] [--dest DIR]   (defaults: build, .device/pack)
set -euo pipefail
BUILD=build DEST=.device/pack
while [ $# -gt 0 ]; do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --dest) DEST=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu_carry.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$BUILD/presenter/handoff-presenter" ] || { echo "gpu_carry.sh: no build in $BUILD" >&2; exit 1; }
rm -rf "$DEST"
mkdir -p "$DEST/bin" "$DEST/lib"
# Every executable ELF file of the build (programs, benches, test binaries), flat.
find "$BUILD" -type f -perm -u+x -not -path '*/CMakeFiles/*' -print0 |
  while IFS= read -r -d '' f; do
    head -c 4 "$f" | grep -q ELF && cp "$f" "$DEST/bin/"
  done
cp -a "$BUILD"/producer/libhandoff-producer.so* "$DEST/lib/" 2>/dev/null || true
for lib in libwayland-client.so.0 libwayland-server.so.0 libpixman-1.so.0 libpng16.so.16 \
  libxkbcommon.so.0 libffi.so.8 libz.so.1; do
  cp -L "/lib/x86_64-linux-gnu/$lib" "$DEST/lib/"
done
du -sh "$DEST" | awk '{print "gpu_carry.sh: " $1 " in " d}' d="$DEST"

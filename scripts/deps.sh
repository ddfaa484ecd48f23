#!/usr/bin/env bash
# Installs Handoff's build and test dependencies from Debian's packages, if any is missing:
# help2man makes the man pages; glslang-tools compiles the GPU shaders; waypipe, python3-pil and fonts-dejavu-core are for the tests
# and the demo's picture; clang builds the protocol fuzzer (libFuzzer); gnuplot-nox draws
# handoff-bench's and the soak's plots; xkb-data gives the test parent its keymap; wev,
# wayland-utils (wayland-info), foot, gtk-4-examples, libsdl2-tests and mpv are real clients
# the suite runs.
#
# --backports also adds Debian's bookworm-backports (a sources entry of its own) and takes
# wayland-protocols (1.38 or later builds wp_fifo_v1 and wp_commit_timing_v1) and Mesa 25
# (whose Vulkan WSI uses them) from it. Without it nothing outside Debian 12 is installed.
set -euo pipefail
BACKPORTS=0
[ "${1:-}" = --backports ] && BACKPORTS=1
PACKAGES=(build-essential cmake pkg-config libwayland-dev libwayland-bin wayland-protocols
  libvulkan-dev libxkbcommon-dev libpixman-1-dev libpng-dev libdrm-dev mesa-vulkan-drivers glslang-tools
  weston vulkan-tools clang-format groff-base help2man waypipe python3-pil fonts-dejavu-core
  clang gnuplot-nox xkb-data wev wayland-utils foot
  gtk-4-examples libsdl2-tests mpv)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ "$BACKPORTS" -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if [ "$BACKPORTS" -eq 1 ]; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" |
    $SUDO tee /etc/apt/sources.list.d/handoff-backports.list >/dev/null
fi
$SUDO apt-get update
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ "$BACKPORTS" -eq 1 ]; then
  $SUDO apt-get install -y --no-install-recommends -t bookworm-backports wayland-protocols \
    mesa-vulkan-drivers
fi

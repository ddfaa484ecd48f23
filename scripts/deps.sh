#!/usr/bin/env bash
# Installs Handoff's build and test dependencies from Debian's packages, if any is missing:
# help2man makes the man pages; glslang-tools compiles the GPU shaders; waypipe, python3-pil and fonts-dejavu-core are for the tests
# and the demo's picture; clang builds the protocol fuzzer (libFuzzer); gnuplot-nox draws
# handoff-bench's and the soak's plots.
set -euo pipefail
PACKAGES=(build-essential cmake pkg-config libwayland-dev libwayland-bin wayland-protocols
  libvulkan-dev libxkbcommon-dev libpixman-1-dev libpng-dev libdrm-dev mesa-vulkan-drivers glslang-tools
  weston vulkan-tools clang-format groff-base help2man waypipe python3-pil fonts-dejavu-core
  clang gnuplot-nox)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"

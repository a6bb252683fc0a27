#!/usr/bin/env bash
# Source this file (or run it): makes sure Debian's user-mode QEMU for arm64 and an arm64 glibc/libstdc++ are
# installed, so the linux-arm64 plugin binary (a dynamically linked Node single-executable application) can be
# started on an x86_64 machine (scripts/verify-plugin-platforms.mjs).
#
#   source scripts/ensure-qemu.sh     # then "$QEMU_AARCH64" -L "$QEMU_AARCH64_SYSROOT" <arm64 binary> runs it
#
# Everything comes from the distribution's packages (apt-get as root or through passwordless sudo; otherwise the
# script says what to install): qemu-user-static (qemu-aarch64-static, called directly, so no binfmt_misc registration is needed) and the
# arch-independent cross packages libc6-arm64-cross, libstdc++6-arm64-cross, libgcc-s1-arm64-cross, which put the
# arm64 loader and libraries under /usr/aarch64-linux-gnu without turning on dpkg multiarch.
# QEMU_AARCH64 / QEMU_AARCH64_SYSROOT, when set, win.

_pc_qemu="${QEMU_AARCH64:-/usr/bin/qemu-aarch64-static}"
_pc_sysroot="${QEMU_AARCH64_SYSROOT:-/usr/aarch64-linux-gnu}"
_pc_qemu_pkgs="qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross"
if [ ! -x "$_pc_qemu" ] || [ ! -e "$_pc_sysroot/lib/ld-linux-aarch64.so.1" ] || [ ! -e "$_pc_sysroot/lib/libstdc++.so.6" ]; then
  # As root, or through passwordless sudo (as on GitHub's runners).
  _pc_sudo=""
  [ "$(id -u)" = "0" ] || { sudo -n true >/dev/null 2>&1 && _pc_sudo="sudo -n"; }
  if { [ "$(id -u)" = "0" ] || [ -n "$_pc_sudo" ]; } && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-qemu: installing Debian's $_pc_qemu_pkgs (apt-get)..." >&2
    # `|| true` on update: a stale mirror list must not stop an install that may still work from the cached lists.
    $_pc_sudo apt-get update -qq >/dev/null 2>&1 || true
    # shellcheck disable=SC2086
    if ! $_pc_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $_pc_qemu_pkgs >/dev/null; then
      echo "ensure-qemu: apt-get install $_pc_qemu_pkgs failed" >&2
      return 1 2>/dev/null || exit 1
    fi
  else
    echo "ensure-qemu: no arm64 QEMU at $_pc_qemu or no arm64 libraries under $_pc_sysroot; install your distribution's packages (sudo apt-get install $_pc_qemu_pkgs) or set QEMU_AARCH64 / QEMU_AARCH64_SYSROOT" >&2
    return 1 2>/dev/null || exit 1
  fi
  if [ ! -x "$_pc_qemu" ] || [ ! -e "$_pc_sysroot/lib/ld-linux-aarch64.so.1" ]; then
    echo "ensure-qemu: installed, but $_pc_qemu or $_pc_sysroot/lib/ld-linux-aarch64.so.1 is missing: unset QEMU_AARCH64 / QEMU_AARCH64_SYSROOT or point them at the right places" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export QEMU_AARCH64="$_pc_qemu"
export QEMU_AARCH64_SYSROOT="$_pc_sysroot"
unset _pc_qemu _pc_sysroot _pc_qemu_pkgs _pc_sudo

#!/usr/bin/env bash
# Source this file (or run it): makes sure Debian's Chromium is installed, for the tests that drive the emulator's
# pages (the MCA acceptance page) in a real headless browser through puppeteer-core, which brings no browser itself.
#
#   source scripts/ensure-chromium.sh     # then $CHROMIUM_PATH is a runnable chromium
#
# Chromium comes from the distribution's packages only (never a browser download of a test tool's own): as root it
# is installed with apt-get; otherwise the script says what to install. CHROMIUM_PATH, when set, wins.

_pc_chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$_pc_chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing Debian's chromium (apt-get)..." >&2
    # `|| true` on update: a stale mirror list must not stop an install that may still work from the cached lists.
    apt-get update -qq >/dev/null 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
      echo "ensure-chromium: apt-get install chromium failed" >&2
      return 1 2>/dev/null || exit 1
    fi
    if [ ! -x "$_pc_chromium" ]; then
      echo "ensure-chromium: chromium is installed, but not at $_pc_chromium (CHROMIUM_PATH): unset it or point it at the browser" >&2
      return 1 2>/dev/null || exit 1
    fi
  else
    echo "ensure-chromium: no Chromium at $_pc_chromium; install your distribution's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export CHROMIUM_PATH="$_pc_chromium"
unset _pc_chromium

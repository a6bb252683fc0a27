#!/usr/bin/env bash
# Source this file (or run it): puts actionlint (the GitHub Actions workflow checker) first on PATH and sets
# $ACTIONLINT, with shellcheck beside it so actionlint also checks every `run:` script. Returns non-zero, saying why,
# when actionlint cannot be had.
#
#   source scripts/ensure-actionlint.sh && actionlint path/to/workflow.yml
#   bash scripts/ensure-actionlint.sh              # prints the path of actionlint
#
# actionlint is built with `go install github.com/rhysd/actionlint/cmd/actionlint@v<version>` from the Go module proxy
# into a cache outside the repository keyed by the version (PARTNERCENTER_CACHE_DIR, default
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter), never committed. Order: the cache, else the build (about half
# a minute). shellcheck is Debian's package: as root it is installed with apt-get when missing; otherwise actionlint
# runs without it and says so (set PARTNERCENTER_REQUIRE_SHELLCHECK=1 to make that an error).

_PC_ACTIONLINT_VERSION=1.7.12

_pc_ensure_actionlint() {
  local cache bin_dir start log
  cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
  bin_dir="$cache/actionlint/v$_PC_ACTIONLINT_VERSION/bin"
  if [ ! -x "$bin_dir/actionlint" ]; then
    command -v go >/dev/null 2>&1 || {
      echo "ensure-actionlint: Go is not installed, so actionlint cannot be built; install Go or put actionlint v$_PC_ACTIONLINT_VERSION in $bin_dir" >&2
      return 1
    }
    start=$(date +%s)
    log="$(mktemp)"
    echo "ensure-actionlint: building actionlint v$_PC_ACTIONLINT_VERSION from the Go module proxy (first time only)" >&2
    mkdir -p "$bin_dir.tmp.$$"
    if ! (cd "$(mktemp -d)" && GOFLAGS=-mod=mod GOBIN="$bin_dir.tmp.$$" \
        go install "github.com/rhysd/actionlint/cmd/actionlint@v$_PC_ACTIONLINT_VERSION") >"$log" 2>&1; then
      echo "ensure-actionlint: building actionlint failed after $(( $(date +%s) - start ))s. Last lines:" >&2
      tail -n 20 "$log" | sed 's/^/    /' >&2
      rm -rf "$bin_dir.tmp.$$" "$log"
      return 1
    fi
    rm -rf "$bin_dir"; mv "$bin_dir.tmp.$$" "$bin_dir"; rm -f "$log"
    echo "ensure-actionlint: built actionlint in $(( $(date +%s) - start ))s, cached in $bin_dir" >&2
  fi
  export PATH="$bin_dir:$PATH"
  export ACTIONLINT="$bin_dir/actionlint"

  if ! command -v shellcheck >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "ensure-actionlint: installing Debian's shellcheck (apt-get), so actionlint checks run: scripts too" >&2
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
        echo "ensure-actionlint: apt-get install shellcheck failed" >&2
    fi
    if ! command -v shellcheck >/dev/null 2>&1; then
      if [ "${PARTNERCENTER_REQUIRE_SHELLCHECK:-0}" = "1" ]; then
        echo "ensure-actionlint: shellcheck is missing (sudo apt-get install shellcheck)" >&2
        return 1
      fi
      echo "ensure-actionlint: shellcheck is missing: actionlint will not check run: scripts (sudo apt-get install shellcheck)" >&2
    fi
  fi
}

_pc_ensure_actionlint
_pc_status=$?
unset -f _pc_ensure_actionlint
unset _PC_ACTIONLINT_VERSION
if [ "$_pc_status" -ne 0 ]; then unset _pc_status; return 1 2>/dev/null || exit 1; fi
unset _pc_status
# Run as a script (not sourced): print where actionlint is.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "$ACTIONLINT"; fi

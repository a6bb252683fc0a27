#!/usr/bin/env bash
# Source this file (after scripts/ensure-pulumi.sh): it puts the Pulumi YAML language host (`pulumi-language-yaml`)
# first on PATH, so `runtime: yaml` programs run. Returns non-zero, saying why, when the host cannot be had.
#
# Built with `go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v<version>` (GOFLAGS=-mod=mod) from
# the Go module proxy, into a cache outside the repository keyed by the version, and never committed.
# Order: a host on PATH (your own install); else the cache; else the build. A failed build fails.
#
# Settings: PARTNERCENTER_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter).

_PC_PULUMI_YAML_VERSION=1.25.0

_pc_ensure_pulumi_yaml() {
  local cache bin_dir start log
  if command -v pulumi-language-yaml >/dev/null 2>&1; then
    echo "ensure-pulumi-yaml: using pulumi-language-yaml from PATH ($(command -v pulumi-language-yaml))" >&2
    return 0
  fi
  cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
  bin_dir="$cache/pulumi-yaml/v$_PC_PULUMI_YAML_VERSION/bin"
  if [ -x "$bin_dir/pulumi-language-yaml" ]; then
    export PATH="$bin_dir:$PATH"
    echo "ensure-pulumi-yaml: using cached pulumi-language-yaml v$_PC_PULUMI_YAML_VERSION ($bin_dir)" >&2
    return 0
  fi
  command -v go >/dev/null 2>&1 || {
    echo "ensure-pulumi-yaml: Go is not installed, so pulumi-language-yaml cannot be built; install Go or put pulumi-language-yaml v$_PC_PULUMI_YAML_VERSION on PATH" >&2
    return 1
  }
  start=$(date +%s)
  log="$(mktemp)"
  echo "ensure-pulumi-yaml: building pulumi-language-yaml v$_PC_PULUMI_YAML_VERSION from the Go module proxy (first time only)" >&2
  mkdir -p "$bin_dir.tmp.$$"
  if ! (cd "$(mktemp -d)" && GOFLAGS=-mod=mod GOBIN="$bin_dir.tmp.$$" \
      go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$_PC_PULUMI_YAML_VERSION") >"$log" 2>&1; then
    echo "ensure-pulumi-yaml: building pulumi-language-yaml failed after $(( $(date +%s) - start ))s. Last lines:" >&2
    tail -n 20 "$log" | sed 's/^/    /' >&2
    rm -rf "$bin_dir.tmp.$$" "$log"
    return 1
  fi
  rm -rf "$bin_dir"; mv "$bin_dir.tmp.$$" "$bin_dir"; rm -f "$log"
  export PATH="$bin_dir:$PATH"
  echo "ensure-pulumi-yaml: built pulumi-language-yaml in $(( $(date +%s) - start ))s, cached in $bin_dir" >&2
}

_pc_ensure_pulumi_yaml
_pc_status=$?
unset -f _pc_ensure_pulumi_yaml
unset _PC_PULUMI_YAML_VERSION
if [ "$_pc_status" -ne 0 ]; then unset _pc_status; return 1 2>/dev/null || exit 1; fi
unset _pc_status

#!/usr/bin/env bash
# Source this file (after scripts/ensure-node.sh and `npm ci`): it puts the real Pulumi CLI (`pulumi`) and the
# Node.js language host (`pulumi-language-nodejs`) first on PATH, at the version of @pulumi/pulumi in
# package-lock.json, and sets up a network-free environment for them. Returns non-zero, saying why, when the
# CLI cannot be had.
#
# Order: binaries already on PATH at the right version; then the cache; then a build from the Go module proxy:
#   github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
#   github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
# inside a throwaway Go module (a dependency's own `replace` directives do not apply there, so the ones the build
# needs are added to it). Binaries are cached outside the repository, keyed by version, and never committed.
#
# The pulumi-resource-pulumi-nodejs plugin (the dynamic-provider host) ships inside @pulumi/pulumi: its folder
# goes on PATH too. The CLI runs with a local file backend, a passphrase secrets provider and update checks off.
#
# Settings: PARTNERCENTER_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter),
#           PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE (defaults below, kept when already set).

_pc_fail() { echo "ensure-pulumi: $*" >&2; return 1; }

_pc_ensure_pulumi() {
  local root cache version bin_dir plugin_dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
  plugin_dir="$root/node_modules/@pulumi/pulumi"
  [ -f "$plugin_dir/package.json" ] || { _pc_fail "run npm ci first: $plugin_dir is missing"; return 1; }
  version=$(node -p "require('$plugin_dir/package.json').version")

  export PATH="$plugin_dir:$PATH"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-pulumi-partnercenter-local}"
  if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
    mkdir -p "$root/.pulumi-state"
    export PULUMI_BACKEND_URL="file://$root/.pulumi-state"
  fi

  if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
    local have
    have=$(pulumi version 2>/dev/null | sed 's/^v//')
    if [ "$have" = "$version" ]; then
      echo "ensure-pulumi: using pulumi v$have from PATH" >&2
      return 0
    fi
    echo "ensure-pulumi: pulumi on PATH is v$have, @pulumi/pulumi is $version; using a matching build" >&2
  fi

  bin_dir="$cache/pulumi-cli/v$version/bin"
  if [ -x "$bin_dir/pulumi" ] && [ -x "$bin_dir/pulumi-language-nodejs" ]; then
    export PATH="$bin_dir:$PATH"
    echo "ensure-pulumi: using cached pulumi v$version ($bin_dir)" >&2
    return 0
  fi

  command -v go >/dev/null 2>&1 || { _pc_fail "Go is not installed, so the Pulumi CLI cannot be built. Install Go 1.24+ (or put pulumi v$version and pulumi-language-nodejs on PATH; see https://www.pulumi.com/docs/install/)"; return 1; }

  local work log start
  work=$(mktemp -d)
  log="$work/build.log"
  start=$(date +%s)
  echo "ensure-pulumi: building Pulumi CLI v$version from the Go module proxy (first time only; about 10-20 minutes on 2 cores)..." >&2
  (
    set -e
    cd "$work"
    go mod init pulumi-partnercenter/pulumi-cli-build >/dev/null 2>&1
    echo "  [1/3] resolving modules" >&2
    go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" \
      "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@v$version"
    # pkg/v3's go.mod points its sibling sdk module at ../sdk through a replace directive, which does not apply to
    # a dependent module: pin the same released version instead so engine and SDK match.
    go mod edit -replace "github.com/pulumi/pulumi/sdk/v3=github.com/pulumi/pulumi/sdk/v3@v$version"
    go mod tidy >/dev/null 2>&1 || true
    mkdir -p out
    echo "  [2/3] building pulumi" >&2
    go build -o out/pulumi -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    echo "  [3/3] building pulumi-language-nodejs" >&2
    go build -o out/pulumi-language-nodejs -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
  ) >"$log" 2>&1 &
  local pid=$!
  local ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2; ticks=$((ticks + 1))
    [ $((ticks % 15)) -eq 0 ] && kill -0 "$pid" 2>/dev/null && echo "  ... still building ($(( $(date +%s) - start ))s; $(tail -n 1 "$log" | cut -c1-100))" >&2
  done
  if ! wait "$pid"; then
    echo "ensure-pulumi: building the Pulumi CLI v$version failed after $(( $(date +%s) - start ))s. Last lines:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
    echo "ensure-pulumi: install pulumi v$version and pulumi-language-nodejs on PATH yourself (https://www.pulumi.com/docs/install/) to run the end-to-end suites." >&2
    rm -rf "$work"
    return 1
  fi
  mkdir -p "$bin_dir.tmp.$$"
  mv "$work/out/pulumi" "$work/out/pulumi-language-nodejs" "$bin_dir.tmp.$$/"
  rm -rf "$bin_dir"; mv "$bin_dir.tmp.$$" "$bin_dir"
  rm -rf "$work"
  export PATH="$bin_dir:$PATH"
  echo "ensure-pulumi: built pulumi v$version in $(( $(date +%s) - start ))s, cached in $bin_dir" >&2
}

_pc_ensure_pulumi
_pc_status=$?
unset -f _pc_ensure_pulumi _pc_fail
if [ "$_pc_status" -ne 0 ]; then unset _pc_status; return 1 2>/dev/null || exit 1; fi
unset _pc_status

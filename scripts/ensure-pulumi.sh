#!/usr/bin/env bash
# Source this file (after scripts/ensure-node.sh and `npm ci`): it puts the real Pulumi CLI (`pulumi`), the Node.js
# language host (`pulumi-language-nodejs`) and the dynamic-provider launcher (`pulumi-resource-pulumi-nodejs`) first
# on PATH, and turns off the CLI's update check. Returns non-zero, saying why, when the CLI cannot be had.
#
# It sets no backend and no passphrase: a shell that sourced it logs in and encrypts exactly as before. Whatever runs
# a stack sets both itself, for its own process only — scripts/start.sh (the `emulator` stack: .pulumi-state/ and the
# public passphrase its Pulumi.emulator.yaml was made with), scripts/pulumi-emulator.sh (the same, for commands you
# type), and the test suites (a throwaway backend and passphrase per stack, tests/support/pulumiCli.ts). Exporting a
# public passphrase into your shell would make the next `pulumi stack init sandbox` or `production` encrypt its client
# secret and admin passwords with it.
#
# What is built, and from where (the Pulumi download site is out of reach here; the Go module proxy is not):
#   pulumi                  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version of @pulumi/pulumi in
#                           package-lock.json (3.276.0), the version stamped in with -ldflags.
#   pulumi-language-nodejs  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs at v3.68.0: the host's
#                           own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) is refused by the proxy at every
#                           version, and v3.68.0 is the last SDK release that still carries the host inside sdk/v3.
#                           It is Pulumi's own host, only older; CLI 3.276.0 runs TypeScript programs with it.
#   pulumi-resource-pulumi-nodejs  copied from @pulumi/pulumi, as Pulumi's own distribution ships it beside the CLI.
# Each is built in its own throwaway Go module; `go get` names the package (not only the module), which is what fills
# go.sum. The binaries are cached outside the repository, keyed by both versions, and never committed.
#
# Order: binaries already on PATH at the right version (your own install); else the cache; else the build. A failed
# build fails: there is no fallback.
#
# Settings: PARTNERCENTER_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter).

_pc_fail() { echo "ensure-pulumi: $*" >&2; return 1; }

# The Node.js language host's version (see above). Change it only together with a run of the e2e suites.
_PC_LANGUAGE_NODEJS_VERSION=3.68.0

# _pc_go_build <label> <work dir> <package@version> <output> [ldflags]: one throwaway module, one binary.
_pc_go_build() {
  local label="$1" dir="$2" package="$3" out="$4" ldflags="${5:-}" start
  start=$(date +%s)
  echo "  [$label] go get $package" >&2
  mkdir -p "$dir"
  (
    set -e
    cd "$dir"
    go mod init "pulumi-partnercenter/build-$label" >/dev/null 2>&1
    go get "$package"
    go build -o "$out" -ldflags "$ldflags" "${package%@*}"
  ) >"$dir.log" 2>&1 &
  local pid=$! ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2; ticks=$((ticks + 1))
    if [ $((ticks % 15)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
      echo "  [$label] ... $(( $(date +%s) - start ))s: $(tail -n 1 "$dir.log" | cut -c1-110)" >&2
    fi
  done
  if ! wait "$pid"; then
    echo "ensure-pulumi: building $label failed after $(( $(date +%s) - start ))s. Last lines:" >&2
    tail -n 20 "$dir.log" | sed 's/^/    /' >&2
    return 1
  fi
  echo "  [$label] built in $(( $(date +%s) - start ))s" >&2
}

_pc_ensure_pulumi() {
  local root cache version bin_dir sdk_dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
  sdk_dir="$root/node_modules/@pulumi/pulumi"
  [ -f "$sdk_dir/package.json" ] || { _pc_fail "run npm ci first: $sdk_dir is missing"; return 1; }
  version=$(node -p "require('$sdk_dir/package.json').version")

  # No PULUMI_CONFIG_PASSPHRASE and no PULUMI_BACKEND_URL here, on purpose (see the top of this file).
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true

  if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
    local have
    have=$(pulumi version 2>/dev/null | sed 's/^v//')
    if [ "$have" = "$version" ]; then
      echo "ensure-pulumi: using pulumi v$have from PATH ($(command -v pulumi))" >&2
      return 0
    fi
    echo "ensure-pulumi: pulumi on PATH is v$have, @pulumi/pulumi is $version; using a matching build" >&2
  fi

  bin_dir="$cache/pulumi-cli/v$version-nodejs-v$_PC_LANGUAGE_NODEJS_VERSION/bin"
  if [ -x "$bin_dir/pulumi" ] && [ -x "$bin_dir/pulumi-language-nodejs" ] && [ -x "$bin_dir/pulumi-resource-pulumi-nodejs" ]; then
    export PATH="$bin_dir:$PATH"
    echo "ensure-pulumi: using cached pulumi v$version with pulumi-language-nodejs v$_PC_LANGUAGE_NODEJS_VERSION ($bin_dir)" >&2
    return 0
  fi

  command -v go >/dev/null 2>&1 || { _pc_fail "Go is not installed, so the Pulumi CLI cannot be built. Install Go 1.26.6+ (what pkg/v3 v3.276.0 requires), or put pulumi v$version and pulumi-language-nodejs on PATH"; return 1; }

  local work start
  work=$(mktemp -d)
  start=$(date +%s)
  echo "ensure-pulumi: building the Pulumi CLI v$version and pulumi-language-nodejs v$_PC_LANGUAGE_NODEJS_VERSION from the Go module proxy (first time only; measured: about 6 minutes and 3.3 GB of Go caches on a fresh 2-core machine)" >&2
  mkdir -p "$work/out"
  if ! _pc_go_build pulumi "$work/cli" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "$work/out/pulumi" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" ||
     ! _pc_go_build pulumi-language-nodejs "$work/nodejs" \
      "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v$_PC_LANGUAGE_NODEJS_VERSION" \
      "$work/out/pulumi-language-nodejs" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$_PC_LANGUAGE_NODEJS_VERSION"; then
    rm -rf "$work"
    return 1
  fi
  cp "$sdk_dir/pulumi-resource-pulumi-nodejs" "$work/out/"
  chmod +x "$work/out/pulumi-resource-pulumi-nodejs"
  local built
  built=$("$work/out/pulumi" version)
  if [ "$built" != "v$version" ]; then
    rm -rf "$work"
    _pc_fail "the built CLI reports $built, expected v$version"
    return 1
  fi
  mkdir -p "$(dirname "$bin_dir")"
  rm -rf "$bin_dir.tmp.$$"
  mv "$work/out" "$bin_dir.tmp.$$"
  rm -rf "$bin_dir"; mv "$bin_dir.tmp.$$" "$bin_dir"
  rm -rf "$work"
  export PATH="$bin_dir:$PATH"
  echo "ensure-pulumi: built pulumi $built in $(( $(date +%s) - start ))s, cached in $bin_dir" >&2
}

_pc_ensure_pulumi
_pc_status=$?
unset -f _pc_ensure_pulumi _pc_fail _pc_go_build
unset _PC_LANGUAGE_NODEJS_VERSION
if [ "$_pc_status" -ne 0 ]; then unset _pc_status; return 1 2>/dev/null || exit 1; fi
unset _pc_status

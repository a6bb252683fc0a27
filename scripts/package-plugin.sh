#!/usr/bin/env bash
# Packages the native plugin `pulumi-resource-partnercenter` as a self-contained linux-x64 binary (a Node
# single-executable application: esbuild bundle → `node --experimental-sea-config` → `postject`, all offline) and a
# plugin tarball that `pulumi plugin install resource partnercenter <version> --file <tarball>` accepts.
#
#   bash scripts/package-plugin.sh [outdir]     # default: dist-plugin/ (gitignored)
#   PACKAGE_PLUGIN_VERIFY=0 bash scripts/package-plugin.sh   # skip the install check
#   bash scripts/package-plugin.sh --all [outdir]   # every platform: see below and docs/plugin-packaging.md
#
# The install check (needs the pulumi CLI and builds the YAML host): installs the tarball into a throwaway
# PULUMI_HOME, starts the installed binary with an empty environment (no node on PATH) and asks it over gRPC for its
# version and schema, then runs the YAML program's whole lifecycle (tests/e2e-native/yaml.test.ts) on it.
#
# Output: <outdir>/pulumi-resource-partnercenter-v<version>-linux-amd64.tar.gz (the binary at the tarball's root)
# and <outdir>/build/ (bundle, SEA blob, binary).
#
# --all: the release set instead (scripts/package-plugin-all.mjs): linux, darwin and windows on amd64 and arm64 from
# the official Node binaries of one Node version that npm serves per platform (cached under
# ~/.cache/pulumi-partnercenter/plugin-node/), darwin signed ad hoc, six archives named as Pulumi's plugin download
# expects and pulumi-resource-partnercenter-v<version>-checksums.txt. Proved by scripts/verify-plugin-platforms.mjs
# (archives, checksums, headers, injected blob, darwin signatures, the linux-amd64 handshake, the linux-arm64
# handshake under qemu-user from scripts/ensure-qemu.sh), then the install check below on the linux-amd64 archive.
# PACKAGE_PLUGIN_VERIFY=0 skips what needs the pulumi CLI or QEMU (install check, lifecycle, arm64 handshake).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh

all=0
if [[ "${1:-}" == "--all" ]]; then
  all=1
  shift
fi

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "package-plugin: builds the linux-amd64 plugin on Linux x86_64 only (SEA embeds the running node)" >&2
  exit 1
fi
outdir="$(mkdir -p "${1:-dist-plugin}" && cd "${1:-dist-plugin}" && pwd)"
build="$outdir/build"
rm -rf "$build" && mkdir -p "$build"
version="$(node -p 'require("./package.json").version')"
binary="$build/pulumi-resource-partnercenter"
tarball="$outdir/pulumi-resource-partnercenter-v${version}-linux-amd64.tar.gz"

npm run --silent build
node scripts/package-plugin.mjs "$build/plugin.js" "$version"

if [[ "$all" == "1" ]]; then
  node scripts/package-plugin-all.mjs --bundle "$build/plugin.js" --version "$version" --outdir "$outdir"
  if [[ "${PACKAGE_PLUGIN_VERIFY:-1}" != "0" ]]; then
    # shellcheck source=ensure-qemu.sh
    source scripts/ensure-qemu.sh
    node scripts/verify-plugin-platforms.mjs "$outdir" "$version"
  else
    node scripts/verify-plugin-platforms.mjs "$outdir" "$version" --no-run-arm64
  fi
else
# The linux-amd64 plugin alone, embedding the running node (unchanged from before --all existed).
cat >"$build/sea-config.json" <<JSON
{ "main": "$build/plugin.js", "output": "$build/sea-prep.blob", "disableExperimentalSEAWarning": true }
JSON
node --experimental-sea-config "$build/sea-config.json"
cp "$(command -v node)" "$binary"
chmod u+w "$binary"
npx --no-install postject "$binary" NODE_SEA_BLOB "$build/sea-prep.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2

rm -f "$tarball"
tar -C "$build" -czf "$tarball" pulumi-resource-partnercenter
echo "package-plugin: node $(node --version) embedded"
echo "package-plugin: binary  $binary ($(stat -c %s "$binary") bytes)"
echo "package-plugin: tarball $tarball ($(stat -c %s "$tarball") bytes)"
# A checksums file of an earlier --all run no longer matches the linux-amd64 tarball just replaced.
checksums="$outdir/pulumi-resource-partnercenter-v${version}-checksums.txt"
if [[ -f "$checksums" ]]; then
  rm -f "$checksums"
  echo "package-plugin: removed $checksums (stale: its linux-amd64 archive was replaced; rebuild the set with --all)"
fi
fi

if [[ "${PACKAGE_PLUGIN_VERIFY:-1}" != "0" ]]; then
  # shellcheck source=ensure-pulumi.sh
  source scripts/ensure-pulumi.sh
  home="$(mktemp -d)"
  trap 'rm -rf "$home"' EXIT
  PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true pulumi plugin install resource partnercenter "$version" \
    --file "$tarball"
  PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true pulumi plugin ls | grep -E "^partnercenter +resource +$version"
  installed="$home/plugins/resource-partnercenter-v$version/pulumi-resource-partnercenter"
  node scripts/verify-plugin-binary.mjs "$installed" "$version"
  # The whole stack lifecycle on the installed binary: the YAML program's e2e test (preview, up, unchanged up,
  # refresh, import, destroy) with that PULUMI_HOME and no launcher on PATH (tests/support/nativePlugin.ts).
  # shellcheck source=ensure-pulumi-yaml.sh
  source scripts/ensure-pulumi-yaml.sh
  PARTNERCENTER_PLUGIN_HOME="$home" npx mocha --timeout 600000 tests/e2e-native/yaml.test.ts
fi

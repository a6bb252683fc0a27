#!/usr/bin/env bash
# Packages the native plugin `pulumi-resource-partnercenter` as a self-contained linux-x64 binary (a Node
# single-executable application: esbuild bundle → `node --experimental-sea-config` → `postject`, all offline) and a
# plugin tarball that `pulumi plugin install resource partnercenter <version> --file <tarball>` accepts.
#
#   bash scripts/package-plugin.sh [outdir]     # default: dist-plugin/ (gitignored)
#   PACKAGE_PLUGIN_VERIFY=0 bash scripts/package-plugin.sh   # skip the install check
#
# The install check (needs the pulumi CLI and builds the YAML host): installs the tarball into a throwaway
# PULUMI_HOME, starts the installed binary with an empty environment (no node on PATH) and asks it over gRPC for its
# version and schema, then runs the YAML program's whole lifecycle (tests/e2e-native/yaml.test.ts) on it.
#
# Output: <outdir>/pulumi-resource-partnercenter-v<version>-linux-amd64.tar.gz (the binary at the tarball's root)
# and <outdir>/build/ (bundle, SEA blob, binary).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh

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

#!/usr/bin/env bash
# Writes the upgrade fixture of this version: tests/upgrade/fixtures/v<package.json version>/ — the stack state that
# this version writes, for both front ends (the GitOps TypeScript program on the dynamic resources, and a Pulumi YAML
# program on the native plugin), with the programs that made it, their stack config and the emulator's state file.
# Run it at each release, before tagging; commit the new folder and keep the old ones: `npm test` (tests/upgrade) and
# the e2e suites then check that every later version previews each of them with no changes and no requests.
# docs/upgrading.md says what to do when a fixture test fails.
#
#   bash scripts/make-upgrade-fixture.sh           # refuses to overwrite an existing folder of this version
#   bash scripts/make-upgrade-fixture.sh --force   # rewrites it (only before the version is released)
#
# Needs the real Pulumi CLI and the YAML host (scripts/ensure-pulumi.sh, scripts/ensure-pulumi-yaml.sh: cached after
# the first build). Runs everything against a local emulator on a fixed port (tests/upgrade/support/fixture.ts) with
# a throwaway backend; every secret is encrypted with the fixtures' fixed test passphrase, set for this script only.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh >/dev/null
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
# shellcheck source=ensure-pulumi.sh
source scripts/ensure-pulumi.sh
# shellcheck source=ensure-pulumi-yaml.sh
source scripts/ensure-pulumi-yaml.sh
exec npx tsx scripts/make-upgrade-fixture.ts "$@"

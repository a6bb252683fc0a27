#!/usr/bin/env bash
# `npm test` and `npm run test:e2e`: set-up included, so the README's test command works on a fresh clone of a
# fresh machine whatever its Node version: brings Node 22, installs the locked dependencies when they are missing
# or older than package-lock.json, builds, then runs mocha.
#
#   bash scripts/test.sh          # the suites that need no Pulumi CLI (unit, emulator, client, provider, program, evidence,
#                                 # upgrade: every checked-in upgrade fixture previews with no change and no request)
#   bash scripts/test.sh e2e      # the suites that drive the real Pulumi CLI (provided by scripts/ensure-pulumi.sh)
#   bash scripts/test.sh e2e-native   # the native provider plugin under the real CLI (YAML and Python hosts, generated Node and Python SDKs included)
#   bash scripts/test.sh -- <mocha arguments>   # e.g. a single file
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh
# shellcheck source=ensure-chromium.sh
source scripts/ensure-chromium.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund
fi
npm run --silent build

case "${1:-unit}" in
  e2e)
    # The real Pulumi CLI (from PATH at the right version, the cache, or a build: scripts/ensure-pulumi.sh).
    # shellcheck source=ensure-pulumi.sh
    source scripts/ensure-pulumi.sh
    exec npx mocha --timeout 600000 --slow 30000 'tests/e2e/**/*.test.ts'
    ;;
  e2e-native)
    # The native provider plugin under the real CLI: the Pulumi CLI and the Pulumi YAML language host.
    # shellcheck source=ensure-pulumi.sh
    source scripts/ensure-pulumi.sh
    # shellcheck source=ensure-pulumi-yaml.sh
    source scripts/ensure-pulumi-yaml.sh
    # shellcheck source=ensure-pulumi-python.sh
    source scripts/ensure-pulumi-python.sh
    # The generated Node and Python SDKs (sdk/nodejs/bin, sdk/python) for typescript-sdk.test.ts and python.test.ts:
    # sdk-gen is cached, so this is quick.
    bash scripts/gen-sdks.sh nodejs python
    exec npx mocha --timeout 600000 --slow 30000 'tests/e2e-native/**/*.test.ts'
    ;;
  --)
    shift
    exec npx mocha "$@"
    ;;
  *)
    exec npx mocha 'tests/{unit,emulator,client,provider,conformance,program,evidence,upgrade}/**/*.test.ts'
    ;;
esac

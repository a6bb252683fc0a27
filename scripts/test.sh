#!/usr/bin/env bash
# `npm test` and `npm run test:e2e`: set-up included, so the README's test command works on a fresh clone of a
# fresh machine whatever its Node version: brings Node 22, installs the locked dependencies when they are missing
# or older than package-lock.json, builds, then runs mocha.
#
#   bash scripts/test.sh          # the suites that need no Pulumi CLI (unit, emulator, client, provider, program, evidence)
#   bash scripts/test.sh e2e      # the suites that drive the real Pulumi CLI (fail when it is missing)
#   bash scripts/test.sh -- <mocha arguments>   # e.g. a single file
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund
fi
npm run --silent build

case "${1:-unit}" in
  e2e)
    exec npx mocha --timeout 600000 --slow 30000 'tests/e2e/**/*.test.ts'
    ;;
  --)
    shift
    exec npx mocha "$@"
    ;;
  *)
    exec npx mocha 'tests/{unit,emulator,client,provider,program,evidence}/**/*.test.ts'
    ;;
esac

#!/usr/bin/env bash
# Packaging proof (CI and `npm run test:packaging`): packs the package, installs the tarball in a fresh project
# outside the repository, and runs it against the emulator under the real dynamic-provider host (and the Pulumi CLI
# when it is on PATH). See tests/packaging/packProof.ts. Flags: --no-build (dist/ is fresh), --keep (keep the
# temporary project for inspection).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh
exec npx --no-install tsx tests/packaging/packProof.ts "$@"

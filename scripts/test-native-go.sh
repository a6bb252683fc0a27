#!/usr/bin/env bash
# The Go Automation API e2e test of the native provider (tests/e2e-native/go): generates and compiles the SDKs
# (scripts/gen-sdks.sh go), puts Node and the Pulumi CLI on PATH, builds the plugin when dist/ lacks it, then runs
# `go test` there (it starts the emulator itself with `node dist/emulator/cli.js --port 0 --json`).
# Usage: scripts/test-native-go.sh [extra go test flags]. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=/dev/null
source scripts/ensure-node.sh
# shellcheck source=/dev/null
source scripts/ensure-pulumi.sh
# The import step names the YAML host: the Go host is not served here (tests/e2e-native/go/main_test.go).
# shellcheck source=/dev/null
source scripts/ensure-pulumi-yaml.sh
if [[ ! -f dist/provider/native/pluginMain.js || ! -f dist/emulator/cli.js ]]; then
  npm run build
fi
bash scripts/gen-sdks.sh go
cd tests/e2e-native/go
go test -count=1 -timeout 15m -v "$@" ./...

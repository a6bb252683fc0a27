#!/usr/bin/env bash
# Runs one `pulumi` command on the `emulator` stack that `npm start` made, with that stack's backend (.pulumi-state/)
# and its public passphrase set for this command only — never exported into your shell, where the next
# `pulumi stack init` (sandbox, production) would encrypt real secrets with a passphrase everybody knows.
#
#   bash scripts/pulumi-emulator.sh stack output --show-secrets customers
#   bash scripts/pulumi-emulator.sh preview --diff
#
# The Pulumi CLI comes from scripts/ensure-pulumi.sh (PATH, cache or build), as for `npm start`. `--stack emulator`
# is added unless the command names a stack.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh >/dev/null
# shellcheck source=ensure-pulumi.sh
source scripts/ensure-pulumi.sh || { echo "pulumi-emulator: the Pulumi CLI is missing (see above; npm start provides it)" >&2; exit 1; }
[ -d "$ROOT/.pulumi-state" ] || { echo "pulumi-emulator: no .pulumi-state/ yet: run npm start first" >&2; exit 1; }
stack_args=(--stack emulator)
for arg in "$@"; do
  case "$arg" in --stack | --stack=* | -s) stack_args=() ;; esac
done
# The emulator stack only ever holds emulator data: the passphrase matches the encryptionsalt in Pulumi.emulator.yaml.
unset PULUMI_CONFIG_PASSPHRASE_FILE
PULUMI_CONFIG_PASSPHRASE="pulumi-partnercenter-local" PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state" \
  exec pulumi "$@" "${stack_args[@]}"

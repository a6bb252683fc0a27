#!/usr/bin/env bash
# Passes a `pulumi preview --json` only when everything it plans is a follow-up of what was already approved: copy it
# to .github/scripts/follow-ups-only.sh next to the workflow (partnercenter.yml's hourly job calls it from there).
#
#   pulumi preview --json --stack production > preview.json
#   bash .github/scripts/follow-ups-only.sh preview.json && pulumi up --yes --skip-preview --stack production
#
# A follow-up is an update of an McaAcceptance, a GdapRelationship or a GdapAccessAssignment whose inputs are exactly
# the ones in the state: the provider plans it because a person acted (the customer accepted the MCA or approved the
# relationship, an attestation expired), never because the program changed. Anything else — a create, a replacement,
# a delete, an update of any other type, or one that changes an input (another role for a group) — is a change
# someone must approve in the `production` environment first, so the hourly run refuses it and names each one.
# The dynamic resources' serialized provider (`__provider`) is not an input for this purpose: it changes with the
# package version, which a reviewed pull request brings.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 PREVIEW_JSON" >&2; exit 2; }
command -v jq >/dev/null || { echo "::error::follow-ups-only: jq is not installed" >&2; exit 1; }
jq -e 'type == "object"' "$1" >/dev/null 2>&1 || {
  echo "::error::follow-ups-only: $1 is not the JSON of pulumi preview --json" >&2
  exit 1
}

# shellcheck disable=SC2016 # a jq program, not a shell string
offending=$(jq -r '
  def type_of: .urn | split("::")[2] | split("$") | last;
  def inputs_of(state): (state.inputs // {}) | del(.__provider);
  def follow_up:
    .op == "update"
    and (type_of | test("(^|[:/])(McaAcceptance|GdapRelationship|GdapAccessAssignment)$"))
    and (inputs_of(.oldState) == inputs_of(.newState));
  .steps // [] | .[] | select(.op != "same" and .op != "read" and (follow_up | not)) | "\(.op) \(.urn)"
' "$1")

if [ -n "$offending" ]; then
  echo "::error::follow-ups-only: the preview plans changes that need approval (run the push workflow in the production environment):" >&2
  printf '  %s\n' "$offending" >&2
  exit 1
fi
count=$(jq '[.steps // [] | .[] | select(.op == "update")] | length' "$1")
echo "follow-ups-only: ${count} follow-up(s), nothing else"

#!/usr/bin/env bash
# `npm start`: the main job in one command, on a fresh clone.
#
#   1. Node 22 (scripts/ensure-node.sh), dependencies (npm ci when node_modules is missing or older than
#      package-lock.json) and the build (npm run build, which also links node_modules/pulumi-partnercenter).
#   2. The Pulumi CLI (scripts/ensure-pulumi.sh); without it this stops here, saying how to install it.
#   3. The Partner Center emulator in the background, state kept in .emulator/ (its tenant, credentials, CA and
#      customers survive restarts), on a fixed port so Pulumi.emulator.yaml can name its URL.
#   4. `pulumi preview --diff`, `pulumi up --yes` and `pulumi stack output --json` (secrets hidden) of the root program
#      (program/index.ts, customers.yaml) on the `emulator` stack, local backend in .pulumi-state/. Customers whose
#      MCA waits for the customer's acceptance are accepted on the emulator's page, and GDAP relationships waiting for
#      the customer's approval are approved there (shortcuts, labelled as such)
#      and recorded by a second `pulumi up`.
#   5. Stops the emulator, keeping its state, so running this again reports no changes.
#
# Settings (environment):
#   PARTNERCENTER_EMULATOR_PORT   emulator port, default 8443 (another port gets a generated copy of the stack
#                                 config in .emulator/, passed with --config-file; Pulumi.emulator.yaml is untouched)
#   PARTNERCENTER_START_TIMEOUT   seconds to wait for the emulator to answer, default 60
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

STEP=0
STEPS=9
STARTED_AT=$(date +%s)
step() {
  STEP=$((STEP + 1))
  echo
  echo "==> [start $STEP/$STEPS] $* (at $(($(date +%s) - STARTED_AT))s)"
}
fail() {
  echo "!!! [start] $*" >&2
  exit 1
}

step "Node.js 22"
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh || fail "Node.js 22 or later is needed and could not be obtained (see above)."
set -e
echo "node $(node --version), npm $(npm --version 2>/dev/null)"

step "dependencies"
# node_modules/.package-lock.json is what npm writes after an install: older than package-lock.json means the lock
# file changed since (a pull), so the installed tree may be stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing with npm ci..."
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json"
fi

step "build"
npm run build --silent
echo "built dist/ and linked node_modules/pulumi-partnercenter"

step "Pulumi CLI"
# The emulator stack only ever holds emulator data: a fixed passphrase (matching the encryptionsalt committed in
# Pulumi.emulator.yaml) and a backend inside the checkout keep it self-contained, whatever the user's own settings.
# Both are set in this script's process only (`npm start` runs it with bash, so they never reach the user's shell);
# scripts/pulumi-emulator.sh sets them the same way for commands typed by hand.
export PULUMI_CONFIG_PASSPHRASE="pulumi-partnercenter-local"
unset PULUMI_CONFIG_PASSPHRASE_FILE
export PULUMI_BACKEND_URL="file://$ROOT/.pulumi-state"
mkdir -p "$ROOT/.pulumi-state"
set +e
# shellcheck source=ensure-pulumi.sh
source scripts/ensure-pulumi.sh
cli_status=$?
set -e
if [ "$cli_status" -ne 0 ]; then
  if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
    # ensure-pulumi wants the exact version of @pulumi/pulumi; a newer CLI runs this program just as well.
    echo "!!! [start] continuing with $(pulumi version) from PATH instead of the exact version (see above)." >&2
  else
    echo >&2
    echo "!!! [start] The Pulumi CLI is missing and could not be built on this machine (see the ensure-pulumi output above)." >&2
    echo "!!! [start] Install it from https://www.pulumi.com/docs/install/ (it puts 'pulumi' and 'pulumi-language-nodejs'" >&2
    echo "!!! [start] on PATH; version $(node -p 'require("@pulumi/pulumi/package.json").version') matches this checkout), then run 'npm start' again." >&2
    echo "!!! [start] Everything before this step is done: dependencies installed, package built. 'npm test' needs no CLI." >&2
    exit 1
  fi
fi
echo "$(pulumi version) at $(command -v pulumi)"

step "Partner Center emulator"
PORT="${PARTNERCENTER_EMULATOR_PORT:-8443}"
STATE_DIR="$ROOT/.emulator"
mkdir -p "$STATE_DIR"
STACK_CONFIG="$ROOT/Pulumi.emulator.yaml"
# Tenant and app IDs come from the stack config, the one place that names them; the emulator is started with them.
read -r TENANT_ID CLIENT_ID < <(node -e '
  const { parse } = require("yaml");
  const config = parse(require("node:fs").readFileSync(process.argv[1], "utf8")).config ?? {};
  console.log(config["partnercenter:tenantId"], config["partnercenter:clientId"]);
' "$STACK_CONFIG")
[ -n "$TENANT_ID" ] && [ "$TENANT_ID" != undefined ] || fail "Pulumi.emulator.yaml has no partnercenter:tenantId"

EMULATOR_OUT="$STATE_DIR/emulator.json"
EMULATOR_LOG="$STATE_DIR/emulator.log"
# The JSON line holds the emulator's demo secrets (the state file holds them anyway): owner-only, like the state.
(umask 077 && : >"$EMULATOR_OUT" && : >"$EMULATOR_LOG")
node dist/emulator/cli.js --port "$PORT" --state-file "$STATE_DIR/state.json" \
  --tenant-id "$TENANT_ID" --client-id "$CLIENT_ID" --json >"$EMULATOR_OUT" 2>"$EMULATOR_LOG" &
EMULATOR_PID=$!
stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    echo
    echo "==> [start] stopping the emulator (state kept in .emulator/)"
    kill -TERM "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
}
trap stop_emulator EXIT
trap 'exit 130' INT TERM

deadline=$(($(date +%s) + ${PARTNERCENTER_START_TIMEOUT:-60}))
until [ -s "$EMULATOR_OUT" ]; do
  if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
    cat "$EMULATOR_LOG" >&2
    if grep -q EADDRINUSE "$EMULATOR_LOG"; then
      fail "port $PORT is in use: stop what listens there, or set PARTNERCENTER_EMULATOR_PORT to a free port."
    fi
    fail "the emulator exited before listening (log above, also in .emulator/emulator.log)."
  fi
  [ "$(date +%s)" -lt "$deadline" ] || fail "the emulator did not start within ${PARTNERCENTER_START_TIMEOUT:-60}s (.emulator/emulator.log)."
  sleep 0.2
done

# One value per line, in this order; secrets never reach the terminal.
{
  read -r EMULATOR_URL
  read -r EMULATOR_AUTHORITY
  read -r EMULATOR_TENANT
  read -r EMULATOR_CLIENT
  read -r EMULATOR_CA
  read -r EMULATOR_SECRET
  read -r EMULATOR_REFRESH_TOKEN
} < <(node -e '
  const info = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8").split("\n")[0]);
  const c = info.credentials;
  console.log([info.url, info.authority, info.tenantId, c.clientId, info.caCertificatePath, c.clientSecret, c.refreshToken].join("\n"));
' "$EMULATOR_OUT")
if [ "$EMULATOR_TENANT" != "$TENANT_ID" ] || [ "$EMULATOR_CLIENT" != "$CLIENT_ID" ]; then
  fail "the emulator state in .emulator/ was created with tenant $EMULATOR_TENANT / app $EMULATOR_CLIENT, but" \
    "Pulumi.emulator.yaml names $TENANT_ID / $CLIENT_ID. Delete .emulator/ and .pulumi-state/ to start afresh."
fi

export NODE_EXTRA_CA_CERTS="$EMULATOR_CA"
export PARTNERCENTER_CLIENT_SECRET="$EMULATOR_SECRET"
export PARTNERCENTER_REFRESH_TOKEN="$EMULATOR_REFRESH_TOKEN"
# Credentials of a real partner account in the caller's environment must not compete with the emulator's.
unset PARTNERCENTER_CLIENT_CERTIFICATE_PATH PARTNERCENTER_CLIENT_CERTIFICATE PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD \
  PARTNERCENTER_FEDERATED_TOKEN_FILE AZURE_CLIENT_SECRET AZURE_CLIENT_CERTIFICATE_PATH \
  AZURE_CLIENT_CERTIFICATE_PASSWORD AZURE_FEDERATED_TOKEN_FILE
unset EMULATOR_SECRET EMULATOR_REFRESH_TOKEN

# Listening is not answering: ask over HTTPS, trusting only the emulator's CA, exactly as the provider will. An admin
# token in the environment (PARTNERCENTER_EMULATOR_ADMIN_TOKEN) reaches the emulator too, which then requires it.
until node -e '
  const token = process.env.PARTNERCENTER_EMULATOR_ADMIN_TOKEN;
  fetch(process.argv[1] + "/_emulator/info", { headers: token ? { authorization: `Bearer ${token}` } : {} })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))
' "$EMULATOR_URL"; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the emulator at $EMULATOR_URL does not answer (.emulator/emulator.log)."
  sleep 0.5
done
echo "emulator answering at $EMULATOR_URL (tenant $EMULATOR_TENANT, CA $EMULATOR_CA)"

CONFIG_ARGS=()
if [ "$PORT" != 8443 ]; then
  # Pulumi.emulator.yaml names port 8443; another port gets a copy with the emulator's actual URL and authority.
  PORT_CONFIG="$STATE_DIR/Pulumi.emulator.port-$PORT.yaml"
  node -e '
    const fs = require("node:fs");
    const { parseDocument } = require("yaml");
    const [file, out, url, authority] = process.argv.slice(1);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["config", "partnercenter:endpoint"], url);
    doc.setIn(["config", "partnercenter:authority"], authority);
    doc.setIn(["config", "partnercenter:mcaAcceptanceBase"], url);
    doc.setIn(["config", "partnercenter:graphEndpoint"], url);
    doc.setIn(["config", "partnercenter:gdapApprovalBase"], url);
    fs.writeFileSync(out, doc.toString());
  ' "$STACK_CONFIG" "$PORT_CONFIG" "$EMULATOR_URL" "$EMULATOR_AUTHORITY"
  CONFIG_ARGS=(--config-file "$PORT_CONFIG")
  echo "port $PORT: using stack config $PORT_CONFIG"
fi

step "pulumi preview --diff (stack emulator)"
pulumi stack select --create emulator --non-interactive
pulumi preview --diff --stack emulator --non-interactive "${CONFIG_ARGS[@]}"

step "pulumi up --yes (stack emulator)"
# The preview above already showed the plan; nothing can change in between (the emulator is ours alone).
pulumi up --yes --skip-preview --stack emulator --non-interactive "${CONFIG_ARGS[@]}"

step "the customers' MCA acceptance (emulator shortcut)"
# Customers whose agreement block names a signatory wait for the customer to accept the MCA through a link. A real
# customer opens that link (pulumi stack output --show-secrets customers → <name>.acceptanceUrl) and accepts on
# Microsoft's page; here the demo accepts on the emulator's stand-in page on their behalf, then records it.
WAITING=$(pulumi stack output --json --show-secrets --stack emulator customers | node -e '
  const customers = JSON.parse(require("node:fs").readFileSync(0, "utf8") || "{}");
  for (const [name, out] of Object.entries(customers)) {
    if (out.acceptanceStatus === "waitingForCustomer" || out.acceptanceStatus === "accepted") {
      console.log(`${name} ${out.acceptanceStatus} ${out.acceptanceUrl}`);
    }
  }
')
if [ -z "$WAITING" ]; then
  echo "no customer is waiting to accept the Microsoft Customer Agreement"
else
  while read -r NAME STATUS LINK; do
    if [ "$STATUS" = waitingForCustomer ]; then
      echo "EMULATOR SHORTCUT: accepting the MCA on behalf of customer '$NAME' on the emulator's acceptance page."
      echo "  A real customer opens the link you hand them privately (pulumi stack output --show-secrets customers:"
      echo "  customers.$NAME.acceptanceUrl, on https://cdn.partner.microsoft.com) and accepts there themselves."
      # The link grants acceptance: it travels in the environment, never on a command line (where ps shows it).
      PC_ACCEPTANCE_LINK="$LINK" node -e '
        const link = new URL(process.env.PC_ACCEPTANCE_LINK);
        const form = new URLSearchParams({ attestationid: link.searchParams.get("attestationid") ?? "", agree: "yes" });
        fetch(new URL("/mca/accept", link), { method: "POST", body: form })
          .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
      ' || fail "the emulator's acceptance page did not take the acceptance of $NAME"
    fi
  done <<<"$WAITING"
  echo "recording the accepted agreements (pulumi up):"
  pulumi up --yes --skip-preview --stack emulator --non-interactive "${CONFIG_ARGS[@]}"
fi
unset WAITING

step "the customers' GDAP approval (emulator shortcut)"
# Customers whose gdap: block asks for a relationship wait for the customer's Global Administrator to approve it through
# a link (customers.<name>.gdapApprovalUrl, a secret); here the demo approves on the emulator's stand-in for the
# Microsoft 365 admin center, then the next up records it and makes the access assignments.
WAITING=$(pulumi stack output --json --show-secrets --stack emulator customers | node -e '
  const customers = JSON.parse(require("node:fs").readFileSync(0, "utf8") || "{}");
  for (const [name, out] of Object.entries(customers)) {
    if (out.gdapStatus === "waitingForCustomer" && out.gdapRelationshipId) console.log(`${name} ${out.gdapRelationshipId}`);
  }
')
if [ -z "$WAITING" ]; then
  echo "no customer is waiting to approve a GDAP relationship"
else
  while read -r NAME RELATIONSHIP; do
    echo "EMULATOR SHORTCUT: approving the GDAP relationship of customer '$NAME' as its Global Administrator would."
    echo "  A real customer's admin opens customers.$NAME.gdapApprovalUrl (https://admin.microsoft.com/…) and approves there."
    node -e '
      const [base, id] = process.argv.slice(1);
      fetch(new URL(`/AdminPortal/api/gdap/${encodeURIComponent(id)}/approve`, base), { method: "POST" })
        .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
    ' "$EMULATOR_URL" "$RELATIONSHIP" || fail "the emulator's approval page did not take the approval for $NAME"
  done <<<"$WAITING"
  echo "recording the approvals and assigning access (pulumi up):"
  pulumi up --yes --skip-preview --stack emulator --non-interactive "${CONFIG_ARGS[@]}"
fi
unset WAITING

step "stack outputs (secrets hidden; 'bash scripts/pulumi-emulator.sh stack output --show-secrets' reveals them)"
pulumi stack output --json --stack emulator

echo
echo "==> [start] done in $(($(date +%s) - STARTED_AT))s. Run 'npm start' again: the preview reports no changes."
echo "    Other commands on this stack: bash scripts/pulumi-emulator.sh <pulumi command> (its backend and passphrase" \
  "are set for that command only)"

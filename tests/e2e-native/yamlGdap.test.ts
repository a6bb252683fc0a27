/**
 * examples/yaml-gdap under the real Pulumi CLI with the native plugin (issue 20), App-only credentials — the YAML
 * counterpart of tests/e2e/gdap.test.ts: a customer created with its Default GDAP relationship, adopted and assigned
 * to a partner group in the same up; a custom relationship waiting for the customer's approval (the link a secret
 * output), approved on the emulator's page in headless Chromium, then active with its group assigned; the assignment's
 * roles changed in place; a role outside the relationship refused at preview with nothing sent; an unchanged preview
 * with 0 requests; refresh; destroy (the custom relationship terminated, the Default GDAP left active, its assignment
 * removed). The approval link is nowhere in plaintext in the stack's raw state files.
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-yaml.sh`, Chromium and `npm run build`.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { approveGdapInBrowser } from "../support/browser";
import { nativePluginEnv } from "../support/nativePlugin";
import {
  appOnlyStackConfig,
  createTestStack,
  exportStackAsStored,
  rawBackendFiles,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml-gdap");
const run = Date.now().toString(36);

describe("e2e-native: examples/yaml-gdap (GDAP as code) under the real Pulumi CLI with the native plugin", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;
  const helpdeskGroup = randomUUID();
  const operatorsGroup = randomUUID();

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
  });

  const gdap = () => emulator.state().gdap;
  const assignmentOf = (group: string) =>
    gdap().accessAssignments.find((a) => a.accessContainer.accessContainerId === group);
  const rolesOf = (group: string) =>
    (assignmentOf(group)?.accessDetails.unifiedRoles ?? []).map((r) => r.roleDefinitionId).sort();
  const ids = (...names: string[]) => names.map((name) => ENTRA_ROLES[name]).sort();
  const graphCalls = () => emulator.requests().filter((r) => r.path.startsWith("/v1.0/")).length;
  const apiCalls = () => emulator.requests().filter((r) => /^\/v1(\.0)?\//.test(r.path)).length;

  it("Default GDAP assigned in the same up; custom waits, is approved in a browser, is assigned; roles change in place; unchanged preview with no request; refresh; destroy", async () => {
    test = await createTestStack(EXAMPLE, `yamlgdap-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      ...nativePluginEnv(),
    });
    const { stack } = test;
    await stack.setAllConfig({
      ...appOnlyStackConfig(emulator),
      domain: { value: `yamlgdap${run}.onmicrosoft.com` },
      helpdeskGroup: { value: helpdeskGroup },
      operatorsGroup: { value: operatorsGroup },
      operatorsRoles: { value: "Global Reader" },
    });

    const preview = await stack.preview();
    assert.equal(preview.changeSummary.create, 6, "stack, customer, two relationships, two assignments");
    assert.equal(graphCalls(), 0, "preview sends nothing to Graph");

    let upOutput = "";
    const events: string[] = [];
    const up = await stack.up({
      onOutput: (text) => (upOutput += text),
      onEvent: (event) => events.push(JSON.stringify(event)),
    });
    assert.equal(up.outputs.defaultStatus?.value, "completed", "the Default GDAP is active without approval");
    assert.equal(up.outputs.helpdeskStatus?.value, "completed", "assigned in the same up");
    assert.deepEqual(rolesOf(helpdeskGroup), ids("Helpdesk Administrator", "User Administrator"));
    const defaultId = String(up.outputs.defaultRelationshipId?.value);
    assert.ok(
      gdap()
        .relationships.find((r) => r.id === defaultId)
        ?.displayName.startsWith("Default_"),
      "the adopted one is Partner Center's Default_",
    );

    assert.equal(up.outputs.customStatus?.value, "waitingForCustomer", "a clear pending state");
    assert.equal(up.outputs.operatorsStatus?.value, "waitingForCustomer", "nothing assigned before approval");
    assert.equal(up.outputs.customApprovalUrl?.secret, true, "the approval link is a secret output");
    const link = String(up.outputs.customApprovalUrl?.value);
    assert.match(link, /\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\//);
    assert.equal(assignmentOf(operatorsGroup), undefined);
    // The provider says it waits, in the CLI's own output: the engine shows a native plugin's stdout only at debug
    // level, so the plugin sends its messages through the engine's log, scoped to the resource.
    assert.match(upOutput, /waiting for the customer's approval/, "the provider says the relationship waits");
    assert.ok(!upOutput.includes(link), "the CLI output never shows the link");
    assert.ok(!events.some((event) => event.includes(link)), "no engine event carries the link");
    const customId = String(up.outputs.customRelationshipId?.value);
    assert.equal(gdap().relationships.find((r) => r.id === customId)?.status, "approvalPending");
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end",
    );

    // Still waiting: the preview asks Graph (once per waiting resource) and plans nothing.
    const waiting = await stack.preview();
    assert.deepEqual(waiting.changeSummary, { same: 6 });

    assert.match((await approveGdapInBrowser(link)).status, /Approved/i);

    const approved = await stack.up();
    assert.equal(approved.outputs.customStatus?.value, "completed");
    assert.equal(approved.outputs.operatorsStatus?.value, "completed");
    assert.deepEqual(rolesOf(operatorsGroup), ids("Global Reader"));
    assert.equal(gdap().relationships.find((r) => r.id === customId)?.status, "active");
    // YAML gives a stack output whose property is absent the value null (TypeScript leaves the output out).
    assert.equal(approved.outputs.customApprovalUrl?.value ?? undefined, undefined, "no link once active");

    // A role outside the relationship: refused at preview (relationshipRoles: ${custom.roles}), nothing sent.
    await stack.setConfig("operatorsRoles", { value: "Global Reader,Helpdesk Administrator" });
    const before = graphCalls();
    await assert.rejects(stack.preview(), /roles\[1\].*not one of the relationship's roles/s);
    assert.equal(graphCalls(), before, "nothing sent for a bad assignment");

    // A change of roles within the relationship: an in-place update of the same assignment.
    await stack.setConfig("operatorsRoles", { value: "Global Reader,Reports Reader" });
    const assignmentId = assignmentOf(operatorsGroup)?.id;
    assert.ok(assignmentId);
    const change = await stack.preview({ diff: true });
    assert.equal(change.changeSummary.update, 1, JSON.stringify(change.changeSummary));
    assert.equal(change.changeSummary.replace, undefined, "roles change in place");
    const changed = await stack.up();
    assert.equal(changed.summary.resourceChanges?.update, 1, JSON.stringify(changed.summary.resourceChanges));
    assert.deepEqual(rolesOf(operatorsGroup), ids("Global Reader", "Reports Reader"));
    assert.equal(assignmentOf(operatorsGroup)?.id, assignmentId, "the same assignment");

    const calls = apiCalls();
    const unchanged = await stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 6 });
    assert.equal(apiCalls(), calls, "an unchanged preview sends no request to Partner Center or Graph");

    assert.equal((await stack.refresh()).summary.result, "succeeded");
    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 6 });

    // The approval link is nowhere in plaintext in the stored state.
    assert.ok(!exportStackAsStored(test).includes(link), "pulumi stack export (no --show-secrets)");
    const files = rawBackendFiles(test);
    assert.ok(files.size > 0);
    for (const [file, text] of files) assert.ok(!text.includes(link), file);
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end",
    );

    assert.equal((await stack.destroy()).summary.result, "succeeded");
    const custom = gdap().relationships.find((r) => r.id === customId);
    assert.ok(
      custom && ["terminationRequested", "terminating", "terminated"].includes(custom.status),
      `the custom relationship is terminated (${custom?.status})`,
    );
    assert.equal(
      gdap().relationships.find((r) => r.id === defaultId)?.status,
      "active",
      "the adopted Default GDAP is left alone",
    );
    assert.equal(assignmentOf(helpdeskGroup), undefined, "the stack's assignment on it is removed");
  });
});

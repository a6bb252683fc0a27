/**
 * Issue 20 under the real Pulumi CLI (TypeScript program, App-only credentials): a customer created with its Default
 * GDAP relationship, adopted and assigned to a partner group in the same `up`; a custom relationship waiting for the
 * customer's approval (the link a secret output), approved on the emulator's page in headless Chromium, then active
 * with its group assigned; an assignment's roles changed in place; a role outside the relationship refused at preview
 * with nothing sent; an unchanged preview with 0 requests; refresh; destroy (the custom relationship terminated, the
 * Default GDAP left alone).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { approveGdapInBrowser } from "../support/browser";
import {
  appOnlyStackConfig,
  createTestStack,
  exportStackAsStored,
  rawBackendFiles,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const PROJECT = join(__dirname, "projects", "gdap");
const run = Date.now().toString(36);

describe("e2e: GDAP as code under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;
  const defaultGroup = randomUUID();
  const customGroup = randomUUID();

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    test = await createTestStack(PROJECT, `gdap-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await test.stack.setAllConfig({
      ...appOnlyStackConfig(emulator),
      "e2e:domain": { value: `gdap${run}.onmicrosoft.com` },
      "e2e:defaultGroup": { value: defaultGroup },
      "e2e:defaultGroupRoles": { value: JSON.stringify(["Helpdesk Administrator", "User Administrator"]) },
      "e2e:withCustom": { value: "true" },
      "e2e:customRoles": { value: JSON.stringify(["Global Reader", "Security Reader", "Reports Reader"]) },
      "e2e:customGroup": { value: customGroup },
      "e2e:customGroupRoles": { value: JSON.stringify(["Global Reader"]) },
    });
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

  it("Default GDAP assigned in the same up; custom relationship waits, is approved in a browser, is assigned; roles change in place; refresh; destroy", async () => {
    const preview = await test.stack.preview();
    assert.equal(preview.changeSummary.create, 6, "stack, customer, two relationships, two assignments");
    assert.equal(graphCalls(), 0, "preview sends nothing to Graph");

    let upOutput = "";
    const up = await test.stack.up({ onOutput: (text) => (upOutput += text) });
    assert.equal(up.outputs.defaultStatus?.value, "completed", "the Default GDAP is active without approval");
    assert.equal(up.outputs.defaultAssignmentStatus?.value, "completed", "assigned in the same up");
    assert.deepEqual(rolesOf(defaultGroup), ids("Helpdesk Administrator", "User Administrator"));
    const defaultRelationship = gdap().relationships.find((r) => r.id === up.outputs.defaultRelationshipId?.value);
    assert.ok(defaultRelationship?.displayName.startsWith("Default_"), "the adopted one is Partner Center's Default_");

    assert.equal(up.outputs.customStatus?.value, "waitingForCustomer", "a clear pending state");
    assert.equal(up.outputs.customAssignmentStatus?.value, "waitingForCustomer", "nothing assigned before approval");
    assert.equal(up.outputs.customApprovalUrl?.secret, true, "the approval link is a secret output");
    const link = String(up.outputs.customApprovalUrl?.value);
    assert.match(link, /\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\//);
    assert.equal(assignmentOf(customGroup), undefined);
    assert.match(upOutput, /waiting for the customer's approval/);
    assert.ok(!upOutput.includes(link), "the CLI output never shows the link");
    const customId = String(up.outputs.customRelationshipId?.value);
    assert.equal(gdap().relationships.find((r) => r.id === customId)?.status, "approvalPending");

    // Still waiting: the preview asks Graph (once per waiting resource) and plans nothing.
    const waiting = await test.stack.preview();
    assert.deepEqual(waiting.changeSummary, { same: 6 });

    const outcome = await approveGdapInBrowser(link);
    assert.match(outcome.status, /Approved/i);

    const approved = await test.stack.up();
    assert.equal(approved.outputs.customStatus?.value, "completed");
    assert.equal(approved.outputs.customAssignmentStatus?.value, "completed");
    assert.deepEqual(rolesOf(customGroup), ids("Global Reader"));
    assert.equal(approved.outputs.customApprovalUrl?.value, undefined, "no link once active");

    // A role outside the relationship: refused at preview, naming the path, with nothing sent to Graph.
    await test.stack.setConfig("e2e:customGroupRoles", {
      value: JSON.stringify(["Global Reader", "Helpdesk Administrator"]),
    });
    const before = graphCalls();
    await assert.rejects(test.stack.preview(), /roles\[1\].*not one of the relationship's roles/s);
    assert.equal(graphCalls(), before, "nothing sent for a bad assignment");

    // A change of roles within the relationship: an in-place update of the same assignment.
    await test.stack.setConfig("e2e:customGroupRoles", { value: JSON.stringify(["Global Reader", "Reports Reader"]) });
    const assignmentId = assignmentOf(customGroup)?.id;
    const change = await test.stack.preview({ diff: true });
    assert.equal(change.changeSummary.update, 1);
    assert.equal(change.changeSummary.replace, undefined, "roles change in place");
    const changed = await test.stack.up();
    assert.equal(changed.summary.resourceChanges?.update, 1);
    assert.deepEqual(rolesOf(customGroup), ids("Global Reader", "Reports Reader"));
    assert.equal(assignmentOf(customGroup)?.id, assignmentId, "the same assignment");

    const calls = apiCalls();
    const unchanged = await test.stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 6 });
    assert.equal(apiCalls(), calls, "an unchanged preview sends no request to Partner Center or Graph");

    const refresh = await test.stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    const again = await test.stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 6 });

    // The approval link is nowhere in plaintext in the stored state.
    assert.ok(!exportStackAsStored(test).includes(link), "pulumi stack export (no --show-secrets)");
    for (const [file, text] of rawBackendFiles(test)) assert.ok(!text.includes(link), file);
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end: no App+User token was used",
    );

    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    const custom = gdap().relationships.find((r) => r.id === customId);
    assert.ok(
      custom && ["terminationRequested", "terminating", "terminated"].includes(custom.status),
      `the custom relationship is terminated (${custom?.status})`,
    );
    assert.equal(
      gdap().relationships.find((r) => r.id === defaultRelationship?.id)?.status,
      "active",
      "the adopted Default GDAP is left alone",
    );
    assert.equal(assignmentOf(defaultGroup), undefined, "the stack's assignment on it is removed");
  });
});

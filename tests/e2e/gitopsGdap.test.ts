/**
 * The GitOps program (program/index.ts) under the real Pulumi CLI with a customers file whose entry has a `gdap:`
 * block (issue 20), App-only credentials: preview (nothing sent to Graph) → up (the customer created, its Default GDAP
 * relationship adopted and the partner group assigned in the same up) → a change of the group's roles previewed as
 * an update, not a replacement, and applied in place → an unchanged preview sending no request → a role outside the
 * Default GDAP refused at preview with nothing sent → destroy (the assignment removed, the adopted Default GDAP
 * relationship left active).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { validCustomerArgs } from "../support/customerFixtures";
import { appOnlyStackConfig, createTestStack, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const ROOT = join(__dirname, "..", "..");

/** The `customers.contoso` stack output. */
function contosoOf(outputs: OutputMap): Record<string, unknown> | undefined {
  return (outputs.customers?.value as Record<string, Record<string, unknown>> | undefined)?.contoso;
}
const run = Date.now().toString(36);

describe("e2e: customers.yaml with a gdap block (the GitOps program) under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;
  let dir: string;
  let file: string;
  const group = randomUUID();

  /** Writes the customers file: contoso, its Default GDAP adopted and `group` given `roles`. */
  const writeCustomers = (roles: string[]) =>
    writeFileSync(
      file,
      stringify({
        customers: {
          contoso: {
            ...validCustomerArgs({ domain: `gitopsgdap${run}.onmicrosoft.com` }),
            gdap: { default: true, access: [{ group, roles }] },
            // The test destroys its customer at the end: customers are protected unless the entry says otherwise.
            protect: false,
          },
        },
      }),
    );

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), "pc-gitops-gdap-"));
    file = join(dir, "customers.yaml");
    writeCustomers(["Helpdesk Administrator"]);
    test = await createTestStack(ROOT, `gitops-gdap-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await test.stack.setAllConfig({ ...appOnlyStackConfig(emulator), "partnercenter:customersFile": { value: file } });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const gdap = () => emulator.state().gdap;
  const assignmentOf = (groupId: string) =>
    gdap().accessAssignments.find(
      (a) => a.accessContainer.accessContainerId === groupId && !["deleted", "deleting"].includes(a.status),
    );
  const rolesOf = (groupId: string) =>
    (assignmentOf(groupId)?.accessDetails.unifiedRoles ?? []).map((r) => r.roleDefinitionId).sort();
  const ids = (...names: string[]) => names.map((name) => ENTRA_ROLES[name]).sort();
  const graphCalls = () => emulator.requests().filter((r) => r.path.startsWith("/v1.0/")).length;
  const apiCalls = () => emulator.requests().filter((r) => /^\/v1(\.0)?\//.test(r.path)).length;

  it("up adopts the Default GDAP and assigns the group; a role change is an in-place update; no-request preview; destroy keeps the Default GDAP", async () => {
    const preview = await test.stack.preview();
    assert.equal(preview.changeSummary.create, 4, "stack, customer, relationship, assignment");
    assert.equal(graphCalls(), 0, "preview sends nothing to Graph");

    const up = await test.stack.up();
    const contoso = contosoOf(up.outputs);
    assert.equal(contoso?.gdapStatus, "completed", "the Default GDAP is active without approval");
    assert.deepEqual(contoso?.gdapAccess, { [group]: "completed" }, "the group is assigned in the same up");
    assert.equal(contoso?.gdapApprovalUrl, undefined, "nothing to approve");
    const relationshipId = String(contoso?.gdapRelationshipId);
    const relationship = gdap().relationships.find((r) => r.id === relationshipId);
    assert.ok(
      relationship?.displayName.startsWith("Default_"),
      "the adopted relationship is Partner Center's Default_",
    );
    assert.equal(relationship?.customer?.tenantId, contoso?.tenantId, "with the customer the entry created");
    assert.equal(assignmentOf(group)?.status, "active");
    assert.deepEqual(rolesOf(group), ids("Helpdesk Administrator"));
    const assignmentId = assignmentOf(group)?.id;

    // The group's roles change in the file: an update of the same assignment, not a replacement.
    writeCustomers(["Helpdesk Administrator", "User Administrator"]);
    let diffOutput = "";
    const change = await test.stack.preview({ diff: true, onOutput: (text) => (diffOutput += text) });
    assert.equal(change.changeSummary.update, 1, JSON.stringify(change.changeSummary));
    assert.equal(change.changeSummary.replace, undefined, "roles change in place");
    assert.match(
      diffOutput,
      new RegExp(
        `~ pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment: \\(update\\)\\s+\\[id=[^\\]]*\\]\\s+\\[urn=[^\\]]*::contoso-gdap-${group}\\]`,
      ),
      "the preview names the group's assignment",
    );
    assert.match(diffOutput, /\+ \[1\]: "User Administrator"/, "the diff shows the added role");
    const changed = await test.stack.up();
    assert.equal(changed.summary.resourceChanges?.update, 1);
    assert.deepEqual(rolesOf(group), ids("Helpdesk Administrator", "User Administrator"));
    assert.equal(assignmentOf(group)?.id, assignmentId, "the same assignment");

    const calls = apiCalls();
    const unchanged = await test.stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 4 });
    assert.equal(apiCalls(), calls, "an unchanged preview sends no request to Partner Center or Graph");
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end: no App+User token was used",
    );

    // A role the Default GDAP does not hold: the file is refused at preview, with its path, before any request.
    writeCustomers(["Exchange Administrator"]);
    await assert.rejects(
      test.stack.preview(),
      /customers\.contoso\.gdap\.access\[0\]\.roles\[0\]: "Exchange Administrator" is not a role of the Default GDAP relationship/,
    );
    assert.equal(apiCalls(), calls, "a refused file sends nothing");
    writeCustomers(["Helpdesk Administrator", "User Administrator"]);

    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(assignmentOf(group), undefined, "destroy removes the assignment");
    assert.equal(
      gdap().relationships.find((r) => r.id === relationshipId)?.status,
      "active",
      "the adopted Default GDAP relationship is left in place",
    );
  });
});

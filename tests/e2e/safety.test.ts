/**
 * The lifecycle-safety rules under the real Pulumi engine (README, "Safety rules"): pinning the managed customer is
 * no change; a customer is never adopted by its domain alone; an adopted customer is never deleted by default; a
 * replacement deletes the old customer first only when the new one needs its domain.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { validCustomerArgs } from "../support/customerFixtures";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const PROJECT = join(__dirname, "projects", "customer");
const run = Date.now().toString(36);

/** The customer the e2e program declares (tests/e2e/projects/customer/index.ts), as Partner Center takes it. */
const programProfile = (domain: string) =>
  validCustomerArgs({ domain, companyName: "Contoso E2E Ltd", phoneNumber: "4255550100" });

describe("e2e: lifecycle safety under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  const stacks: TestStack[] = [];

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    for (const test of stacks) await test.cleanup();
    await emulator?.close();
  });

  async function newStack(name: string, config: Record<string, string>): Promise<TestStack> {
    const test = await createTestStack(PROJECT, `${name}-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    stacks.push(test);
    await test.stack.setAllConfig({
      ...emulatorStackConfig(emulator),
      ...Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])),
    });
    return test;
  }

  const partnerCenterCalls = () => emulator.requests().filter((r) => r.path.startsWith("/v1/")).length;

  it("rule 1: pinning the managed customer with existingCustomerId is no change: no replacement, no call, password kept", async () => {
    const test = await newStack("pin", {
      "e2e:domain": `pin${run}.onmicrosoft.com`,
      "e2e:deletionPolicy": "removeRelationship",
    });
    const up = await test.stack.up();
    const id = String(up.outputs.customerId?.value);
    const password = (up.outputs.userCredentials?.value as { password?: string } | undefined)?.password;
    assert.ok(password, "the create returned the admin password");

    await test.stack.setConfig("e2e:existingCustomerId", { value: id.toUpperCase() });
    const calls = partnerCenterCalls();
    const preview = await test.stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { same: 2 }, "no replacement planned");
    const again = await test.stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 2 });
    assert.equal(partnerCenterCalls(), calls, "no call to Partner Center");
    assert.equal(
      (again.outputs.userCredentials?.value as { password?: string } | undefined)?.password,
      password,
      "password kept",
    );
    assert.equal(again.outputs.userCredentials?.secret, true);
    assert.ok(
      emulator.state().customers.some((c) => c.id === id),
      "the customer is untouched",
    );
  });

  it("rules 2 and 3: a customer with this domain and profile made elsewhere is never adopted silently; adopted, destroy forgets it", async () => {
    const domain = `elsewhere${run}.onmicrosoft.com`;
    const foreign = await emulator.createCustomer(programProfile(domain));
    const test = await newStack("adopt", { "e2e:domain": domain });

    let previewOutput = "";
    await test.stack.preview({ onOutput: (text) => (previewOutput += text) });
    assert.match(previewOutput, new RegExp(`taken by your customer ${foreign.id}`), "preview warns");
    await assert.rejects(test.stack.up(), (error: Error) => {
      assert.match(error.message, new RegExp(`set existingCustomerId: \\\\?"${foreign.id}\\\\?"`));
      return true;
    });
    assert.equal(emulator.state().customers.filter((c) => c.companyProfile?.domain === domain).length, 1);
    const exported = await test.stack.exportStack();
    const types = (exported.deployment.resources ?? []).map((r: { type: string }) => r.type);
    assert.ok(!types.includes("pulumi-nodejs:dynamic/partnercenter:PartnerCustomer"), "nothing was adopted");

    // Adopting is the user's explicit choice; destroy then only forgets the customer.
    await test.stack.setConfig("e2e:existingCustomerId", { value: foreign.id });
    const up = await test.stack.up();
    assert.equal(up.outputs.customerId?.value, foreign.id);
    const writesBefore = emulator.requests().filter((r) => r.method === "PATCH" || r.method === "DELETE").length;
    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.ok(
      emulator.state().customers.some((c) => c.id === foreign.id),
      "the adopted customer is still there",
    );
    assert.equal(
      emulator.requests().filter((r) => r.method === "PATCH" || r.method === "DELETE").length,
      writesBefore,
      "no delete and no relationship removal",
    );

    // Asking for more on that resource is said at preview.
    await test.stack.setConfig("e2e:deletionPolicy", { value: "removeRelationship" });
    let warned = "";
    await test.stack.preview({ onOutput: (text) => (warned += text) });
    assert.match(warned, /pulumi destroy will remove your reseller relationship/);
  });

  it("issue 18: a partial create (its customer unreadable, its domain check lagging) keeps the first customer; refresh keeps it while it reads 404; destroy works on it", async () => {
    const domain = `partial${run}.onmicrosoft.com`;
    const test = await newStack("partial", {
      "e2e:domain": domain,
      "e2e:deletionPolicy": "delete",
      "e2e:preflight": "false",
      "partnercenter:sandbox": "true",
    });
    // Throughout the up, the new customer answers 404 and its domain check lags behind the create ("free").
    emulator.faults.inject({ method: "GET", path: /^\/v1\/customers\/[^/?]+$/, status: 404, count: 100_000 });
    emulator.faults.inject({ method: "HEAD", path: "/v1/domains/", status: 404, count: 1 });
    let upOutput = "";
    await assert.rejects(test.stack.up({ onOutput: (text) => (upOutput += text) }));
    const tenants = emulator.state().customers.filter((c) => c.companyProfile?.domain === domain);
    assert.equal(tenants.length, 1, "one tenant: the create refused on the domain proved the first customer exists");
    assert.match(
      upOutput,
      /it is not gone as far as Pulumi knows, and it is kept in the stack with its admin credentials/,
    );

    const customerOf = async () => {
      const exported = await test.stack.exportStack();
      return (exported.deployment.resources ?? []).find(
        (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer",
      ) as { id?: string; outputs?: Record<string, unknown> } | undefined;
    };
    const kept = await customerOf();
    assert.equal(kept?.id, tenants[0]?.id, "the customer of the 201 is in the stack");
    assert.equal(typeof kept?.outputs?.__provider, "string", "with its serialized provider");
    const password = (kept?.outputs?.userCredentials as { plaintext?: string } | undefined)?.plaintext;
    assert.match(String(password), /"password":"[^"]+"/, "and its admin credentials, as a secret");

    // The refresh the error recommends, while Partner Center still cannot read the customer: kept, not forgotten.
    let refreshOutput = "";
    const refresh = await test.stack.refresh({ onOutput: (text) => (refreshOutput += text) });
    assert.equal(refresh.summary.result, "succeeded");
    assert.match(refreshOutput, /cannot read it yet/);
    const afterRefresh = await customerOf();
    assert.equal(afterRefresh?.id, kept?.id, "still in the stack");
    assert.deepEqual(afterRefresh?.outputs?.userCredentials, kept?.outputs?.userCredentials, "password kept");

    // Destroy straight from the partial state: the customer is deleted, as its deletionPolicy says.
    emulator.faults.clear();
    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.deepEqual(
      emulator.state().customers.filter((c) => c.companyProfile?.domain === domain),
      [],
    );
  });

  it("rule 7: with deletionPolicy delete a domain change creates the new customer before deleting the old", async () => {
    const test = await newStack("order", {
      "e2e:domain": `order${run}.onmicrosoft.com`,
      "e2e:deletionPolicy": "delete",
      "partnercenter:sandbox": "true",
    });
    const first = await test.stack.up();
    const oldId = String(first.outputs.customerId?.value);

    // A new domain: create first, so that a failed create leaves the old customer in place.
    await test.stack.setConfig("e2e:domain", { value: `order2${run}.onmicrosoft.com` });
    const mark = emulator.requests().length;
    const moved = await test.stack.up();
    const newId = String(moved.outputs.customerId?.value);
    const log = emulator.requests().slice(mark);
    const createAt = log.findIndex((r) => r.method === "POST" && r.path === "/v1/customers");
    const deleteAt = log.findIndex((r) => r.method === "DELETE" && r.path === `/v1/customers/${oldId}`);
    assert.ok(createAt >= 0 && deleteAt > createAt, `create (${createAt}) before delete (${deleteAt})`);

    // The same domain with another address: the old customer must go first.
    await test.stack.setConfig("e2e:addressLine1", { value: "2 Microsoft Way" });
    const mark2 = emulator.requests().length;
    await test.stack.up();
    const log2 = emulator.requests().slice(mark2);
    const deleteAt2 = log2.findIndex((r) => r.method === "DELETE" && r.path === `/v1/customers/${newId}`);
    const createAt2 = log2.findIndex((r) => r.method === "POST" && r.path === "/v1/customers");
    assert.ok(deleteAt2 >= 0 && createAt2 > deleteAt2, `delete (${deleteAt2}) before create (${createAt2})`);
    await test.stack.destroy();
  });
});

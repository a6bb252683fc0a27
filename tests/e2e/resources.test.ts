import assert from "node:assert/strict";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import {
  createTestStack,
  emulatorStackConfig,
  exportStackAsStored,
  rawBackendFiles,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const PROJECT = join(__dirname, "projects", "customer");

/** Stack config that points the provider at the emulator, secrets as secrets. */
async function configureForEmulator(test: TestStack, emulator: EmulatorHandle, domain: string): Promise<void> {
  await test.stack.setAllConfig({
    ...emulatorStackConfig(emulator),
    "e2e:domain": { value: domain },
  });
}

/** Engine events of one operation, to read step metadata (op, replacement keys). */
function collector(): { events: EngineEvent[]; onEvent: (event: EngineEvent) => void } {
  const events: EngineEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

function stepsOf(events: EngineEvent[], type: string) {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m): m is NonNullable<typeof m> => !!m && m.type === type);
}

describe("e2e: PartnerCustomer and CustomerAgreement under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;
  const domain = `e2e${Date.now().toString(36)}.onmicrosoft.com`;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    test = await createTestStack(PROJECT, "e2e-resources", { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await configureForEmulator(test, emulator, domain);
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
  });

  it("previews the create, creates, keeps the password encrypted, and a second up changes nothing", async () => {
    const preview = collector();
    const previewResult = await test.stack.preview({ diff: true, onEvent: preview.onEvent });
    assert.equal(previewResult.changeSummary.create, 2, "stack + customer");
    assert.equal(emulator.state().customers.length, 0, "preview creates nothing");

    const up = await test.stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.outputs.userCredentials?.secret, true);
    const customers = emulator.state().customers;
    assert.equal(customers.length, 1);
    assert.equal(up.outputs.customerId?.value, customers[0]!.id);

    const password = (up.outputs.userCredentials!.value as { password: string }).password;
    // What an attacker holding the backend but not the passphrase reads: the raw files and a plain export.
    const stored = [exportStackAsStored(test), ...rawBackendFiles(test).values()].join("\n");
    assert.ok(stored.includes('"ciphertext"'), "the state holds ciphertexts");
    assert.ok(!stored.includes(password), "the password is only in state encrypted");
    assert.ok(!stored.includes(emulator.credentials.clientSecret), "no client secret in state");
    assert.ok(!stored.includes(emulator.credentials.refreshToken), "no refresh token in state");
    // The same export with --show-secrets (the Automation API's) does hold the password: the needle is the right one.
    assert.ok(JSON.stringify(await test.stack.exportStack()).includes(password));

    const again = await test.stack.up();
    assert.equal(again.summary.resourceChanges?.same, 2);
    assert.equal(emulator.state().customers.length, 1);
  });

  it("shows drift after an out-of-band change on refresh, and refuses to 'fix' it by a same-domain replacement", async () => {
    const id = emulator.state().customers[0]!.id;
    await emulator.updateCustomer(id, { billingProfile: { companyName: "Changed Outside Pulumi" } });
    try {
      const refresh = await test.stack.refresh();
      assert.equal(refresh.summary.resourceChanges?.update, 1, "refresh records the drift");
      // The program still says "Contoso E2E Ltd": going back would replace the customer, and a replacement with the
      // same domain cannot be created, so the preview fails at check naming the property (nothing is sent).
      await assert.rejects(test.stack.preview(), (error: Error) => {
        assert.match(error.message, /resource 'customer' has a problem: billingProfile\.companyName: changing/);
        assert.doesNotMatch(error.message, /<nil>/, "the engine prints no empty value for a nested property");
        return true;
      });
    } finally {
      await emulator.updateCustomer(id, { billingProfile: { companyName: "Contoso E2E Ltd" } });
    }
    const back = await test.stack.refresh();
    assert.equal(back.summary.resourceChanges?.update, 1, "refresh records the revert");
    const preview = await test.stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 2 }, "in sync again");
  });

  it("previews a replacement naming the changed property, and rejects one that would collide on the domain", async () => {
    await test.stack.setConfig("e2e:addressLine1", { value: "2 Microsoft Way" });
    await assert.rejects(test.stack.preview(), (error: Error) => {
      assert.match(
        error.message,
        /resource 'customer' has a problem: billingProfile\.defaultAddress\.addressLine1: changing billingProfile\.defaultAddress\.addressLine1 replaces the customer, but the replacement would be created with the same domain/,
      );
      assert.doesNotMatch(error.message, /<nil>/);
      return true;
    });
    const newDomain = `r${domain}`;
    await test.stack.setConfig("e2e:domain", { value: newDomain });
    const preview = collector();
    let text = "";
    await test.stack.preview({ diff: true, onEvent: preview.onEvent, onOutput: (out) => (text += out) });
    const replace = stepsOf(preview.events, "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer").find(
      (m) => m.op === "replace" || m.op === "create-replacement",
    );
    assert.ok(replace, "a replacement is planned");
    assert.ok(
      replace.keys?.includes("companyProfile") && replace.keys.includes("billingProfile"),
      String(replace.keys),
    );
    // `pulumi preview --diff` shows the replacement and the changed values under the properties that cause it.
    assert.match(text, /\+-\s*pulumi-nodejs:dynamic\/partnercenter:PartnerCustomer: \(replace\)/);
    assert.match(text, /~ companyProfile\s*: \{[\s\S]*~ domain\s*: "e2e[a-z0-9]+\.onmicrosoft\.com" => "r?e2e/);
    assert.match(text, /~ addressLine1\s*: "1 Microsoft Way" => "2 Microsoft Way"/);
    await test.stack.setConfig("e2e:domain", { value: domain });
    await test.stack.removeConfig("e2e:addressLine1");
  });

  it("adds the agreement in the same program; preview with the customer known, up, no-op, refresh", async () => {
    await test.stack.setConfig("e2e:withAgreement", { value: "true" });
    const up = await test.stack.up();
    assert.equal(up.summary.resourceChanges?.create, 1);
    assert.equal(emulator.state().agreements.length, 1);
    const again = await test.stack.up();
    assert.equal(again.summary.resourceChanges?.same, 3);
    const refresh = await test.stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
  });

  it("destroys, retaining the customer in Partner Center by default", async () => {
    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(emulator.state().customers.length, 1, "retained");
    assert.equal(emulator.state().agreements.length, 1, "agreements cannot be withdrawn");
  });

  it("refresh drops a customer (created over an hour ago) deleted outside Pulumi, and the next up creates it again", async () => {
    const gone = await createTestStack(PROJECT, "e2e-gone", { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    try {
      await configureForEmulator(gone, emulator, `g${domain}`);
      const up = await gone.stack.up();
      const id = String(up.outputs.customerId?.value);
      // A customer younger than an hour that reads 404 is kept (it may be lagging; safety.test.ts): age this one.
      const state = await gone.stack.exportStack();
      const resources = state.deployment.resources as { type: string; outputs?: Record<string, unknown> }[];
      const customer = resources.find((r) => r.type === "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer");
      assert.ok(customer?.outputs?.createdAt, "the state says when the customer was created");
      customer.outputs.createdAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
      await gone.stack.importStack(state);
      assert.ok(await emulator.removeCustomer(id), "deleted outside Pulumi");
      const refresh = await gone.stack.refresh();
      assert.equal(refresh.summary.resourceChanges?.delete, 1, "refresh removes it from state");
      const exported = await gone.stack.exportStack();
      const types = (exported.deployment.resources as { type: string }[]).map((r) => r.type);
      assert.ok(!types.includes("pulumi-nodejs:dynamic/partnercenter:PartnerCustomer"), types.join(", "));
      const again = await gone.stack.up();
      assert.equal(again.summary.resourceChanges?.create, 1, "the program's customer is created anew");
    } finally {
      await gone.cleanup();
    }
  });

  it("previews a new customer and its agreement with an unknown customerId, sending no write", async () => {
    const fresh = await createTestStack(PROJECT, "e2e-unknown", { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    try {
      await configureForEmulator(fresh, emulator, `u${domain}`);
      await fresh.stack.setConfig("e2e:withAgreement", { value: "true" });
      const writesBefore = emulator
        .requests()
        .filter((r) => r.method === "POST" && r.path.startsWith("/v1/customers")).length;
      const preview = await fresh.stack.preview();
      assert.equal(preview.changeSummary.create, 3);
      const writesAfter = emulator
        .requests()
        .filter((r) => r.method === "POST" && r.path.startsWith("/v1/customers")).length;
      assert.equal(writesAfter, writesBefore);
    } finally {
      await fresh.cleanup();
    }
  });
});

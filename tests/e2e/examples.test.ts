/**
 * Every example in examples/ under the real Pulumi CLI against the emulator: preview, up, a second up with no
 * changes, refresh, destroy — and afterwards, in the emulator, what the example's deletion policy promises.
 *
 * The examples run in place: their `pulumi-partnercenter` and `@pulumi/pulumi` resolve to the repository's
 * node_modules (the built package through its self-link), as they would from an installed copy.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const EXAMPLES = join(__dirname, "..", "..", "examples");
const run = Date.now().toString(36);

interface ExampleCase {
  name: string;
  /** Stack config the example needs besides the emulator's (may create what it refers to). */
  config(emulator: EmulatorHandle): Promise<Record<string, string>>;
  /** Resources the example declares (stack included). */
  resources: number;
  /** Checks the emulator after destroy, given the customer the stack managed. */
  afterDestroy(emulator: EmulatorHandle, customerId: string): void;
}

const stillThere = (emulator: EmulatorHandle, id: string) => emulator.state().customers.some((c) => c.id === id);

const CASES: ExampleCase[] = [
  {
    name: "direct-customer",
    config: async () => ({ domain: `exdirect${run}.onmicrosoft.com` }),
    resources: 2,
    afterDestroy(emulator, id) {
      assert.ok(stillThere(emulator, id), 'deletionPolicy "retain": the customer stays in Partner Center');
    },
  },
  {
    name: "indirect-reseller",
    config: async () => ({
      domain: `exindirect${run}.onmicrosoft.com`,
      resellerTenantId: "8a4c3f0e-2b6d-4e1a-9c7f-5d3b1e0a2c4f",
    }),
    resources: 3,
    afterDestroy(emulator, id) {
      assert.ok(stillThere(emulator, id), "the customer is retained by default");
      assert.equal(
        emulator.state().agreements.filter((a) => a.customerId === id).length,
        1,
        "an agreement acceptance cannot be withdrawn: it stays recorded",
      );
    },
  },
  {
    name: "sandbox-delete",
    config: async () => ({ domain: `exsandbox${run}.onmicrosoft.com` }),
    resources: 2,
    afterDestroy(emulator, id) {
      assert.ok(!stillThere(emulator, id), 'deletionPolicy "delete": the sandbox customer is deleted');
    },
  },
  {
    name: "adopt-existing",
    async config(emulator) {
      const domain = `exadopt${run}.onmicrosoft.com`;
      // The customer as the example describes it, so that refresh finds no drift.
      const existing = await emulator.createCustomer({
        companyProfile: { domain },
        billingProfile: {
          email: "it@woodgrove.example",
          culture: "en-US",
          language: "en",
          companyName: "Woodgrove Bank",
          defaultAddress: {
            firstName: "Jon",
            lastName: "Morris",
            addressLine1: "350 5th Avenue",
            city: "New York",
            state: "NY",
            postalCode: "10118",
            country: "US",
          },
        },
      });
      return { existingCustomerId: existing.id, domain };
    },
    resources: 2,
    afterDestroy(emulator, id) {
      const customer = emulator.state().customers.find((c) => c.id === id);
      assert.ok(customer, "an adopted customer is never deleted");
      assert.ok(
        !emulator.requests().some((r) => r.method === "PATCH" && r.path === `/v1/customers/${id}`),
        "nor is its relationship removed (no PATCH was sent)",
      );
    },
  },
];

describe("e2e: every example under the real Pulumi CLI against the emulator", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await emulator?.close();
  });

  for (const example of CASES) {
    it(`${example.name}: preview, up, unchanged up, refresh, destroy`, async () => {
      const test: TestStack = await createTestStack(join(EXAMPLES, example.name), `ex-${example.name}`, {
        NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      });
      try {
        const config = await example.config(emulator);
        await test.stack.setAllConfig({
          ...emulatorStackConfig(emulator),
          ...Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value }])),
        });
        const creates = () =>
          emulator
            .requests()
            .filter((r) => r.method === "POST" && /^\/v1\/customers(\/[^/]+\/agreements)?$/.test(r.path)).length;
        const createsBefore = creates();
        const preview = await test.stack.preview({ diff: true });
        assert.equal(preview.changeSummary.create, example.resources, JSON.stringify(preview.changeSummary));
        assert.equal(creates(), createsBefore, "preview creates nothing");

        const up = await test.stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.summary.resourceChanges?.create, example.resources);
        const customerId = String(up.outputs.customerId?.value);
        assert.ok(stillThere(emulator, customerId), `customer ${customerId} exists in the emulator`);
        if (up.outputs.adminCredentials) assert.equal(up.outputs.adminCredentials.secret, true);

        const again = await test.stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: example.resources }, "a second up changes nothing");

        const refresh = await test.stack.refresh();
        assert.equal(refresh.summary.result, "succeeded");
        assert.equal(refresh.summary.resourceChanges?.update ?? 0, 0, "no drift right after up");

        const destroy = await test.stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.equal(destroy.summary.resourceChanges?.delete, example.resources);
        example.afterDestroy(emulator, customerId);
      } finally {
        await test.cleanup();
      }
    });
  }
});

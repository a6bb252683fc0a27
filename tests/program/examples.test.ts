/**
 * The examples as programs: each examples/<name>/index.ts runs under Pulumi's runtime mocks (resolving
 * `pulumi-partnercenter` to the built package, as an installed example would), and the inputs it declares go through
 * the real provider host's `check` (with preflight) against the emulator. Type-checking alone would not notice an
 * example whose address, culture or domain Partner Center refuses.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { useEmulator } from "../support/emulatorHooks";
import { installRegistrationRecorder, waitForRegistration } from "../support/programRegistrations";
import { agreementUrn, customerInputs, customerUrn, providerTextOf, startHostFor } from "../support/providerHarness";
import type { ProviderHost } from "../support/providerHost";

const examplesDir = join(__dirname, "..", "..", "examples");

/** Runs an example afresh with the given project config (the mocks' project is "proj"); returns its exports. */
function runExample(name: string, config: Record<string, string> = {}): Record<string, unknown> {
  for (const [key, value] of Object.entries(config)) pulumi.runtime.setConfig(`proj:${key}`, value);
  const path = require.resolve(join(examplesDir, name, "index.ts"));
  delete require.cache[path];
  return require(path);
}

/** The inputs an example registered for `name`, without the serialized provider. */
async function declaredInputs(name: string): Promise<{ inputs: Record<string, unknown>; provider: string }> {
  const { __provider, ...inputs } = (await waitForRegistration(name)).inputs;
  return { inputs, provider: String(__provider) };
}

describe("examples (programs under runtime mocks, inputs through the real provider host)", () => {
  const emulator = useEmulator({ keepStateBetweenTests: true });
  let host: ProviderHost;

  before(async function () {
    this.timeout(60_000);
    await installRegistrationRecorder();
    host = await startHostFor(emulator(), { credentials: "app+user", sandbox: true });
  });

  after(async () => {
    await host?.stop();
  });

  /** Runs `check` on what the example declared for a PartnerCustomer named `name`; returns the checked inputs. */
  async function checkCustomer(name: string): Promise<Record<string, unknown>> {
    const { inputs, provider } = await declaredInputs(name);
    const result = await host.check(customerUrn(name), {}, { ...inputs, __provider: provider });
    assert.deepEqual(result.failures, [], `${name}: ${JSON.stringify(result.failures)}`);
    return result.inputs;
  }

  it("direct-customer: a US customer that passes check with preflight, credentials exported", async () => {
    const exported = runExample("direct-customer");
    assert.deepEqual(Object.keys(exported).sort(), ["adminCredentials", "commerceId", "customerId", "tenantId"]);
    const inputs = await checkCustomer("contoso");
    assert.equal(inputs.deletionPolicy, "retain");
  });

  it("indirect-reseller: a GB customer for a reseller, and its agreement, pass check with App+User", async () => {
    const reseller = "5b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";
    runExample("indirect-reseller", { resellerTenantId: reseller });
    const inputs = await checkCustomer("fabrikam");
    assert.equal(inputs.associatedPartnerId, reseller);
    const { inputs: agreement, provider } = await declaredInputs("fabrikam-agreement");
    // customerId is the customer's output, unknown until it exists: any customer ID exercises the same rules.
    const result = await host.check(
      agreementUrn("fabrikam-agreement"),
      {},
      { ...agreement, customerId: reseller, __provider: provider },
    );
    assert.deepEqual(result.failures, []);
  });

  it("adopt-existing: adopts a customer that exists, by ID and domain", async () => {
    const existing = await host.check(
      customerUrn("existing"),
      {},
      {
        ...customerInputs(),
        __provider: await providerTextOf("PartnerCustomer"),
      },
    );
    const created = await host.create(customerUrn("existing"), existing.inputs);
    const domain = (existing.inputs.companyProfile as { domain: string }).domain;
    runExample("adopt-existing", { existingCustomerId: created.id, domain });
    const inputs = await checkCustomer("adopted");
    const adopted = await host.create(customerUrn("adopted"), inputs);
    assert.equal(adopted.id, created.id, "the example adopts the existing customer instead of creating one");
  });

  it("sandbox-delete: declares deletionPolicy delete, and its project sets partnercenter:sandbox for every stack", async () => {
    runExample("sandbox-delete");
    const inputs = await checkCustomer("sandbox-customer");
    assert.equal(inputs.deletionPolicy, "delete");
    const project = parse(readFileSync(join(examplesDir, "sandbox-delete", "Pulumi.yaml"), "utf8"));
    assert.equal(project.config["partnercenter:sandbox"], true);
  });

  it("every example is a TypeScript Pulumi project depending on the package as users do", () => {
    for (const name of ["direct-customer", "indirect-reseller", "adopt-existing", "sandbox-delete"]) {
      const project = parse(readFileSync(join(examplesDir, name, "Pulumi.yaml"), "utf8"));
      assert.equal(project.runtime.name, "nodejs", name);
      assert.equal(project.runtime.options.typescript, true, name);
      const manifest = JSON.parse(readFileSync(join(examplesDir, name, "package.json"), "utf8"));
      assert.equal(manifest.dependencies["pulumi-partnercenter"], "file:../..", name);
      assert.ok(manifest.dependencies["@pulumi/pulumi"], name);
      assert.ok(readFileSync(join(examplesDir, name, "README.md"), "utf8").length > 200, `${name}/README.md`);
    }
  });
});

/**
 * examples/yaml-gitops, a `runtime: yaml` program, under the real Pulumi CLI with the native plugin on PATH,
 * against the emulator: preview, up, unchanged up, refresh, `pulumi import` of a customer made outside Pulumi and of
 * its agreement acceptance recorded by another tool (by the customer id alone), destroy — after which the customers
 * are still in Partner Center (deletionPolicy unset = "retain", and the imported ones are protected until the user
 * unprotects them).
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-yaml.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { nativePluginEnv } from "../support/nativePlugin";
import { importOutsideCustomer, unprotect } from "../support/outsideImport";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml-gitops");
const run = Date.now().toString(36);

function requireYamlHost(): void {
  try {
    execFileSync("pulumi-language-yaml", ["--help"], { stdio: "ignore" });
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      throw new Error("pulumi-language-yaml is not on PATH: run `source scripts/ensure-pulumi-yaml.sh`");
    }
  }
}

describe("e2e-native: examples/yaml-gitops under the real Pulumi CLI with the native plugin", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;

  before(async () => {
    requirePulumiCli();
    requireYamlHost();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
  });

  it("preview, up, unchanged up, refresh, import, destroy", async () => {
    test = await createTestStack(EXAMPLE, `yaml-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      ...nativePluginEnv(),
    });
    const { stack } = test;
    await stack.setAllConfig({
      ...emulatorStackConfig(emulator),
      domain: { value: `yamlgitops${run}.onmicrosoft.com` },
    });
    const customerCreates = () =>
      emulator.requests().filter((r) => r.method === "POST" && r.path === "/v1/customers").length;

    const preview = await stack.preview({ diff: true });
    assert.equal(preview.changeSummary.create, 3, JSON.stringify(preview.changeSummary));
    assert.equal(customerCreates(), 0, "preview creates nothing");

    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.summary.resourceChanges?.create, 3);
    const customerId = String(up.outputs.customerId?.value);
    assert.ok(emulator.state().customers.some((c) => c.id === customerId));
    assert.equal(up.outputs.adminCredentials?.secret, true, "userCredentials is secret");
    assert.match(String(up.outputs.agreementId?.value), new RegExp(`^${customerId}/`));

    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 }, "a second up changes nothing");

    const refresh = await stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    assert.equal(refresh.summary.resourceChanges?.update ?? 0, 0, "no drift right after up");

    // A customer made outside Pulumi and its acceptance recorded by another tool, the agreement by the customer id
    // alone (its only acceptance).
    const imported = await importOutsideCustomer(stack, emulator, `yamloutside${run}.onmicrosoft.com`);
    const agreementsBefore = emulator.state().agreements.length;

    // The user asks on those resources: unprotect them. Destroy then only forgets them (retain; an agreement
    // cannot be withdrawn).
    await unprotect(stack, imported.customer, imported.agreement);
    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(destroy.summary.resourceChanges?.delete, 5);
    assert.equal(emulator.state().agreements.length, agreementsBefore, "no agreement touched by destroy");
    assert.ok(
      emulator.state().customers.some((c) => c.id === customerId),
      "retained: still in Partner Center",
    );
    assert.ok(
      emulator.state().customers.some((c) => c.id === imported.customerId),
      "imported: never deleted",
    );
  });
});

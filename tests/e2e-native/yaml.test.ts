/**
 * examples/yaml-gitops, a `runtime: yaml` program, under the real Pulumi CLI with the native plugin on PATH,
 * against the emulator: preview, up, unchanged up, refresh, `pulumi import` of a customer made outside Pulumi,
 * destroy — after which the customers are still in Partner Center (deletionPolicy unset = "retain", and the
 * imported one is protected until the user unprotects it).
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-yaml.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { validCustomerArgs } from "../support/customerFixtures";
import { nativePluginEnv } from "../support/nativePlugin";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml-gitops");
const execFileAsync = promisify(execFile);
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
    // Asynchronous: the emulator answers from this process, so a synchronous child would deadlock it.
    const cli = async (...args: string[]) => {
      try {
        const { stdout } = await execFileAsync("pulumi", [...args, "--stack", stack.name, "--non-interactive"], {
          cwd: stack.workspace.workDir,
          env: { ...process.env, ...stack.workspace.envVars },
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        });
        return stdout;
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`pulumi ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
      }
    };
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

    const outside = await emulator.createCustomer(validCustomerArgs({ domain: `yamloutside${run}.onmicrosoft.com` }));
    const imported = await cli(
      "import",
      "partnercenter:index:PartnerCustomer",
      "outside",
      outside.id,
      "--yes",
      "--generate-code=false",
    );
    assert.match(imported, /import/i);
    const state = JSON.parse(await cli("stack", "export")) as {
      deployment: { resources: { urn: string; protect?: boolean; inputs?: Record<string, unknown> }[] };
    };
    const record = state.deployment.resources.find((r) => r.urn.endsWith("::outside"));
    assert.ok(record, "the imported customer is in state");
    assert.equal(record.protect, true, "imported resources arrive protected");
    assert.equal(record.inputs?.existingCustomerId, outside.id, "imported = adopted");
    assert.equal(record.inputs?.deletionPolicy, undefined, 'no deletionPolicy: "retain"');

    // The user asks on that resource: unprotect it. Destroy then only forgets it (retain).
    await cli("state", "unprotect", record.urn, "--yes");
    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(destroy.summary.resourceChanges?.delete, 4);
    assert.ok(
      emulator.state().customers.some((c) => c.id === customerId),
      "retained: still in Partner Center",
    );
    assert.ok(
      emulator.state().customers.some((c) => c.id === outside.id),
      "imported: never deleted",
    );
  });
});

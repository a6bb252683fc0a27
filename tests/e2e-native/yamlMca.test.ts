/**
 * examples/yaml-mca under the real Pulumi CLI with the native plugin (issue 19), App-only credentials: preview → up
 * (customer created, the MCA acceptance waiting, its link a secret output) → the customer accepts on the emulator's
 * page in headless Chromium → up (agreement recorded) → unchanged preview sending no request → refresh → destroy.
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-yaml.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { acceptInBrowser } from "../support/browser";
import { nativePluginEnv } from "../support/nativePlugin";
import {
  appOnlyStackConfig,
  createTestStack,
  exportStackAsStored,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml-mca");
const run = Date.now().toString(36);

describe("e2e-native: examples/yaml-mca (the MCA acceptance) under the real Pulumi CLI with the native plugin", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
  });

  it("preview, up (waiting), accept in a browser, up (recorded), unchanged preview with no request, refresh, destroy", async () => {
    test = await createTestStack(EXAMPLE, `yamlmca-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      ...nativePluginEnv(),
    });
    const { stack } = test;
    await stack.setAllConfig({
      ...appOnlyStackConfig(emulator),
      domain: { value: `yamlmca${run}.onmicrosoft.com` },
    });

    const preview = await stack.preview();
    assert.equal(preview.changeSummary.create, 3, JSON.stringify(preview.changeSummary));

    const up = await stack.up();
    assert.equal(up.outputs.acceptanceStatus?.value, "waitingForCustomer");
    assert.equal(up.outputs.acceptanceUrl?.secret, true);
    const link = String(up.outputs.acceptanceUrl?.value);
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end",
    );
    assert.equal(emulator.state().agreements.length, 0);

    assert.match((await acceptInBrowser(link)).status, /accepted/);
    const recorded = await stack.up();
    assert.equal(recorded.outputs.acceptanceStatus?.value, "completed");
    assert.equal(emulator.state().agreements.length, 1);

    const calls = emulator.requests().filter((r) => r.path.startsWith("/v1/")).length;
    const unchanged = await stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 3 });
    assert.equal(emulator.requests().filter((r) => r.path.startsWith("/v1/")).length, calls, "no request");

    assert.equal((await stack.refresh()).summary.result, "succeeded");
    assert.ok(!exportStackAsStored(test).includes(link.split("=")[1] as string), "no plaintext attestation in state");
    assert.equal((await stack.destroy()).summary.result, "succeeded");
    assert.equal(emulator.state().agreements.length, 1, "the recorded agreement stays");
  });
});

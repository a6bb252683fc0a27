/**
 * The GitOps program (program/index.ts) under the real Pulumi CLI with a customers file whose entry takes the MCA the
 * way Partner Center does today (an `agreement:` block with a `signatory`), App-only credentials: preview → up (the
 * customer created, its acceptance waiting, `customers.<name>.acceptanceUrl` a secret output) → the preview names the
 * customer still waiting → the customer accepts on the emulator's page in headless Chromium → up (recorded) →
 * unchanged preview sending no request → refresh → destroy.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutputMap } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { acceptInBrowser } from "../support/browser";
import { validCustomerArgs } from "../support/customerFixtures";
import {
  appOnlyStackConfig,
  createTestStack,
  exportStackAsStored,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const ROOT = join(__dirname, "..", "..");

/** The `customers.contoso` stack output. */
function contosoOf(outputs: OutputMap): Record<string, unknown> | undefined {
  return (outputs.customers?.value as Record<string, Record<string, unknown>> | undefined)?.contoso;
}
const run = Date.now().toString(36);

describe("e2e: customers.yaml with an MCA acceptance (the GitOps program) under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;
  let dir: string;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), "pc-gitops-mca-"));
    const file = join(dir, "customers.yaml");
    writeFileSync(
      file,
      stringify({
        customers: {
          contoso: {
            ...validCustomerArgs({ domain: `gitopsmca${run}.onmicrosoft.com` }),
            agreement: { signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" } },
            // The test destroys its customer at the end: customers are protected unless the entry says otherwise.
            protect: false,
          },
        },
      }),
    );
    test = await createTestStack(ROOT, `gitops-mca-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await test.stack.setAllConfig({ ...appOnlyStackConfig(emulator), "partnercenter:customersFile": { value: file } });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("preview, up (waiting), the preview names who is awaited, accept in a browser, up (recorded), no-request preview, refresh, destroy", async () => {
    const preview = await test.stack.preview();
    assert.equal(preview.changeSummary.create, 3);

    const up = await test.stack.up();
    const contoso = contosoOf(up.outputs);
    assert.equal(contoso?.acceptanceStatus, "waitingForCustomer");
    const link = String(contoso?.acceptanceUrl);
    assert.match(link, /\/mca\/\?attestationid=/);
    const attestationId = link.split("=")[1] as string;
    assert.ok(!exportStackAsStored(test).includes(attestationId), "the link is a secret in state and outputs");

    let previewOutput = "";
    await test.stack.preview({ onOutput: (text) => (previewOutput += text) });
    assert.match(previewOutput, /waiting for customer .*Contoso.* to accept the Microsoft Customer Agreement/);

    await acceptInBrowser(link);
    const recorded = await test.stack.up();
    const after = contosoOf(recorded.outputs);
    assert.equal(after?.acceptanceStatus, "completed");
    assert.equal(emulator.state().agreements.length, 1);

    const calls = emulator.requests().filter((r) => r.path.startsWith("/v1/")).length;
    const unchanged = await test.stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 3 });
    assert.equal(emulator.requests().filter((r) => r.path.startsWith("/v1/")).length, calls, "no request");

    assert.equal((await test.stack.refresh()).summary.result, "succeeded");
    assert.equal((await test.stack.destroy()).summary.result, "succeeded");
  });
});

/**
 * Issue 19 under the real Pulumi CLI, App-only credentials (no refresh token anywhere): a TypeScript program declares
 * a customer and its MCA acceptance; preview → up (customer created, attestation waiting, the link a secret output)
 * → the customer accepts on the emulator's page in headless Chromium → up (agreement recorded) → an unchanged
 * preview sending no request → refresh → destroy. The link never appears in plaintext in state or CLI output.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { acceptInBrowser } from "../support/browser";
import { waitUntil } from "../support/evidenceHarness";
import { spawnPulumi } from "../support/evidenceProject";
import {
  appOnlyStackConfig,
  createTestStack,
  exportStackAsStored,
  rawBackendFiles,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const PROJECT = join(__dirname, "projects", "customer");
const run = Date.now().toString(36);

describe("e2e: the MCA acceptance (enhanced attestation) under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    test = await createTestStack(PROJECT, `mca-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await test.stack.setAllConfig({
      ...appOnlyStackConfig(emulator),
      "e2e:domain": { value: `mca${run}.onmicrosoft.com` },
      "e2e:withAcceptance": { value: "true" },
    });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
  });

  const partnerCenterCalls = () => emulator.requests().filter((r) => r.path.startsWith("/v1/")).length;

  it("preview, up (waiting for the customer), accept in a browser, up (recorded), unchanged preview with 0 requests, refresh, destroy", async () => {
    const preview = await test.stack.preview();
    assert.equal(preview.changeSummary.create, 3, "stack, customer and acceptance");

    let upOutput = "";
    const up = await test.stack.up({ onOutput: (text) => (upOutput += text) });
    assert.equal(up.outputs.acceptanceStatus?.value, "waitingForCustomer");
    assert.equal(up.outputs.acceptanceUrl?.secret, true, "the link is a secret output");
    const link = String(up.outputs.acceptanceUrl?.value);
    assert.match(link, /\/mca\/\?attestationid=[0-9a-f-]{36}$/);
    assert.match(upOutput, /has not accepted the Microsoft Customer Agreement yet/);
    assert.ok(!upOutput.includes(link.split("=")[1] as string), "the CLI output never shows the attestation");
    assert.equal(emulator.state().agreements.length, 0, "nothing recorded while the customer has not accepted");
    assert.ok(
      emulator.requests().every((r) => r.tokenKind !== "user"),
      "App-only end to end: no App+User token was used",
    );

    // Still waiting: the next preview asks once and plans nothing.
    let previewOutput = "";
    const waiting = await test.stack.preview({ onOutput: (text) => (previewOutput += text) });
    assert.deepEqual(waiting.changeSummary, { same: 3 });
    assert.match(previewOutput, /waiting for customer .* to accept the Microsoft Customer Agreement/);

    const outcome = await acceptInBrowser(link);
    assert.match(outcome.status, /accepted/);

    const recorded = await test.stack.up();
    assert.equal(recorded.outputs.acceptanceStatus?.value, "completed");
    assert.equal(recorded.summary.resourceChanges?.update, 1);
    assert.equal(emulator.state().agreements.length, 1, "the agreement is recorded, once");

    const calls = partnerCenterCalls();
    const unchanged = await test.stack.preview();
    assert.deepEqual(unchanged.changeSummary, { same: 3 });
    // The customer's preflight and read are the PartnerCustomer's own (none for an unchanged customer either).
    assert.equal(partnerCenterCalls(), calls, "an unchanged preview of a recorded acceptance sends no request");

    const refresh = await test.stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    const again = await test.stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 });

    // Secrets: the link and the attestation ID are nowhere in plaintext in the stored state.
    const attestationId = link.split("=")[1] as string;
    assert.ok(!exportStackAsStored(test).includes(attestationId), "pulumi stack export (no --show-secrets)");
    for (const [file, text] of rawBackendFiles(test)) assert.ok(!text.includes(attestationId), file);

    const destroy = await test.stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(emulator.state().agreements.length, 1, "an agreement cannot be withdrawn: it stays");
  });

  it("pulumi up killed after Partner Center made the attestation, before the engine knew: the re-run replays it, no duplicate", async () => {
    const crash = await createTestStack(PROJECT, `mca-crash-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
    });
    try {
      await crash.stack.setAllConfig({
        ...appOnlyStackConfig(emulator),
        "e2e:domain": { value: `mcacrash${run}.onmicrosoft.com` },
        "e2e:withAcceptance": { value: "true" },
      });
      const attestations = () => emulator.state().attestations.length;
      const before = attestations();
      // Partner Center makes the attestation but its answer is lost, and the client's retry hangs: the engine never
      // learns of it when pulumi up is killed.
      emulator.faults.inject({ method: "POST", path: "/v1/attestations/enhanced", mode: "commitThenDrop", count: 1 });
      emulator.faults.inject({ method: "POST", path: "/v1/attestations/enhanced", latencyMs: 120_000, count: 1 });
      const cli = spawnPulumi(
        ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", crash.stack.name],
        PROJECT,
        crash.stack.workspace.envVars,
      );
      try {
        await waitUntil(() => attestations() > before, "the attestation", 300_000);
      } finally {
        cli.killTree();
      }
      await cli.exited;
      emulator.faults.clear();
      await crash.stack.cancel().catch(() => undefined);

      // The re-run: the same attestation comes back (Partner Center's replay of its request ID).
      const rerun = await crash.stack.up();
      await crash.stack.refresh({ clearPendingCreates: true });
      assert.equal(rerun.outputs.acceptanceStatus?.value, "waitingForCustomer");
      assert.equal(attestations(), before + 1, "one attestation, not two");
      const link = String(rerun.outputs.acceptanceUrl?.value);
      assert.equal(link.split("=")[1], emulator.state().attestations.at(-1)?.id, "the one the killed run created");

      await acceptInBrowser(link);
      const recorded = await crash.stack.up();
      assert.equal(recorded.outputs.acceptanceStatus?.value, "completed");
      const customerId = String(recorded.outputs.customerId?.value);
      assert.equal(emulator.state().agreements.filter((a) => a.customerId === customerId).length, 1);
    } finally {
      await crash.cleanup();
    }
  });
});

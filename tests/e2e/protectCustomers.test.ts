/**
 * Protected customers under the real Pulumi engine (issue 21, item 6a): the GitOps program (program/index.ts)
 * declares every customer with `protect: true`, so a merged file that removes an entry (sending nothing) or replaces
 * a customer (a new domain: a second tenant; the new domain's preflight reads still run) fails at preview; the entry's `protect: false` is the way out — in the
 * same change for a replacement, merged and applied first for a removal — and `pulumi state unprotect` the
 * operator's.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { validCustomerArgs } from "../support/customerFixtures";
import {
  appOnlyStackConfig,
  createTestStack,
  exportedResources,
  pulumiCommand,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const ROOT = join(__dirname, "..", "..");
const run = Date.now().toString(36);

describe("e2e: protected customers (the GitOps program) under the real Pulumi engine", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack;
  let dir: string;
  let file: string;

  /** The customers file: `entries` maps a name to its domain suffix and extra keys. */
  const writeCustomers = (entries: Record<string, { domain: string; extra?: Record<string, unknown> }>) =>
    writeFileSync(
      file,
      stringify({
        customers: Object.fromEntries(
          Object.entries(entries).map(([name, { domain, extra }]) => [
            name,
            { ...validCustomerArgs({ domain: `${domain}${run}.onmicrosoft.com` }), ...extra },
          ]),
        ),
      }),
    );

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), "pc-protect-"));
    file = join(dir, "customers.yaml");
    test = await createTestStack(ROOT, `protect-${run}`, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    await test.stack.setAllConfig({ ...appOnlyStackConfig(emulator), "partnercenter:customersFile": { value: file } });
  });

  after(async () => {
    if (test) {
      // Whatever the test left protected: unprotect, so the throwaway stack can go.
      await pulumiCommand(test.stack, "state", "unprotect", "--all", "--yes").catch(() => undefined);
    }
    await test?.cleanup();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const apiCalls = () => emulator.requests().filter((r) => r.path.startsWith("/v1/")).length;

  it("refuses to remove or replace a protected customer at preview, creating nothing; protect: false lets each through", async () => {
    writeCustomers({ kept: { domain: "protkept" }, leaving: { domain: "protleave" } });
    await test.stack.up();
    const customers = (await exportedResources(test.stack)).filter((r) => r.type.endsWith(":PartnerCustomer"));
    assert.deepEqual(
      customers.map((r) => [r.urn.split("::").pop(), r.protect === true]).sort(),
      [
        ["kept", true],
        ["leaving", true],
      ],
      "both customers are protected in state",
    );

    // Removing an entry: refused, nothing sent.
    let calls = apiCalls();
    writeCustomers({ kept: { domain: "protkept" } });
    await assert.rejects(test.stack.preview(), /PartnerCustomer::leaving" cannot be deleted\s+because it is protected/);
    assert.equal(apiCalls(), calls, "a refused removal sends nothing");

    // A new domain (a second tenant): refused. The preflight of the new domain and address (reads) runs first, as
    // in any preview; nothing is created.
    const creates = () => emulator.requests().filter((r) => r.method === "POST" && r.path === "/v1/customers").length;
    const created = creates();
    writeCustomers({ kept: { domain: "protnew" }, leaving: { domain: "protleave" } });
    await assert.rejects(
      test.stack.preview(),
      /unable to replace resource "[^"]*PartnerCustomer::kept"\s+as it is currently marked for protection/,
    );
    assert.equal(creates(), created, "a refused replacement creates nothing");
    assert.equal(emulator.state().customers.length, 2);

    // The way out of a replacement: protect: false in the same change; the preview shows the replacement.
    writeCustomers({ kept: { domain: "protnew", extra: { protect: false } }, leaving: { domain: "protleave" } });
    const replacing = await test.stack.preview();
    assert.equal(replacing.changeSummary.replace, 1, JSON.stringify(replacing.changeSummary));

    // The way out of a removal: protect: false merged and applied first (nothing in Partner Center changes) ...
    writeCustomers({ kept: { domain: "protkept" }, leaving: { domain: "protleave", extra: { protect: false } } });
    calls = emulator.requests().filter((r) => r.method !== "GET" && r.path.startsWith("/v1/")).length;
    await test.stack.up();
    assert.equal(
      emulator.requests().filter((r) => r.method !== "GET" && r.path.startsWith("/v1/")).length,
      calls,
      "unprotecting writes nothing to Partner Center",
    );
    // ... then the removal goes through (deletionPolicy retain: the customer is only forgotten).
    writeCustomers({ kept: { domain: "protkept" } });
    const removal = await test.stack.up();
    assert.equal(removal.summary.resourceChanges?.delete, 1, JSON.stringify(removal.summary.resourceChanges));
    assert.equal(emulator.state().customers.length, 2, "the forgotten customer still exists in Partner Center");

    // The operator's way out: pulumi state unprotect, after which the file's protection applies again at the next up.
    const kept = (await exportedResources(test.stack)).find((r) => r.urn.endsWith("::kept"));
    assert.ok(kept?.protect);
    await pulumiCommand(test.stack, "state", "unprotect", kept.urn, "--yes");
    assert.equal((await exportedResources(test.stack)).find((r) => r.urn.endsWith("::kept"))?.protect, undefined);
  });
});

/**
 * Real-CLI evidence (npm run test:e2e; needs the Pulumi CLI):
 * - crash recovery: `pulumi up` is SIGKILLed (with its language and provider hosts) in the middle of a customer
 *   create; `pulumi cancel` removes the lock it left, `pulumi up` runs again and `pulumi refresh
 *   --clear-pending-creates` drops the pending operation. There must be exactly one tenant, and `pulumi stack export`
 *   must name it. Both when Partner Center acted before the crash and when the request never got through.
 * - secret scan: no credential or admin password in `pulumi stack export`, CLI stdout/stderr or engine events of a
 *   full lifecycle (preview, up, refresh, a failing preview, destroy).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import type { PersistedState } from "../../emulator/stateFile";
import { customersWithDomain, sleep, waitUntil } from "../support/evidenceHarness";
import {
  configureEvidenceStack,
  createEvidenceProject,
  type EvidenceProject,
  spawnPulumi,
  uniquePrefix,
} from "../support/evidenceProject";
import { findLeaks, type Haystack } from "../support/evidenceSecrets";
import {
  createTestStack,
  exportStackAsStored,
  isSdkResponseDebugEcho,
  rawBackendFiles,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";

const CUSTOMER_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";
const CREATE_ROUTE = /^\/v1\/customers$/;
const isCreate = (entry: { method: string; path: string }) => entry.method === "POST" && CREATE_ROUTE.test(entry.path);

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

describe("e2e evidence: crash recovery and secrets under the real Pulumi CLI", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let project: EvidenceProject;
  let stateDir: string;
  const stacks: TestStack[] = [];

  before(async () => {
    requirePulumiCli();
    stateDir = mkdtempSync(join(tmpdir(), "pc-e2e-evidence-"));
    emulator = await startEmulator({ port: 0, stateFile: join(stateDir, "emulator.json") });
    project = createEvidenceProject();
  });

  after(async () => {
    for (const test of stacks) await test.cleanup();
    await emulator?.close();
    project?.cleanup();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  async function newStack(name: string, prefix: string, withAgreement = false): Promise<TestStack> {
    const test = await createTestStack(project.dir, name, { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath });
    stacks.push(test);
    await configureEvidenceStack(test, emulator, { prefix, withAgreement });
    return test;
  }

  /** `pulumi up` as its own process, killed (with everything below it) once `crashPoint` holds. */
  async function crashUp(test: TestStack, crashPoint: () => boolean, what: string): Promise<string> {
    const cli = spawnPulumi(
      ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", test.stack.name],
      project.dir,
      test.stack.workspace.envVars,
    );
    try {
      await waitUntil(crashPoint, what, 300_000);
    } finally {
      cli.killTree();
    }
    await cli.exited;
    return cli.output();
  }

  /** After a crash: remove the lock, up again, drop the pending create; returns the exported resources. */
  async function recover(test: TestStack): Promise<ExportedResource[]> {
    // The killed process left its lock; `pulumi cancel` removes it on the self-managed (file) backend.
    await test.stack
      .cancel()
      .catch((error: Error) => console.log(`      pulumi cancel: ${error.message.split("\n")[0]}`));
    const up = await test.stack.up();
    assert.equal(up.summary.result, "succeeded");
    const refresh = await test.stack.refresh({ clearPendingCreates: true });
    assert.equal(refresh.summary.result, "succeeded");
    const exported = await test.stack.exportStack();
    const deployment = exported.deployment as { resources?: ExportedResource[]; pending_operations?: unknown[] };
    assert.deepEqual(deployment.pending_operations ?? [], [], "no pending operation is left");
    return deployment.resources ?? [];
  }

  /** Exactly one tenant with the domain, and the exported state names it. */
  function assertStateAgrees(resources: ExportedResource[], domain: string): void {
    const tenants = customersWithDomain(emulator, domain);
    assert.equal(tenants.length, 1, "exactly one tenant");
    const inState = resources.filter((r) => r.type === CUSTOMER_TYPE);
    assert.equal(inState.length, 1, "exactly one PartnerCustomer in state");
    assert.equal(inState[0]?.id, tenants[0]?.id, "the state's id is the tenant's customer id");
    assert.equal((inState[0]?.outputs?.companyProfile as { domain?: string })?.domain, domain);
  }

  it("Partner Center acted, then pulumi up was killed before it answered: one tenant, state agrees", async () => {
    const prefix = uniquePrefix("acted");
    const domain = `${prefix}0.onmicrosoft.com`;
    const test = await newStack("evidence-acted", prefix);
    // The create commits and its answer is lost; the retry hangs (answered from the idempotency record, late).
    emulator.faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "commitThenDrop" });
    emulator.faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "delay", latencyMs: 30_000 });
    await crashUp(test, () => customersWithDomain(emulator, domain).length > 0, "the committed create");
    emulator.faults.clear();
    assertStateAgrees(await recover(test), domain);
  });

  it("the create never got through when pulumi up was killed: one tenant, state agrees", async () => {
    const prefix = uniquePrefix("refused");
    const domain = `${prefix}0.onmicrosoft.com`;
    const test = await newStack("evidence-refused", prefix);
    const mark = emulator.requests().length;
    emulator.faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "reset", count: Number.POSITIVE_INFINITY });
    await crashUp(test, () => emulator.requests().slice(mark).filter(isCreate).length >= 2, "a retried create");
    emulator.faults.clear();
    assert.equal(customersWithDomain(emulator, domain).length, 0, "nothing was created before the crash");
    assertStateAgrees(await recover(test), domain);
  });

  it("keeps every credential and admin password out of stack export, CLI output and engine events", async () => {
    const test = await newStack("evidence-secrets", uniquePrefix("secrets"), true);
    const haystacks: Haystack[] = [];
    const run = async (label: string, operation: (opts: Record<string, unknown>) => Promise<unknown>) => {
      let output = "";
      const events: EngineEvent[] = [];
      const opts = {
        onOutput: (text: string) => {
          output += text;
        },
        onError: (text: string) => {
          output += text;
        },
        onEvent: (event: EngineEvent) => events.push(event),
      };
      let result: unknown;
      try {
        result = await operation(opts);
      } catch (error) {
        result = error;
        output += `\n${(error as Error).message}`;
      }
      haystacks.push({ label: `${label}: CLI stdout/stderr`, text: output });
      // Every engine event but the SDK's debug echoes of monitor answers (see isSdkResponseDebugEcho: upstream, and
      // proven so by the smoke suite with a trivial resource).
      haystacks.push({
        label: `${label}: engine events`,
        text: JSON.stringify(events.filter((event) => !isSdkResponseDebugEcho(event))),
      });
      return result;
    };

    await run("preview", (opts) => test.stack.preview({ ...opts, diff: true }));
    const up = (await run("up", (opts) => test.stack.up(opts))) as Awaited<ReturnType<typeof test.stack.up>>;
    assert.equal(up.summary?.result, "succeeded", "the up succeeded");
    await run("refresh", (opts) => test.stack.refresh(opts));
    // An error on purpose: an invalid email fails the preview at check.
    await test.stack.setConfig("evidence:email", { value: "not-an-email" });
    const failed = await run("failing preview", (opts) => test.stack.preview(opts));
    assert.ok(failed instanceof Error, "the preview with a bad email failed");
    await test.stack.removeConfig("evidence:email");
    // What an attacker with the backend but not the passphrase reads: `pulumi stack export` without --show-secrets
    // (the Automation API's exportStack() shows secrets) and the raw state files, backups and history included.
    haystacks.push({ label: "pulumi stack export", text: exportStackAsStored(test) });
    await run("destroy", (opts) => test.stack.destroy(opts));
    for (const [file, text] of rawBackendFiles(test)) haystacks.push({ label: `backend file ${file}`, text });

    const customers = up.outputs.customers?.value as Record<string, { userCredentials?: { password: string } }>;
    const passwords = Object.values(customers ?? {}).flatMap((c) =>
      c.userCredentials ? [c.userCredentials.password] : [],
    );
    assert.equal(passwords.length, 1, "the created customer's password is known to the test (from the secret output)");
    await sleep(500); // the emulator writes its state file (with every refresh token it issued) in the background
    const state = JSON.parse(readFileSync(join(stateDir, "emulator.json"), "utf8")) as PersistedState;
    const needles = [
      { label: "client secret", values: [emulator.credentials.clientSecret] },
      { label: "admin password", values: passwords },
      ...[state.auth.demoRefreshToken, ...Object.keys(state.auth.refreshTokens)].map((token, index) => ({
        label: `refresh token #${index}`,
        values: [token],
      })),
    ];
    assert.deepEqual(findLeaks(haystacks, needles), []);
  });
});

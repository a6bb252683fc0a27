/**
 * Fault suite: 500 customer creates through the real provider host, 16 in flight, while a fifth or more of all
 * requests hit injected faults (429 with Retry-After, 503, connection resets, commit-then-drop, latency spikes) and
 * three outages (503, reset, commit-then-drop) each refuse every attempt of a few creates — by count, bound to each
 * create's `MS-RequestId`, so some creates certainly fail however fast the machine is. Resources whose create failed
 * are re-run the way a second `pulumi up` would (a new host, check + create with the same inputs) until they converge.
 * Afterwards there must be exactly one customer per domain, the state of every resource must name that customer, and
 * every failure on the way must have been a complete `PartnerCenterError` message.
 */
import assert from "node:assert/strict";
import type { ActiveFault, RequestLogEntry } from "../../emulator";
import { useEmulator } from "../support/emulatorHooks";
import { type CreateOutcome, checkThenCreate, domainOf, mapConcurrent, retriesIn } from "../support/evidenceHarness";
import { parsePartnerCenterMessage, preflightCause } from "../support/evidenceMessages";
import { customerInputs, providerTextOf, startHostFor } from "../support/providerHarness";
import type { ProviderHost } from "../support/providerHost";
import { CREATE_ATTEMPTS, type FaultKind, faultKindOf, faultsForResource, OUTAGES, seededRandom } from "./faultPlan";

const RESOURCES = 500;
const IN_FLIGHT = 16;
const MAX_RERUNS = 3;
/**
 * A short retry budget keeps the run fast (the outages outlast the retries by count, whatever the budget); a 2 s
 * per-attempt timeout turns the longer latency spikes into client timeouts (see `faultFor`).
 */
const HOST_CONFIG = { maxRetryWaitSeconds: "3", timeoutSeconds: "2" };
const SEED = Number(process.env.FAULT_SUITE_SEED ?? 20_240_501);

interface Resource {
  name: string;
  domain: string;
  inputs: Record<string, unknown>;
  /** Every outcome, first run first. */
  outcomes: CreateOutcome[];
}

/** The message of a failed outcome (a create error's details, or each preflight failure's inner message). */
function failureMessages(outcome: CreateOutcome): string[] {
  if (outcome.kind === "createFailed") return [String(outcome.error.details ?? outcome.error.message)];
  if (outcome.kind === "checkFailed") return outcome.failures.map((f) => `${f.property}: ${f.reason}`);
  return [];
}

describe("evidence: 500 creates under injected faults converge to one customer per domain", function () {
  this.timeout(300_000);
  const emulator = useEmulator({ requestLogLimit: 100_000, keepStateBetweenTests: true });
  const resources: Resource[] = [];
  let firstPassLog: RequestLogEntry[] = [];
  /** The outages as the first run left them: each bound to the create it refused. */
  let outages: ActiveFault[] = [];
  let rerunPasses = 0;
  let provider: string;

  /** One `pulumi up` over `batch`: a fresh host, check + create of each resource, `IN_FLIGHT` at a time. */
  async function up(batch: Resource[], onStart: (index: number) => void = () => undefined): Promise<void> {
    const host: ProviderHost = await startHostFor(emulator(), { config: HOST_CONFIG });
    try {
      await mapConcurrent(batch, IN_FLIGHT, async (resource, index) => {
        onStart(index);
        resource.outcomes.push(await checkThenCreate(host, provider, resource.name, resource.inputs));
      });
    } finally {
      await host.stop();
    }
  }

  const last = (resource: Resource) => resource.outcomes[resource.outcomes.length - 1];
  const unfinished = () => resources.filter((resource) => last(resource)?.kind !== "created");

  before(async function () {
    this.timeout(300_000);
    provider = await providerTextOf("PartnerCustomer");
    for (let i = 0; i < RESOURCES; i++) {
      const inputs = customerInputs();
      // A distinct street per customer, so each create runs its own address preflight (results are cached per address).
      const billing = inputs.billingProfile as { defaultAddress: Record<string, unknown> };
      billing.defaultAddress.addressLine1 = `${i + 1} Microsoft Way`;
      resources.push({ name: `faulty-${i}`, domain: domainOf(inputs), inputs, outcomes: [] });
    }
    const random = seededRandom(SEED);
    const started = Date.now();
    // Armed before any create, so each outage sees its create's first attempt; random faults come after them.
    const armed = new Set(OUTAGES.map((outage) => emulator().faults.inject(outage).id));
    await up(resources, () => {
      for (const fault of faultsForResource(random)) emulator().faults.inject(fault);
    });
    outages = emulator()
      .faults.list()
      .filter((fault) => armed.has(fault.id));
    emulator().faults.clear();
    firstPassLog = emulator().requests();
    const firstPassFailures = unfinished().length;
    // Re-runs of `pulumi up` for what failed, as an operator (or CI) would do after the outage.
    while (unfinished().length > 0 && rerunPasses < MAX_RERUNS) {
      rerunPasses += 1;
      await up(unfinished());
    }
    printCounts(firstPassFailures, (Date.now() - started) / 1000);
  });

  function printCounts(firstPassFailures: number, seconds: number): void {
    const byKind: Record<FaultKind, number> = { "429": 0, "503": 0, reset: 0, commitThenDrop: 0, latency: 0 };
    for (const entry of firstPassLog) {
      const kind = faultKindOf(entry);
      if (kind) byKind[kind] += 1;
    }
    const all = emulator().requests();
    const faulted = firstPassLog.filter((entry) => entry.fault !== undefined).length;
    const outcomes = resources.flatMap((r) => r.outcomes);
    const finals = resources
      .map(last)
      .filter((o): o is Extract<CreateOutcome, { kind: "created" }> => o?.kind === "created");
    const lines = [
      `fault suite (seed ${SEED}): ${RESOURCES} resources, ${IN_FLIGHT} in flight, ${seconds.toFixed(1)} s`,
      `  create attempts (check + create): ${outcomes.length} (first run ${RESOURCES}, re-runs ${outcomes.length - RESOURCES} in ${rerunPasses} pass(es))`,
      `  requests in the first run: ${firstPassLog.length}, faulted ${faulted} (${((100 * faulted) / firstPassLog.length).toFixed(1)}%)`,
      `  faults by type: ${Object.entries(byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}`,
      `  retries seen in the emulator log: ${retriesIn(all)}; replays (same MS-RequestId answered from the idempotency cache): ${all.filter((e) => e.replayed).length}`,
      `  outages: ${outages.length} creates taken, ${firstPassLog.filter((e) => outages.some((o) => o.requestId !== undefined && o.requestId === e.requestId?.toLowerCase())).length} of their attempts refused`,
      `  failures: first run ${firstPassFailures} (check ${outcomes.filter((o) => o.kind === "checkFailed").length} / create ${outcomes.filter((o) => o.kind === "createFailed").length} over all runs), unresolved ${unfinished().length}`,
      `  outcomes: created with the admin password ${finals.filter((o) => o.properties.userCredentials).length}, without it ${finals.filter((o) => !o.properties.userCredentials).length}`,
      `  final customers in the emulator: ${emulator().state().customers.length}`,
    ];
    console.log(lines.join("\n"));
  }

  it("hit at least 20% of the first run's requests with faults, of every kind", () => {
    const faulted = firstPassLog.filter((entry) => entry.fault !== undefined);
    assert.ok(
      faulted.length >= 0.2 * firstPassLog.length,
      `${faulted.length} of ${firstPassLog.length} requests faulted`,
    );
    const kinds = new Set(faulted.map(faultKindOf));
    for (const kind of ["429", "503", "reset", "commitThenDrop", "latency"] as const) assert.ok(kinds.has(kind), kind);
    assert.ok(retriesIn(firstPassLog) > 0, "the client retried");
  });

  it("made some creates fail in the first run, and every one of them converged on a re-run", () => {
    const failedFirst = resources.filter((r) => r.outcomes[0]?.kind !== "created");
    assert.ok(failedFirst.length > 0, "the outages failed some creates (else the re-run path went untested)");
    assert.deepEqual(
      unfinished().map((r) => `${r.name}: ${failureMessages(last(r) as CreateOutcome).join("; ")}`),
      [],
      "every resource is created after at most three re-runs",
    );
  });

  it("had each outage refuse every attempt of its create: each failed, and the re-run got Partner Center's answer", () => {
    assert.equal(outages.length, OUTAGES.length, "every outage outlasted its create (none ran out of count)");
    const failedIds = new Set<string>();
    for (const resource of resources) {
      const first = resource.outcomes[0];
      if (first?.kind !== "createFailed") continue;
      const parsed = parsePartnerCenterMessage(String(first.error.details));
      if (parsed) failedIds.add(parsed.requestId.toLowerCase());
    }
    for (const outage of outages) {
      assert.ok(outage.requestId, `outage ${outage.id} took a create`);
      const attempts = firstPassLog.filter(
        (e) => e.method === "POST" && e.path === "/v1/customers" && e.requestId?.toLowerCase() === outage.requestId,
      );
      assert.ok(attempts.length > 0 && attempts.length < CREATE_ATTEMPTS + 1, `${attempts.length} attempts`);
      assert.deepEqual(new Set(attempts.map((e) => e.fault)), new Set([outage.mode]), "every attempt refused");
      // A committed create whose every answer was lost is not adopted by its domain: it fails, and the re-run
      // replays it under the same request ID.
      assert.ok(failedIds.has(outage.requestId), `the create taken by outage ${outage.id} failed in the first run`);
    }
  });

  it("kept every admin password: no customer was taken without Partner Center's own answer", () => {
    const withoutPassword = resources.filter((r) => {
      const final = last(r);
      return final?.kind === "created" && !final.properties.userCredentials;
    });
    assert.deepEqual(
      withoutPassword.map((r) => r.name),
      [],
    );
  });

  it("left exactly one customer per domain, and each resource's state names it", () => {
    const customers = emulator().state().customers;
    assert.equal(customers.length, RESOURCES);
    const byDomain = new Map<string | undefined, typeof customers>();
    for (const customer of customers) {
      const domain = customer.companyProfile?.domain;
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), customer]);
    }
    for (const resource of resources) {
      const matching = byDomain.get(resource.domain) ?? [];
      assert.equal(matching.length, 1, `${resource.domain}: ${matching.length} customers`);
      const outcome = last(resource);
      assert.equal(outcome?.kind, "created");
      if (outcome?.kind !== "created") continue;
      assert.equal(outcome.id, matching[0]?.id, `${resource.domain}: state and Partner Center agree on the id`);
      assert.equal(outcome.properties.customerId, outcome.id);
      assert.equal((outcome.properties.companyProfile as { domain: string }).domain, resource.domain);
    }
  });

  it("reported every failure as a complete PartnerCenterError message (operation, status or code, both ids)", () => {
    const postIds = new Set(
      emulator()
        .requests()
        .filter((e) => e.method === "POST" && e.path === "/v1/customers")
        .map((e) => e.requestId),
    );
    let checked = 0;
    for (const resource of resources) {
      for (const outcome of resource.outcomes) {
        if (outcome.kind === "createFailed") {
          const text = String(outcome.error.details);
          const parsed = parsePartnerCenterMessage(text);
          assert.ok(parsed, `not a PartnerCenterError message: ${text}`);
          assert.equal(parsed.operation, `Creating customer ${resource.domain}`, text);
          assert.ok(postIds.has(parsed.requestId), `the message names the create's MS-RequestId: ${text}`);
          checked += 1;
        } else if (outcome.kind === "checkFailed") {
          for (const failure of outcome.failures) {
            assert.equal(failure.property, "preflight", `${failure.property}: ${failure.reason}`);
            const cause = preflightCause(failure.reason);
            assert.ok(cause && parsePartnerCenterMessage(cause), `not a PartnerCenterError message: ${failure.reason}`);
            checked += 1;
          }
        }
      }
    }
    assert.ok(checked > 0, "there were failures to check");
  });
});

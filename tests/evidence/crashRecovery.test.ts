/**
 * Crash recovery: the provider host is killed (SIGKILL, as a crashed CI runner would be) in the middle of a
 * customer create; a new host then runs check + create with the same inputs, as the next `pulumi up` does. In every
 * case there must be exactly one tenant afterwards, and the outputs the engine would store must name it.
 *
 * The real-CLI variant (kill `pulumi up`, `pulumi cancel`, re-run, `pulumi refresh`) is in tests/e2e/evidence.test.ts.
 */
import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import { useEmulator } from "../support/emulatorHooks";
import { customersWithDomain, domainOf, sleep, waitUntil } from "../support/evidenceHarness";
import { customerInputs, customerUrn, providerTextOf, requestsFrom, startHostFor } from "../support/providerHarness";
import { type HostError, type ProviderHost, SECRET_SIG, SECRET_SIG_KEY } from "../support/providerHost";

const CREATE_ROUTE = /^\/v1\/customers$/;
const isCreate = (entry: { method: string; path: string }) => entry.method === "POST" && CREATE_ROUTE.test(entry.path);

/** Starts a host, checks `inputs`, and starts their create without waiting for it. */
async function startCreate(emulator: EmulatorHandle, provider: string, name: string, inputs: Record<string, unknown>) {
  const host = await startHostFor(emulator);
  const checked = await host.check(customerUrn(name), {}, { ...inputs, __provider: provider });
  assert.deepEqual(checked.failures, []);
  const pending = host.create(customerUrn(name), checked.inputs).then(
    () => undefined,
    (error: HostError) => error,
  );
  return { host, pending };
}

/** Kills the host and checks it never answered the create. */
async function crash(host: ProviderHost, pending: Promise<HostError | undefined>): Promise<void> {
  host.kill();
  const error = await pending;
  assert.ok(error, "the killed host never answered the create");
}

/** The next `pulumi up`: a new host, check + create with the same inputs. */
async function rerun(emulator: EmulatorHandle, provider: string, name: string, inputs: Record<string, unknown>) {
  const host = await startHostFor(emulator);
  try {
    const checked = await host.check(customerUrn(name), {}, { ...inputs, __provider: provider });
    assert.deepEqual(checked.failures, [], "the re-run's preview accepts the inputs (its own tenant is no conflict)");
    const created = await host.create(customerUrn(name), checked.inputs);
    await sleep(50); // the host's stdout (provider messages) arrives after the gRPC answer
    return { ...created, output: host.output() };
  } finally {
    await host.stop();
  }
}

/** Exactly one tenant with the domain, and the outputs name it. */
function assertStateAgrees(
  emulator: EmulatorHandle,
  domain: string,
  created: { id: string; properties: Record<string, unknown> },
): void {
  const tenants = customersWithDomain(emulator, domain);
  assert.equal(tenants.length, 1, "exactly one tenant");
  const tenant = tenants[0]!;
  assert.equal(created.id, tenant.id, "the resource id is the tenant's customer id");
  assert.equal(created.properties.customerId, tenant.id);
  assert.equal(created.properties.tenantId, tenant.companyProfile?.tenantId);
  assert.equal(created.properties.commerceId, tenant.commerceId);
  assert.equal((created.properties.companyProfile as { domain: string }).domain, domain);
}

describe("evidence: crash recovery when the provider host dies mid-create", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let provider: string;

  before(async () => {
    provider = await providerTextOf("PartnerCustomer");
  });

  it("Partner Center acted, the host died before answering: the re-run replays the same tenant and password", async () => {
    const inputs = customerInputs();
    const domain = domainOf(inputs);
    // The create commits, its answer is lost, and the host is killed while waiting to retry.
    emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "commitThenDrop" });
    const { host, pending } = await startCreate(emulator(), provider, "acted", inputs);
    await waitUntil(() => customersWithDomain(emulator(), domain).length > 0, "the committed create");
    await crash(host, pending);
    const firstPost = emulator().requests().find(isCreate);
    assert.equal(firstPost?.status, 0, "the first create was answered with a dropped connection");

    const seen = requestsFrom(emulator());
    const created = await rerun(emulator(), provider, "acted", inputs);
    assertStateAgrees(emulator(), domain, created);
    const replay = seen().find(isCreate);
    assert.equal(replay?.requestId, firstPost?.requestId, "the re-run sent the same MS-RequestId");
    assert.equal(replay?.replayed, true, "Partner Center answered from its idempotency record");
    const credentials = created.properties.userCredentials as Record<string, unknown>;
    assert.equal(credentials?.[SECRET_SIG_KEY], SECRET_SIG, "the first answer's admin credentials, as a secret");
  });

  it("the request never reached Partner Center (killed while fetching a token): the re-run creates one tenant", async () => {
    const inputs = customerInputs({ preflight: false });
    const domain = domainOf(inputs);
    const seen = requestsFrom(emulator());
    // The create's first request (MSAL's authority discovery or the token request) hangs; the host dies meanwhile.
    emulator().faults.inject({ path: `/${emulator().tenantId}/`, mode: "delay", latencyMs: 5_000 });
    const { host, pending } = await startCreate(emulator(), provider, "unsent", inputs);
    await sleep(1_000);
    await crash(host, pending);
    assert.equal(seen().filter(isCreate).length, 0, "no create was sent");
    assert.equal(customersWithDomain(emulator(), domain).length, 0);

    emulator().faults.clear();
    const created = await rerun(emulator(), provider, "unsent", inputs);
    assertStateAgrees(emulator(), domain, created);
    assert.ok(created.properties.userCredentials, "a normal create: the admin credentials are known");
  });

  it("every attempt was refused before Partner Center acted (connection resets): the re-run creates one tenant", async () => {
    const inputs = customerInputs();
    const domain = domainOf(inputs);
    emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "reset", count: Number.POSITIVE_INFINITY });
    const { host, pending } = await startCreate(emulator(), provider, "refused", inputs);
    await waitUntil(() => emulator().requests().filter(isCreate).length >= 2, "a retried create");
    await crash(host, pending);
    assert.equal(customersWithDomain(emulator(), domain).length, 0, "nothing was created");

    emulator().faults.clear();
    const created = await rerun(emulator(), provider, "refused", inputs);
    assertStateAgrees(emulator(), domain, created);
  });

  // The POST is still delayed in Partner Center when its client dies: the emulator must neither hang the re-run's
  // POST with the same MS-RequestId nor act twice.
  it("the host died while Partner Center was still working on the create: the re-run ends with one tenant", async () => {
    const inputs = customerInputs();
    const domain = domainOf(inputs);
    emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "delay", latencyMs: 1_500 });
    const { host, pending } = await startCreate(emulator(), provider, "inflight", inputs);
    await sleep(500);
    await crash(host, pending);
    const created = await rerun(emulator(), provider, "inflight", inputs);
    assertStateAgrees(emulator(), domain, created);
  });
});

describe("evidence: crash recovery after Partner Center forgot the request id", function () {
  this.timeout(120_000);
  // Partner Center does not document how long it remembers an MS-RequestId; here it forgets after a second.
  const emulator = useEmulator({ idempotencyWindowSeconds: 1 });

  it("Partner Center acted, the host died, the id expired: the re-run creates nothing and names the customer to adopt", async () => {
    const provider = await providerTextOf("PartnerCustomer");
    const inputs = customerInputs();
    const domain = domainOf(inputs);
    emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "commitThenDrop" });
    const { host, pending } = await startCreate(emulator(), provider, "forgotten", inputs);
    await waitUntil(() => customersWithDomain(emulator(), domain).length > 0, "the committed create");
    await crash(host, pending);
    await sleep(1_200);
    const tenant = customersWithDomain(emulator(), domain)[0]!;

    // Without Partner Center's replay nothing proves the tenant is this resource's: it is never adopted silently.
    const seen = requestsFrom(emulator());
    const error = await rerun(emulator(), provider, "forgotten", inputs).then(
      () => assert.fail("the re-run must not adopt the tenant by its domain"),
      (failure: HostError) => failure,
    );
    assert.match(String(error.details), new RegExp(`set existingCustomerId: "${tenant.id}"`));
    assert.ok(
      seen()
        .filter(isCreate)
        .every((entry) => entry.status === 409),
      "Partner Center refused a second tenant with the domain",
    );
    assert.equal(customersWithDomain(emulator(), domain).length, 1, "exactly one tenant");

    // The user adopts it as the error says: then it is managed, without its password (only in the lost answer).
    const adopted = await rerun(emulator(), provider, "forgotten", { ...inputs, existingCustomerId: tenant.id });
    assertStateAgrees(emulator(), domain, adopted);
    assert.equal(adopted.properties.userCredentials, undefined, "the password was only in the lost answer");
  });
});

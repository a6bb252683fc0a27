import assert from "node:assert/strict";
import { isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { useEmulator } from "../support/emulatorHooks";
import { apiRequests, emulatorClient, resetAuthCaches, usCustomerRequest } from "./clientTestSupport";

describe("PartnerCenterClient: retries", () => {
  const emulator = useEmulator({ trustGlobally: true });
  beforeEach(resetAuthCaches);

  async function createdId(): Promise<string> {
    return (await emulator().createCustomer(usCustomerRequest())).id;
  }

  it("retries 503 on POST with the same MS-RequestId, creating one customer", async () => {
    const lines: string[] = [];
    const client = emulatorClient(emulator(), { lines });
    emulator().faults.inject({ method: "POST", path: "/v1/customers", status: 503, retryAfterSeconds: 0, count: 2 });
    const customer = await client.createCustomer(usCustomerRequest());
    const posts = (await apiRequests(emulator())).filter((r) => r.method === "POST" && r.path === "/v1/customers");
    assert.deepEqual(
      posts.map((r) => r.status),
      [503, 503, 201],
    );
    assert.equal(new Set(posts.map((r) => r.requestId)).size, 1);
    assert.equal(new Set(posts.map((r) => r.correlationId)).size, 1);
    assert.equal(emulator().state().customers.length, 1);
    assert.equal(emulator().state().customers[0]?.id, customer.id);
    assert.equal(lines.filter((l) => l.includes("retrying in")).length, 2);
  });

  it("honours Retry-After on 429: waits at least the advertised time, then succeeds", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator());
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await client.getCustomer(id);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1000, `retried after ${elapsed} ms`);
    const gets = (await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`);
    assert.deepEqual(
      gets.map((r) => r.status),
      [429, 200],
    );
    assert.equal(gets[0]!.requestId, gets[1]!.requestId);
    assert.ok(gets[1]!.time - gets[0]!.time >= 1000);
  });

  it("does not retry a 400", async () => {
    const client = emulatorClient(emulator());
    emulator().faults.inject({ method: "POST", path: "/v1/customers", status: 400, code: 3000 });
    await assert.rejects(client.createCustomer(usCustomerRequest()), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "http");
      assert.equal(error.statusCode, 400);
      assert.equal(error.attempts, 1);
      return true;
    });
    assert.equal((await apiRequests(emulator())).length, 1);
  });

  it("does not retry 403 or 404 either", async () => {
    const client = emulatorClient(emulator());
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000000"));
    emulator().faults.inject({ method: "GET", status: 403 });
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000001"));
    assert.equal((await apiRequests(emulator())).length, 2);
  });

  it("retries a dropped connection (reset) with the same request id", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator());
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, mode: "reset" });
    await client.getCustomer(id);
    const gets = (await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`);
    assert.equal(gets.length, 2);
    assert.equal(gets[0]!.requestId, gets[1]!.requestId);
  });

  it("commitThenDrop on create: the retry with the same request id returns the same customer, not a second", async () => {
    const client = emulatorClient(emulator());
    emulator().faults.inject({ method: "POST", path: "/v1/customers", mode: "commitThenDrop" });
    const request = usCustomerRequest();
    const customer = await client.createCustomer(request);
    const state = emulator().state();
    assert.equal(state.customers.length, 1, "exactly one tenant");
    assert.equal(state.customers[0]?.id, customer.id);
    assert.ok(customer.userCredentials?.password, "the replayed answer still carries the credentials");
    const posts = (await apiRequests(emulator())).filter((r) => r.method === "POST");
    assert.equal(posts.length, 2);
    assert.equal(posts[0]!.requestId, posts[1]!.requestId);
    assert.equal(posts[1]!.replayed, true);
  });

  it("a caller's stable request id makes a repeated create return the first customer", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest();
    const requestId = "6f1c3a52-7c39-4f0e-9d43-6c1a4ab3a001";
    const first = await client.createCustomer(request, { requestId });
    const second = await client.createCustomer(request, { requestId });
    assert.equal(second.id, first.id);
    assert.equal(emulator().state().customers.length, 1);
  });

  it("fails at once with kind throttled when Retry-After exceeds the cap", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator(), { overrides: { retry: { maxRetryAfterSeconds: 5 } } });
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, status: 429, retryAfterSeconds: 30 });
    const started = Date.now();
    await assert.rejects(client.getCustomer(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "throttled");
      assert.equal(error.statusCode, 429);
      assert.equal(error.retryAfterSeconds, 30);
      assert.equal(error.isRetryable, true);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
    assert.equal((await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`).length, 1);
  });

  it("bounds the total retry wait even when the server throttles forever", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator(), {
      overrides: { retry: { limit: 100, maxTotalWaitSeconds: 2.5 } },
    });
    emulator().faults.inject({
      method: "GET",
      path: `/v1/customers/${id}`,
      status: 429,
      retryAfterSeconds: 1,
      count: Number.POSITIVE_INFINITY,
    });
    const started = Date.now();
    await assert.rejects(client.getCustomer(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "throttled");
      assert.match(error.message, /gave up: waiting .* retry budget/);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 2000 && elapsed < 4000, `gave up after ${elapsed} ms`);
    const attempts = (await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`).length;
    assert.ok(attempts >= 3 && attempts <= 4, `${attempts} attempts`);
  });

  it("stops after the retry limit on persistent 5xx", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator(), { overrides: { retry: { limit: 2 } } });
    emulator().faults.inject({ path: `/v1/customers/${id}`, status: 500, count: Number.POSITIVE_INFINITY });
    await assert.rejects(client.getCustomer(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "http");
      assert.equal(error.statusCode, 500);
      assert.equal(error.attempts, 3);
      assert.equal(error.isRetryable, true);
      return true;
    });
    assert.equal((await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`).length, 3);
  });

  it("times out each attempt and reports kind timeout after the retries", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator(), { overrides: { timeoutMs: 300, retry: { limit: 1 } } });
    emulator().faults.inject({
      path: `/v1/customers/${id}`,
      latencyMs: 5000,
      mode: "delay",
      count: Number.POSITIVE_INFINITY,
    });
    const started = Date.now();
    await assert.rejects(client.getCustomer(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "timeout");
      assert.equal(error.attempts, 2);
      assert.equal(error.isRetryable, true);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 600 && elapsed < 3000, `${elapsed} ms`);
  });

  it("a caller's AbortSignal cancels waits between retries", async () => {
    const id = await createdId();
    const client = emulatorClient(emulator(), { overrides: { retry: { maxRetryAfterSeconds: 60 } } });
    emulator().faults.inject({ path: `/v1/customers/${id}`, status: 429, retryAfterSeconds: 30 });
    const started = Date.now();
    await assert.rejects(client.getCustomer(id, { signal: AbortSignal.timeout(300) }), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "timeout");
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });
});

describe("PartnerCenterClient: byte-order marks", () => {
  const emulator = useEmulator({ trustGlobally: true, bom: true });
  beforeEach(resetAuthCaches);

  it("strips the UTF-8 BOM from every JSON body", async () => {
    const client = emulatorClient(emulator());
    const customer = await client.createCustomer(usCustomerRequest());
    assert.equal((await client.getCustomer(customer.id)).id, customer.id);
    const listed = [];
    for await (const page of client.listCustomers()) listed.push(...page.items);
    assert.equal(listed.length, 1);
    const rules = await client.getCountryValidationRules("DE");
    assert.equal(rules.iso2Code, "DE");
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000000"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.code, 1000, "error bodies with a BOM are read too");
      return true;
    });
  });
});

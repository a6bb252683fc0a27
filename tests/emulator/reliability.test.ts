import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startEmulator } from "../../emulator";
import {
  emulatorRequest,
  getAppToken,
  getUserToken,
  partnerCenterHeaders,
  usCustomerBody,
} from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

describe("emulator: idempotency, throttling and faults", () => {
  const emulator = useEmulator();

  function create(token: string, headers: Record<string, string>, body = usCustomerBody()) {
    return emulatorRequest(emulator(), "POST", "/v1/customers", { token, headers, json: body });
  }

  describe("MS-RequestId idempotency", () => {
    it("replays the first answer for a POST repeated with the same MS-RequestId, acting once", async () => {
      const token = await getAppToken(emulator());
      const headers = partnerCenterHeaders();
      const body = usCustomerBody();
      const first = await create(token, headers, body);
      const second = await create(token, { ...headers, "MS-CorrelationId": randomUUID() }, body);
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body, "same customer, same password");
      assert.equal(emulator().state().customers.length, 1);
      const log = emulator()
        .requests()
        .filter((entry) => entry.path === "/v1/customers");
      assert.deepEqual(
        log.map((entry) => [entry.requestId, entry.replayed ?? false]),
        [
          [headers["MS-RequestId"], false],
          [headers["MS-RequestId"], true],
        ],
      );
    });

    it("replays a business failure too (the same 409), not a second attempt", async () => {
      const token = await getAppToken(emulator());
      const body = usCustomerBody();
      await create(token, partnerCenterHeaders(), body);
      const headers = partnerCenterHeaders();
      const first = await create(token, headers, body);
      assert.equal(first.status, 409);
      await emulator().removeCustomer(emulator().state().customers[0]?.id ?? "");
      const second = await create(token, headers, body);
      assert.equal(second.status, 409, "replayed although the domain is free now");
    });

    it("acts again for a new MS-RequestId", async () => {
      const token = await getAppToken(emulator());
      await create(token, partnerCenterHeaders());
      await create(token, partnerCenterHeaders());
      assert.equal(emulator().state().customers.length, 2);
    });

    it("does not replay a throttled answer: the retry with the same id acts", async () => {
      const token = await getAppToken(emulator());
      const headers = partnerCenterHeaders();
      emulator().faults.inject({ method: "POST", path: "/v1/customers", status: 429, retryAfterSeconds: 1 });
      assert.equal((await create(token, headers)).status, 429);
      assert.equal((await create(token, headers)).status, 201);
      assert.equal(emulator().state().customers.length, 1);
    });

    it("makes a concurrent duplicate wait for the first instead of acting twice", async () => {
      emulator().setLatency(50);
      const token = await getAppToken(emulator());
      const headers = partnerCenterHeaders();
      const body = usCustomerBody();
      const [a, b] = await Promise.all([create(token, headers, body), create(token, headers, body)]);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(a.body.id, b.body.id);
      assert.equal(emulator().state().customers.length, 1);
    });

    it("replays agreement confirmations as well", async () => {
      const created = await create(await getAppToken(emulator()), partnerCenterHeaders());
      const token = await getUserToken(emulator());
      const headers = partnerCenterHeaders();
      const agreement = {
        primaryContact: { firstName: "Tania", lastName: "Carr", email: "tania@example.com" },
        templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
        dateAgreed: "2024-05-01T00:00:00Z",
        type: "MicrosoftCustomerAgreement",
      };
      const path = `/v1/customers/${created.body.id}/agreements`;
      const first = await emulatorRequest(emulator(), "POST", path, { token, headers, json: agreement });
      const second = await emulatorRequest(emulator(), "POST", path, { token, headers, json: agreement });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201, "not 600061: the retry is recognised");
      assert.equal(emulator().state().agreements.length, 1);
    });
  });

  describe("fault injection", () => {
    it("respond: answers the status with a Partner Center body and Retry-After, without acting", async () => {
      const token = await getAppToken(emulator());
      emulator().faults.inject({ method: "post", path: "/v1/customers", status: 503, retryAfterSeconds: 7 });
      const response = await create(token, partnerCenterHeaders());
      assert.equal(response.status, 503);
      assert.equal(response.headers["retry-after"], "7");
      assert.equal(response.body.source, "PartnerFD");
      assert.equal(typeof response.body.code, "number");
      assert.equal(emulator().state().customers.length, 0);
      assert.equal((await create(token, partnerCenterHeaders())).status, 201, "count defaults to 1");
      assert.equal(emulator().requests().at(-2)?.fault, "respond");
    });

    it("respond with 429 uses the throttling body", async () => {
      emulator().faults.inject({ path: "/v1/customers", status: 429, retryAfterSeconds: 3 });
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 429);
      assert.equal(response.headers["retry-after"], "3");
      assert.deepEqual(response.body, { statusCode: 429, message: "Rate limit is exceeded. Try again in 3 seconds." });
    });

    it("matches methods, string prefixes and regular expressions, for `count` requests", async () => {
      const token = await getAppToken(emulator());
      emulator().faults.inject({ method: "GET", path: /^\/v1\/customers\/[0-9a-f-]+$/, status: 500, count: 2 });
      const created = await create(token, partnerCenterHeaders());
      assert.equal(created.status, 201, "POST is not matched");
      const path = `/v1/customers/${created.body.id}`;
      assert.equal((await emulatorRequest(emulator(), "GET", path, { token })).status, 500);
      assert.equal(
        (await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token })).status,
        200,
        "regex not matched",
      );
      assert.equal((await emulatorRequest(emulator(), "GET", path, { token })).status, 500);
      assert.equal((await emulatorRequest(emulator(), "GET", path, { token })).status, 200);
      assert.deepEqual(emulator().faults.list(), []);
    });

    it("can target the token endpoint", async () => {
      emulator().faults.inject({ path: `/${emulator().tenantId}/oauth2/`, status: 503 });
      await assert.rejects(getAppToken(emulator()), /503/);
      assert.ok(await getAppToken(emulator()));
    });

    it("reset: drops the connection without acting", async () => {
      const token = await getAppToken(emulator());
      emulator().faults.inject({ path: "/v1/customers", mode: "reset" });
      await assert.rejects(create(token, partnerCenterHeaders()), (error: NodeJS.ErrnoException) => {
        assert.ok(["ECONNRESET", "EPIPE"].includes(error.code ?? ""), error.code);
        return true;
      });
      assert.equal(emulator().state().customers.length, 0);
      const entry = emulator().requests().at(-1);
      assert.equal(entry?.status, 0);
      assert.equal(entry?.fault, "reset");
    });

    it("commitThenDrop: acts, drops the connection, and a retry with the same MS-RequestId gets the answer", async () => {
      const token = await getAppToken(emulator());
      const headers = partnerCenterHeaders();
      const body = usCustomerBody();
      emulator().faults.inject({ method: "POST", path: "/v1/customers", mode: "commitThenDrop" });
      await assert.rejects(create(token, headers, body), (error: NodeJS.ErrnoException) => error.code === "ECONNRESET");
      assert.equal(emulator().state().customers.length, 1, "the customer was created");
      const retry = await create(token, headers, body);
      assert.equal(retry.status, 201);
      assert.equal(retry.body.id, emulator().state().customers[0]?.id);
      const retryWithNewId = await create(token, partnerCenterHeaders(), body);
      assert.equal(retryWithNewId.status, 409, "without the same id, the retry collides with the committed create");
      const statuses = emulator()
        .requests()
        .filter((entry) => entry.path === "/v1/customers")
        .map((entry) => entry.status);
      assert.deepEqual(statuses, [0, 201, 409]);
    });

    it("delay: latencyMs alone slows the request down and then handles it normally", async () => {
      const token = await getAppToken(emulator());
      emulator().faults.inject({ path: "/v1/customers", latencyMs: 300 });
      const started = Date.now();
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started >= 290);
      assert.equal(emulator().requests().at(-1)?.fault, "delay");
    });

    it("requestId: matches only that MS-RequestId (any case), ahead of a broader fault armed earlier", async () => {
      const token = await getAppToken(emulator());
      const targeted = partnerCenterHeaders();
      const other = partnerCenterHeaders();
      emulator().faults.inject({ method: "POST", path: "/v1/customers", status: 500 });
      emulator().faults.inject({
        path: "/v1/customers",
        requestId: targeted["MS-RequestId"]?.toUpperCase(),
        status: 503,
        count: 2,
      });
      const body = usCustomerBody();
      assert.equal((await create(token, targeted, body)).status, 503, "the targeted fault outranks the earlier one");
      assert.equal((await create(token, other)).status, 500, "other ids get the broader fault");
      assert.equal((await create(token, targeted, body)).status, 503);
      assert.equal((await create(token, targeted, body)).status, 201, "count used up");
      assert.equal((await create(token, other)).status, 201);
      assert.equal(emulator().state().customers.length, 2);
      assert.deepEqual(emulator().faults.list(), []);
    });

    it("bindToRequestId: takes the first matching operation and refuses only its attempts, `count` of them", async () => {
      const token = await getAppToken(emulator());
      const spec = { method: "POST", path: "/v1/customers", bindToRequestId: true, count: 3 } as const;
      const first = emulator().faults.inject({ ...spec, status: 503 });
      emulator().faults.inject({ ...spec, status: 500 });
      assert.equal(first.requestId, undefined, "not bound until a request matches");

      const a = partnerCenterHeaders();
      const b = partnerCenterHeaders();
      const [bodyA, bodyB] = [usCustomerBody(), usCustomerBody()];
      assert.equal((await create(token, a, bodyA)).status, 503, "A binds the first fault");
      assert.equal(emulator().faults.list()[0]?.requestId, a["MS-RequestId"]?.toLowerCase());
      assert.equal((await create(token, b, bodyB)).status, 500, "B binds the second: one operation per fault");
      assert.equal((await create(token, a, bodyA)).status, 503, "A's retries stay with the first fault");
      assert.equal((await create(token, a, bodyA)).status, 503);
      // The first fault ran out; A is not taken up again by a binding fault armed now.
      emulator().faults.inject({ ...spec, status: 429 });
      assert.equal((await create(token, a, bodyA)).status, 201, "A's count used up, and A is never bound twice");
      assert.equal((await create(token, b, bodyB)).status, 500);
      assert.equal((await create(token, b, bodyB)).status, 500);
      assert.equal((await create(token, b, bodyB)).status, 201);
      assert.equal(emulator().state().customers.length, 2);
      assert.deepEqual(
        emulator()
          .faults.list()
          .map((fault) => [fault.status, fault.requestId]),
        [[429, undefined]],
        "only the fault armed last is left, unbound",
      );
    });

    it("bindToRequestId: a request without an id neither binds nor matches", async () => {
      const token = await getAppToken(emulator());
      emulator().faults.inject({ path: "/v1/customers", bindToRequestId: true, status: 503 });
      assert.equal((await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token })).status, 200);
      assert.equal(emulator().faults.list()[0]?.requestId, undefined);
      const headers = partnerCenterHeaders();
      const listed = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token, headers });
      assert.equal(listed.status, 503);
      assert.equal(emulator().requests().at(-1)?.requestId, headers["MS-RequestId"]);
    });

    it("clear() removes armed faults", async () => {
      emulator().faults.inject({ status: 500, count: Number.POSITIVE_INFINITY });
      emulator().faults.clear();
      assert.equal(
        (await emulatorRequest(emulator(), "GET", `/${emulator().tenantId}/discovery/v2.0/keys`)).status,
        200,
      );
    });
  });

  describe("rate limit", () => {
    it("answers 429 with Retry-After and the throttling body once the per-minute limit is used up", async () => {
      const token = await getAppToken(emulator());
      emulator().setRateLimit(3);
      for (let i = 0; i < 3; i++) {
        assert.equal((await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token })).status, 200);
      }
      const throttled = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
      assert.equal(throttled.status, 429);
      const retryAfter = Number(throttled.headers["retry-after"]);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
      assert.deepEqual(throttled.body, {
        statusCode: 429,
        message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.`,
      });
      assert.ok(await getAppToken(emulator()), "the token endpoint is not throttled");
    });
  });
});

describe("emulator: options", () => {
  it("bom: prefixes JSON bodies with a UTF-8 BOM", async () => {
    const emulator = await startEmulator({ bom: true });
    try {
      const token = await getAppToken(emulator);
      const response = await emulatorRequest(emulator, "GET", "/v1/customers?size=1", { token });
      assert.equal(response.text.charCodeAt(0), 0xfeff);
      assert.equal(response.body.totalCount, 0);
    } finally {
      await emulator.close();
    }
  });

  it("latencyMs and rateLimitPerMinute apply from start-up and survive reset()", async () => {
    const emulator = await startEmulator({ latencyMs: 150, rateLimitPerMinute: 1 });
    try {
      const token = await getAppToken(emulator);
      await emulator.reset();
      const started = Date.now();
      assert.equal((await emulatorRequest(emulator, "GET", "/v1/customers?size=1", { token })).status, 200);
      assert.ok(Date.now() - started >= 140);
      assert.equal((await emulatorRequest(emulator, "GET", "/v1/customers?size=1", { token })).status, 429);
    } finally {
      await emulator.close();
    }
  });

  it("requestLogLimit bounds the request log, keeping the newest entries", async () => {
    const emulator = await startEmulator({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await emulatorRequest(emulator, "GET", `/v1/customers?size=${i + 1}`);
      assert.deepEqual(
        emulator.requests().map((entry) => entry.path),
        ["/v1/customers?size=3", "/v1/customers?size=4", "/v1/customers?size=5"],
      );
    } finally {
      await emulator.close();
    }
  });

  it("http: serves plain HTTP for debugging", async () => {
    const emulator = await startEmulator({ http: true });
    try {
      assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${emulator.url}/v1/customers?size=1`);
      assert.equal(response.status, 401);
    } finally {
      await emulator.close();
    }
  });
});

/**
 * The lifecycle-safety rules of issue 12 for `PartnerCustomer`, one `describe` per rule (issue numbering), driven
 * through the real dynamic-provider host against the emulator: pinning the managed customer is no change, no
 * adoption by domain, adopted customers are left alone on destroy, the one-time password survives a slow read-back,
 * a definite refusal is not replayed on the next run, delete-before-replace only when the old domain is needed, and
 * throttled creates fail with the wait instead of replaying and listing.
 */
import assert from "node:assert/strict";
import { CREATE_ATTEMPTS } from "../evidence/faultPlan";
import { useEmulator } from "../support/emulatorHooks";
import {
  CREATE_ROUTE,
  CUSTOMER_READ,
  customerInputs,
  customerUrn,
  domainOf,
  passwordOf,
  providerTextOf,
  requestsFrom,
  startHostFor,
  withChange,
} from "../support/providerHarness";
import type { HostError, ProviderHost } from "../support/providerHost";

type Props = Record<string, unknown>;

describe("PartnerCustomer lifecycle safety (issue 12) through the real provider host", function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let provider: string;

  before(async () => {
    provider = await providerTextOf("PartnerCustomer");
    host = await startHostFor(emulator());
  });

  after(async () => {
    await host?.stop();
  });

  /** check (which must pass) → create on `on`, returning the checked inputs, id and outputs. */
  async function checkAndCreate(on: ProviderHost, name: string, inputs: Props) {
    const checked = await on.check(customerUrn(name), {}, { ...inputs, __provider: provider });
    assert.deepEqual(checked.failures, []);
    const created = await on.create(customerUrn(name), checked.inputs);
    return { checked: checked.inputs, ...created };
  }

  /** The customers of the emulator that hold `domain`. */
  const holdersOf = (domain: string) =>
    emulator()
      .state()
      .customers.filter((c) => c.companyProfile?.domain === domain);

  /** The `POST /v1/customers` creates among logged requests. */
  const createsIn = (entries: ReturnType<ReturnType<typeof requestsFrom>>) =>
    entries.filter((r) => r.method === "POST" && CREATE_ROUTE.test(r.path));

  describe("rule 1: adding your own ID is not a change", () => {
    it("pinning existingCustomerId to the managed customer (any case) is no change and calls nothing", async () => {
      const { id, properties, checked } = await checkAndCreate(host, "pinned", customerInputs());
      const seen = requestsFrom(emulator());

      for (const pinned of [id, id.toUpperCase()]) {
        const news = { ...checked, existingCustomerId: pinned };
        const rechecked = await host.check(customerUrn("pinned"), checked, { ...news, __provider: provider });
        assert.deepEqual(rechecked.failures, []);
        const diff = await host.diff(customerUrn("pinned"), id, properties, rechecked.inputs);
        assert.deepEqual(
          [diff.changes, diff.replaces, diff.deleteBeforeReplace],
          ["none", [], false],
          `existingCustomerId ${pinned} after check`,
        );
        // As written by the program (not lower-cased by check): the same.
        const raw = await host.diff(customerUrn("pinned"), id, properties, news);
        assert.deepEqual([raw.changes, raw.replaces], ["none", []], `existingCustomerId ${pinned} as written`);
      }
      assert.deepEqual(seen(), [], "no request reaches Partner Center during check and diff");
    });

    it("pinning it together with a replace-triggering change fails the diff naming the path and the id, never a replacement", async () => {
      const { id, properties, checked } = await checkAndCreate(host, "pinned", customerInputs());
      const path = "billingProfile.defaultAddress.addressLine1";
      const news = withChange({ ...checked, existingCustomerId: id }, path, "2 Microsoft Way");
      const seen = requestsFrom(emulator());
      const rechecked = await host.check(customerUrn("pinned"), checked, { ...news, __provider: provider });
      assert.deepEqual(rechecked.failures, []);
      await assert.rejects(host.diff(customerUrn("pinned"), id, properties, rechecked.inputs), (error: HostError) => {
        const message = String(error.details);
        assert.ok(message.includes(path), message);
        assert.ok(message.includes(id), message);
        assert.match(message, /existingCustomerId/);
        return true;
      });
      assert.deepEqual(seen(), [], "no request reaches Partner Center");
      assert.equal(holdersOf(domainOf(checked)).length, 1);
    });
  });

  describe("rule 2: no silent adoption", () => {
    it("(a) a same-profile customer made outside: check warns, create fails naming it, nothing is taken", async () => {
      const inputs = { ...customerInputs(), __createKey: "proj/stack/outside" };
      const domain = domainOf(inputs);
      const { __createKey: _key, ...body } = inputs;
      const outside = await emulator().createCustomer(body);

      const checked = await host.check(customerUrn("outside"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, [], "a same-profile customer is no check failure");

      await assert.rejects(host.create(customerUrn("outside"), checked.inputs), (error: HostError) => {
        const message = String(error.details);
        assert.ok(message.includes(`set existingCustomerId: "${outside.id}"`), message);
        assert.equal(error.initFailure, undefined, "the customer's id is not returned as a partial create");
        return true;
      });
      assert.deepEqual(
        holdersOf(domain).map((c) => c.id),
        [outside.id],
        "exactly one customer holds the domain, the one made outside",
      );
      // The check (at preview) already said so: a warning naming the customer.
      const output = await host.waitForOutput(new RegExp(`warning: domain "${domain}" is taken by your customer`));
      assert.ok(output.includes(outside.id), "the warning names the customer");
    });

    it("(b) a domain held by a customer with another profile fails check naming it and existingCustomerId", async () => {
      const inputs = customerInputs();
      const foreign = await emulator().createCustomer(withChange(inputs, "billingProfile.email", "x@else.example"));
      const result = await host.check(customerUrn("foreign"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(
        result.failures.map((f) => f.property),
        ["companyProfile.domain"],
      );
      assert.ok(result.failures[0]!.reason.includes(foreign.id), result.failures[0]!.reason);
      assert.ok(result.failures[0]!.reason.includes(`existingCustomerId: "${foreign.id}"`), result.failures[0]!.reason);
    });

    it("(b) the same conflict past check (preflight off): create fails naming the owner, adopts nothing", async () => {
      const inputs = customerInputs({ preflight: false });
      const domain = domainOf(inputs);
      const { preflight: _p, ...body } = inputs;
      const foreign = await emulator().createCustomer(withChange(body, "billingProfile.email", "x@else.example"));
      const checked = await host.check(customerUrn("foreign"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, []);
      await assert.rejects(host.create(customerUrn("foreign"), checked.inputs), (error: HostError) => {
        const message = String(error.details);
        assert.ok(message.includes(`existingCustomerId: "${foreign.id}"`), message);
        assert.equal(error.initFailure, undefined);
        return true;
      });
      assert.deepEqual(
        holdersOf(domain).map((c) => c.id),
        [foreign.id],
      );
    });

    it("(c) a create whose every answer was lost fails as unknown; a re-run replays it with the password", async () => {
      const inputs = { ...customerInputs(), __createKey: "proj/stack/lost" };
      const domain = domainOf(inputs);
      const seen = requestsFrom(emulator());
      const checked = await host.check(customerUrn("lost"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, []);
      // Bound to the create's request ID, and more uses than the client's retries plus the provider's one re-ask.
      emulator().faults.inject({
        method: "POST",
        path: CREATE_ROUTE,
        mode: "commitThenDrop",
        bindToRequestId: true,
        count: CREATE_ATTEMPTS + 1,
      });
      await assert.rejects(host.create(customerUrn("lost"), checked.inputs), (error: HostError) => {
        assert.match(String(error.details), /outcome of the create is unknown/);
        return true;
      });
      const firstRun = createsIn(seen());
      assert.ok(firstRun.length >= 2, "the lost create was retried");
      assert.equal(new Set(firstRun.map((r) => r.requestId)).size, 1, "under one request ID");
      assert.equal(holdersOf(domain).length, 1, "Partner Center made the customer once");
      assert.ok(!seen().some((r) => r.method === "GET" && r.path.startsWith("/v1/customers?")), "no lookup by domain");
      emulator().faults.clear();

      // The next `pulumi up`: a new host, the same inputs and the same resource key.
      const rerun = await startHostFor(emulator());
      try {
        const again = requestsFrom(emulator());
        const { id, properties } = await checkAndCreate(rerun, "lost", inputs);
        assert.equal(id, holdersOf(domain)[0]?.id, "the customer Partner Center made");
        assert.ok(passwordOf(properties), "with the admin credentials from Partner Center's replay");
        const replays = createsIn(again());
        assert.deepEqual(
          replays.map((r) => [r.requestId, r.replayed]),
          [[firstRun[0]?.requestId, true]],
          "one create, the replay of the first run's request ID",
        );
        assert.equal(holdersOf(domain).length, 1, "one tenant");
      } finally {
        await rerun.stop();
      }
    });

    it("(d) two resources with identical inputs (two stacks) never get each other's customer", async () => {
      const inputs = customerInputs();
      const domain = domainOf(inputs);
      const first = await checkAndCreate(host, "customer", { ...inputs, __createKey: "proj/stack-a/customer" });
      assert.ok(passwordOf(first.properties));

      const otherStack = await startHostFor(emulator());
      try {
        const seen = requestsFrom(emulator());
        const checked = await otherStack.check(
          customerUrn("customer"),
          {},
          { ...inputs, __createKey: "proj/stack-b/customer", __provider: provider },
        );
        assert.deepEqual(checked.failures, []);
        await assert.rejects(otherStack.create(customerUrn("customer"), checked.inputs), (error: HostError) => {
          const message = String(error.details);
          assert.ok(message.includes(`existingCustomerId: "${first.id}"`), message);
          assert.ok(!message.includes(passwordOf(first.properties)!), "the first stack's password is not shown");
          assert.equal(error.initFailure, undefined, "the first stack's customer is not returned");
          return true;
        });
        const creates = createsIn(seen());
        assert.ok(creates.length > 0);
        assert.ok(
          creates.every((r) => r.status === 409 && !r.replayed),
          `no replay of the first stack's create: ${JSON.stringify(creates)}`,
        );
        assert.deepEqual(
          holdersOf(domain).map((c) => c.id),
          [first.id],
        );
      } finally {
        await otherStack.stop();
      }
    });
  });

  describe("rule 3: adopted customers", () => {
    it("without a deletionPolicy, destroy only forgets the adopted customer: no call, relationship unchanged", async () => {
      const outside = await emulator().createCustomer(customerInputs());
      const inputs = withChange(
        customerInputs({ existingCustomerId: outside.id }),
        "companyProfile.domain",
        outside.companyProfile!.domain!,
      );
      const { id, properties } = await checkAndCreate(host, "adopted", inputs);
      assert.equal(id, outside.id);
      const before = emulator()
        .state()
        .customers.find((c) => c.id === id);

      const seen = requestsFrom(emulator());
      await host.delete(customerUrn("adopted"), id, properties);
      assert.deepEqual(seen(), [], "no API call");
      assert.ok(!seen().some((r) => r.method === "PATCH" || r.method === "DELETE"), "no PATCH or DELETE in the log");
      const after = emulator()
        .state()
        .customers.find((c) => c.id === id);
      assert.ok(after, "the customer stays");
      assert.equal(after.relationshipToPartner, before?.relationshipToPartner, "relationship unchanged");
    });

    it('with deletionPolicy "removeRelationship" set explicitly, check warns that destroy will remove the relationship', async () => {
      const outside = await emulator().createCustomer(customerInputs());
      const inputs = withChange(
        customerInputs({ existingCustomerId: outside.id, deletionPolicy: "removeRelationship" }),
        "companyProfile.domain",
        outside.companyProfile!.domain!,
      );
      const checked = await host.check(customerUrn("adopted"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, []);
      const output = await host.waitForOutput(
        new RegExp(`warning: customer ${outside.id} .*pulumi destroy will remove your reseller relationship`),
      );
      assert.match(output, /Remove deletionPolicy/);
    });
  });

  describe("rule 5: the one-time password survives a slow read-back", () => {
    it("a customer not yet readable (while its domain still reads free) is waited for, not created again", async () => {
      const sandbox = await startHostFor(emulator(), { sandbox: true });
      try {
        const inputs = customerInputs();
        const domain = domainOf(inputs);
        const checked = await sandbox.check(customerUrn("slow"), {}, { ...inputs, __provider: provider });
        assert.deepEqual(checked.failures, []);
        const seen = requestsFrom(emulator());
        // The new tenant lags: its first reads answer 404 and its domain still reads as free.
        emulator().faults.inject({ method: "GET", path: CUSTOMER_READ, status: 404, count: 2 });
        emulator().faults.inject({ method: "HEAD", path: "/v1/domains/", status: 404, count: 2 });

        const { id, properties } = await sandbox.create(customerUrn("slow"), checked.inputs);
        assert.ok(passwordOf(properties), "created WITH its admin credentials");
        assert.equal(createsIn(seen()).length, 1, "exactly one POST /v1/customers");
        assert.deepEqual(
          holdersOf(domain).map((c) => c.id),
          [id],
          "one tenant",
        );
        assert.ok(
          seen().filter((r) => r.method === "GET" && CUSTOMER_READ.test(r.path)).length >= 3,
          "read back until readable",
        );
      } finally {
        await sandbox.stop();
      }
    });
  });

  describe("rule 6: a definite error is not replayed on the next run", () => {
    it("a create refused because the domain was taken succeeds on a re-run once the domain is free", async () => {
      const inputs: Props = { ...customerInputs({ preflight: false }), __createKey: "proj/stack/refused" };
      const domain = domainOf(inputs);
      const { __createKey: _key, preflight: _p, ...body } = inputs;
      const foreign = await emulator().createCustomer(withChange(body, "billingProfile.email", "x@else.example"));

      const seen = requestsFrom(emulator());
      const checked = await host.check(customerUrn("refused"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, []);
      await assert.rejects(host.create(customerUrn("refused"), checked.inputs));
      const firstRun = createsIn(seen());
      assert.ok(firstRun.length > 0 && firstRun.every((r) => r.status === 409), JSON.stringify(firstRun));
      const derivedId = firstRun[0]?.requestId;

      assert.ok(await emulator().removeCustomer(foreign.id), "the domain is free again");
      const rerun = await startHostFor(emulator());
      try {
        const again = requestsFrom(emulator());
        const { id, properties } = await checkAndCreate(rerun, "refused", inputs);
        assert.ok(passwordOf(properties), "created with its admin credentials");
        assert.deepEqual(
          holdersOf(domain).map((c) => c.id),
          [id],
          "one tenant",
        );
        const creates = createsIn(again());
        assert.deepEqual(
          creates[0] && [creates[0].requestId, creates[0].status, creates[0].replayed],
          [derivedId, 409, true],
          "the first run's request ID got its refusal replayed",
        );
        const made = creates.filter((r) => r.status === 201);
        assert.equal(made.length, 1, JSON.stringify(creates));
        assert.notEqual(made[0]?.requestId, derivedId, "a different request ID created it");
        assert.ok(!made[0]?.replayed);
      } finally {
        await rerun.stop();
      }
    });
  });

  describe("rule 7: replacement order", () => {
    it("creates the new customer first on a domain change; deletes first only when it keeps the domain", async () => {
      const sandbox = await startHostFor(emulator(), { sandbox: true });
      try {
        const { id, properties, checked } = await checkAndCreate(
          sandbox,
          "order",
          customerInputs({ deletionPolicy: "delete" }),
        );
        const otherDomain = domainOf(customerInputs());
        const moved = await sandbox.diff(
          customerUrn("order"),
          id,
          properties,
          withChange(checked, "companyProfile.domain", otherDomain),
        );
        assert.deepEqual(
          [moved.changes, moved.replaces, moved.deleteBeforeReplace],
          ["some", ["companyProfile"], false],
          "a new domain: create the new customer, then delete the old one",
        );

        const sameDomain = await sandbox.diff(
          customerUrn("order"),
          id,
          properties,
          withChange(checked, "billingProfile.email", "other@contoso.example"),
        );
        assert.deepEqual(
          [sameDomain.changes, sameDomain.replaces, sameDomain.deleteBeforeReplace],
          ["some", ["billingProfile"], true],
          "the same domain: the old customer must go first",
        );
      } finally {
        await sandbox.stop();
      }
    });
  });

  describe("rule 8: throttled creates wait", () => {
    it("a 429 beyond the retry budget fails with the wait after one POST, and nothing is listed", async () => {
      const throttledHost = await startHostFor(emulator(), { config: { maxRetryWaitSeconds: "1" } });
      try {
        const inputs = customerInputs();
        const checked = await throttledHost.check(customerUrn("throttled"), {}, { ...inputs, __provider: provider });
        assert.deepEqual(checked.failures, []);
        emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, status: 429, retryAfterSeconds: 30, count: 5 });
        const seen = requestsFrom(emulator());
        let message = "";
        await assert.rejects(throttledHost.create(customerUrn("throttled"), checked.inputs), (error: HostError) => {
          message = String(error.details);
          return true;
        });
        assert.equal(createsIn(seen()).length, 1, "exactly one POST /v1/customers: no replay of the throttled one");
        assert.ok(
          !seen().some((r) => r.method === "GET" && r.path.startsWith("/v1/customers?")),
          "no listing of customers followed",
        );
        assert.equal(holdersOf(domainOf(inputs)).length, 0);
        assert.match(message, /retry after/i);
        assert.match(message, /throttled/i);
      } finally {
        await throttledHost.stop();
      }
    });
  });
});

/**
 * Lifecycle safety, second pass (issue 18), through the real dynamic-provider host (and the native plugin where the
 * item is the plugin's) against the emulator: a partial create that refresh and destroy can still work on, no
 * password lost to a lagging read or a lagging domain check, a refresh patient with a new customer, a 4xx after an
 * unknown outcome kept unknown, request IDs after a refusal that a re-run reaches again, and the smaller items.
 * Each test fails on the tree before the change.
 */
import assert from "node:assert/strict";
import { createRequestId, successorRequestId } from "../../provider/resources/partnerCustomerCreate";
import { toCreateCustomerRequest } from "../../provider/resources/partnerCustomerMapping";
import type { PartnerCustomerInputs } from "../../provider/resources/partnerCustomerTypes";
import { withoutInternalKeys } from "../../provider/resources/providerOutput";
import { nativeFrontEnd } from "../conformance/frontEnds";
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
import { type HostError, type ProviderHost, UNKNOWN } from "../support/providerHost";

type Props = Record<string, unknown>;

const DOMAIN_CHECK = "/v1/domains/";

describe("PartnerCustomer lifecycle safety, second pass (issue 18), through the real provider host", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let sandbox: ProviderHost;
  let provider: string;

  before(async () => {
    provider = await providerTextOf("PartnerCustomer");
    host = await startHostFor(emulator());
    sandbox = await startHostFor(emulator(), { sandbox: true });
  });

  after(async () => {
    await host?.stop();
    await sandbox?.stop();
  });

  const holdersOf = (domain: string) =>
    emulator()
      .state()
      .customers.filter((c) => c.companyProfile?.domain === domain);
  const createsIn = (entries: ReturnType<ReturnType<typeof requestsFrom>>) =>
    entries.filter((r) => r.method === "POST" && CREATE_ROUTE.test(r.path));

  async function checked(on: ProviderHost, name: string, inputs: Props): Promise<Props> {
    const result = await on.check(customerUrn(name), {}, { ...inputs, __provider: provider });
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  /** The request ID a create of these checked inputs starts with, as the provider derives it. */
  const derivedIdOf = (inputs: Props) =>
    createRequestId({
      request: toCreateCustomerRequest(withoutInternalKeys(inputs) as unknown as PartnerCustomerInputs),
      createKey: inputs.__createKey as string,
    });

  /**
   * A sandbox create whose new customer cannot be read back (every GET answers 404), and whose domain check lags too
   * (answers "free") unless told otherwise, so the create ends as a partial create. Returns the host's init failure.
   */
  async function partialCreate(name: string, inputs: Props, { laggingDomainCheck = true } = {}) {
    const input = await checked(sandbox, name, inputs);
    emulator().faults.inject({ method: "GET", path: CUSTOMER_READ, status: 404, count: 1_000 });
    if (laggingDomainCheck) emulator().faults.inject({ method: "HEAD", path: DOMAIN_CHECK, status: 404, count: 1 });
    let failure: HostError["initFailure"];
    await assert.rejects(sandbox.create(customerUrn(name), input), (error: HostError) => {
      failure = error.initFailure;
      assert.ok(failure, `a partial create, not a plain failure: ${String(error.details)}`);
      return true;
    });
    return { input, failure: failure as NonNullable<HostError["initFailure"]> };
  }

  describe("item 1: a partial create leaves a stack that works", () => {
    it("the kept state carries __provider, so the refresh it recommends and destroy run on it", async () => {
      const inputs = customerInputs({ deletionPolicy: "delete" });
      // Its domain reads as taken: the read-back keeps the customer at once (the path the tree before issue 18 had).
      const { failure } = await partialCreate("partial", inputs, { laggingDomainCheck: false });
      assert.equal(failure.properties.__provider, provider, "the serialized provider is kept with the customer");
      assert.ok(passwordOf(failure.properties), "with its admin credentials");
      emulator().faults.clear();

      // `pulumi refresh`: the host needs `__provider` in the old state to find the provider at all.
      const read = await sandbox.read(customerUrn("partial"), failure.id, failure.properties);
      assert.equal(read.id, failure.id);
      assert.equal(passwordOf(read.properties), passwordOf(failure.properties), "the password survives the refresh");
      // `pulumi destroy`, straight from the partial state.
      await sandbox.delete(customerUrn("partial"), failure.id, failure.properties);
      assert.deepEqual(holdersOf(domainOf(inputs)), [], "deleted, as its deletionPolicy says");
    });
  });

  describe("item 2: a 201's password is never thrown away", () => {
    it("a lagging read and a lagging domain check keep the first customer when the next create is refused on the domain", async () => {
      const inputs = customerInputs();
      const domain = domainOf(inputs);
      const seen = requestsFrom(emulator());
      const { failure } = await partialCreate("lagging", inputs);
      const holders = holdersOf(domain);
      assert.equal(holders.length, 1, "one tenant");
      assert.equal(failure.id, holders[0]?.id, "the customer of the 201 is the one kept");
      assert.ok(passwordOf(failure.properties), "with the password of the 201");
      assert.match(
        failure.reasons.join(" "),
        /it is not gone as far as Pulumi knows, and it is kept in the stack with its admin credentials/,
      );
      const creates = createsIn(seen());
      assert.equal(creates[0]?.status, 201);
      assert.ok(
        creates.slice(1).every((r) => r.status === 409),
        `the create after the "vanished" conclusion was refused: ${JSON.stringify(creates)}`,
      );
    });

    it("a customer that really vanished (deleted since) is created again, and the new one is kept", async () => {
      const inputs = { ...customerInputs(), __createKey: "proj/stack/vanished" };
      const domain = domainOf(inputs);
      const input = await checked(sandbox, "vanished", inputs);
      const first = await sandbox.create(customerUrn("vanished"), input);
      assert.ok(await emulator().removeCustomer(first.id), "deleted outside Pulumi");

      // The same request ID again (a stack destroyed and re-created, say): Partner Center replays the old answer.
      const again = await sandbox.create(customerUrn("vanished"), input);
      assert.notEqual(again.id, first.id, "a new customer, not the deleted one");
      assert.deepEqual(
        holdersOf(domain).map((c) => c.id),
        [again.id],
      );
      assert.ok(passwordOf(again.properties));
    });
  });

  describe("item 3: refresh does not forget a new customer on one 404", () => {
    it("a customer created moments ago that reads 404 for a while is read again, not dropped", async () => {
      const input = await checked(host, "young", customerInputs());
      const created = await host.create(customerUrn("young"), input);
      assert.match(String(created.properties.createdAt), /^\d{4}-\d\d-\d\dT/, "the outputs say when it was created");
      emulator().faults.inject({ method: "GET", path: CUSTOMER_READ, status: 404, count: 2 });
      const seen = requestsFrom(emulator());
      const read = await host.read(customerUrn("young"), created.id, created.properties);
      assert.equal(read.id, created.id, "still there");
      assert.equal(passwordOf(read.properties), passwordOf(created.properties));
      assert.equal(read.properties.createdAt, created.properties.createdAt, "createdAt is kept");
      assert.equal(seen().filter((r) => r.method === "GET" && CUSTOMER_READ.test(r.path)).length, 3);
    });

    it("one that still reads 404 after the wait is kept unchanged, with a warning, never removed", async () => {
      const input = await checked(host, "lagging-read", customerInputs());
      const created = await host.create(customerUrn("lagging-read"), input);
      emulator().faults.inject({ method: "GET", path: CUSTOMER_READ, status: 404, count: 100 });
      const read = await host.read(customerUrn("lagging-read"), created.id, created.properties);
      emulator().faults.clear();
      assert.equal(read.id, created.id, "kept in the stack");
      assert.equal(passwordOf(read.properties), passwordOf(created.properties), "password included");
      const output = await host.waitForOutput(new RegExp(`customer ${created.id} .*cannot read it yet`));
      assert.match(output, /Run pulumi refresh again later/);
    });

    it("a customer older than the window (or adopted) that reads 404 is gone at once, after one GET", async () => {
      const input = await checked(host, "old", customerInputs());
      const created = await host.create(customerUrn("old"), input);
      await emulator().removeCustomer(created.id);
      const seen = requestsFrom(emulator());
      const old = { ...created.properties, createdAt: "2020-01-01T00:00:00.000Z" };
      const read = await host.read(customerUrn("old"), created.id, old);
      assert.equal(read.id, "", "gone");
      assert.equal(seen().filter((r) => r.method === "GET").length, 1);
    });
  });

  describe("item 4: a retry's 4xx is not a definite refusal", () => {
    it("a 409 after an attempt whose answer was lost stays unknown; the re-run replays the customer and its password", async () => {
      const inputs = { ...customerInputs(), __createKey: "proj/stack/retry-409" };
      const domain = domainOf(inputs);
      const input = await checked(host, "retry-409", inputs);
      const seen = requestsFrom(emulator());
      // Attempt 1 is processed and its answer lost; then Partner Center answers 409 (still processing, say).
      emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, mode: "commitThenDrop", count: 1 });
      emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, status: 409, count: 2 });
      await assert.rejects(host.create(customerUrn("retry-409"), input), (error: HostError) => {
        assert.match(String(error.details), /outcome of the create is unknown/);
        assert.equal(error.initFailure, undefined);
        return true;
      });
      const firstRun = createsIn(seen());
      assert.equal(new Set(firstRun.map((r) => r.requestId)).size, 1, "no other request ID was tried");
      assert.equal(holdersOf(domain).length, 1);
      emulator().faults.clear();

      const rerun = requestsFrom(emulator());
      const again = await host.create(customerUrn("retry-409"), input);
      assert.equal(again.id, holdersOf(domain)[0]?.id);
      assert.ok(passwordOf(again.properties), "the password, from Partner Center's replay");
      assert.deepEqual(
        createsIn(rerun()).map((r) => [r.requestId, r.replayed]),
        [[firstRun[0]?.requestId, true]],
      );
    });
  });

  describe("item 5: request IDs after a refusal can be replayed too", () => {
    it("a create under the next request ID whose answer is lost is replayed by the next run, password included", async () => {
      const inputs: Props = { ...customerInputs({ preflight: false }), __createKey: "proj/stack/successor" };
      const domain = domainOf(inputs);
      const { __createKey: _k, preflight: _p, ...body } = inputs;
      const foreign = await emulator().createCustomer(withChange(body, "billingProfile.email", "x@else.example"));
      const input = await checked(host, "successor", inputs);

      // Run 1: refused on the domain, held by someone else's customer: nothing more is asked.
      await assert.rejects(host.create(customerUrn("successor"), input), /belongs to your customer/);
      const derived = derivedIdOf(input);
      assert.ok(await emulator().removeCustomer(foreign.id), "the domain is free again");

      // Run 2: the derived ID's refusal is replayed, the domain is free, so the next ID creates — and every answer
      // to it is lost.
      const next = successorRequestId(derived, { statusCode: 409, code: 3000 });
      emulator().faults.inject({
        method: "POST",
        path: CREATE_ROUTE,
        mode: "commitThenDrop",
        requestId: next,
        count: CREATE_ATTEMPTS + 1,
      });
      await assert.rejects(host.create(customerUrn("successor"), input), /outcome of the create is unknown/);
      assert.equal(holdersOf(domain).length, 1, "Partner Center made the customer");
      emulator().faults.clear();

      // Run 3: the same chain of IDs reaches Partner Center's replay of the lost answer.
      const rerun = await startHostFor(emulator());
      try {
        const seen = requestsFrom(emulator());
        const made = await rerun.create(customerUrn("successor"), input);
        assert.equal(made.id, holdersOf(domain)[0]?.id);
        assert.ok(passwordOf(made.properties), "with the admin password of the lost answer");
        const creates = createsIn(seen());
        assert.deepEqual(
          creates.map((r) => [r.requestId, r.status, r.replayed]),
          [
            [derived, 409, true],
            [next, 201, true],
          ],
        );
        assert.equal(holdersOf(domain).length, 1, "one tenant");
      } finally {
        await rerun.stop();
      }
    });
  });

  describe("item 8: smaller ones", () => {
    it("native import of a customer without a default address works (no TypeError)", async () => {
      const outside = await emulator().createCustomer(customerInputs());
      await emulator().updateCustomer(outside.id, {
        billingProfile: { defaultAddress: null },
      } as unknown as Parameters<ReturnType<typeof emulator>["updateCustomer"]>[1]);
      const native = await nativeFrontEnd(emulator());
      try {
        const imported = await native.customer.read("imported", outside.id, {});
        assert.equal(imported.id, outside.id);
        assert.equal((imported.properties.billingProfile as Props).defaultAddress, undefined);
        assert.equal(imported.properties.existingCustomerId, outside.id);
      } finally {
        await native.stop();
      }
    });

    it("a refused create whose domain owner cannot be looked up says so, instead of 'outside your customers'", async () => {
      const inputs = customerInputs({ preflight: false });
      const { preflight: _p, ...body } = inputs;
      const own = await emulator().createCustomer(withChange(body, "billingProfile.email", "x@else.example"));
      const input = await checked(host, "lookup", inputs);
      const limited = await startHostFor(emulator(), { config: { maxRetryWaitSeconds: "1" } });
      try {
        emulator().faults.inject({
          method: "GET",
          path: /^\/v1\/customers\?/,
          status: 429,
          retryAfterSeconds: 30,
          count: 10,
        });
        await assert.rejects(limited.create(customerUrn("lookup"), input), (error: HostError) => {
          const message = String(error.details);
          assert.match(message, /could not be looked up/);
          assert.doesNotMatch(message, /outside your customers/);
          return true;
        });
      } finally {
        emulator().faults.clear();
        await limited.stop();
      }
      assert.ok(own.id);
    });

    it("a replacement that drops deletionPolicy while swapping existingCustomerId warns that the old policy applies", async () => {
      const a = await emulator().createCustomer(customerInputs());
      const b = await emulator().createCustomer(customerInputs());
      const adopt = (id: string, domain: string, extra: Props = {}) =>
        withChange(customerInputs({ existingCustomerId: id, ...extra }), "companyProfile.domain", domain);
      const sandboxInput = await checked(
        sandbox,
        "swap",
        adopt(a.id, a.companyProfile!.domain!, { deletionPolicy: "delete" }),
      );
      const adopted = await sandbox.create(customerUrn("swap"), sandboxInput);
      const news = await checked(sandbox, "swap", adopt(b.id, b.companyProfile!.domain!));
      const diff = await sandbox.diff(customerUrn("swap"), adopted.id, adopted.properties, news);
      assert.ok(diff.replaces.includes("existingCustomerId"));
      const output = await sandbox.waitForOutput(
        new RegExp(`recorded deletionPolicy "delete", not the new "retain": pulumi up will delete customer ${a.id}`),
      );
      assert.match(output, /first change only deletionPolicy/);
    });

    it("a 503 whose Retry-After exceeds the cap is not re-sent at once: the wait is named", async () => {
      const input = await checked(host, "wait", customerInputs());
      emulator().faults.inject({ method: "POST", path: CREATE_ROUTE, status: 503, retryAfterSeconds: 600, count: 5 });
      const seen = requestsFrom(emulator());
      await assert.rejects(host.create(customerUrn("wait"), input), (error: HostError) => {
        assert.match(String(error.details), /Run pulumi up again after the 600 s Partner Center asked for/);
        return true;
      });
      emulator().faults.clear();
      assert.equal(createsIn(seen()).length, 1, "one POST: the wait was honoured");
    });

    it("an existingCustomerId unknown at preview says the replacement may not happen", async () => {
      const input = await checked(host, "maybe", customerInputs());
      const created = await host.create(customerUrn("maybe"), input);
      const diff = await host.diff(customerUrn("maybe"), created.id, created.properties, {
        ...input,
        existingCustomerId: UNKNOWN,
      });
      assert.deepEqual(diff.replaces, ["existingCustomerId"]);
      const output = await host.waitForOutput(/existingCustomerId is not known until the update/);
      assert.match(output, /may not happen/);
    });
  });
});

import assert from "node:assert/strict";
import { emulatorRequest, getUserToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import {
  customerInputs,
  customerUrn,
  providerTextOf,
  requestsFrom,
  startHostFor,
  withChange,
} from "../support/providerHarness";
import { type HostError, type ProviderHost, UNKNOWN } from "../support/providerHost";

describe("PartnerCustomer through the real provider host", function () {
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

  /** check → create, returning id and the outputs as stored. */
  async function createCustomer(inputs: Record<string, unknown>, name = "customer") {
    const checked = await host.check(customerUrn(name), {}, { ...inputs, __provider: provider });
    assert.deepEqual(checked.failures, []);
    const created = await host.create(customerUrn(name), checked.inputs);
    return { checked: checked.inputs, ...created };
  }

  it("walks the lifecycle: check, create, read with no drift, in-place update, retain on delete", async () => {
    const inputs = customerInputs({ deletionPolicy: "retain" });
    const { checked, id, properties } = await createCustomer(inputs);

    const stored = emulator()
      .state()
      .customers.find((c) => c.id === id);
    assert.ok(stored, "the customer exists in Partner Center");
    assert.equal(stored.companyProfile?.domain, (inputs.companyProfile as { domain: string }).domain);
    assert.equal(properties.customerId, id);
    assert.equal(properties.tenantId, id);
    assert.ok(properties.commerceId);
    assert.ok(properties.billingProfileId);
    assert.equal(properties.relationshipToPartner, "none");
    assert.deepEqual(properties.companyProfile, checked.companyProfile, "inputs echoed verbatim");

    const read = await host.read(customerUrn("customer"), id, properties);
    assert.equal(read.id, id);
    const noDrift = await host.diff(customerUrn("customer"), id, read.properties, {
      ...read.inputs!,
      __provider: provider,
    });
    assert.equal(noDrift.changes, "none", "a refresh of an unchanged customer shows no diff");
    assert.deepEqual(read.properties.userCredentials, properties.userCredentials, "credentials kept across refresh");

    const news = { ...checked, deletionPolicy: "removeRelationship" };
    const inPlace = await host.diff(customerUrn("customer"), id, read.properties, news);
    assert.deepEqual([inPlace.changes, inPlace.replaces], ["some", []]);
    const seen = requestsFrom(emulator());
    const updated = await host.update(customerUrn("customer"), id, read.properties, news);
    assert.equal(updated.properties.deletionPolicy, "removeRelationship");
    assert.equal(updated.properties.customerId, id, "outputs preserved");
    assert.deepEqual(seen(), [], "an in-place change makes no API call");

    const retained = { ...updated.properties, deletionPolicy: "retain" };
    await host.delete(customerUrn("customer"), id, retained);
    assert.ok(
      emulator()
        .state()
        .customers.some((c) => c.id === id),
      "retain leaves the tenant in place",
    );
    assert.deepEqual(seen(), [], "retain makes no API call");
    await host.waitForOutput(/left in place in Partner Center \(deletionPolicy "retain"\)/);
  });

  it("keeps the credentials secret through an in-place update that receives them in plaintext, as from the engine", async () => {
    const { id, properties, checked } = await createCustomer(customerInputs());
    const plaintext = { ...properties, userCredentials: (properties.userCredentials as { value: unknown }).value };
    const updated = await host.update(customerUrn("customer"), id, plaintext, { ...checked, preflight: false });
    assert.deepEqual(updated.properties.userCredentials, properties.userCredentials, "wrapped as a secret again");
  });

  it("creates again instead of taking a replayed answer for a customer deleted since (same inputs)", async () => {
    const sandboxHost = await startHostFor(emulator(), { sandbox: true });
    try {
      const inputs = customerInputs({ deletionPolicy: "delete" });
      const checked = await sandboxHost.check(customerUrn("again"), {}, { ...inputs, __provider: provider });
      const first = await sandboxHost.create(customerUrn("again"), checked.inputs);
      await sandboxHost.delete(customerUrn("again"), first.id, first.properties);
      const second = await sandboxHost.create(customerUrn("again"), checked.inputs);
      assert.notEqual(second.id, first.id, "not the deleted customer");
      await sandboxHost.waitForOutput(/replayed the answer of an earlier create/);
      assert.ok(
        emulator()
          .state()
          .customers.some((c) => c.id === second.id),
        "the new customer exists",
      );
    } finally {
      await sandboxHost.stop();
    }
  });

  it("returns the admin credentials as a secret only from create", async () => {
    const { properties } = await createCustomer(customerInputs());
    const wrapped = properties.userCredentials as Record<string, unknown>;
    assert.equal(wrapped["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "wire secret");
    const credentials = wrapped.value as { userName: string; password: string };
    assert.match(credentials.userName, /@/);
    assert.ok(credentials.password.length >= 8);
    assert.ok(!host.output().includes(credentials.password), "the password never reaches host output");
  });

  for (const [path, next] of [
    ["companyProfile.domain", "replacedomain.onmicrosoft.com"],
    ["companyProfile.companyName", "Other Name"],
    ["billingProfile.email", "other@contoso.example"],
    ["billingProfile.culture", "en-GB"],
    ["billingProfile.companyName", "Other Ltd"],
    ["billingProfile.defaultAddress.addressLine1", "2 Microsoft Way"],
    ["billingProfile.defaultAddress.postalCode", "98053"],
    ["associatedPartnerId", "9f5d64e7-0ad6-4b4b-9a1f-9d0e6b9a4c11"],
    ["enableGDAPByDefault", false],
    ["existingCustomerId", "5b4e1c2a-7f7e-4c4e-9b0e-1d2c3b4a5f60"],
  ] as const) {
    it(`replaces on a change of ${path}`, async () => {
      const inputs = customerInputs();
      const { id, properties, checked } = await createCustomer(inputs);
      const top = path.split(".")[0]!;
      const diff = await host.diff(customerUrn("customer"), id, properties, withChange(checked, path, next));
      assert.equal(diff.changes, "some");
      assert.deepEqual(diff.replaces, [top]);
    });
  }

  it("treats unknown values at preview as a replacement, without validating them or calling the API", async () => {
    const seen = requestsFrom(emulator());
    const inputs = customerInputs();
    const unknownDomain = withChange(inputs, "companyProfile.domain", UNKNOWN);
    const checked = await host.check(customerUrn("unknowns"), {}, { ...unknownDomain, __provider: provider });
    assert.deepEqual(checked.failures, []);
    const unknownProfile = { ...inputs, billingProfile: UNKNOWN, __provider: provider };
    const checkedProfile = await host.check(customerUrn("unknowns"), {}, unknownProfile);
    assert.deepEqual(checkedProfile.failures, []);
    assert.deepEqual(seen(), [], "nothing is sent while values are unknown");

    const { id, properties, checked: real } = await createCustomer(customerInputs());
    const diff = await host.diff(customerUrn("customer"), id, properties, { ...real, billingProfile: UNKNOWN });
    assert.deepEqual([diff.changes, diff.replaces], ["some", ["billingProfile"]]);
  });

  it("rejects at check a replacement that would collide on the same domain, unless it is deleted first", async () => {
    const { checked } = await createCustomer(customerInputs());
    const moved = withChange(checked, "billingProfile.defaultAddress.addressLine1", "3 Microsoft Way");
    const result = await host.check(customerUrn("customer"), checked, moved);
    assert.ok(
      result.failures.some(
        (f) => f.property.startsWith("companyProfile.domain") || f.property.startsWith("billingProfile"),
      ),
      JSON.stringify(result.failures),
    );
    // The engine prints a failure's property by looking it up as a top-level input (a nested path printed
    // `value {<nil>}`): every failure goes without a property, its path leading the reason.
    assert.deepEqual(
      result.wireFailures.map((f) => f.property),
      result.wireFailures.map(() => ""),
    );
    assert.match(result.wireFailures[0]?.reason ?? "", /^billingProfile\.defaultAddress\.addressLine1: changing /);
    const newDomain = withChange(moved, "companyProfile.domain", `moved${Date.now().toString(36)}.onmicrosoft.com`);
    const ok = await host.check(customerUrn("customer"), checked, newDomain);
    assert.deepEqual(ok.failures, []);
  });

  it("is crash safe: a create whose response is lost is replayed with the same request id, making one customer", async () => {
    const inputs = customerInputs();
    const domain = (inputs.companyProfile as { domain: string }).domain;
    emulator().faults.inject({ method: "POST", path: "/v1/customers", mode: "commitThenDrop", count: 1 });
    const seen = requestsFrom(emulator());
    const { id } = await createCustomer(inputs, "crashy");
    const creates = seen().filter((r) => r.method === "POST" && r.path.startsWith("/v1/customers"));
    assert.ok(creates.length >= 2, "the lost create was retried");
    assert.equal(new Set(creates.map((r) => r.requestId)).size, 1, "with the same MS-RequestId");
    const matching = emulator()
      .state()
      .customers.filter((c) => c.companyProfile?.domain === domain);
    assert.equal(matching.length, 1, "exactly one customer");
    assert.equal(matching[0]?.id, id);

    // A second `pulumi up` after a crash that lost the state entirely: same inputs, same request id, same customer.
    const again = await host.create(
      customerUrn("crashy"),
      (await host.check(customerUrn("crashy"), {}, { ...inputs, __provider: provider })).inputs,
    );
    assert.equal(again.id, id);
    assert.equal(
      emulator()
        .state()
        .customers.filter((c) => c.companyProfile?.domain === domain).length,
      1,
    );
  });

  it("asks once more under the same request id when every retry lost its answer, keeping the password", async () => {
    const inputs = customerInputs();
    const domain = (inputs.companyProfile as { domain: string }).domain;
    // The client makes 5 attempts (limit 4): all of them lose their answer; the provider's extra ask gets the replay.
    emulator().faults.inject({ method: "POST", path: "/v1/customers", mode: "commitThenDrop", count: 5 });
    const seen = requestsFrom(emulator());
    const { properties } = await createCustomer(inputs, "lost");
    const creates = seen().filter((r) => r.method === "POST" && r.path.startsWith("/v1/customers"));
    assert.equal(creates.length, 6);
    assert.equal(new Set(creates.map((r) => r.requestId)).size, 1, "one request id throughout");
    assert.ok((properties.userCredentials as { value?: { password?: string } }).value?.password, "password recovered");
    assert.equal(
      emulator()
        .state()
        .customers.filter((c) => c.companyProfile?.domain === domain).length,
      1,
    );
  });

  it("adopts an existing customer with existingCustomerId instead of creating one", async () => {
    const existing = await emulator().createCustomer(customerInputs());
    const domain = existing.companyProfile?.domain;
    const seen = requestsFrom(emulator());
    const inputs = customerInputs({ existingCustomerId: existing.id });
    (inputs.companyProfile as { domain: string }).domain = domain!;
    const checked = await host.check(customerUrn("adopted"), {}, { ...inputs, __provider: provider });
    assert.deepEqual(checked.failures, []);
    const created = await host.create(customerUrn("adopted"), checked.inputs);
    assert.equal(created.id, existing.id);
    assert.equal(created.properties.userCredentials, undefined, "credentials of an adopted customer are unknown");
    assert.ok(!seen().some((r) => r.method === "POST"), "no customer was created");
    assert.equal(emulator().state().customers.length, 1);
  });

  it("fails adoption clearly when the existing customer has another domain", async () => {
    const existing = await emulator().createCustomer(customerInputs());
    const inputs = customerInputs({ existingCustomerId: existing.id });
    const checked = await host.check(customerUrn("adopted"), {}, { ...inputs, __provider: provider });
    await assert.rejects(host.create(customerUrn("adopted"), checked.inputs), (error: HostError) => {
      assert.match(String(error.details), /domain/);
      return true;
    });
  });

  it("shows drift made outside Pulumi on refresh, and drops a customer that is gone (once past its first hour)", async () => {
    const { id, properties } = await createCustomer(customerInputs());
    await emulator().updateCustomer(id, { billingProfile: { email: "changed@contoso.example" } });
    const read = await host.read(customerUrn("customer"), id, properties);
    assert.equal((read.inputs!.billingProfile as { email: string }).email, "changed@contoso.example");
    const diff = await host.diff(customerUrn("customer"), id, read.properties, {
      ...(properties as Record<string, unknown>),
      __provider: provider,
    });
    assert.equal(diff.changes, "some", "the program's value now differs from the live one");

    await emulator().removeCustomer(id);
    // Created an hour ago or more: a 404 is final (a younger one gets patience: partnerCustomerSafetySecondPass).
    const anHourAgo = new Date(Date.now() - 61 * 60_000).toISOString();
    const gone = await host.read(customerUrn("customer"), id, { ...properties, createdAt: anHourAgo });
    assert.equal(gone.id, "", "a customer that no longer exists leaves state");
  });

  it("deletes in the integration sandbox with deletionPolicy delete", async () => {
    const sandboxHost = await startHostFor(emulator(), { sandbox: true });
    try {
      const inputs = customerInputs({ deletionPolicy: "delete" });
      const checked = await sandboxHost.check(customerUrn("sandboxed"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(checked.failures, []);
      const { id, properties } = await sandboxHost.create(customerUrn("sandboxed"), checked.inputs);
      await sandboxHost.delete(customerUrn("sandboxed"), id, properties);
      assert.ok(
        !emulator()
          .state()
          .customers.some((c) => c.id === id),
        "the sandbox customer is deleted",
      );
    } finally {
      await sandboxHost.stop();
    }
  });

  it('rejects deletionPolicy "delete" at preview when the account is not an integration sandbox', async () => {
    const seen = requestsFrom(emulator());
    const checked = await host.check(
      customerUrn("prod"),
      {},
      { ...customerInputs({ deletionPolicy: "delete" }), __provider: provider },
    );
    assert.deepEqual(
      checked.failures.map((f) => f.property),
      ["deletionPolicy"],
    );
    assert.deepEqual(seen(), []);
  });

  it('removes the reseller relationship with deletionPolicy removeRelationship (documented "Id": null answer)', async () => {
    // Guard: the emulator answers this PATCH as Microsoft documents it (200, PascalCase, "Id": null and every profile
    // field null), so the destroy below runs against that body, not one that echoes the id.
    const probe = await emulator().createCustomer(usCustomerBody("probe"));
    const answer = await emulatorRequest(emulator(), "PATCH", `/v1/customers/${probe.id}`, {
      token: await getUserToken(emulator()),
      json: { relationshipToPartner: "none", attributes: { objectType: "Customer" } },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      Id: null,
      CommerceId: null,
      CompanyProfile: null,
      BillingProfile: null,
      RelationshipToPartner: "none",
      AllowDelegatedAccess: null,
      UserCredentials: null,
      CustomDomains: null,
      AssociatedPartnerId: null,
      Attributes: { ObjectType: "Customer" },
    });

    const { id, properties } = await createCustomer(customerInputs({ deletionPolicy: "removeRelationship" }));
    const seen = requestsFrom(emulator());
    // Resolves: the relationship is gone and the answer says so; a null id must not fail the destroy afterwards.
    await host.delete(customerUrn("customer"), id, properties);
    assert.deepEqual(
      seen()
        .filter((r) => r.path.startsWith("/v1"))
        .map((r) => [r.method, r.path, r.status]),
      [["PATCH", `/v1/customers/${id}`, 200]],
      "one PATCH, answered 200 and not retried",
    );
    await host.waitForOutput(/removed the reseller relationship with customer/);
    // The emulator runs as the integration sandbox, where removing the relationship deletes the customer.
    assert.ok(
      !emulator()
        .state()
        .customers.some((c) => c.id === id && c.relationshipToPartner === "reseller"),
    );
  });

  it("fails preflight at check when the domain is taken elsewhere, or is an own customer with another profile", async () => {
    const taken = customerInputs();
    emulator().addTakenDomain((taken.companyProfile as { domain: string }).domain);
    const result = await host.check(customerUrn("taken"), {}, { ...taken, __provider: provider });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["companyProfile.domain"],
    );

    const own = await emulator().createCustomer(
      customerInputs({
        billingProfile: { ...(customerInputs().billingProfile as object), email: "someone@else.example" },
      }),
    );
    const collide = customerInputs();
    (collide.companyProfile as { domain: string }).domain = own.companyProfile!.domain!;
    const ownResult = await host.check(customerUrn("own"), {}, { ...collide, __provider: provider });
    assert.deepEqual(
      ownResult.failures.map((f) => f.property),
      ["companyProfile.domain"],
    );
    assert.match(ownResult.failures[0]!.reason, new RegExp(`existingCustomerId: "${own.id}"`));
  });

  it("fails preflight on an address Partner Center cannot verify, quoting the suggestion", async () => {
    // A fresh address: preflight verdicts are cached for the life of the host process (one Pulumi run).
    const inputs = withChange(customerInputs(), "billingProfile.defaultAddress.addressLine1", "77 Nowhere Road");
    emulator().markAddressInvalid({ addressLine1: "77 Nowhere Road", status: "StreetPartial" });
    const result = await host.check(customerUrn("address"), {}, { ...inputs, __provider: provider });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["billingProfile.defaultAddress"],
    );
    assert.match(result.failures[0]!.reason, /StreetPartial/);
  });

  it("fails preflight on country rules: a state not in the list, a bad postal code", async () => {
    const inputs = withChange(
      withChange(customerInputs(), "billingProfile.defaultAddress.state", "XX"),
      "billingProfile.defaultAddress.postalCode",
      "ABCDE",
    );
    const result = await host.check(customerUrn("rules"), {}, { ...inputs, __provider: provider });
    const properties = result.failures.map((f) => f.property).sort();
    assert.ok(properties.includes("billingProfile.defaultAddress.state"), JSON.stringify(result.failures));
    assert.ok(properties.includes("billingProfile.defaultAddress.postalCode"), JSON.stringify(result.failures));
  });

  it("skips preflight with preflight: false, and for an unchanged customer", async () => {
    const inputs = customerInputs({ preflight: false });
    emulator().addTakenDomain((inputs.companyProfile as { domain: string }).domain);
    const seen = requestsFrom(emulator());
    const result = await host.check(customerUrn("noflight"), {}, { ...inputs, __provider: provider });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(seen(), []);

    const { checked } = await createCustomer(customerInputs(), "unchanged");
    const again = requestsFrom(emulator());
    const recheck = await host.check(customerUrn("unchanged"), checked, { ...checked });
    assert.deepEqual(recheck.failures, []);
    assert.deepEqual(again(), [], "an unchanged customer is not re-checked against the API");
  });

  it("requires App+User credentials for an indirect reseller customer, at preview", async () => {
    const appOnly = await startHostFor(emulator(), { credentials: "app" });
    try {
      const seen = requestsFrom(emulator());
      const inputs = customerInputs({ associatedPartnerId: "9f5d64e7-0ad6-4b4b-9a1f-9d0e6b9a4c11" });
      const result = await appOnly.check(customerUrn("indirect"), {}, { ...inputs, __provider: provider });
      assert.deepEqual(
        result.failures.map((f) => f.property),
        ["associatedPartnerId"],
      );
      assert.match(result.failures[0]!.reason, /partnercenter:refreshToken/);
      assert.deepEqual(seen(), []);
    } finally {
      await appOnly.stop();
    }
  });

  it("creates a customer for an indirect reseller with App+User credentials", async () => {
    const { properties } = await createCustomer(
      customerInputs({ associatedPartnerId: "9f5d64e7-0ad6-4b4b-9a1f-9d0e6b9a4c11" }),
    );
    assert.equal(properties.relationshipToPartner, "reseller");
    assert.equal(properties.associatedPartnerId, "9f5d64e7-0ad6-4b4b-9a1f-9d0e6b9a4c11");
  });

  it("surfaces Partner Center errors with code, status and ids, and nothing secret", async () => {
    const inputs = customerInputs();
    // Twice: a refusal is asked once more under a fresh request ID (it may have been a stale replay) before it fails.
    emulator().faults.inject({ method: "POST", path: "/v1/customers", status: 403, count: 2 });
    const checked = await host.check(customerUrn("forbidden"), {}, { ...inputs, __provider: provider });
    await assert.rejects(host.create(customerUrn("forbidden"), checked.inputs), (error: HostError) => {
      const message = String(error.details);
      assert.match(message, /Creating customer/);
      assert.match(message, /HTTP 403/);
      assert.match(message, /correlation [0-9a-f-]{36}/);
      assert.match(message, /request [0-9a-f-]{36}/);
      for (const secret of [emulator().credentials.clientSecret, emulator().credentials.refreshToken]) {
        assert.ok(!message.includes(secret));
      }
      return true;
    });
    for (const secret of [emulator().credentials.clientSecret, emulator().credentials.refreshToken]) {
      assert.ok(!host.output().includes(secret), "no secret in host output");
      assert.ok(!provider.includes(secret), "no secret in __provider");
    }
  });
});

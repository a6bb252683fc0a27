import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createStaticTokenProvider } from "../../provider/auth/staticTokenProvider";
import { PartnerCenterClient } from "../../provider/client/partnerCenterClient";
import { isNotFound, isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import type { Customer } from "../../provider/schemas/customer";
import { useEmulator } from "../support/emulatorHooks";
import { apiRequests, emulatorClient, resetAuthCaches, usCustomerRequest } from "./clientTestSupport";

describe("PartnerCenterClient: customers", () => {
  const emulator = useEmulator({ trustGlobally: true });
  beforeEach(resetAuthCaches);

  it("createCustomer returns the schema-valid customer with its one-time credentials", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest();
    const customer = await client.createCustomer(request);
    assert.match(customer.id, /^[0-9a-f-]{36}$/);
    assert.equal(customer.companyProfile?.domain, request.companyProfile.domain);
    assert.equal(customer.billingProfile?.email, request.billingProfile.email);
    assert.ok(customer.userCredentials?.userName);
    assert.ok(customer.userCredentials?.password);
    assert.equal(emulator().state().customers.length, 1);
  });

  it("sends a fresh MS-RequestId and MS-CorrelationId per operation, or the caller's", async () => {
    const client = emulatorClient(emulator(), { settings: { locale: "fr-FR" } });
    const { id } = await client.createCustomer(usCustomerRequest());
    await client.getCustomer(id, { requestId: "11111111-1111-4111-8111-111111111111", correlationId: "corr-x" });
    const last = (await apiRequests(emulator())).at(-1)!;
    assert.equal(last.requestId, "11111111-1111-4111-8111-111111111111");
    assert.equal(last.correlationId, "corr-x");
    const first = (await apiRequests(emulator()))[0]!;
    assert.match(first.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.match(first.correlationId ?? "", /^[0-9a-f-]{36}$/);
    assert.notEqual(first.requestId, last.requestId);
  });

  it("getCustomer reads billing and company profile; a missing customer is isNotFound", async () => {
    const client = emulatorClient(emulator());
    const created = await client.createCustomer(usCustomerRequest());
    const read = await client.getCustomer(created.id);
    assert.equal(read.id, created.id);
    assert.ok(read.billingProfile?.attributes?.etag);
    assert.equal(read.userCredentials?.password ?? undefined, undefined, "the password is only returned at creation");
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000000"), (error) => {
      assert.ok(isNotFound(error));
      assert.equal(error.kind, "http");
      assert.equal(error.code, 1000);
      return true;
    });
  });

  it("listCustomers pages through links.next with the continuation header", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await emulator().createCustomer(usCustomerRequest("page"))).id);
    const client = emulatorClient(emulator());
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.listCustomers({ pageSize: 2 })) {
      pages++;
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((c) => c.id));
    }
    assert.equal(pages, 3);
    assert.deepEqual(new Set(seen), ids);
    const listCalls = (await apiRequests(emulator())).filter((r) => r.path.startsWith("/v1/customers?"));
    assert.equal(listCalls.length, 3);
    assert.match(listCalls[1]!.path, /seekOperation=Next/);
  });

  it("listCustomers filters by domain prefix; findCustomerByDomain compares exactly, case-insensitively", async () => {
    const client = emulatorClient(emulator());
    const base = usCustomerRequest("find");
    const domain = base.companyProfile.domain;
    const longer = { ...base, companyProfile: { domain: domain.replace(".onmicrosoft.com", "x.onmicrosoft.com") } };
    const target = await client.createCustomer(base);
    await client.createCustomer(longer);
    await client.createCustomer(usCustomerRequest("other"));

    const prefix = domain.slice(0, 12);
    const filtered: Customer[] = [];
    for await (const page of client.listCustomers({ filter: { field: "Domain", value: prefix } })) {
      filtered.push(...page.items);
    }
    assert.equal(filtered.length, 2);

    const found = await client.findCustomerByDomain(domain.toUpperCase());
    assert.equal(found?.id, target.id);
    assert.equal(await client.findCustomerByDomain(`nobody${domain}`), undefined);
  });

  it("deleteCustomer removes a sandbox customer", async () => {
    const client = emulatorClient(emulator());
    const { id } = await client.createCustomer(usCustomerRequest());
    await client.deleteCustomer(id);
    assert.equal(emulator().state().customers.length, 0);
    await assert.rejects(client.getCustomer(id), isNotFound);
  });

  it('removeResellerRelationship resolves on the documented answer (200, PascalCase, "Id": null)', async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const { id } = await client.createCustomer(usCustomerRequest());
    const removed = await client.removeResellerRelationship(id);
    // Microsoft's documented body echoes no id and nulls every profile field; the 200 is the success.
    assert.equal(removed.id, null);
    assert.equal(removed.commerceId, null);
    assert.equal(removed.companyProfile, null);
    assert.equal(removed.billingProfile, null);
    assert.equal(removed.allowDelegatedAccess, null);
    assert.equal(removed.userCredentials, null);
    assert.equal(removed.customDomains, null);
    assert.equal(removed.associatedPartnerId, null);
    assert.equal(removed.relationshipToPartner, "none");
    assert.equal(removed.attributes?.objectType, "Customer");
    const patches = (await apiRequests(emulator())).filter((r) => r.method === "PATCH");
    assert.deepEqual(
      patches.map((r) => [r.path, r.status]),
      [[`/v1/customers/${id}`, 200]],
      "one PATCH, answered 200, not retried",
    );
    assert.equal(emulator().state().customers.length, 0);
  });

  it("getCustomer, getBillingProfile and listCustomers accept every optional field as null", async () => {
    const client = emulatorClient(emulator());
    const { id } = await client.createCustomer(usCustomerRequest());
    await emulator().updateCustomer(id, {
      commerceId: null,
      allowDelegatedAccess: null,
      enableGDAPByDefault: null,
      customDomains: null,
      associatedPartnerId: null,
      userCredentials: null,
      links: null,
      companyProfile: {
        companyName: null,
        organizationRegistrationNumber: null,
        address: null,
        email: null,
        links: null,
      },
      billingProfile: {
        firstName: null,
        lastName: null,
        defaultAddress: { addressLine2: null, state: null, region: null, phoneNumber: null },
        links: { self: { uri: null, method: null, headers: null } },
        attributes: { objectType: null },
      },
    } as never);
    const read = await client.getCustomer(id);
    assert.equal(read.id, id);
    assert.equal(read.commerceId, null);
    assert.equal(read.companyProfile?.address, null);
    assert.equal(read.billingProfile?.defaultAddress?.state, null);
    const billing = await client.getBillingProfile(id);
    assert.equal(billing.firstName, null);
    assert.equal(billing.links?.self?.uri, null);
    assert.ok(billing.attributes?.etag);
    const listed = await client.findCustomerByDomain(read.companyProfile?.domain ?? "");
    assert.equal(listed?.id, id);
    assert.equal(listed?.links, null);
  });

  it("removeResellerRelationship with an App-only token is a 403 (App+User only)", async () => {
    const client = emulatorClient(emulator());
    const { id } = await client.createCustomer(usCustomerRequest());
    await assert.rejects(client.removeResellerRelationship(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 2032);
      return true;
    });
  });

  it("getBillingProfile / updateBillingProfile use the ETag; a stale ETag fails with 2055", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest();
    const { id } = await client.createCustomer(request);
    const profile = await client.getBillingProfile(id);
    const etag = profile.attributes?.etag;
    assert.ok(etag);
    const update = { ...request.billingProfile, email: "new-billing@wingtiptoys.example" };
    const updated = await client.updateBillingProfile(id, update, { etag });
    assert.equal(updated.email, "new-billing@wingtiptoys.example");
    assert.notEqual(updated.attributes?.etag, etag);
    const put = (await apiRequests(emulator())).find((r) => r.method === "PUT");
    assert.equal(put?.status, 200);

    await assert.rejects(client.updateBillingProfile(id, update, { etag }), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 2055);
      return true;
    });

    // Without an ETag the client reads the current one first.
    const again = await client.updateBillingProfile(id, { ...update, email: "third@wingtiptoys.example" });
    assert.equal(again.email, "third@wingtiptoys.example");
  });

  it("getCompanyProfile (App+User) returns the company profile", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const request = usCustomerRequest();
    const { id } = await client.createCustomer(request);
    const company = await client.getCompanyProfile(id);
    assert.equal(company.domain, request.companyProfile.domain);
    assert.equal(company.tenantId, id);
  });

  it("checkDomainAvailability answers available, not a HEAD status", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest();
    assert.deepEqual(await client.checkDomainAvailability(request.companyProfile.domain), { available: true });
    await client.createCustomer(request);
    assert.deepEqual(await client.checkDomainAvailability(request.companyProfile.domain), { available: false });
    emulator().addTakenDomain("takenelsewhere.onmicrosoft.com");
    assert.deepEqual(await client.checkDomainAvailability("takenelsewhere.onmicrosoft.com"), { available: false });
    const heads = (await apiRequests(emulator())).filter((r) => r.method === "HEAD");
    assert.deepEqual(
      heads.map((r) => r.status),
      [404, 200, 200],
    );
  });

  it("validateAddress returns the status and suggestions", async () => {
    const client = emulatorClient(emulator());
    const valid = await client.validateAddress({
      addressLine1: "One Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
    });
    assert.equal(valid.status, "VerifiedShippable");
    assert.ok(Array.isArray(valid.suggestedAddresses));

    emulator().markAddressInvalid({ addressLine1: "1 Nowhere Lane" } as never);
    const invalid = await client.validateAddress({ addressLine1: "1 Nowhere Lane", city: "X", country: "US" });
    assert.notEqual(invalid.status, "VerifiedShippable");
  });

  it("getCountryValidationRules is cached per country for the process", async () => {
    const client = emulatorClient(emulator());
    const [a, b] = await Promise.all([client.getCountryValidationRules("us"), client.getCountryValidationRules("US")]);
    const c = await emulatorClient(emulator()).getCountryValidationRules("US");
    assert.equal(a.iso2Code, "US");
    assert.ok((a.supportedStatesList ?? []).includes("WA"));
    assert.equal(a, b);
    assert.equal(a, c);
    const calls = (await apiRequests(emulator())).filter((r) => r.path.startsWith("/v1/countryvalidationrules/"));
    assert.ok(calls.length <= 1, `${calls.length} rule requests`);
    const br = await client.getCountryValidationRules("BR");
    assert.equal(br.iso2Code, "BR");
    await assert.rejects(client.getCountryValidationRules("UK"), isNotFound);
  });
});

describe("PartnerCenterClient: answers with nulls where the emulator has no knob", () => {
  /** A bare local Partner Center stand-in that answers every request with `body` (not our code: no mock of it). */
  async function withServer<T>(body: unknown, run: (client: PartnerCenterClient) => Promise<T>): Promise<T> {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      return await run(
        new PartnerCenterClient({
          endpoint: `http://127.0.0.1:${port}`,
          tokenProvider: createStaticTokenProvider("t"),
        }),
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  it("getCustomer keeps the id asked for when the answer's id is null or missing", async () => {
    const id = "8b0c2a5e-3d2f-4b5e-9d8a-1f2e3d4c5b6a";
    for (const body of [{ Id: null, RelationshipToPartner: "reseller" }, { relationshipToPartner: "reseller" }]) {
      const customer = await withServer(body, (client) => client.getCustomer(id));
      assert.equal(customer.id, id);
      assert.equal(customer.relationshipToPartner, "reseller");
    }
  });

  it("removeResellerRelationship resolves on an empty 200 too", async () => {
    const removed = await withServer(undefined, (client) => client.removeResellerRelationship("c1"));
    assert.deepEqual(removed, {});
  });

  it("getCurrentAgreementTemplate skips metadata items without a templateId", async () => {
    const body = {
      totalCount: 2,
      items: [
        { templateId: null, agreementType: "MicrosoftCustomerAgreement", agreementLink: null, versionRank: null },
        { templateId: "117a77b0-9360-443b-8795-c6dedc750cf9", agreementType: "MicrosoftCustomerAgreement" },
      ],
      links: null,
      attributes: null,
    };
    const template = await withServer(body, (client) =>
      client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement"),
    );
    assert.equal(template.templateId, "117a77b0-9360-443b-8795-c6dedc750cf9");
  });

  it("getCountryValidationRules accepts null rule fields, iso2Code included", async () => {
    const rules = await withServer(
      { iso2Code: null, isStateRequired: null, supportedStatesList: null, postalCodeRegex: null, attributes: null },
      (client) => client.getCountryValidationRules("ZZ"),
    );
    assert.equal(rules.iso2Code, null);
    assert.equal(rules.supportedStatesList, undefined);
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  type EmulatorResponse,
  emulatorRequest,
  getAppToken,
  getUserToken,
  partnerCenterHeaders,
  usCustomerBody,
} from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The response example of "Remove a reseller relationship with a customer" (PATCH /v1/customers/{id}), key for key
 * and in Microsoft's order: HTTP 200, PascalCase, `"Id": null` and every other profile field null.
 */
const DOCUMENTED_PATCH_ANSWER =
  '{"Id":null,"CommerceId":null,"CompanyProfile":null,"BillingProfile":null,"RelationshipToPartner":"none",' +
  '"AllowDelegatedAccess":null,"UserCredentials":null,"CustomDomains":null,"AssociatedPartnerId":null,' +
  '"Attributes":{"ObjectType":"Customer"}}';

/** The request example of the create-a-customer page (PascalCase, as the .NET SDK sends it). */
function seedDirectCreateBody(): Record<string, unknown> {
  return {
    enableGDAPByDefault: false,
    CompanyProfile: { Domain: "xyz.onmicrosoft.com" },
    BillingProfile: {
      Culture: "EN-US",
      Email: "gena@wingtiptoys.com",
      Language: "en",
      CompanyName: "Wingtip Toys",
      DefaultAddress: {
        FirstName: "Gena",
        LastName: "Soto",
        AddressLine1: "One Microsoft Way",
        City: "Redmond",
        State: "WA",
        PostalCode: "98052",
        Country: "US",
      },
    },
  };
}

/** The request example of create-a-customer-for-an-indirect-reseller (SDK-style, explicit nulls). */
function seedIndirectCreateBody(): Record<string, unknown> {
  return {
    enableGDAPByDefault: false,
    Id: null,
    CommerceId: null,
    CompanyProfile: {
      TenantId: null,
      Domain: "WingtipToys678152504.onmicrosoft.com",
      CompanyName: null,
      Attributes: { ObjectType: "CustomerCompanyProfile" },
    },
    BillingProfile: {
      Id: null,
      FirstName: null,
      LastName: null,
      Email: "Gena@wingtiptoys.com",
      Culture: "EN-US",
      Language: "En",
      CompanyName: "Wingtip Toys",
      DefaultAddress: {
        Country: "US",
        Region: null,
        City: "Redmond",
        State: "WA",
        AddressLine1: "One Microsoft Way",
        AddressLine2: null,
        PostalCode: "98052",
        FirstName: "Gena",
        LastName: "Soto",
        PhoneNumber: "4255550101",
      },
      Attributes: { ObjectType: "CustomerBillingProfile" },
    },
    RelationshipToPartner: "none",
    AllowDelegatedAccess: null,
    UserCredentials: null,
    CustomDomains: null,
    AssociatedPartnerId: "484e548c-f5f3-4528-93a9-c16c6373cb59",
    Attributes: { ObjectType: "Customer" },
  };
}

describe("emulator: customers", () => {
  const emulator = useEmulator();

  describe("POST /v1/customers (seed request examples)", () => {
    it("creates a direct customer from the documented PascalCase request and answers the documented shape", async () => {
      const headers = {
        "MS-RequestId": "94e4e214-6b06-4fb7-96d1-94d559f9b47f",
        "MS-CorrelationId": "ab993325-1605-4cf4-bac4-fb584142a31b",
        "X-Locale": "en-US",
      };
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        headers,
        json: seedDirectCreateBody(),
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers["ms-requestid"], headers["MS-RequestId"]);
      assert.equal(response.headers["ms-correlationid"], headers["MS-CorrelationId"]);
      assert.match(String(response.headers["ms-cv"]), /^\S+\.0$/);
      assert.match(String(response.headers["ms-serverid"]), /^\d+$/);
      assert.match(String(response.headers["content-type"]), /^application\/json; charset=utf-8/);

      const customer = response.body;
      assert.match(customer.id, GUID);
      assert.match(customer.commerceId, GUID);
      assert.notEqual(customer.commerceId, customer.id);
      assert.deepEqual(customer.companyProfile.tenantId, customer.id);
      assert.equal(customer.companyProfile.domain, "xyz.onmicrosoft.com");
      assert.equal(customer.companyProfile.attributes.objectType, "CustomerCompanyProfile");
      assert.match(customer.billingProfile.id, GUID);
      assert.notEqual(customer.billingProfile.id, customer.id);
      assert.equal(customer.billingProfile.email, "gena@wingtiptoys.com");
      assert.equal(customer.billingProfile.culture, "en-US", "culture comes back canonical");
      assert.equal(customer.billingProfile.language, "en");
      assert.equal(customer.billingProfile.companyName, "Wingtip Toys");
      assert.deepEqual(customer.billingProfile.defaultAddress, {
        country: "US",
        city: "Redmond",
        state: "WA",
        addressLine1: "One Microsoft Way",
        postalCode: "98052",
        firstName: "Gena",
        lastName: "Soto",
      });
      assert.match(customer.billingProfile.attributes.etag, /^-?\d+$/);
      assert.equal(customer.billingProfile.attributes.objectType, "CustomerBillingProfile");
      assert.equal(customer.enableGDAPByDefault, false);
      assert.equal(customer.relationshipToPartner, "none");
      assert.equal(customer.userCredentials.userName, "admin@xyz.onmicrosoft.com");
      assert.equal(typeof customer.userCredentials.password, "string");
      assert.ok(customer.userCredentials.password.length >= 8);
      assert.equal(customer.attributes.objectType, "Customer");
    });

    it("creates a customer for an indirect reseller from the documented SDK request (App+User)", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getUserToken(emulator()),
        headers: {
          "MS-RequestId": "d628adbe-b7ee-412e-ac55-58f22b4ba2f4",
          "MS-CorrelationId": "aaaa0000-bb11-2222-33cc-444444dddddd",
          "X-Locale": "en-US",
          "MS-PartnerCenter-Client": "Partner Center .NET SDK",
        },
        json: seedIndirectCreateBody(),
      });
      assert.equal(response.status, 201);
      const customer = response.body;
      assert.equal(customer.enableGDAPByDefault, false);
      assert.equal(customer.relationshipToPartner, "reseller");
      assert.equal(customer.associatedPartnerId, "484e548c-f5f3-4528-93a9-c16c6373cb59");
      assert.equal(customer.companyProfile.domain, "WingtipToys678152504.onmicrosoft.com");
      assert.equal(customer.companyProfile.companyName, "Wingtip Toys");
      assert.equal(customer.companyProfile.links.self.uri, `/customers/${customer.id}/profiles/company`);
      assert.equal(customer.billingProfile.culture, "en-US");
      assert.equal(customer.billingProfile.language, "En");
      assert.equal(customer.billingProfile.defaultAddress.phoneNumber, "4255550101");
      assert.equal(customer.billingProfile.defaultAddress.region, undefined, "explicit nulls are not echoed");
      assert.equal(typeof customer.allowDelegatedAccess, "boolean");
      assert.equal(customer.userCredentials.userName, "admin@WingtipToys678152504.onmicrosoft.com");
      assert.equal(customer.attributes.objectType, "Customer");
    });

    it("refuses an indirect-reseller create with an app-only token (403)", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        headers: partnerCenterHeaders(),
        json: seedIndirectCreateBody(),
      });
      assert.equal(response.status, 403);
      assert.equal(response.body.source, "PartnerFD");
      assert.equal(emulator().state().customers.length, 0);
    });

    it("creates with camelCase bodies too and gives each customer its own random password", async () => {
      const token = await getAppToken(emulator());
      const first = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: usCustomerBody() });
      const second = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: usCustomerBody() });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.notEqual(first.body.userCredentials.password, second.body.userCredentials.password);
      assert.notEqual(first.body.id, second.body.id);
    });

    it("defaults enableGDAPByDefault per mode and grants legacy DAP only in the sandbox when it is omitted", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        json: usCustomerBody(),
      });
      assert.equal(response.body.enableGDAPByDefault, false);
      assert.equal(response.body.allowDelegatedAccess, true);
    });
  });

  describe("GET /v1/customers/{id}", () => {
    it("returns the full customer without the password, to app-only and App+User tokens", async () => {
      const created = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        json: usCustomerBody(),
      });
      for (const token of [await getAppToken(emulator()), await getUserToken(emulator())]) {
        const response = await emulatorRequest(emulator(), "GET", `/v1/customers/${created.body.id}`, { token });
        assert.equal(response.status, 200);
        assert.equal(response.body.userCredentials, undefined);
        assert.equal(response.body.id, created.body.id);
        assert.deepEqual(response.body.billingProfile, created.body.billingProfile);
        assert.equal(response.body.companyProfile.email, "gena@wingtiptoys.com");
        assert.equal(typeof response.body.allowDelegatedAccess, "boolean");
        assert.equal(response.body.links.self.uri, `/customers/${created.body.id}`);
      }
      assert.ok(!JSON.stringify(emulator().state()).includes(created.body.userCredentials.password));
    });

    it("answers 404 (code 1000) for an unknown customer and 400 (900118) for a malformed id", async () => {
      const token = await getAppToken(emulator());
      const missing = await emulatorRequest(emulator(), "GET", `/v1/customers/${randomUUID()}`, { token });
      assert.equal(missing.status, 404);
      assert.deepEqual(Object.keys(missing.body).sort(), ["code", "data", "description", "source"]);
      assert.equal(missing.body.code, 1000);
      assert.equal(missing.body.source, "PartnerFD");
      const malformed = await emulatorRequest(emulator(), "GET", "/v1/customers/not-a-guid", { token });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.code, 900118);
    });
  });

  describe("GET /v1/customers", () => {
    async function createMany(names: string[]): Promise<string[]> {
      const token = await getAppToken(emulator());
      const ids: string[] = [];
      for (const name of names) {
        const body = usCustomerBody();
        body.companyProfile.domain = `${name}.onmicrosoft.com`;
        body.billingProfile.companyName = `${name} Ltd`;
        const response = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: body });
        assert.equal(response.status, 201);
        ids.push(response.body.id);
      }
      return ids;
    }

    it("lists items without billing profiles in a Collection envelope", async () => {
      await createMany(["alpha1", "beta1"]);
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=10", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.totalCount, 2);
      assert.equal(response.body.attributes.objectType, "Collection");
      assert.equal(response.body.links.next, undefined);
      for (const item of response.body.items) {
        // The keys of an item in Microsoft's list samples, and no others.
        assert.deepEqual(Object.keys(item), ["id", "companyProfile", "relationshipToPartner", "links", "attributes"]);
        assert.deepEqual(Object.keys(item.companyProfile), [
          "tenantId",
          "domain",
          "companyName",
          "links",
          "attributes",
        ]);
        assert.match(item.companyProfile.domain, /\.onmicrosoft\.com$/);
        assert.equal(item.relationshipToPartner, "none");
      }
    });

    it("pages through links.next with the MS-ContinuationToken header", async () => {
      const ids = await createMany(["page1", "page2", "page3", "page4", "page5"]);
      const token = await getUserToken(emulator());
      const seen: string[] = [];
      let path: string | undefined = "/v1/customers?size=2";
      let headers: Record<string, string> = {};
      let pages = 0;
      while (path) {
        const response: EmulatorResponse = await emulatorRequest(emulator(), "GET", path, { token, headers });
        assert.equal(response.status, 200);
        pages += 1;
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
        const next = response.body.links.next;
        if (!next) break;
        assert.equal(next.method, "GET");
        assert.match(next.uri, /seekOperation=Next/);
        assert.equal(response.body.continuationToken, next.headers[0].value);
        path = `/v1${next.uri}`;
        headers = Object.fromEntries(next.headers.map((h: { key: string; value: string }) => [h.key, h.value]));
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, ids);
    });

    it("refuses seekOperation=Next without a continuation token", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=2&seekOperation=Next", {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.code, 3000);
    });

    it("filters by Domain and CompanyName with starts_with, ignoring case", async () => {
      await createMany(["contosoeast", "contosowest", "fabrikam"]);
      const token = await getAppToken(emulator());
      const byDomain = encodeURIComponent(
        JSON.stringify({ Field: "Domain", Value: "CONTOSO", Operator: "starts_with" }),
      );
      const domainResponse = await emulatorRequest(emulator(), "GET", `/v1/customers?size=10&filter=${byDomain}`, {
        token,
      });
      assert.equal(domainResponse.status, 200);
      assert.deepEqual(
        domainResponse.body.items
          .map((item: { companyProfile: { domain: string } }) => item.companyProfile.domain)
          .sort(),
        ["contosoeast.onmicrosoft.com", "contosowest.onmicrosoft.com"],
      );
      const byName = encodeURIComponent(
        JSON.stringify({ Field: "CompanyName", Value: "fab", Operator: "starts_with" }),
      );
      const nameResponse = await emulatorRequest(emulator(), "GET", `/v1/customers?size=10&filter=${byName}`, {
        token,
      });
      assert.equal(nameResponse.body.totalCount, 1);
      assert.equal(nameResponse.body.items[0].companyProfile.companyName, "fabrikam Ltd");
    });

    it("keeps the filter across pages", async () => {
      await createMany(["keepa1", "other1", "keepa2", "keepa3"]);
      const token = await getAppToken(emulator());
      const filter = encodeURIComponent(JSON.stringify({ Field: "Domain", Value: "keepa", Operator: "starts_with" }));
      const first = await emulatorRequest(emulator(), "GET", `/v1/customers?size=2&filter=${filter}`, { token });
      const next = first.body.links.next;
      const second = await emulatorRequest(emulator(), "GET", `/v1${next.uri}`, {
        token,
        headers: { [next.headers[0].key]: next.headers[0].value },
      });
      assert.deepEqual(
        [...first.body.items, ...second.body.items].map(
          (item: { companyProfile: { domain: string } }) => item.companyProfile.domain,
        ),
        ["keepa1.onmicrosoft.com", "keepa2.onmicrosoft.com", "keepa3.onmicrosoft.com"],
      );
    });

    it("rejects an unsupported filter operator or field (400, 3000)", async () => {
      const token = await getAppToken(emulator());
      for (const filter of [
        { Field: "Domain", Value: "x", Operator: "equals" },
        { Field: "Country", Value: "x", Operator: "starts_with" },
      ]) {
        const response = await emulatorRequest(
          emulator(),
          "GET",
          `/v1/customers?size=10&filter=${encodeURIComponent(JSON.stringify(filter))}`,
          { token },
        );
        assert.equal(response.status, 400);
        assert.equal(response.body.code, 3000);
      }
    });
  });

  describe("DELETE /v1/customers/{id} and PATCH relationship", () => {
    it("deletes in the sandbox (204) and frees the domain", async () => {
      const token = await getAppToken(emulator());
      const body = usCustomerBody();
      const created = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: body });
      const deleted = await emulatorRequest(emulator(), "DELETE", `/v1/customers/${created.body.id}`, { token });
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, "");
      const after = await emulatorRequest(emulator(), "GET", `/v1/customers/${created.body.id}`, { token });
      assert.equal(after.status, 404);
      const domain = await emulatorRequest(emulator(), "HEAD", `/v1/domains/${body.companyProfile.domain}`, { token });
      assert.equal(domain.status, 404);
    });

    it("removes the reseller relationship with App+User and answers exactly Microsoft's documented body", async () => {
      const created = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token: await getAppToken(emulator()),
        json: usCustomerBody(),
      });
      const response = await emulatorRequest(emulator(), "PATCH", `/v1/customers/${created.body.id}`, {
        token: await getUserToken(emulator()),
        json: { relationshipToPartner: "none", attributes: { objectType: "Customer" } },
      });
      assert.equal(response.status, 200);
      assert.match(String(response.headers["content-type"]), /^application\/json/);
      // Byte for byte: PascalCase keys in the documented order, "Id": null (the id is not echoed), no BOM.
      assert.equal(response.text, DOCUMENTED_PATCH_ANSWER);
      assert.deepEqual(response.body, JSON.parse(DOCUMENTED_PATCH_ANSWER));
      assert.equal(emulator().state().customers.length, 0);
    });

    it("refuses the relationship PATCH with an app-only token (403) and keeps the customer", async () => {
      const token = await getAppToken(emulator());
      const created = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: usCustomerBody() });
      const response = await emulatorRequest(emulator(), "PATCH", `/v1/customers/${created.body.id}`, {
        token,
        json: { relationshipToPartner: "none" },
      });
      assert.equal(response.status, 403);
      assert.equal(response.body.code, 2032);
      assert.equal(emulator().state().customers.length, 1);
    });
  });
});

describe("emulator: customers in production mode", () => {
  const emulator = useEmulator({ mode: "production" });

  it("refuses DELETE (403, 600006) and keeps the customer", async () => {
    const token = await getAppToken(emulator());
    const created = await emulatorRequest(emulator(), "POST", "/v1/customers", { token, json: usCustomerBody() });
    assert.equal(created.body.enableGDAPByDefault, true, "default GDAP is on when the field is omitted");
    assert.equal(created.body.allowDelegatedAccess, false);
    const deleted = await emulatorRequest(emulator(), "DELETE", `/v1/customers/${created.body.id}`, { token });
    assert.equal(deleted.status, 403);
    assert.equal(deleted.body.code, 600006);
    assert.equal(emulator().state().customers.length, 1);
  });

  it("keeps the domain taken after the relationship is removed (the tenant lives on)", async () => {
    const body = usCustomerBody();
    const created = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: body,
    });
    const userToken = await getUserToken(emulator());
    const patched = await emulatorRequest(emulator(), "PATCH", `/v1/customers/${created.body.id}`, {
      token: userToken,
      json: { RelationshipToPartner: "none" },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.text, DOCUMENTED_PATCH_ANSWER, "production answers the documented body too");
    const head = await emulatorRequest(emulator(), "HEAD", `/v1/domains/${body.companyProfile.domain}`, {
      token: userToken,
    });
    assert.equal(head.status, 200);
  });

  it("rejects sandbox-only TiP domains", async () => {
    const body = usCustomerBody();
    body.companyProfile.domain = "contosotip.ccsctp.net";
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: body,
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 3000);
  });
});

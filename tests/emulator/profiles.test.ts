import assert from "node:assert/strict";
import { emulatorRequest, getAppToken, getUserToken, type LooseJson, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

describe("emulator: customer profiles", () => {
  const emulator = useEmulator();

  async function createCustomer(): Promise<LooseJson> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: usCustomerBody(),
    });
    assert.equal(response.status, 201);
    return response.body;
  }

  describe("billing profile", () => {
    it("GET returns the profile with its own id, attributes.etag and an ETag header", async () => {
      const customer = await createCustomer();
      const response = await emulatorRequest(emulator(), "GET", `/v1/customers/${customer.id}/profiles/billing`, {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.id, customer.billingProfile.id);
      assert.notEqual(response.body.id, customer.id);
      assert.equal(response.body.attributes.objectType, "CustomerBillingProfile");
      assert.equal(response.headers.etag, `"${response.body.attributes.etag}"`);
    });

    it("PUT with a matching quoted If-Match updates the profile and issues a new etag", async () => {
      const customer = await createCustomer();
      const token = await getAppToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const current = (await emulatorRequest(emulator(), "GET", path, { token })).body;
      const update = { ...current, email: "billing@wingtiptoys.com", firstName: "Gena" };
      const response = await emulatorRequest(emulator(), "PUT", path, {
        token,
        headers: { "If-Match": `"${current.attributes.etag}"` },
        json: update,
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.email, "billing@wingtiptoys.com");
      assert.equal(response.body.firstName, "Gena");
      assert.equal(response.body.id, current.id);
      assert.notEqual(response.body.attributes.etag, current.attributes.etag);
      const stored = (await emulatorRequest(emulator(), "GET", `/v1/customers/${customer.id}`, { token })).body;
      assert.equal(stored.billingProfile.email, "billing@wingtiptoys.com");
    });

    it("PUT accepts the etag in attributes.etag only, as the .NET SDK sends it", async () => {
      const customer = await createCustomer();
      const token = await getUserToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const current = (await emulatorRequest(emulator(), "GET", path, { token })).body;
      const response = await emulatorRequest(emulator(), "PUT", path, { token, json: { ...current, language: "fr" } });
      assert.equal(response.status, 200);
      assert.equal(response.body.language, "fr");
    });

    it("PUT with a stale etag fails with 2055 and changes nothing", async () => {
      const customer = await createCustomer();
      const token = await getAppToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const stale = (await emulatorRequest(emulator(), "GET", path, { token })).body;
      const first = await emulatorRequest(emulator(), "PUT", path, {
        token,
        headers: { "If-Match": `"${stale.attributes.etag}"` },
        json: { ...stale, companyName: "First Update" },
      });
      assert.equal(first.status, 200);
      const second = await emulatorRequest(emulator(), "PUT", path, {
        token,
        headers: { "If-Match": `"${stale.attributes.etag}"` },
        json: { ...stale, companyName: "Second Update" },
      });
      assert.equal(second.status, 400);
      assert.equal(second.body.code, 2055);
      assert.equal(emulator().state().customers[0]?.billingProfile.companyName, "First Update");
    });

    it("PUT without any etag is refused (3000)", async () => {
      const customer = await createCustomer();
      const token = await getAppToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const { attributes: _attributes, ...withoutEtag } = customer.billingProfile;
      const response = await emulatorRequest(emulator(), "PUT", path, { token, json: withoutEtag });
      assert.equal(response.status, 400);
      assert.equal(response.body.code, 3000);
    });

    it("PUT validates the body like a create (invalid address → 2007)", async () => {
      const customer = await createCustomer();
      const token = await getAppToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const current = (await emulatorRequest(emulator(), "GET", path, { token })).body;
      const response = await emulatorRequest(emulator(), "PUT", path, {
        token,
        headers: { "If-Match": current.attributes.etag },
        json: { ...current, defaultAddress: { ...current.defaultAddress, postalCode: "nope" } },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.code, 2007);
    });

    it("an out-of-band billing change invalidates the client's etag (drift)", async () => {
      const customer = await createCustomer();
      const token = await getAppToken(emulator());
      const path = `/v1/customers/${customer.id}/profiles/billing`;
      const seen = (await emulatorRequest(emulator(), "GET", path, { token })).body;
      await emulator().updateCustomer(customer.id, { billingProfile: { email: "changed@elsewhere.example" } });
      const response = await emulatorRequest(emulator(), "PUT", path, {
        token,
        headers: { "If-Match": `"${seen.attributes.etag}"` },
        json: seen,
      });
      assert.equal(response.body.code, 2055);
    });
  });

  describe("company profile", () => {
    it("GET returns the company profile to App+User", async () => {
      const customer = await createCustomer();
      const response = await emulatorRequest(emulator(), "GET", `/v1/customers/${customer.id}/profiles/company`, {
        token: await getUserToken(emulator()),
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.tenantId, customer.id);
      assert.equal(response.body.domain, customer.companyProfile.domain);
      assert.equal(response.body.companyName, "Wingtip Toys");
      assert.equal(response.body.email, "gena@wingtiptoys.com");
      assert.equal(response.body.address.city, "Redmond");
      assert.equal(response.body.attributes.objectType, "CustomerCompanyProfile");
    });

    it("GET refuses app-only tokens (403, 2032)", async () => {
      const customer = await createCustomer();
      const response = await emulatorRequest(emulator(), "GET", `/v1/customers/${customer.id}/profiles/company`, {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 403);
      assert.equal(response.body.code, 2032);
    });
  });
});

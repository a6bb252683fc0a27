import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { emulatorRequest, getAppToken, getUserToken, type LooseJson, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

const MCA_TEMPLATE = "117a77b0-9360-443b-8795-c6dedc750cf9";
const CLOUD_TEMPLATE = "998b88de-aa99-4388-a42c-1b3517d49490";

/** The request example of confirm-customer-consent-customer-agreement. */
function seedAgreementBody(): Record<string, LooseJson> {
  return {
    primaryContact: {
      firstName: "Tania",
      lastName: "Carr",
      email: "SomeEmail@Outlook.com",
      phoneNumber: "1234567890",
    },
    templateId: MCA_TEMPLATE,
    dateAgreed: "2019-07-01T17:32:28.6151331-07:00",
    type: "MicrosoftCustomerAgreement",
    agreementLink: "https://aka.ms/customeragreement",
  };
}

describe("emulator: agreements", () => {
  const emulator = useEmulator();

  async function createCustomer(): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: usCustomerBody(),
    });
    return response.body.id;
  }

  describe("GET /v1/agreements", () => {
    it("defaults to MicrosoftCloudAgreement when agreementType is absent", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/agreements", {
        token: await getUserToken(emulator()),
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.totalCount, 1);
      assert.equal(response.body.attributes.objectType, "Collection");
      assert.deepEqual(Object.keys(response.body.items[0]).sort(), [
        "agreementLink",
        "agreementType",
        "templateId",
        "versionRank",
      ]);
      assert.equal(response.body.items[0].templateId, CLOUD_TEMPLATE);
      assert.equal(response.body.items[0].agreementType, "MicrosoftCloudAgreement");
    });

    it("returns the MCA template with its link", async () => {
      const response = await emulatorRequest(
        emulator(),
        "GET",
        "/v1/agreements?agreementType=MicrosoftCustomerAgreement",
        {
          token: await getUserToken(emulator()),
        },
      );
      assert.deepEqual(response.body.items, [
        {
          templateId: MCA_TEMPLATE,
          agreementType: "MicrosoftCustomerAgreement",
          agreementLink: "https://aka.ms/customeragreement",
          versionRank: 0,
        },
      ]);
    });

    it("returns every type for *", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/agreements?agreementType=*", {
        token: await getUserToken(emulator()),
      });
      assert.deepEqual(
        response.body.items.map((item: { templateId: string }) => item.templateId).sort(),
        [MCA_TEMPLATE, CLOUD_TEMPLATE].sort(),
      );
    });
  });

  describe("POST /v1/customers/{id}/agreements", () => {
    it("confirms acceptance with the documented request and fills userId from the App+User token", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
        token,
        json: seedAgreementBody(),
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const expected = seedAgreementBody();
      assert.deepEqual(response.body.primaryContact, expected.primaryContact);
      assert.equal(response.body.templateId, MCA_TEMPLATE);
      assert.equal(response.body.dateAgreed, expected.dateAgreed);
      assert.equal(response.body.type, "MicrosoftCustomerAgreement");
      assert.equal(response.body.agreementLink, "https://aka.ms/customeragreement");
      assert.equal(response.body.userId, decodeJwt(token).oid);
      assert.deepEqual(
        emulator()
          .state()
          .agreements.map((agreement) => agreement.customerId),
        [customerId],
      );
    });

    it("refuses app-only tokens (403, 2032) and records nothing", async () => {
      const customerId = await createCustomer();
      const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
        token: await getAppToken(emulator()),
        json: seedAgreementBody(),
      });
      assert.equal(response.status, 403);
      assert.equal(response.body.code, 2032);
      assert.equal(emulator().state().agreements.length, 0);
    });

    it("rejects the same contact twice with 600061 in the newer error shape", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      const path = `/v1/customers/${customerId}/agreements`;
      assert.equal((await emulatorRequest(emulator(), "POST", path, { token, json: seedAgreementBody() })).status, 201);
      const again = seedAgreementBody();
      again.dateAgreed = "2020-01-01T00:00:00Z";
      again.primaryContact.email = "someemail@outlook.com";
      const response = await emulatorRequest(emulator(), "POST", path, { token, json: again });
      assert.equal(response.status, 409);
      assert.deepEqual(Object.keys(response.body).sort(), [
        "code",
        "description",
        "errorMessageExtended",
        "errorName",
        "isRetryable",
        "message",
        "parameters",
      ]);
      assert.equal(response.body.code, 600061);
      assert.equal(response.body.errorName, "PartnerConfirmedAgreementAlreadyExists");
      assert.equal(response.body.isRetryable, false);
      assert.deepEqual(response.body.parameters, {});
      assert.equal(response.body.errorMessageExtended, "InternalErrorCode=600061");
      assert.equal(emulator().state().agreements.length, 1);
    });

    it("accepts a reconfirmation when a contact field changes", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      const path = `/v1/customers/${customerId}/agreements`;
      await emulatorRequest(emulator(), "POST", path, { token, json: seedAgreementBody() });
      const changed = seedAgreementBody();
      changed.primaryContact.phoneNumber = "0987654321";
      assert.equal((await emulatorRequest(emulator(), "POST", path, { token, json: changed })).status, 201);
    });

    it("rejects an unknown templateId and a template of another type (400, 3000)", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      const unknown = seedAgreementBody();
      unknown.templateId = randomUUID();
      const wrongType = seedAgreementBody();
      wrongType.templateId = CLOUD_TEMPLATE;
      for (const body of [unknown, wrongType]) {
        const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
          token,
          json: body,
        });
        assert.equal(response.status, 400);
        assert.equal(response.body.code, 3000);
        assert.deepEqual(response.body.data, ["templateId"]);
      }
    });

    it("rejects a dateAgreed in the future or unparsable (400, 3000)", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      for (const dateAgreed of [new Date(Date.now() + 86_400_000).toISOString(), "yesterday"]) {
        const body = seedAgreementBody();
        body.dateAgreed = dateAgreed;
        const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
          token,
          json: body,
        });
        assert.equal(response.status, 400);
        assert.deepEqual(response.body.data, ["dateAgreed"]);
      }
    });

    const required: Array<[string, (body: Record<string, LooseJson>) => void]> = [
      ["primaryContact", (body) => delete body.primaryContact],
      ["primaryContact.firstName", (body) => delete body.primaryContact.firstName],
      ["primaryContact.lastName", (body) => delete body.primaryContact.lastName],
      ["primaryContact.email", (body) => delete body.primaryContact.email],
      ["dateAgreed", (body) => delete body.dateAgreed],
      ["templateId", (body) => delete body.templateId],
      ["type", (body) => delete body.type],
    ];
    for (const [path, mutate] of required) {
      it(`requires ${path} (400, 3000)`, async () => {
        const customerId = await createCustomer();
        const body = seedAgreementBody();
        mutate(body);
        const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
          token: await getUserToken(emulator()),
          json: body,
        });
        assert.equal(response.status, 400);
        assert.equal(response.body.code, 3000);
        assert.deepEqual(response.body.data, [path]);
      });
    }

    it("accepts PascalCase property names", async () => {
      const customerId = await createCustomer();
      const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
        token: await getUserToken(emulator()),
        json: {
          PrimaryContact: { FirstName: "Tania", LastName: "Carr", Email: "tania@example.com" },
          TemplateId: MCA_TEMPLATE,
          DateAgreed: "2024-05-01T00:00:00Z",
          Type: "MicrosoftCustomerAgreement",
        },
      });
      assert.equal(response.status, 201);
      assert.equal(response.body.agreementLink, "https://aka.ms/customeragreement");
    });

    it("answers 404 for an unknown customer", async () => {
      const response = await emulatorRequest(emulator(), "POST", `/v1/customers/${randomUUID()}/agreements`, {
        token: await getUserToken(emulator()),
        json: seedAgreementBody(),
      });
      assert.equal(response.status, 404);
    });
  });

  describe("GET /v1/customers/{id}/agreements", () => {
    it("filters by agreementType, defaulting to MicrosoftCloudAgreement", async () => {
      const customerId = await createCustomer();
      const token = await getUserToken(emulator());
      const path = `/v1/customers/${customerId}/agreements`;
      await emulatorRequest(emulator(), "POST", path, { token, json: seedAgreementBody() });
      const byDefault = await emulatorRequest(emulator(), "GET", path, { token });
      assert.equal(byDefault.status, 200);
      assert.equal(byDefault.body.totalCount, 0);
      const mca = await emulatorRequest(emulator(), "GET", `${path}?agreementType=MicrosoftCustomerAgreement`, {
        token,
      });
      assert.equal(mca.body.totalCount, 1);
      assert.equal(mca.body.items[0].templateId, MCA_TEMPLATE);
      assert.equal(mca.body.items[0].primaryContact.email, "SomeEmail@Outlook.com");
      const all = await emulatorRequest(emulator(), "GET", `${path}?agreementType=*`, { token });
      assert.equal(all.body.totalCount, 1);
    });

    it("refuses app-only tokens (403)", async () => {
      const customerId = await createCustomer();
      const response = await emulatorRequest(emulator(), "GET", `/v1/customers/${customerId}/agreements`, {
        token: await getAppToken(emulator()),
      });
      assert.equal(response.status, 403);
    });

    it("reports direct-sign status false", async () => {
      const customerId = await createCustomer();
      const response = await emulatorRequest(
        emulator(),
        "GET",
        `/v1/customers/${customerId}/directSignedMicrosoftCustomerAgreementStatus`,
        { token: await getUserToken(emulator()) },
      );
      assert.deepEqual(response.body, { isSigned: false });
    });
  });
});

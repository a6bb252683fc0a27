/**
 * The emulator's enhanced MCA attestation flow (issue 19): the App-only create, the status an attestation reports,
 * the acceptance page — driven in real headless Chromium, as a customer would use it — and the agreement recorded
 * from an accepted attestation, with the refusals for a pending, unknown, expired or already-used one.
 */
import assert from "node:assert/strict";
import { ATTESTATION_ERROR_CODES, acceptanceLink } from "../../provider/schemas/attestation";
import { acceptInBrowser } from "../support/browser";
import { emulatorRequest, getAppToken, getUserToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

describe("emulator: enhanced MCA attestation", function () {
  this.timeout(60_000);
  const emulator = useEmulator();

  async function newCustomer(): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: usCustomerBody("att"),
    });
    assert.equal(response.status, 201);
    return response.body.id;
  }

  const attestationBody = (customerTenantId: string) => ({
    country: "US",
    language: "en",
    companyName: "Contoso Ltd",
    signatoryFirstName: "Ada",
    signatoryLastName: "Ng",
    signatoryEmail: "ada@contoso.example",
    customerTenantId,
  });

  async function newAttestation(customerId: string): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/attestations/enhanced", {
      token: await getAppToken(emulator()),
      json: attestationBody(customerId),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.id;
  }

  const statusOf = async (id: string) =>
    (
      await emulatorRequest(emulator(), "GET", `/v1/attestations/${id}`, {
        token: await getAppToken(emulator()),
      })
    ).body.status;

  async function recordFrom(customerId: string, attestationId: string) {
    return emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
      token: await getAppToken(emulator()),
      json: {
        attestationId,
        type: "MicrosoftCustomerAgreement",
        primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
      },
    });
  }

  it("creates an attestation with an App-only token; App+User and bad bodies are refused, naming the field", async () => {
    const customerId = await newCustomer();
    const created = await emulatorRequest(emulator(), "POST", "/v1/attestations/enhanced", {
      token: await getAppToken(emulator()),
      json: attestationBody(customerId),
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.status, "pending");

    const asUser = await emulatorRequest(emulator(), "POST", "/v1/attestations/enhanced", {
      token: await getUserToken(emulator()),
      json: attestationBody(customerId),
    });
    assert.equal(asUser.status, 403);

    const { signatoryLastName: _l, ...missing } = attestationBody(customerId);
    const bad = await emulatorRequest(emulator(), "POST", "/v1/attestations/enhanced", {
      token: await getAppToken(emulator()),
      json: missing,
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.data, ["signatoryLastName"]);

    const unknownCustomer = await emulatorRequest(emulator(), "POST", "/v1/attestations/enhanced", {
      token: await getAppToken(emulator()),
      json: attestationBody("00000000-0000-4000-8000-000000000001"),
    });
    assert.equal(unknownCustomer.status, 404);
  });

  it("a person accepts on the acceptance page in a real browser; then, and only then, the agreement is recorded App-only", async () => {
    const customerId = await newCustomer();
    const id = await newAttestation(customerId);

    // Nobody accepted: it stays pending, and an agreement from it is refused.
    assert.equal(await statusOf(id), "pending");
    const early = await recordFrom(customerId, id);
    assert.equal(early.status, 400);
    assert.equal(early.body.code, ATTESTATION_ERROR_CODES.notAccepted);

    const outcome = await acceptInBrowser(acceptanceLink(emulator().url, id));
    assert.equal(outcome.title, "Microsoft Customer Agreement");
    assert.match(outcome.status, /was accepted/);
    assert.equal(await statusOf(id), "accepted");

    const recorded = await recordFrom(customerId, id);
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    assert.equal(recorded.body.attestationId, id);
    assert.equal(recorded.body.type, "MicrosoftCustomerAgreement");
    const agreements = emulator()
      .state()
      .agreements.filter((a) => a.customerId === customerId);
    assert.equal(agreements.length, 1);

    const again = await recordFrom(customerId, id);
    assert.equal(again.status, 409, "an attestation records one agreement");
    assert.equal(again.body.code, ATTESTATION_ERROR_CODES.alreadyUsed);
  });

  it("refuses an unknown attestation, another customer's, and an expired one, each with its own code", async () => {
    const customerId = await newCustomer();
    const otherCustomer = await newCustomer();
    const id = await newAttestation(customerId);

    const unknown = await recordFrom(customerId, "00000000-0000-4000-8000-000000000002");
    assert.deepEqual([unknown.status, unknown.body.code], [404, ATTESTATION_ERROR_CODES.unknown]);
    const foreign = await recordFrom(otherCustomer, id);
    assert.deepEqual([foreign.status, foreign.body.code], [404, ATTESTATION_ERROR_CODES.unknown]);

    assert.ok(await emulator().expireAttestation(id));
    const expired = await recordFrom(customerId, id);
    assert.deepEqual([expired.status, expired.body.code], [400, ATTESTATION_ERROR_CODES.expired]);
  });

  it("the page needs no sign-in, tells an unknown link apart, and the legacy body still needs App+User", async () => {
    const missing = await emulatorRequest(emulator(), "GET", "/mca/?attestationid=nothing");
    assert.equal(missing.status, 404);
    const customerId = await newCustomer();
    const legacy = await emulatorRequest(emulator(), "POST", `/v1/customers/${customerId}/agreements`, {
      token: await getAppToken(emulator()),
      json: {
        primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
        templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
        dateAgreed: "2024-01-01T00:00:00Z",
        type: "MicrosoftCustomerAgreement",
      },
    });
    assert.equal(legacy.status, 403, "the seed's flow stays App+User only");
  });
});

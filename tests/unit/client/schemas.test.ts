import assert from "node:assert/strict";
import { normalizeKeys } from "../../../provider/client/normalizeKeys";
import { parseResponse, validateRequest } from "../../../provider/client/parseWire";
import { isPartnerCenterError } from "../../../provider/client/partnerCenterError";
import { AgreementMetadataSchema, CreateAgreementRequestSchema } from "../../../provider/schemas/agreement";
import { collectionSchema } from "../../../provider/schemas/collection";
import { CreateCustomerRequestSchema, CustomerSchema } from "../../../provider/schemas/customer";
import { PartnerCenterErrorBodySchema } from "../../../provider/schemas/error";
import { AddressValidationResponseSchema, CountryValidationRulesSchema } from "../../../provider/schemas/validation";

const context = { operation: "Getting customer c1", requestId: "r1", correlationId: "c1" };

describe("wire schemas", () => {
  it("keep unknown fields and unknown enum values on responses", () => {
    const customer = parseResponse(
      CustomerSchema,
      { id: "c1", relationshipToPartner: "brand_new_relationship", futureField: { a: 1 }, allowDelegatedAccess: null },
      context,
    );
    assert.equal(customer.relationshipToPartner, "brand_new_relationship");
    assert.deepEqual((customer as Record<string, unknown>).futureField, { a: 1 });
    assert.equal(customer.allowDelegatedAccess, null);
  });

  it("parse a PascalCase body after key normalisation", () => {
    const customer = parseResponse(
      CustomerSchema,
      { Id: "c1", RelationshipToPartner: "none", Attributes: { ObjectType: "Customer" } },
      context,
    );
    assert.equal(customer.id, "c1");
    assert.equal(customer.relationshipToPartner, "none");
    assert.equal(customer.attributes?.objectType, "Customer");
  });

  it("turn a mismatch into invalid_response with the field path", () => {
    try {
      parseResponse(CustomerSchema, { id: 42, companyProfile: { domain: ["x"] } }, context);
      assert.fail("expected a failure");
    } catch (error) {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "invalid_response");
      assert.equal(error.requestId, "r1");
      assert.match(error.message, /id/);
      assert.match(error.message, /companyProfile\.domain/);
    }
  });

  it("are strict on requests: unknown keys (a password!) fail as config before sending", () => {
    const request = {
      companyProfile: { domain: "a.onmicrosoft.com" },
      billingProfile: {
        email: "a@b.c",
        culture: "en-US",
        language: "en",
        companyName: "A",
        defaultAddress: { addressLine1: "1 Way", country: "US" },
      },
      userCredentials: { password: "Sup3rS3cret!" },
    };
    try {
      validateRequest(CreateCustomerRequestSchema, request, "Creating customer a.onmicrosoft.com");
      assert.fail("expected a failure");
    } catch (error) {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, /userCredentials/);
      assert.equal(error.message.includes("Sup3rS3cret!"), false);
    }
  });

  it("validate agreement requests (ISO date, known type)", () => {
    const ok = {
      primaryContact: { firstName: "A", lastName: "B", email: "a@b.c" },
      dateAgreed: "2024-05-01T00:00:00Z",
      templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
      type: "MicrosoftCustomerAgreement",
    };
    assert.deepEqual(validateRequest(CreateAgreementRequestSchema, ok, "x"), ok);
    assert.throws(() => validateRequest(CreateAgreementRequestSchema, { ...ok, dateAgreed: "yesterday" }, "x"));
    assert.throws(() => validateRequest(CreateAgreementRequestSchema, { ...ok, type: "Other" }, "x"));
  });

  it("accept both country-rule shapes (model lists and the doc sample's {value: []})", () => {
    const model = CountryValidationRulesSchema.parse({ iso2Code: "US", supportedStatesList: ["WA"] });
    assert.deepEqual(model.supportedStatesList, ["WA"]);
    const sample = CountryValidationRulesSchema.parse(
      normalizeKeys({ Iso2Code: "US", States: { Value: ["WA", "OR"] }, CountryCallingCodes: { value: ["1"] } }),
    );
    assert.deepEqual(sample.supportedStatesList, ["WA", "OR"]);
    assert.deepEqual(sample.countryCallingCodesList, ["1"]);
  });

  it("default empty collections and suggestion lists", () => {
    const page = collectionSchema(CustomerSchema).parse({ totalCount: 0, links: { self: { uri: "/customers" } } });
    assert.deepEqual(page.items, []);
    assert.deepEqual(AddressValidationResponseSchema.parse({ status: "None" }).suggestedAddresses, []);
  });

  it("never fail on error bodies of any documented shape", () => {
    for (const body of [
      { code: 600049, description: "missing", source: "PartnerFD", data: [] },
      { code: "600061", errorName: "PartnerConfirmedAgreementAlreadyExists", isRetryable: false, parameters: {} },
      { statusCode: 429, message: "Rate limit is exceeded. Try again in 57 seconds." },
      { code: null, data: { odd: true }, parameters: "x" },
    ]) {
      assert.equal(PartnerCenterErrorBodySchema.safeParse(body).success, true, JSON.stringify(body));
    }
  });

  it("read agreement metadata's type under either name", () => {
    const m = AgreementMetadataSchema.parse({ templateId: "t", type: "MicrosoftCustomerAgreement", versionRank: 0 });
    assert.equal(m.type, "MicrosoftCustomerAgreement");
  });
});

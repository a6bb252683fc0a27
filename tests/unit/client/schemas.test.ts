import assert from "node:assert/strict";
import { normalizeKeys } from "../../../provider/foundation/normalizeKeys";
import { parseResponse, validateRequest } from "../../../provider/foundation/parseWire";
import { isPartnerCenterError } from "../../../provider/foundation/partnerCenterError";
import {
  AgreementMetadataSchema,
  AgreementSchema,
  CreateAgreementRequestSchema,
} from "../../../provider/schemas/agreement";
import { collectionSchema } from "../../../provider/schemas/collection";
import {
  CreateCustomerRequestSchema,
  CustomerBillingProfileSchema,
  CustomerCompanyProfileSchema,
  CustomerSchema,
  RemovedRelationshipSchema,
} from "../../../provider/schemas/customer";
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

  describe("nulls Partner Center may send", () => {
    it("read the documented remove-relationship answer: PascalCase, every profile field null, Id included", () => {
      // remove-a-reseller-relationship-with-a-customer, response example, verbatim.
      const documented = JSON.parse(
        '{"Id":null,"CommerceId":null,"CompanyProfile":null,"BillingProfile":null,"RelationshipToPartner":"none",' +
          '"AllowDelegatedAccess":null,"UserCredentials":null,"CustomDomains":null,"AssociatedPartnerId":null,' +
          '"Attributes":{"ObjectType":"Customer"}}',
      );
      const removed = parseResponse(RemovedRelationshipSchema, documented, context);
      assert.equal(removed.id, null);
      assert.equal(removed.relationshipToPartner, "none");
      assert.equal(removed.attributes?.objectType, "Customer");
      assert.deepEqual(parseResponse(RemovedRelationshipSchema, undefined, context), {}, "an empty 200 is fine too");
      // The customer schema of create/get/list keeps id required (see its comment): the same body fails there.
      assert.throws(() => parseResponse(CustomerSchema, documented, context), /id/);
    });

    it("accept null for every customer field but id, at every level", () => {
      const customer = parseResponse(
        CustomerSchema,
        {
          id: "c1",
          commerceId: null,
          companyProfile: {
            tenantId: null,
            domain: null,
            companyName: null,
            organizationRegistrationNumber: null,
            address: null,
            email: null,
            links: null,
            attributes: null,
          },
          billingProfile: {
            id: null,
            firstName: null,
            lastName: null,
            email: null,
            culture: null,
            language: null,
            companyName: null,
            defaultAddress: {
              firstName: null,
              middleName: null,
              lastName: null,
              addressLine1: null,
              addressLine2: null,
              addressLine3: null,
              city: null,
              state: null,
              postalCode: null,
              country: null,
              region: null,
              district: null,
              phoneNumber: null,
            },
            links: { self: { uri: null, method: null, headers: [{ key: null, value: null }] }, next: null },
            attributes: { etag: null, objectType: null },
          },
          relationshipToPartner: null,
          allowDelegatedAccess: null,
          enableGDAPByDefault: null,
          userCredentials: { userName: null, password: null },
          customDomains: null,
          tags: null,
          associatedPartnerId: null,
          links: null,
          attributes: null,
        },
        context,
      );
      assert.equal(customer.billingProfile?.links?.self?.uri, null);
      assert.equal(parseResponse(CustomerCompanyProfileSchema, {}, context).domain, undefined);
      assert.equal(parseResponse(CustomerBillingProfileSchema, { attributes: null }, context).attributes, null);
    });

    it("accept nulls in collections, links, agreements, metadata, address validation and country rules", () => {
      const page = parseResponse(
        collectionSchema(AgreementSchema),
        { totalCount: null, items: null, links: { self: null, next: { uri: null } }, attributes: null },
        context,
      );
      assert.deepEqual(page.items, []);
      const agreement = parseResponse(
        AgreementSchema,
        {
          primaryContact: { firstName: null, middleName: null, lastName: null, email: null, phoneNumber: null },
          templateId: null,
          dateAgreed: null,
          type: null,
          agreementLink: null,
          userId: null,
          links: null,
          attributes: null,
        },
        context,
      );
      assert.equal(agreement.userId, null);
      const metadata = parseResponse(
        AgreementMetadataSchema,
        { templateId: null, agreementType: null, type: null, agreementLink: null, versionRank: null },
        context,
      );
      assert.equal(metadata.templateId, null);
      const validation = parseResponse(
        AddressValidationResponseSchema,
        { originalAddress: null, suggestedAddresses: null, status: null, validationMessage: null },
        context,
      );
      assert.deepEqual(validation.suggestedAddresses, []);
      const rules = parseResponse(
        CountryValidationRulesSchema,
        {
          iso2Code: null,
          defaultCulture: null,
          isStateRequired: null,
          supportedStatesList: null,
          supportedLanguagesList: { value: null },
          supportedCulturesList: null,
          isPostalCodeRequired: null,
          postalCodeRegex: null,
          isCityRequired: null,
          isVatIdSupported: null,
          taxIdFormat: null,
          taxIdSample: null,
          vatIdRegex: null,
          phoneNumberRegex: null,
          isTaxIdSupported: null,
          isTaxIdOptional: null,
          countryCallingCodesList: null,
          attributes: null,
        },
        context,
      );
      assert.equal(rules.iso2Code, null);
      assert.deepEqual(rules.supportedLanguagesList, []);
    });
  });
});

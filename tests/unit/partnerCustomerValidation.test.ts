import assert from "node:assert/strict";
import { z } from "zod";
import { type CheckFailure, toCheckFailures, UNKNOWN } from "../../provider/resources/checkFailures";
import { ISO_COUNTRY_CODES, REGISTRATION_NUMBER_COUNTRIES } from "../../provider/resources/countries";
import type { PartnerCustomerInputs } from "../../provider/resources/partnerCustomerTypes";
import {
  replaceTriggeringPaths,
  validatePartnerCustomerInputs,
  validatePartnerCustomerReplacement,
} from "../../provider/resources/partnerCustomerValidation";
import { FABRIKAM_SEATTLE, validCustomerArgs } from "../support/customerFixtures";

type Props = Record<string, unknown>;

const PARTNER_ID = "9f1c2e4a-0b7d-4c3e-8a61-2d5f7e9b0c14";
const CUSTOMER_ID = "3b8e6d21-47a9-4f0c-9e25-c1d0a7b6f832";

/** A valid, already normalised customer (US, so no registration number). */
function base(): Props {
  return validCustomerArgs({ ...FABRIKAM_SEATTLE, phoneNumber: "2065550100" });
}

/** A deep copy of `props` with the dotted `path` set to `value` (`undefined` deletes it). */
function withValue(props: Props, path: string, value: unknown): Props {
  const copy = structuredClone(props);
  const keys = path.split(".");
  let target: Props = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
    target = target[key] as Props;
  }
  const last = keys.at(-1) ?? "";
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function edit(changes: Record<string, unknown>, start: Props = base()): Props {
  return Object.entries(changes).reduce((props, [path, value]) => withValue(props, path, value), start);
}

function validate(news: Props, credentials: "app" | "app+user" | "none" = "app+user") {
  return validatePartnerCustomerInputs(news, { credentials });
}

function properties(failures: CheckFailure[]): string[] {
  return failures.map((f) => f.property);
}

const long = (n: number) => "x".repeat(n);

describe("validatePartnerCustomerInputs", () => {
  describe("accepts valid inputs", () => {
    it("passes the documented minimal example through unchanged", () => {
      const { inputs, failures } = validate(base());
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs, base());
    });

    it("normalises the PascalCase-documentation-like spellings", () => {
      const { inputs, failures } = validate(
        edit({
          "companyProfile.domain": "  FabrikamTest123.OnMicrosoft.COM ",
          "billingProfile.culture": "EN-US",
          "billingProfile.language": "En",
          "billingProfile.email": " Billing@Fabrikam.Example ",
          "billingProfile.defaultAddress.country": "us",
          "billingProfile.defaultAddress.city": "  Seattle\t",
          associatedPartnerId: PARTNER_ID.toUpperCase(),
          existingCustomerId: ` ${CUSTOMER_ID.toUpperCase()} `,
          deletionPolicy: "RemoveRelationship",
        }),
      );
      assert.deepEqual(failures, []);
      const company = inputs.companyProfile;
      const billing = inputs.billingProfile;
      assert.equal(company.domain, "fabrikamtest123.onmicrosoft.com");
      assert.equal(billing.culture, "en-US");
      assert.equal(billing.language, "en");
      assert.equal(billing.email, "Billing@Fabrikam.Example", "email keeps its case, only trimmed");
      assert.equal(billing.defaultAddress.country, "US");
      assert.equal(billing.defaultAddress.city, "Seattle");
      assert.equal(inputs.associatedPartnerId, PARTNER_ID);
      assert.equal(inputs.existingCustomerId, CUSTOMER_ID);
      assert.equal(inputs.deletionPolicy, "removeRelationship");
    });

    it("accepts cultures and languages with a script subtag, in canonical case", () => {
      const { inputs, failures } = validate(
        edit({ "billingProfile.culture": "ZH-hans-cn", "billingProfile.language": "zh-HANT" }),
      );
      assert.deepEqual(failures, []);
      assert.equal(inputs.billingProfile.culture, "zh-Hans-CN");
      assert.equal(inputs.billingProfile.language, "zh-Hant");
    });

    it("drops optional strings that are empty after trimming, and null optionals", () => {
      const { inputs, failures } = validate(
        edit({
          "billingProfile.defaultAddress.addressLine2": "   ",
          "billingProfile.defaultAddress.state": "",
          "billingProfile.firstName": null,
          "companyProfile.companyName": "",
          associatedPartnerId: null,
        }),
      );
      assert.deepEqual(failures, []);
      assert.equal("addressLine2" in inputs.billingProfile.defaultAddress, false);
      assert.equal("state" in inputs.billingProfile.defaultAddress, false);
      assert.equal("firstName" in inputs.billingProfile, false);
      assert.equal("companyName" in inputs.companyProfile, false);
      assert.equal("associatedPartnerId" in inputs, false);
    });

    it("keeps booleans, the in-place inputs and documented maximum lengths", () => {
      const { inputs, failures } = validate(
        edit({
          enableGDAPByDefault: false,
          preflight: true,
          deletionPolicy: "delete",
          "billingProfile.defaultAddress.addressLine1": long(200),
          "billingProfile.defaultAddress.firstName": long(50),
          "companyProfile.domain": `${"a".repeat(27)}.onmicrosoft.com`,
        }),
      );
      assert.deepEqual(failures, []);
      assert.equal(inputs.enableGDAPByDefault, false);
      assert.equal(inputs.preflight, true);
      assert.equal(inputs.deletionPolicy, "delete");
    });

    it("passes __provider and other __-prefixed keys through untouched", () => {
      const provider = { not: "validated", nested: [1, 2] };
      const { inputs, failures } = validate({ ...base(), __provider: "exports.handler = …", __other: provider });
      assert.deepEqual(failures, []);
      const raw = inputs as unknown as Props;
      assert.equal(raw["__provider"], "exports.handler = …");
      assert.equal(raw["__other"], provider);
    });

    for (const code of REGISTRATION_NUMBER_COUNTRIES) {
      it(`accepts a registration number and phone number in ${code}`, () => {
        const { failures } = validate(
          edit({
            "billingProfile.defaultAddress.country": code,
            "companyProfile.organizationRegistrationNumber": "1234567",
          }),
        );
        assert.deepEqual(failures, []);
      });
    }

    it("does not mutate its argument", () => {
      const news = edit({ "billingProfile.culture": "EN-US", "companyProfile.domain": "X.onmicrosoft.com" });
      const before = structuredClone(news);
      validate(news);
      assert.deepEqual(news, before);
    });
  });

  describe("rejects each invalid input on its exact property", () => {
    const cases: Array<{ name: string; changes: Record<string, unknown>; property: string; reason: RegExp }> = [
      // company profile
      {
        name: "missing companyProfile",
        changes: { companyProfile: undefined },
        property: "companyProfile",
        reason: /required/,
      },
      {
        name: "companyProfile not an object",
        changes: { companyProfile: "contoso" },
        property: "companyProfile",
        reason: /must be an object, got a string/,
      },
      {
        name: "companyProfile an array",
        changes: { companyProfile: [] },
        property: "companyProfile",
        reason: /must be an object, got an array/,
      },
      {
        name: "missing domain",
        changes: { "companyProfile.domain": undefined },
        property: "companyProfile.domain",
        reason: /required/,
      },
      {
        name: "empty domain",
        changes: { "companyProfile.domain": "  " },
        property: "companyProfile.domain",
        reason: /must not be empty/,
      },
      {
        name: "domain not a string",
        changes: { "companyProfile.domain": 42 },
        property: "companyProfile.domain",
        reason: /must be a string, got a number/,
      },
      {
        name: "custom domain",
        changes: { "companyProfile.domain": "contoso.com" },
        property: "companyProfile.domain",
        reason: /"contoso\.com".*\.onmicrosoft\.com/,
      },
      {
        name: "domain without prefix",
        changes: { "companyProfile.domain": ".onmicrosoft.com" },
        property: "companyProfile.domain",
        reason: /no prefix/,
      },
      {
        name: "hyphen in the domain prefix",
        changes: { "companyProfile.domain": "con-toso.onmicrosoft.com" },
        property: "companyProfile.domain",
        reason: /letters and digits/,
      },
      {
        name: "dotted domain prefix",
        changes: { "companyProfile.domain": "eu.contoso.onmicrosoft.com" },
        property: "companyProfile.domain",
        reason: /letters and digits/,
      },
      {
        name: "domain prefix of 28 characters",
        changes: { "companyProfile.domain": `${"a".repeat(28)}.onmicrosoft.com` },
        property: "companyProfile.domain",
        reason: /too long: 28 characters, at most 27/,
      },
      {
        name: "company name of 256 characters",
        changes: { "companyProfile.companyName": long(256) },
        property: "companyProfile.companyName",
        reason: /too long: 256 characters, at most 255/,
      },
      {
        name: "unknown company profile property",
        changes: { "companyProfile.tenantId": CUSTOMER_ID },
        property: "companyProfile.tenantId",
        reason: /unknown property/,
      },
      // billing profile
      {
        name: "missing billingProfile",
        changes: { billingProfile: undefined },
        property: "billingProfile",
        reason: /required/,
      },
      {
        name: "null billingProfile",
        changes: { billingProfile: null },
        property: "billingProfile",
        reason: /required/,
      },
      {
        name: "billingProfile an array",
        changes: { billingProfile: [] },
        property: "billingProfile",
        reason: /must be an object/,
      },
      {
        name: "missing email",
        changes: { "billingProfile.email": undefined },
        property: "billingProfile.email",
        reason: /required/,
      },
      {
        name: "email without @",
        changes: { "billingProfile.email": "billing.fabrikam.example" },
        property: "billingProfile.email",
        reason: /email address/,
      },
      {
        name: "email with a space",
        changes: { "billingProfile.email": "bill ing@fabrikam.example" },
        property: "billingProfile.email",
        reason: /email address/,
      },
      {
        name: "email without a top-level domain",
        changes: { "billingProfile.email": "billing@localhost" },
        property: "billingProfile.email",
        reason: /email address/,
      },
      {
        name: "email of 255 characters",
        changes: { "billingProfile.email": `${long(243)}@example.com` },
        property: "billingProfile.email",
        reason: /too long: 255 characters, at most 254/,
      },
      {
        name: "missing culture",
        changes: { "billingProfile.culture": undefined },
        property: "billingProfile.culture",
        reason: /required/,
      },
      {
        name: "culture a language name",
        changes: { "billingProfile.culture": "english" },
        property: "billingProfile.culture",
        reason: /not a culture.*en-US/,
      },
      {
        name: "culture with an underscore",
        changes: { "billingProfile.culture": "en_US" },
        property: "billingProfile.culture",
        reason: /not a culture/,
      },
      {
        name: "culture without region",
        changes: { "billingProfile.culture": "en" },
        property: "billingProfile.culture",
        reason: /language-REGION/,
      },
      {
        name: "culture en-UK",
        changes: { "billingProfile.culture": "en-UK" },
        property: "billingProfile.culture",
        reason: /"en-GB"/,
      },
      {
        name: "missing language",
        changes: { "billingProfile.language": undefined },
        property: "billingProfile.language",
        reason: /required/,
      },
      {
        name: "language a name",
        changes: { "billingProfile.language": "English" },
        property: "billingProfile.language",
        reason: /not a language code/,
      },
      {
        name: "language given as a culture",
        changes: { "billingProfile.language": "en-US" },
        property: "billingProfile.language",
        reason: /culture.*"en"/,
      },
      {
        name: "language a number",
        changes: { "billingProfile.language": 1 },
        property: "billingProfile.language",
        reason: /must be a string/,
      },
      {
        name: "missing billing company name",
        changes: { "billingProfile.companyName": undefined },
        property: "billingProfile.companyName",
        reason: /required/,
      },
      {
        name: "blank billing company name",
        changes: { "billingProfile.companyName": "   " },
        property: "billingProfile.companyName",
        reason: /must not be empty/,
      },
      {
        name: "billing first name of 51 characters",
        changes: { "billingProfile.firstName": long(51) },
        property: "billingProfile.firstName",
        reason: /at most 50/,
      },
      {
        name: "billing last name a boolean",
        changes: { "billingProfile.lastName": true },
        property: "billingProfile.lastName",
        reason: /must be a string, got a boolean/,
      },
      // address
      {
        name: "missing defaultAddress",
        changes: { "billingProfile.defaultAddress": undefined },
        property: "billingProfile.defaultAddress",
        reason: /required/,
      },
      {
        name: "defaultAddress a string",
        changes: { "billingProfile.defaultAddress": "1 Main St" },
        property: "billingProfile.defaultAddress",
        reason: /must be an object/,
      },
      {
        name: "missing address first name",
        changes: { "billingProfile.defaultAddress.firstName": undefined },
        property: "billingProfile.defaultAddress.firstName",
        reason: /required/,
      },
      {
        name: "address last name of 51 characters",
        changes: { "billingProfile.defaultAddress.lastName": long(51) },
        property: "billingProfile.defaultAddress.lastName",
        reason: /too long: 51 characters, at most 50/,
      },
      {
        name: "empty addressLine1",
        changes: { "billingProfile.defaultAddress.addressLine1": "" },
        property: "billingProfile.defaultAddress.addressLine1",
        reason: /must not be empty/,
      },
      {
        name: "addressLine1 of 201 characters",
        changes: { "billingProfile.defaultAddress.addressLine1": long(201) },
        property: "billingProfile.defaultAddress.addressLine1",
        reason: /at most 200/,
      },
      {
        name: "addressLine2 of 201 characters",
        changes: { "billingProfile.defaultAddress.addressLine2": long(201) },
        property: "billingProfile.defaultAddress.addressLine2",
        reason: /at most 200/,
      },
      {
        name: "addressLine3 of 201 characters",
        changes: { "billingProfile.defaultAddress.addressLine3": long(201) },
        property: "billingProfile.defaultAddress.addressLine3",
        reason: /at most 200/,
      },
      {
        name: "missing city",
        changes: { "billingProfile.defaultAddress.city": undefined },
        property: "billingProfile.defaultAddress.city",
        reason: /required/,
      },
      {
        name: "city of 101 characters",
        changes: { "billingProfile.defaultAddress.city": long(101) },
        property: "billingProfile.defaultAddress.city",
        reason: /at most 100/,
      },
      {
        name: "state of 51 characters",
        changes: { "billingProfile.defaultAddress.state": long(51) },
        property: "billingProfile.defaultAddress.state",
        reason: /at most 50/,
      },
      {
        name: "missing postal code",
        changes: { "billingProfile.defaultAddress.postalCode": undefined },
        property: "billingProfile.defaultAddress.postalCode",
        reason: /required/,
      },
      {
        name: "postal code of 21 characters",
        changes: { "billingProfile.defaultAddress.postalCode": long(21) },
        property: "billingProfile.defaultAddress.postalCode",
        reason: /at most 20/,
      },
      {
        name: "postal code a number",
        changes: { "billingProfile.defaultAddress.postalCode": 98101 },
        property: "billingProfile.defaultAddress.postalCode",
        reason: /must be a string, got a number/,
      },
      {
        name: "region of 101 characters",
        changes: { "billingProfile.defaultAddress.region": long(101) },
        property: "billingProfile.defaultAddress.region",
        reason: /at most 100/,
      },
      {
        name: "missing country",
        changes: { "billingProfile.defaultAddress.country": undefined },
        property: "billingProfile.defaultAddress.country",
        reason: /required/,
      },
      {
        name: "country UK",
        changes: { "billingProfile.defaultAddress.country": "UK" },
        property: "billingProfile.defaultAddress.country",
        reason: /"UK" is not an ISO 3166-1 alpha-2 country code; use "GB" for the United Kingdom/,
      },
      {
        name: "country uk, lower case",
        changes: { "billingProfile.defaultAddress.country": "uk" },
        property: "billingProfile.defaultAddress.country",
        reason: /"GB"/,
      },
      {
        name: "country EL (EU code for Greece)",
        changes: { "billingProfile.defaultAddress.country": "EL" },
        property: "billingProfile.defaultAddress.country",
        reason: /"GR"/,
      },
      {
        name: "alpha-3 country",
        changes: { "billingProfile.defaultAddress.country": "USA" },
        property: "billingProfile.defaultAddress.country",
        reason: /alpha-3/,
      },
      {
        name: "unassigned country",
        changes: { "billingProfile.defaultAddress.country": "ZZ" },
        property: "billingProfile.defaultAddress.country",
        reason: /"ZZ" is not an ISO 3166-1 alpha-2/,
      },
      {
        name: "country name",
        changes: { "billingProfile.defaultAddress.country": "Germany" },
        property: "billingProfile.defaultAddress.country",
        reason: /ISO 3166-1/,
      },
      {
        name: "country a number",
        changes: { "billingProfile.defaultAddress.country": 840 },
        property: "billingProfile.defaultAddress.country",
        reason: /must be a string/,
      },
      {
        name: "phone number text",
        changes: { "billingProfile.defaultAddress.phoneNumber": "call reception" },
        property: "billingProfile.defaultAddress.phoneNumber",
        reason: /not a phone number/,
      },
      {
        name: "phone number without digits",
        changes: { "billingProfile.defaultAddress.phoneNumber": "+() -" },
        property: "billingProfile.defaultAddress.phoneNumber",
        reason: /not a phone number/,
      },
      {
        name: "phone number of 31 characters",
        changes: { "billingProfile.defaultAddress.phoneNumber": "1".repeat(31) },
        property: "billingProfile.defaultAddress.phoneNumber",
        reason: /at most 30/,
      },
      {
        name: "misspelt address property",
        changes: { "billingProfile.defaultAddress.postcode": "98101" },
        property: "billingProfile.defaultAddress.postcode",
        reason: /unknown property \(did you mean "postalCode"\?\)/,
      },
      {
        name: "middleName on the address",
        changes: { "billingProfile.defaultAddress.middleName": "B" },
        property: "billingProfile.defaultAddress.middleName",
        reason: /unknown property/,
      },
      // country-dependent rules
      {
        name: "registration number outside the list",
        changes: { "companyProfile.organizationRegistrationNumber": "12345" },
        property: "companyProfile.organizationRegistrationNumber",
        reason: /not supported for customers in "US".*600002/,
      },
      {
        name: "missing registration number in India",
        changes: { "billingProfile.defaultAddress.country": "IN" },
        property: "companyProfile.organizationRegistrationNumber",
        reason: /required for customers in "IN".*600049/,
      },
      {
        name: "missing phone number in Brazil",
        changes: {
          "billingProfile.defaultAddress.country": "BR",
          "companyProfile.organizationRegistrationNumber": "12345678000195",
          "billingProfile.defaultAddress.phoneNumber": undefined,
        },
        property: "billingProfile.defaultAddress.phoneNumber",
        reason: /required for customers in "BR".*600051/,
      },
      {
        name: "blank phone number in Poland",
        changes: {
          "billingProfile.defaultAddress.country": "pl",
          "companyProfile.organizationRegistrationNumber": "1234567890",
          "billingProfile.defaultAddress.phoneNumber": "  ",
        },
        property: "billingProfile.defaultAddress.phoneNumber",
        reason: /required for customers in "PL"/,
      },
      {
        name: "registration number of 101 characters",
        changes: {
          "billingProfile.defaultAddress.country": "HU",
          "companyProfile.organizationRegistrationNumber": long(101),
        },
        property: "companyProfile.organizationRegistrationNumber",
        reason: /at most 100/,
      },
      // top level
      {
        name: "associatedPartnerId not a GUID",
        changes: { associatedPartnerId: "reseller-contoso" },
        property: "associatedPartnerId",
        reason: /"reseller-contoso" is not a GUID/,
      },
      {
        name: "associatedPartnerId with braces",
        changes: { associatedPartnerId: `{${PARTNER_ID}}` },
        property: "associatedPartnerId",
        reason: /not a GUID/,
      },
      {
        name: "existingCustomerId not a GUID",
        changes: { existingCustomerId: "12345" },
        property: "existingCustomerId",
        reason: /"12345" is not a GUID/,
      },
      {
        name: "existingCustomerId a number",
        changes: { existingCustomerId: 12345 },
        property: "existingCustomerId",
        reason: /must be a string/,
      },
      {
        name: "enableGDAPByDefault a string",
        changes: { enableGDAPByDefault: "true" },
        property: "enableGDAPByDefault",
        reason: /must be a boolean \(true or false\), got the string "true"/,
      },
      {
        name: "preflight a number",
        changes: { preflight: 1 },
        property: "preflight",
        reason: /must be a boolean.*got a number/,
      },
      {
        name: "deletionPolicy unknown value",
        changes: { deletionPolicy: "destroy" },
        property: "deletionPolicy",
        reason: /"destroy" is not a deletion policy: must be one of "retain", "delete", "removeRelationship"/,
      },
      {
        name: "deletionPolicy a boolean",
        changes: { deletionPolicy: true },
        property: "deletionPolicy",
        reason: /must be one of/,
      },
      {
        name: "misspelt top-level property",
        changes: { deletePolicy: "delete" },
        property: "deletePolicy",
        reason: /unknown property \(did you mean "deletionPolicy"\?\)/,
      },
      {
        name: "PascalCase top-level property",
        changes: { EnableGDAPByDefault: true },
        property: "EnableGDAPByDefault",
        reason: /did you mean "enableGDAPByDefault"/,
      },
      {
        name: "an output passed as an input",
        changes: { customerId: CUSTOMER_ID },
        property: "customerId",
        reason: /unknown property/,
      },
      {
        name: "__-prefixed key below the top level",
        changes: { "billingProfile.__provider": "x" },
        property: "billingProfile.__provider",
        reason: /unknown property/,
      },
    ];

    for (const c of cases) {
      it(c.name, () => {
        const { failures } = validate(edit(c.changes));
        assert.deepEqual(properties(failures), [c.property], JSON.stringify(failures));
        assert.match(failures[0]?.reason ?? "", c.reason);
      });
    }

    it("has at least 40 cases", () => {
      assert.ok(cases.length >= 40, `${cases.length} cases`);
    });
  });

  describe("reports every bad property, once each", () => {
    it("reports all failures, not just the first", () => {
      const { failures } = validate(
        edit({
          "companyProfile.domain": "contoso.com",
          "billingProfile.email": "nope",
          "billingProfile.defaultAddress.country": "UK",
          preflight: "no",
          typo: 1,
        }),
      );
      assert.deepEqual(properties(failures).sort(), [
        "billingProfile.defaultAddress.country",
        "billingProfile.email",
        "companyProfile.domain",
        "preflight",
        "typo",
      ]);
    });

    it("requires both the registration number and the phone number in a listed country", () => {
      const { failures } = validate(
        edit({ "billingProfile.defaultAddress.country": "UA", "billingProfile.defaultAddress.phoneNumber": undefined }),
      );
      assert.deepEqual(properties(failures), [
        "companyProfile.organizationRegistrationNumber",
        "billingProfile.defaultAddress.phoneNumber",
      ]);
    });

    it("merges two rules broken by one property into one failure", () => {
      const { failures } = validate(edit({ associatedPartnerId: "not-a-guid" }), "app");
      assert.deepEqual(properties(failures), ["associatedPartnerId"]);
      assert.match(failures[0]?.reason ?? "", /not a GUID.*; needs App\+User/);
    });

    it("skips the country rules when the country itself is invalid", () => {
      const { failures } = validate(
        edit({ "billingProfile.defaultAddress.country": "XX", "companyProfile.organizationRegistrationNumber": "1" }),
      );
      assert.deepEqual(properties(failures), ["billingProfile.defaultAddress.country"]);
    });

    it("does not echo contact data in reasons", () => {
      const secretish = "private.person@fabrikam";
      const { failures } = validate(edit({ "billingProfile.email": secretish }));
      assert.equal(failures.length, 1);
      assert.doesNotMatch(failures[0]?.reason ?? "", /private\.person/);
    });
  });

  describe("credentials", () => {
    it("refuses an indirect reseller's customer with app-only credentials, saying how to fix it", () => {
      const { failures } = validate(edit({ associatedPartnerId: PARTNER_ID }), "app");
      assert.deepEqual(properties(failures), ["associatedPartnerId"]);
      const reason = failures[0]?.reason ?? "";
      assert.match(reason, /App\+User/);
      assert.match(reason, /indirect reseller/);
      assert.match(reason, /pulumi config set --secret partnercenter:refreshToken <token>/);
      assert.match(reason, /PARTNERCENTER_REFRESH_TOKEN/);
    });

    it("accepts an indirect reseller's customer with App+User credentials", () => {
      assert.deepEqual(validate(edit({ associatedPartnerId: PARTNER_ID }), "app+user").failures, []);
    });

    it("leaves missing credentials to the provider settings", () => {
      assert.deepEqual(validate(edit({ associatedPartnerId: PARTNER_ID }), "none").failures, []);
    });

    it("does not need App+User without associatedPartnerId", () => {
      assert.deepEqual(validate(base(), "app").failures, []);
    });
  });

  describe("unknown values (preview)", () => {
    const cases: Array<{ name: string; changes: Record<string, unknown>; credentials?: "app" }> = [
      { name: "unknown domain", changes: { "companyProfile.domain": UNKNOWN } },
      { name: "unknown company profile, with a country outside the list", changes: { companyProfile: UNKNOWN } },
      {
        name: "unknown company profile, in a listed country",
        changes: { companyProfile: UNKNOWN, "billingProfile.defaultAddress.country": "IN" },
      },
      {
        name: "unknown billing profile",
        changes: { billingProfile: UNKNOWN, "companyProfile.organizationRegistrationNumber": "1" },
      },
      { name: "unknown default address", changes: { "billingProfile.defaultAddress": UNKNOWN } },
      { name: "unknown email", changes: { "billingProfile.email": UNKNOWN } },
      {
        name: "unknown culture and language",
        changes: { "billingProfile.culture": UNKNOWN, "billingProfile.language": UNKNOWN },
      },
      {
        name: "unknown country with a registration number",
        changes: {
          "billingProfile.defaultAddress.country": UNKNOWN,
          "companyProfile.organizationRegistrationNumber": "1",
        },
      },
      {
        name: "unknown country without a phone",
        changes: {
          "billingProfile.defaultAddress.country": UNKNOWN,
          "billingProfile.defaultAddress.phoneNumber": undefined,
        },
      },
      {
        name: "unknown registration number outside the list",
        changes: { "companyProfile.organizationRegistrationNumber": UNKNOWN },
      },
      {
        name: "unknown registration number and phone in a listed country",
        changes: {
          "billingProfile.defaultAddress.country": "RU",
          "companyProfile.organizationRegistrationNumber": UNKNOWN,
          "billingProfile.defaultAddress.phoneNumber": UNKNOWN,
        },
      },
      {
        name: "unknown associatedPartnerId with app-only credentials",
        changes: { associatedPartnerId: UNKNOWN },
        credentials: "app",
      },
      { name: "unknown existingCustomerId", changes: { existingCustomerId: UNKNOWN } },
      {
        name: "unknown booleans and deletion policy",
        changes: { enableGDAPByDefault: UNKNOWN, preflight: UNKNOWN, deletionPolicy: UNKNOWN },
      },
    ];
    for (const c of cases) {
      it(`skips the rules of an ${c.name} and keeps it`, () => {
        const news = edit(c.changes);
        const { inputs, failures } = validate(news, c.credentials ?? "app+user");
        assert.deepEqual(failures, []);
        for (const [path, value] of Object.entries(c.changes)) {
          if (value !== UNKNOWN) continue;
          const kept = path.split(".").reduce<unknown>((v, k) => (v as Props)[k], inputs);
          assert.equal(kept, UNKNOWN, path);
        }
      });
    }

    it("still reports known invalid values next to unknown ones", () => {
      const { failures } = validate(edit({ "companyProfile.domain": UNKNOWN, "billingProfile.language": "English" }));
      assert.deepEqual(properties(failures), ["billingProfile.language"]);
    });
  });
});

describe("validatePartnerCustomerReplacement", () => {
  /** Checked inputs as `check` stores them. */
  function inputs(changes: Record<string, unknown> = {}): PartnerCustomerInputs {
    const { inputs: checked, failures } = validate(edit(changes));
    assert.deepEqual(failures, []);
    return checked;
  }

  const newDomain = { "companyProfile.domain": "fabrikamtest456.onmicrosoft.com" };
  const newCity = { "billingProfile.defaultAddress.city": "Redmond" };

  it("passes a new resource (old inputs undefined or empty)", () => {
    assert.deepEqual(validatePartnerCustomerReplacement(undefined, inputs()), []);
    assert.deepEqual(validatePartnerCustomerReplacement({}, inputs()), []);
  });

  it("passes when nothing replace-triggering changed", () => {
    assert.deepEqual(validatePartnerCustomerReplacement(inputs(), inputs()), []);
    assert.deepEqual(
      validatePartnerCustomerReplacement(inputs(), inputs({ deletionPolicy: "removeRelationship", preflight: false })),
      [],
    );
  });

  it("rejects an address change that keeps the domain, on the changed property", () => {
    const failures = validatePartnerCustomerReplacement(inputs(), inputs(newCity));
    assert.deepEqual(properties(failures), ["billingProfile.defaultAddress.city"]);
    const reason = failures[0]?.reason ?? "";
    assert.match(reason, /same domain "fabrikamtest123\.onmicrosoft\.com"/);
    assert.match(reason, /change companyProfile\.domain as well, or revert/);
  });

  it("reports one failure per changed replace-triggering property", () => {
    const failures = validatePartnerCustomerReplacement(
      inputs(),
      inputs({ ...newCity, "billingProfile.email": "ap@fabrikam.example", enableGDAPByDefault: false }),
    );
    assert.deepEqual(properties(failures), [
      "billingProfile.email",
      "billingProfile.defaultAddress.city",
      "enableGDAPByDefault",
    ]);
  });

  for (const [name, changes, property] of [
    ["adding associatedPartnerId", { associatedPartnerId: PARTNER_ID }, "associatedPartnerId"],
    ["setting enableGDAPByDefault", { enableGDAPByDefault: true }, "enableGDAPByDefault"],
    ["changing the company name", { "companyProfile.companyName": "Fabrikam" }, "companyProfile.companyName"],
  ] as const) {
    it(`rejects ${name} while the domain stays`, () => {
      assert.deepEqual(properties(validatePartnerCustomerReplacement(inputs(), inputs(changes))), [property]);
    });
  }

  it("passes when the domain changes as well", () => {
    assert.deepEqual(validatePartnerCustomerReplacement(inputs(), inputs({ ...newCity, ...newDomain })), []);
  });

  it("compares domains case-insensitively (an old state spelt differently is still the same domain)", () => {
    const old = inputs();
    old.companyProfile.domain = "FabrikamTest123.onmicrosoft.com";
    assert.deepEqual(properties(validatePartnerCustomerReplacement(old, inputs(newCity))), [
      "billingProfile.defaultAddress.city",
    ]);
  });

  it('passes when the deployed deletionPolicy is "delete" (delete before replace)', () => {
    const old = inputs({ deletionPolicy: "delete" });
    assert.deepEqual(validatePartnerCustomerReplacement(old, inputs({ ...newCity, deletionPolicy: "delete" })), []);
    assert.deepEqual(validatePartnerCustomerReplacement(old, inputs(newCity)), []);
  });

  it('rejects when "delete" is only being introduced by this change, and says to deploy it first', () => {
    const failures = validatePartnerCustomerReplacement(inputs(), inputs({ ...newCity, deletionPolicy: "delete" }));
    assert.deepEqual(properties(failures), ["billingProfile.defaultAddress.city"]);
    assert.match(failures[0]?.reason ?? "", /deploy the deletionPolicy change on its own first/);
  });

  it("skips when a replace-triggering value is unknown", () => {
    const news = inputs(newCity) as unknown as Props;
    (news["companyProfile"] as Props)["domain"] = UNKNOWN;
    assert.deepEqual(validatePartnerCustomerReplacement(inputs(), news as unknown as PartnerCustomerInputs), []);
    const whole = { ...inputs(newCity), billingProfile: UNKNOWN } as unknown as PartnerCustomerInputs;
    assert.deepEqual(validatePartnerCustomerReplacement(inputs(), whole), []);
    const partner = { ...inputs(), associatedPartnerId: UNKNOWN } as unknown as PartnerCustomerInputs;
    assert.deepEqual(validatePartnerCustomerReplacement(inputs(), partner), []);
  });

  describe("adoption (existingCustomerId)", () => {
    it("rejects a profile change while adopting the same customer, whatever the policy", () => {
      for (const deletionPolicy of ["retain", "delete"]) {
        const old = inputs({ existingCustomerId: CUSTOMER_ID, deletionPolicy });
        const failures = validatePartnerCustomerReplacement(
          old,
          inputs({ existingCustomerId: CUSTOMER_ID.toUpperCase(), deletionPolicy, ...newCity, ...newDomain }),
        );
        assert.deepEqual(properties(failures), ["companyProfile.domain", "billingProfile.defaultAddress.city"]);
        assert.match(failures[0]?.reason ?? "", /adopt the same customer again/);
      }
    });

    it("passes when starting to adopt a customer, or adopting another one", () => {
      assert.deepEqual(validatePartnerCustomerReplacement(inputs(), inputs({ existingCustomerId: CUSTOMER_ID })), []);
      assert.deepEqual(
        validatePartnerCustomerReplacement(
          inputs({ existingCustomerId: CUSTOMER_ID }),
          inputs({ existingCustomerId: PARTNER_ID, ...newCity }),
        ),
        [],
      );
    });

    it("rejects stopping adoption when the new customer would reuse the adopted customer's domain", () => {
      const failures = validatePartnerCustomerReplacement(inputs({ existingCustomerId: CUSTOMER_ID }), inputs());
      assert.deepEqual(properties(failures), ["existingCustomerId"]);
      assert.match(failures[0]?.reason ?? "", /same domain/);
    });
  });
});

describe("replaceTriggeringPaths", () => {
  it("lists changed leaves as dotted paths and ignores in-place and unrelated keys", () => {
    const olds = { ...base(), deletionPolicy: "retain", customerId: CUSTOMER_ID, __provider: "a" };
    const news = edit({ "billingProfile.defaultAddress.city": "Redmond", associatedPartnerId: PARTNER_ID });
    assert.deepEqual(replaceTriggeringPaths(olds, { ...news, deletionPolicy: "delete", __provider: "b" }), [
      "billingProfile.defaultAddress.city",
      "associatedPartnerId",
    ]);
  });

  it("treats unknown values as changed, at the level they are unknown", () => {
    assert.deepEqual(replaceTriggeringPaths(base(), { ...base(), companyProfile: UNKNOWN }), ["companyProfile"]);
    assert.deepEqual(replaceTriggeringPaths(base(), edit({ "billingProfile.email": UNKNOWN })), [
      "billingProfile.email",
    ]);
  });

  it("compares codes and GUIDs case-insensitively, other text exactly", () => {
    const olds = edit({
      "companyProfile.domain": "FabrikamTest123.onmicrosoft.com",
      "billingProfile.culture": "EN-us",
      "billingProfile.defaultAddress.country": "us",
      existingCustomerId: CUSTOMER_ID.toUpperCase(),
    });
    assert.deepEqual(replaceTriggeringPaths(olds, edit({ existingCustomerId: CUSTOMER_ID })), []);
    assert.deepEqual(replaceTriggeringPaths(base(), edit({ "billingProfile.defaultAddress.city": "SEATTLE" })), [
      "billingProfile.defaultAddress.city",
    ]);
  });

  it("ignores key order and absent-versus-undefined members", () => {
    const reordered = { billingProfile: { ...(base()["billingProfile"] as Props), firstName: undefined }, ...base() };
    assert.deepEqual(replaceTriggeringPaths(base(), reordered), []);
    assert.deepEqual(replaceTriggeringPaths(undefined, {}), []);
  });
});

describe("countries", () => {
  it("holds the 249 officially assigned ISO 3166-1 alpha-2 codes", () => {
    assert.equal(ISO_COUNTRY_CODES.size, 249);
    for (const code of ["GB", "US", "DE", "SS", "MK", "XK", "UK", "EU"]) {
      assert.equal(ISO_COUNTRY_CODES.has(code), !["XK", "UK", "EU"].includes(code), code);
    }
  });

  it("lists the 24 registration-number countries, all valid codes", () => {
    assert.equal(REGISTRATION_NUMBER_COUNTRIES.size, 24);
    for (const code of REGISTRATION_NUMBER_COUNTRIES) assert.ok(ISO_COUNTRY_CODES.has(code), code);
  });
});

describe("toCheckFailures", () => {
  it("maps issue paths under a prefix, one failure per property, and unrecognised keys to their own paths", () => {
    const schema = z.strictObject({ a: z.object({ b: z.string().min(3).regex(/^x/) }), list: z.array(z.number()) });
    const result = schema.safeParse({ a: { b: "y" }, list: [1, "2"], extra: true });
    assert.equal(result.success, false);
    const failures = toCheckFailures(result.error as z.ZodError, "root");
    assert.deepEqual(properties(failures), ["root.a.b", "root.list[1]", "root.extra"]);
    assert.match(failures[0]?.reason ?? "", /; /, "two issues on root.a.b merge into one failure");
    assert.equal(failures[2]?.reason, "unknown property");
  });
});

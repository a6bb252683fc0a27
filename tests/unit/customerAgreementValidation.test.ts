import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/resources/checkFailures";
import {
  DATE_AGREED_CLOCK_SKEW_MS,
  parseUtcDateTime,
  validateCustomerAgreementInputs,
} from "../../provider/resources/customerAgreementValidation";

type Props = Record<string, unknown>;

const CUSTOMER_ID = "3b8e6d21-47a9-4f0c-9e25-c1d0a7b6f832";
const TEMPLATE_ID = "117a77b0-9360-443b-8795-c6dedc750cf9";
const NOW = new Date("2025-06-01T12:00:00.000Z");

function base(): Props {
  return {
    customerId: CUSTOMER_ID,
    primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@fabrikam.example" },
  };
}

function contact(changes: Props): Props {
  return { ...(base()["primaryContact"] as Props), ...changes };
}

function validate(news: Props, credentials: "app" | "app+user" | "none" = "app+user") {
  return validateCustomerAgreementInputs(news, { credentials, now: NOW });
}

describe("validateCustomerAgreementInputs", () => {
  describe("accepts valid inputs", () => {
    it("defaults agreementType to MicrosoftCustomerAgreement", () => {
      const { inputs, failures } = validate(base());
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs, { ...base(), agreementType: "MicrosoftCustomerAgreement" });
    });

    it("normalises case, whitespace, GUIDs and dates", () => {
      const { inputs, failures } = validate({
        customerId: ` ${CUSTOMER_ID.toUpperCase()} `,
        primaryContact: {
          firstName: " Ada ",
          lastName: "Ng",
          email: "Ada@Fabrikam.Example",
          phoneNumber: "+1 (206) 555-0100",
        },
        agreementType: "microsoftcloudagreement",
        templateId: TEMPLATE_ID.toUpperCase(),
        dateAgreed: "2024-05-01T00:00:00Z",
        __provider: "exports.handler = …",
      });
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs, {
        customerId: CUSTOMER_ID,
        primaryContact: {
          firstName: "Ada",
          lastName: "Ng",
          email: "Ada@Fabrikam.Example",
          phoneNumber: "+1 (206) 555-0100",
        },
        agreementType: "MicrosoftCloudAgreement",
        templateId: TEMPLATE_ID,
        dateAgreed: "2024-05-01T00:00:00.000Z",
        __provider: "exports.handler = …",
      });
    });

    const utcSpellings: Array<[string, string]> = [
      ["2024-05-01T00:00:00Z", "2024-05-01T00:00:00.000Z"],
      ["2024-05-01T00:00:00.000Z", "2024-05-01T00:00:00.000Z"],
      ["2024-05-01T00:00:00+00:00", "2024-05-01T00:00:00.000Z"],
      ["2024-05-01T00:00:00-00:00", "2024-05-01T00:00:00.000Z"],
      ["2024-05-01T13:45Z", "2024-05-01T13:45:00.000Z"],
      ["2024-05-01 13:45:30.1234567Z", "2024-05-01T13:45:30.123Z"],
      ["2024-02-29t23:59:59z", "2024-02-29T23:59:59.000Z"],
    ];
    for (const [given, stored] of utcSpellings) {
      it(`accepts the UTC date-time ${given} as ${stored}`, () => {
        const { inputs, failures } = validate({ ...base(), dateAgreed: given });
        assert.deepEqual(failures, []);
        assert.equal(inputs.dateAgreed, stored);
      });
    }

    it("allows dateAgreed up to 5 minutes ahead of the clock (skew)", () => {
      const ahead = new Date(NOW.getTime() + DATE_AGREED_CLOCK_SKEW_MS - 1000).toISOString();
      assert.deepEqual(validate({ ...base(), dateAgreed: ahead }).failures, []);
    });

    it("drops empty optional strings", () => {
      const { inputs, failures } = validate({
        ...base(),
        templateId: "  ",
        dateAgreed: "",
        primaryContact: contact({ phoneNumber: "" }),
      });
      assert.deepEqual(failures, []);
      assert.equal("templateId" in inputs, false);
      assert.equal("dateAgreed" in inputs, false);
      assert.equal("phoneNumber" in inputs.primaryContact, false);
    });

    it("leaves missing credentials to the provider settings", () => {
      assert.deepEqual(validate(base(), "none").failures, []);
    });
  });

  describe("rejects each invalid input on its exact property", () => {
    const future = new Date(NOW.getTime() + DATE_AGREED_CLOCK_SKEW_MS + 60_000).toISOString();
    const cases: Array<{ name: string; news: Props; property: string; reason: RegExp }> = [
      {
        name: "missing customerId",
        news: { ...base(), customerId: undefined },
        property: "customerId",
        reason: /required/,
      },
      {
        name: "customerId not a GUID",
        news: { ...base(), customerId: "fabrikam" },
        property: "customerId",
        reason: /"fabrikam" is not a GUID/,
      },
      {
        name: "customerId a number",
        news: { ...base(), customerId: 1 },
        property: "customerId",
        reason: /must be a string/,
      },
      {
        name: "missing primaryContact",
        news: { customerId: CUSTOMER_ID },
        property: "primaryContact",
        reason: /required/,
      },
      {
        name: "primaryContact a string",
        news: { ...base(), primaryContact: "Ada Ng" },
        property: "primaryContact",
        reason: /must be an object/,
      },
      {
        name: "missing first name",
        news: { ...base(), primaryContact: contact({ firstName: undefined }) },
        property: "primaryContact.firstName",
        reason: /required/,
      },
      {
        name: "blank last name",
        news: { ...base(), primaryContact: contact({ lastName: " " }) },
        property: "primaryContact.lastName",
        reason: /must not be empty/,
      },
      {
        name: "first name of 51 characters",
        news: { ...base(), primaryContact: contact({ firstName: "x".repeat(51) }) },
        property: "primaryContact.firstName",
        reason: /at most 50/,
      },
      {
        name: "missing email",
        news: { ...base(), primaryContact: contact({ email: undefined }) },
        property: "primaryContact.email",
        reason: /required/,
      },
      {
        name: "email without @",
        news: { ...base(), primaryContact: contact({ email: "ada" }) },
        property: "primaryContact.email",
        reason: /email address/,
      },
      {
        name: "email without a top-level domain",
        news: { ...base(), primaryContact: contact({ email: "ada@localhost" }) },
        property: "primaryContact.email",
        reason: /email address/,
      },
      {
        name: "phone number text",
        news: { ...base(), primaryContact: contact({ phoneNumber: "n/a" }) },
        property: "primaryContact.phoneNumber",
        reason: /phone number/,
      },
      {
        name: "unknown contact property",
        news: { ...base(), primaryContact: contact({ middleName: "B" }) },
        property: "primaryContact.middleName",
        reason: /unknown property/,
      },
      {
        name: "agreementType MCA",
        news: { ...base(), agreementType: "MCA" },
        property: "agreementType",
        reason:
          /"MCA" is not an agreement type: must be one of "MicrosoftCustomerAgreement", "MicrosoftCloudAgreement"/,
      },
      {
        name: "agreementType *",
        news: { ...base(), agreementType: "*" },
        property: "agreementType",
        reason: /MicrosoftCustomerAgreement/,
      },
      {
        name: "agreementType a boolean",
        news: { ...base(), agreementType: true },
        property: "agreementType",
        reason: /must be one of/,
      },
      {
        name: "templateId not a GUID",
        news: { ...base(), templateId: "mca-2024" },
        property: "templateId",
        reason: /"mca-2024" is not a GUID/,
      },
      {
        name: "dateAgreed a date without time",
        news: { ...base(), dateAgreed: "2024-05-01" },
        property: "dateAgreed",
        reason: /has no time.*2024-05-01T00:00:00Z/,
      },
      {
        name: "dateAgreed local time without offset",
        news: { ...base(), dateAgreed: "2024-05-01T09:30:00" },
        property: "dateAgreed",
        reason: /local time.*UTC.*2024-05-01T09:30:00Z/,
      },
      {
        name: "dateAgreed local time without seconds",
        news: { ...base(), dateAgreed: "2024-05-01T09:30" },
        property: "dateAgreed",
        reason: /local time/,
      },
      {
        name: "dateAgreed with a non-UTC offset",
        news: { ...base(), dateAgreed: "2024-05-01T02:00:00+02:00" },
        property: "dateAgreed",
        reason: /not in UTC \(offset \+02:00\).*use 2024-05-01T00:00:00\.000Z/,
      },
      {
        name: "dateAgreed with a negative offset",
        news: { ...base(), dateAgreed: "2024-04-30T20:00:00-0400" },
        property: "dateAgreed",
        reason: /use 2024-05-01T00:00:00\.000Z/,
      },
      {
        name: "dateAgreed in prose",
        news: { ...base(), dateAgreed: "May 1, 2024" },
        property: "dateAgreed",
        reason: /not an ISO-8601 date-time.*2024-05-01T00:00:00Z/,
      },
      {
        name: "dateAgreed as epoch text",
        news: { ...base(), dateAgreed: "1714521600" },
        property: "dateAgreed",
        reason: /ISO-8601/,
      },
      {
        name: "dateAgreed 30 February",
        news: { ...base(), dateAgreed: "2024-02-30T00:00:00Z" },
        property: "dateAgreed",
        reason: /not a real date/,
      },
      {
        name: "dateAgreed hour 24",
        news: { ...base(), dateAgreed: "2024-05-01T24:00:00Z" },
        property: "dateAgreed",
        reason: /not a real date/,
      },
      {
        name: "dateAgreed in the future",
        news: { ...base(), dateAgreed: "2030-01-01T00:00:00Z" },
        property: "dateAgreed",
        reason: /in the future/,
      },
      {
        name: "dateAgreed just past the clock skew",
        news: { ...base(), dateAgreed: future },
        property: "dateAgreed",
        reason: /in the future/,
      },
      {
        name: "dateAgreed a number",
        news: { ...base(), dateAgreed: 1714521600000 },
        property: "dateAgreed",
        reason: /must be a string/,
      },
      {
        name: "misspelt property",
        news: { ...base(), templateID: TEMPLATE_ID },
        property: "templateID",
        reason: /did you mean "templateId"/,
      },
      {
        name: "an output passed as an input",
        news: { ...base(), agreementLink: "https://aka.ms/customeragreement" },
        property: "agreementLink",
        reason: /unknown property/,
      },
    ];

    for (const c of cases) {
      it(c.name, () => {
        const { failures } = validate(c.news);
        assert.deepEqual(
          failures.map((f) => f.property),
          [c.property],
          JSON.stringify(failures),
        );
        assert.match(failures[0]?.reason ?? "", c.reason);
      });
    }

    it("has at least 15 cases", () => {
      assert.ok(cases.length >= 15, `${cases.length} cases`);
    });

    it("refuses app-only credentials on customerId, saying how to configure App+User", () => {
      const { failures } = validate(base(), "app");
      assert.deepEqual(
        failures.map((f) => f.property),
        ["customerId"],
      );
      const reason = failures[0]?.reason ?? "";
      assert.match(reason, /App\+User/);
      assert.match(reason, /pulumi config set --secret partnercenter:refreshToken <token>/);
      assert.match(reason, /PARTNERCENTER_REFRESH_TOKEN/);
    });

    it("reports every bad property", () => {
      const { failures } = validate(
        { customerId: "x", primaryContact: contact({ email: "y" }), dateAgreed: "2024-05-01" },
        "app",
      );
      assert.deepEqual(
        failures.map((f) => f.property),
        ["customerId", "primaryContact.email", "dateAgreed"],
      );
      assert.match(failures[0]?.reason ?? "", /not a GUID.*; needs App\+User/);
    });

    it("uses the current time when no clock is given", () => {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      const { failures } = validateCustomerAgreementInputs(
        { ...base(), dateAgreed: tomorrow },
        { credentials: "app+user" },
      );
      assert.deepEqual(
        failures.map((f) => f.property),
        ["dateAgreed"],
      );
    });
  });

  describe("unknown values (preview)", () => {
    const cases: Array<[string, Props]> = [
      ["customerId (a customer created in the same run)", { ...base(), customerId: UNKNOWN }],
      ["primaryContact", { ...base(), primaryContact: UNKNOWN }],
      ["contact email", { ...base(), primaryContact: contact({ email: UNKNOWN }) }],
      ["templateId and dateAgreed", { ...base(), templateId: UNKNOWN, dateAgreed: UNKNOWN }],
      ["agreementType (kept, not defaulted)", { ...base(), agreementType: UNKNOWN }],
    ];
    for (const [name, news] of cases) {
      it(`skips and keeps an unknown ${name}`, () => {
        const { inputs, failures } = validate(news);
        assert.deepEqual(failures, []);
        const raw = inputs as unknown as Props;
        for (const [key, value] of Object.entries(news)) {
          if (value === UNKNOWN) assert.equal(raw[key], UNKNOWN, key);
        }
      });
    }
  });
});

describe("parseUtcDateTime", () => {
  it("returns the instant of a UTC date-time", () => {
    const parsed = parseUtcDateTime("2024-05-01T00:00:00Z");
    assert.ok("date" in parsed);
    assert.equal(parsed.date.toISOString(), "2024-05-01T00:00:00.000Z");
  });

  it("explains a local time without putting the value in the reason", () => {
    const parsed = parseUtcDateTime("2024-05-01T10:00:00");
    assert.ok("reason" in parsed);
    assert.match(parsed.reason, /^has no time zone/);
  });
});

import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/resources/checkFailures";
import { diffCustomerAgreement } from "../../provider/resources/customerAgreementDiff";

type Props = Record<string, unknown>;

const CUSTOMER_ID = "3b8e6d21-47a9-4f0c-9e25-c1d0a7b6f832";
const OTHER_CUSTOMER_ID = "9f1c2e4a-0b7d-4c3e-8a61-2d5f7e9b0c14";
const TEMPLATE_ID = "117a77b0-9360-443b-8795-c6dedc750cf9";
const CLOUD_TEMPLATE_ID = "998b88de-aa99-4388-a42c-1b3517d49490";

const CONTACT = { firstName: "Ada", lastName: "Ng", email: "ada@fabrikam.example" };

/** Old outputs: inputs echoed with the recorded templateId and dateAgreed, plus computed keys. */
function outputs(overrides: Props = {}): Props {
  return {
    customerId: CUSTOMER_ID,
    primaryContact: { ...CONTACT },
    agreementType: "MicrosoftCustomerAgreement",
    templateId: TEMPLATE_ID,
    dateAgreed: "2024-05-01T00:00:00.000Z",
    agreementLink: "https://aka.ms/customeragreement",
    userId: "4c0ffee0-1111-4222-8333-444444444444",
    __provider: "exports.handler = old",
    ...overrides,
  };
}

/** New inputs after check, leaving templateId and dateAgreed out unless given. */
function news(overrides: Props = {}): Props {
  return {
    customerId: CUSTOMER_ID,
    primaryContact: { ...CONTACT },
    agreementType: "MicrosoftCustomerAgreement",
    __provider: "exports.handler = new",
    ...overrides,
  };
}

describe("diffCustomerAgreement", () => {
  const cases: Array<{ name: string; olds?: Props; news: Props; replaces: string[] }> = [
    // no change
    { name: "templateId and dateAgreed left out equal the recorded ones", news: news(), replaces: [] },
    {
      name: "the recorded templateId and dateAgreed given explicitly",
      news: news({ templateId: TEMPLATE_ID, dateAgreed: "2024-05-01T00:00:00.000Z" }),
      replaces: [],
    },
    {
      name: "another spelling of the same instant and GUID case",
      news: news({ templateId: TEMPLATE_ID.toUpperCase(), dateAgreed: "2024-05-01T00:00:00Z" }),
      replaces: [],
    },
    {
      name: "a recorded date Partner Center echoed without milliseconds",
      olds: outputs({ dateAgreed: "2024-05-01T00:00:00Z" }),
      news: news({ dateAgreed: "2024-05-01T00:00:00.000Z" }),
      replaces: [],
    },
    { name: "customerId in another case", news: news({ customerId: CUSTOMER_ID.toUpperCase() }), replaces: [] },
    {
      name: "agreementType absent from an older state",
      olds: outputs({ agreementType: undefined }),
      news: news(),
      replaces: [],
    },
    {
      name: "contact keys in another order, undefined phone",
      news: news({
        primaryContact: { email: CONTACT.email, phoneNumber: undefined, lastName: "Ng", firstName: "Ada" },
      }),
      replaces: [],
    },
    {
      name: "only __provider and computed outputs differ",
      olds: outputs({ agreementLink: "https://example.test", userId: undefined, __other: 1 }),
      news: news({ __other: 2 }),
      replaces: [],
    },
    // replacements
    { name: "customerId changed", news: news({ customerId: OTHER_CUSTOMER_ID }), replaces: ["customerId"] },
    {
      name: "contact email changed",
      news: news({ primaryContact: { ...CONTACT, email: "ada.ng@fabrikam.example" } }),
      replaces: ["primaryContact"],
    },
    {
      name: "contact phone added",
      news: news({ primaryContact: { ...CONTACT, phoneNumber: "2065550100" } }),
      replaces: ["primaryContact"],
    },
    {
      name: "contact phone removed",
      olds: outputs({ primaryContact: { ...CONTACT, phoneNumber: "2065550100" } }),
      news: news(),
      replaces: ["primaryContact"],
    },
    {
      name: "agreementType changed",
      news: news({ agreementType: "MicrosoftCloudAgreement" }),
      replaces: ["agreementType"],
    },
    { name: "templateId changed", news: news({ templateId: CLOUD_TEMPLATE_ID }), replaces: ["templateId"] },
    { name: "dateAgreed changed", news: news({ dateAgreed: "2024-05-02T00:00:00.000Z" }), replaces: ["dateAgreed"] },
    {
      name: "dateAgreed one millisecond later",
      news: news({ dateAgreed: "2024-05-01T00:00:00.001Z" }),
      replaces: ["dateAgreed"],
    },
    {
      name: "several at once, in input order",
      news: news({
        dateAgreed: "2024-05-02T00:00:00.000Z",
        customerId: OTHER_CUSTOMER_ID,
        agreementType: "MicrosoftCloudAgreement",
      }),
      replaces: ["customerId", "agreementType", "dateAgreed"],
    },
    // unknowns
    { name: "unknown customerId", news: news({ customerId: UNKNOWN }), replaces: ["customerId"] },
    { name: "unknown primaryContact", news: news({ primaryContact: UNKNOWN }), replaces: ["primaryContact"] },
    {
      name: "unknown contact email",
      news: news({ primaryContact: { ...CONTACT, email: UNKNOWN } }),
      replaces: ["primaryContact"],
    },
    { name: "unknown agreementType", news: news({ agreementType: UNKNOWN }), replaces: ["agreementType"] },
    { name: "unknown templateId", news: news({ templateId: UNKNOWN }), replaces: ["templateId"] },
    { name: "unknown dateAgreed", news: news({ dateAgreed: UNKNOWN }), replaces: ["dateAgreed"] },
  ];

  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(diffCustomerAgreement(c.olds ?? outputs(), c.news), {
        changes: c.replaces.length > 0,
        replaces: c.replaces,
      });
    });
  }

  it("never asks for delete-before-replace", () => {
    assert.equal(
      "deleteBeforeReplace" in diffCustomerAgreement(outputs(), news({ customerId: OTHER_CUSTOMER_ID })),
      false,
    );
  });
});

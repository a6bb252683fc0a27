import assert from "node:assert/strict";
import { useEmulator } from "../support/emulatorHooks";
import { customerInputs, customerUrn, providerTextOf, requestsFrom, startHostFor } from "../support/providerHarness";
import type { ProviderHost } from "../support/providerHost";

type Inputs = Record<string, unknown>;

/** Applies `change` to a fresh copy of valid inputs. */
function bad(
  change: (inputs: Inputs & { companyProfile: Inputs; billingProfile: Inputs & { defaultAddress: Inputs } }) => void,
): Inputs {
  const inputs = structuredClone(customerInputs()) as Inputs & {
    companyProfile: Inputs;
    billingProfile: Inputs & { defaultAddress: Inputs };
  };
  change(inputs);
  return inputs;
}

/** [description, inputs, the property the failure must name]. Each must fail at check with no request sent. */
const BAD_INPUTS: [string, Inputs, string][] = [
  ["missing companyProfile", bad((i) => delete (i as Inputs).companyProfile), "companyProfile"],
  ["missing billingProfile", bad((i) => delete (i as Inputs).billingProfile), "billingProfile"],
  ["missing domain", bad((i) => delete i.companyProfile.domain), "companyProfile.domain"],
  ["domain without onmicrosoft.com", bad((i) => (i.companyProfile.domain = "contoso.com")), "companyProfile.domain"],
  [
    "domain prefix too long",
    bad((i) => (i.companyProfile.domain = `${"a".repeat(28)}.onmicrosoft.com`)),
    "companyProfile.domain",
  ],
  ["domain with a hyphen", bad((i) => (i.companyProfile.domain = "con-toso.onmicrosoft.com")), "companyProfile.domain"],
  ["domain not a string", bad((i) => (i.companyProfile.domain = 42)), "companyProfile.domain"],
  [
    "registration number outside the listed countries",
    bad((i) => (i.companyProfile.organizationRegistrationNumber = "123")),
    "companyProfile.organizationRegistrationNumber",
  ],
  ["missing email", bad((i) => delete i.billingProfile.email), "billingProfile.email"],
  ["malformed email", bad((i) => (i.billingProfile.email = "not-an-email")), "billingProfile.email"],
  ["missing culture", bad((i) => delete i.billingProfile.culture), "billingProfile.culture"],
  ["culture without region", bad((i) => (i.billingProfile.culture = "english")), "billingProfile.culture"],
  ["culture with UK region", bad((i) => (i.billingProfile.culture = "en-UK")), "billingProfile.culture"],
  ["missing language", bad((i) => delete i.billingProfile.language), "billingProfile.language"],
  ["language too long", bad((i) => (i.billingProfile.language = "english")), "billingProfile.language"],
  ["missing billing company name", bad((i) => delete i.billingProfile.companyName), "billingProfile.companyName"],
  ["empty billing company name", bad((i) => (i.billingProfile.companyName = "   ")), "billingProfile.companyName"],
  ["missing address", bad((i) => delete (i.billingProfile as Inputs).defaultAddress), "billingProfile.defaultAddress"],
  [
    "missing address first name",
    bad((i) => delete i.billingProfile.defaultAddress.firstName),
    "billingProfile.defaultAddress.firstName",
  ],
  [
    "address first name too long",
    bad((i) => (i.billingProfile.defaultAddress.firstName = "x".repeat(51))),
    "billingProfile.defaultAddress.firstName",
  ],
  [
    "missing address last name",
    bad((i) => delete i.billingProfile.defaultAddress.lastName),
    "billingProfile.defaultAddress.lastName",
  ],
  [
    "missing address line 1",
    bad((i) => delete i.billingProfile.defaultAddress.addressLine1),
    "billingProfile.defaultAddress.addressLine1",
  ],
  [
    "address line 1 too long",
    bad((i) => (i.billingProfile.defaultAddress.addressLine1 = "x".repeat(201))),
    "billingProfile.defaultAddress.addressLine1",
  ],
  [
    "address line 2 too long",
    bad((i) => (i.billingProfile.defaultAddress.addressLine2 = "x".repeat(201))),
    "billingProfile.defaultAddress.addressLine2",
  ],
  ["missing city", bad((i) => delete i.billingProfile.defaultAddress.city), "billingProfile.defaultAddress.city"],
  [
    "missing postal code",
    bad((i) => delete i.billingProfile.defaultAddress.postalCode),
    "billingProfile.defaultAddress.postalCode",
  ],
  [
    "missing country",
    bad((i) => delete i.billingProfile.defaultAddress.country),
    "billingProfile.defaultAddress.country",
  ],
  [
    "UK instead of GB",
    bad((i) => (i.billingProfile.defaultAddress.country = "UK")),
    "billingProfile.defaultAddress.country",
  ],
  [
    "three-letter country",
    bad((i) => (i.billingProfile.defaultAddress.country = "USA")),
    "billingProfile.defaultAddress.country",
  ],
  [
    "Poland without registration number",
    bad((i) => {
      Object.assign(i.billingProfile.defaultAddress, { country: "PL", postalCode: "00-001", city: "Warszawa" });
      delete i.billingProfile.defaultAddress.state;
    }),
    "companyProfile.organizationRegistrationNumber",
  ],
  [
    "Russia without phone",
    bad((i) => {
      Object.assign(i.billingProfile.defaultAddress, { country: "RU", postalCode: "101000", city: "Moscow" });
      delete i.billingProfile.defaultAddress.state;
      delete i.billingProfile.defaultAddress.phoneNumber;
      i.companyProfile.organizationRegistrationNumber = "1234567890";
    }),
    "billingProfile.defaultAddress.phoneNumber",
  ],
  [
    "phone with letters",
    bad((i) => (i.billingProfile.defaultAddress.phoneNumber = "call-me-maybe")),
    "billingProfile.defaultAddress.phoneNumber",
  ],
  [
    "associatedPartnerId not a GUID",
    bad((i) => ((i as Inputs).associatedPartnerId = "reseller-1")),
    "associatedPartnerId",
  ],
  ["existingCustomerId not a GUID", bad((i) => ((i as Inputs).existingCustomerId = "contoso")), "existingCustomerId"],
  ["enableGDAPByDefault not a boolean", bad((i) => ((i as Inputs).enableGDAPByDefault = "yes")), "enableGDAPByDefault"],
  ["unknown deletionPolicy", bad((i) => ((i as Inputs).deletionPolicy = "destroy")), "deletionPolicy"],
  ["preflight not a boolean", bad((i) => ((i as Inputs).preflight = "no")), "preflight"],
  ["a typo in a top-level property", bad((i) => ((i as Inputs).deletePolicy = "retain")), "deletePolicy"],
  [
    "a typo in an address property",
    bad((i) => (i.billingProfile.defaultAddress.zipCode = "98052")),
    "billingProfile.defaultAddress.zipCode",
  ],
];

describe("PartnerCustomer bad inputs fail at check with zero requests sent", function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let provider: string;

  before(async () => {
    provider = await providerTextOf("PartnerCustomer");
    host = await startHostFor(emulator());
  });
  after(async () => {
    await host?.stop();
  });

  it(`has at least 30 cases (${BAD_INPUTS.length})`, () => {
    assert.ok(BAD_INPUTS.length >= 30);
  });

  for (const [description, inputs, property] of BAD_INPUTS) {
    it(`${description} → ${property}`, async () => {
      const seen = requestsFrom(emulator());
      const result = await host.check(customerUrn("bad"), {}, { ...inputs, __provider: provider });
      assert.ok(
        result.failures.some((f) => f.property === property),
        `expected a failure on ${property}, got ${JSON.stringify(result.failures)}`,
      );
      for (const failure of result.failures) assert.ok(failure.reason.length > 10, "each failure says the rule");
      assert.deepEqual(seen(), [], "nothing reached Partner Center");
      assert.equal(emulator().state().customers.length, 0);
    });
  }
});

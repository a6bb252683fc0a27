import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/resources/checkFailures";
import { diffPartnerCustomer } from "../../provider/resources/partnerCustomerDiff";
import { FABRIKAM_SEATTLE, validCustomerArgs } from "../support/customerFixtures";

type Props = Record<string, unknown>;

const PARTNER_ID = "9f1c2e4a-0b7d-4c3e-8a61-2d5f7e9b0c14";
const CUSTOMER_ID = "3b8e6d21-47a9-4f0c-9e25-c1d0a7b6f832";
/** Another customer of the partner (to adopt instead). */
const OTHER_CUSTOMER_ID = "5d2a9c47-1e3b-4f6a-8c0d-7b9e2f4a6c18";

/** Checked inputs of a customer. */
function inputs(): Props {
  return { ...validCustomerArgs(FABRIKAM_SEATTLE), enableGDAPByDefault: true };
}

/** Old outputs: the inputs echoed plus what Partner Center computed and the serialized provider. */
function outputs(overrides: Props = {}): Props {
  return {
    ...inputs(),
    customerId: CUSTOMER_ID,
    tenantId: CUSTOMER_ID,
    commerceId: "c0ffee00-0000-4000-8000-000000000001",
    relationshipToPartner: "reseller",
    allowDelegatedAccess: false,
    billingProfileId: "b1111111-2222-4333-8444-555555555555",
    userCredentials: { userName: "admin@fabrikamtest123.onmicrosoft.com", password: "s3cret!" },
    __provider: "exports.handler = old",
    ...overrides,
  };
}

function news(overrides: Props = {}): Props {
  return { ...inputs(), __provider: "exports.handler = new", ...overrides };
}

function withAddress(changes: Props): Props {
  const billing = inputs()["billingProfile"] as Props;
  return { ...billing, defaultAddress: { ...(billing["defaultAddress"] as Props), ...changes } };
}

const NO_CHANGE = { changes: false, replaces: [] };

describe("diffPartnerCustomer", () => {
  describe("no change", () => {
    const cases: Array<{ name: string; olds: Props; news: Props }> = [
      { name: "identical inputs, computed outputs and a new __provider", olds: outputs(), news: news() },
      { name: "only __-prefixed keys differ", olds: outputs({ __other: 1 }), news: news({ __other: 2, __new: 3 }) },
      { name: "an output key this version does not know", olds: outputs({ futureOutput: "x" }), news: news() },
      { name: "deletionPolicy absent versus the default", olds: outputs(), news: news({ deletionPolicy: "retain" }) },
      { name: "deletionPolicy default versus absent", olds: outputs({ deletionPolicy: "retain" }), news: news() },
      { name: "preflight absent versus the default", olds: outputs(), news: news({ preflight: true }) },
      {
        name: "an optional input absent on both sides, or undefined",
        olds: outputs(),
        news: news({ associatedPartnerId: undefined }),
      },
      {
        name: "key order differs at every level",
        olds: outputs(),
        news: Object.fromEntries(
          Object.entries(news())
            .reverse()
            .map(([k, v]) => [k, k === "billingProfile" ? reverseKeys(v as Props) : v]),
        ),
      },
      {
        name: "undefined members in nested objects",
        olds: outputs(),
        news: news({ companyProfile: { domain: "fabrikamtest123.onmicrosoft.com", companyName: undefined } }),
      },
      {
        name: "codes and GUIDs spelt in another case",
        olds: outputs({
          companyProfile: { domain: "FabrikamTest123.onmicrosoft.com" },
          existingCustomerId: CUSTOMER_ID.toUpperCase(),
        }),
        news: news({ existingCustomerId: CUSTOMER_ID }),
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(diffPartnerCustomer(c.olds, c.news), NO_CHANGE);
      });
    }
  });

  describe("replace-triggering changes replace, by top-level name", () => {
    const cases: Array<{ name: string; news: Props; replaces: string[]; olds?: Props }> = [
      {
        name: "domain",
        news: news({ companyProfile: { domain: "fabrikam2.onmicrosoft.com" } }),
        replaces: ["companyProfile"],
      },
      {
        name: "registration number added",
        news: news({
          companyProfile: { domain: "fabrikamtest123.onmicrosoft.com", organizationRegistrationNumber: "1" },
        }),
        replaces: ["companyProfile"],
      },
      {
        name: "billing email",
        news: news({ billingProfile: { ...(inputs()["billingProfile"] as Props), email: "ap@fabrikam.example" } }),
        replaces: ["billingProfile"],
      },
      {
        name: "address city",
        news: news({ billingProfile: withAddress({ city: "Redmond" }) }),
        replaces: ["billingProfile"],
      },
      {
        name: "address line 2 added",
        news: news({ billingProfile: withAddress({ addressLine2: "Suite 1" }) }),
        replaces: ["billingProfile"],
      },
      {
        name: "address state removed",
        news: news({ billingProfile: withAddress({ state: undefined }) }),
        replaces: ["billingProfile"],
      },
      {
        name: "associatedPartnerId added",
        news: news({ associatedPartnerId: PARTNER_ID }),
        replaces: ["associatedPartnerId"],
      },
      {
        name: "associatedPartnerId removed",
        olds: outputs({ associatedPartnerId: PARTNER_ID }),
        news: news(),
        replaces: ["associatedPartnerId"],
      },
      {
        name: "enableGDAPByDefault flipped",
        news: news({ enableGDAPByDefault: false }),
        replaces: ["enableGDAPByDefault"],
      },
      {
        name: "enableGDAPByDefault removed (absent is not false)",
        news: news({ enableGDAPByDefault: undefined }),
        replaces: ["enableGDAPByDefault"],
      },
      {
        name: "existingCustomerId set to another customer",
        news: news({ existingCustomerId: OTHER_CUSTOMER_ID }),
        replaces: ["existingCustomerId"],
      },
      {
        name: "existingCustomerId changed",
        olds: outputs({ existingCustomerId: CUSTOMER_ID }),
        news: news({ existingCustomerId: PARTNER_ID }),
        replaces: ["existingCustomerId"],
      },
      {
        name: "several at once, in a stable order",
        news: news({
          existingCustomerId: OTHER_CUSTOMER_ID,
          associatedPartnerId: PARTNER_ID,
          billingProfile: withAddress({ city: "Redmond" }),
          companyProfile: { domain: "x.onmicrosoft.com" },
        }),
        replaces: ["companyProfile", "billingProfile", "associatedPartnerId", "existingCustomerId"],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(diffPartnerCustomer(c.olds ?? outputs(), c.news), { changes: true, replaces: c.replaces });
      });
    }
  });

  describe("in-place changes", () => {
    const cases: Array<{ name: string; olds?: Props; news: Props }> = [
      { name: "deletionPolicy set", news: news({ deletionPolicy: "removeRelationship" }) },
      {
        name: "deletionPolicy back to the default by removal",
        olds: outputs({ deletionPolicy: "delete" }),
        news: news(),
      },
      { name: "preflight turned off", news: news({ preflight: false }) },
      { name: "preflight removed after false", olds: outputs({ preflight: false }), news: news() },
    ];
    for (const c of cases) {
      it(c.name, () => {
        assert.deepEqual(diffPartnerCustomer(c.olds ?? outputs(), c.news), { changes: true, replaces: [] });
      });
    }
  });

  describe("unknown values (preview)", () => {
    const cases: Array<{ name: string; news: Props; replaces: string[] }> = [
      { name: "a whole company profile", news: news({ companyProfile: UNKNOWN }), replaces: ["companyProfile"] },
      {
        name: "a nested address field",
        news: news({ billingProfile: withAddress({ city: UNKNOWN }) }),
        replaces: ["billingProfile"],
      },
      { name: "associatedPartnerId", news: news({ associatedPartnerId: UNKNOWN }), replaces: ["associatedPartnerId"] },
      { name: "enableGDAPByDefault", news: news({ enableGDAPByDefault: UNKNOWN }), replaces: ["enableGDAPByDefault"] },
      { name: "existingCustomerId", news: news({ existingCustomerId: UNKNOWN }), replaces: ["existingCustomerId"] },
      { name: "deletionPolicy (in place)", news: news({ deletionPolicy: UNKNOWN }), replaces: [] },
      { name: "preflight (in place)", news: news({ preflight: UNKNOWN }), replaces: [] },
    ];
    for (const c of cases) {
      it(`an unknown ${c.name} is a change`, () => {
        assert.deepEqual(diffPartnerCustomer(outputs(), c.news), { changes: true, replaces: c.replaces });
      });
    }
  });

  describe("pinning the managed customer with existingCustomerId", () => {
    it("is no change at all (no replacement, so no delete of the old resource)", () => {
      assert.deepEqual(diffPartnerCustomer(outputs(), news({ existingCustomerId: CUSTOMER_ID })), NO_CHANGE);
      assert.deepEqual(
        diffPartnerCustomer(
          outputs({ deletionPolicy: "delete" }),
          news({ existingCustomerId: CUSTOMER_ID.toUpperCase() }),
        ),
        { changes: true, replaces: [] },
        "only the in-place deletionPolicy change remains",
      );
    });

    it("together with a replace-triggering change is an error naming the paths, never a replacement", () => {
      assert.throws(
        () =>
          diffPartnerCustomer(
            outputs(),
            news({ existingCustomerId: CUSTOMER_ID, billingProfile: withAddress({ city: "Redmond" }) }),
          ),
        /billingProfile\.defaultAddress\.city: changing this replaces the customer, but existingCustomerId names 3b8e6d21-/,
      );
    });

    it("is not pinning when the resource already adopted a customer (a change of existingCustomerId replaces)", () => {
      const adopted = outputs({ existingCustomerId: OTHER_CUSTOMER_ID });
      assert.deepEqual(diffPartnerCustomer(adopted, news({ existingCustomerId: CUSTOMER_ID })), {
        changes: true,
        replaces: ["existingCustomerId"],
      });
    });
  });

  describe("deleteBeforeReplace", () => {
    const domainChange = { companyProfile: { domain: "fabrikam2.onmicrosoft.com" } };
    const sameDomainChange = { billingProfile: withAddress({ addressLine1: "2 Microsoft Way" }) };

    it('is set when the deployed deletionPolicy is "delete" and the new customer needs the old domain', () => {
      assert.deepEqual(
        diffPartnerCustomer(
          outputs({ deletionPolicy: "delete" }),
          news({ ...sameDomainChange, deletionPolicy: "delete" }),
        ),
        { changes: true, replaces: ["billingProfile"], deleteBeforeReplace: true },
      );
    });

    it("is not set when the domain changes or a customer is adopted: the new one is created first", () => {
      assert.deepEqual(
        diffPartnerCustomer(outputs({ deletionPolicy: "delete" }), news({ ...domainChange, deletionPolicy: "delete" })),
        { changes: true, replaces: ["companyProfile"] },
      );
      assert.deepEqual(
        diffPartnerCustomer(
          outputs({ deletionPolicy: "delete" }),
          news({ existingCustomerId: OTHER_CUSTOMER_ID, deletionPolicy: "delete" }),
        ),
        { changes: true, replaces: ["existingCustomerId"] },
      );
    });

    it("is set when the new domain is unknown at preview (it may be the old one)", () => {
      const diff = diffPartnerCustomer(
        outputs({ deletionPolicy: "delete" }),
        news({ companyProfile: { domain: UNKNOWN } }),
      );
      assert.equal(diff.deleteBeforeReplace, true);
    });

    it("follows the deployed policy even when the new one is different or unknown (delete runs with the old outputs)", () => {
      for (const deletionPolicy of ["retain", UNKNOWN, undefined]) {
        const diff = diffPartnerCustomer(
          outputs({ deletionPolicy: "delete" }),
          news({ ...sameDomainChange, deletionPolicy }),
        );
        assert.equal(diff.deleteBeforeReplace, true, String(deletionPolicy));
      }
    });

    it('is not set when only the new policy is "delete"', () => {
      const diff = diffPartnerCustomer(outputs(), news({ ...sameDomainChange, deletionPolicy: "delete" }));
      assert.deepEqual(diff, { changes: true, replaces: ["billingProfile"] });
    });

    it("is not set without a replacement", () => {
      assert.deepEqual(
        diffPartnerCustomer(outputs({ deletionPolicy: "delete" }), news({ deletionPolicy: "delete" })),
        NO_CHANGE,
      );
      assert.deepEqual(diffPartnerCustomer(outputs({ deletionPolicy: "delete" }), news({ preflight: false })), {
        changes: true,
        replaces: [],
      });
    });
  });
});

function reverseKeys(value: Props): Props {
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, typeof v === "object" && v !== null ? reverseKeys(v as Props) : v]),
  );
}

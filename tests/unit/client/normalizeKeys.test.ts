import assert from "node:assert/strict";
import { camelCaseKey, normalizeKeys } from "../../../provider/foundation/normalizeKeys";

describe("normalizeKeys", () => {
  it("camelCases PascalCase keys, leaving camelCase and non-identifiers alone", () => {
    assert.equal(camelCaseKey("RelationshipToPartner"), "relationshipToPartner");
    assert.equal(camelCaseKey("ObjectType"), "objectType");
    assert.equal(camelCaseKey("ID"), "id");
    assert.equal(camelCaseKey("ETag"), "etag");
    assert.equal(camelCaseKey("URLValue"), "urlValue");
    assert.equal(camelCaseKey("companyProfile"), "companyProfile");
    assert.equal(camelCaseKey("MS-ContinuationToken"), "MS-ContinuationToken");
  });

  it("normalises the documented PascalCase PATCH response deeply", () => {
    const body = {
      Id: "c1",
      CompanyProfile: { Domain: "x.onmicrosoft.com", Attributes: { ObjectType: "CustomerCompanyProfile" } },
      RelationshipToPartner: "none",
      CustomDomains: ["a.example"],
      Attributes: { ObjectType: "Customer" },
    };
    assert.deepEqual(normalizeKeys(body), {
      id: "c1",
      companyProfile: { domain: "x.onmicrosoft.com", attributes: { objectType: "CustomerCompanyProfile" } },
      relationshipToPartner: "none",
      customDomains: ["a.example"],
      attributes: { objectType: "Customer" },
    });
  });

  it("prefers the documented camelCase key when both spellings are present", () => {
    assert.deepEqual(normalizeKeys({ Id: "pascal", id: "camel" }), { id: "camel" });
    assert.deepEqual(normalizeKeys({ id: "camel", Id: "pascal" }), { id: "camel" });
  });

  it("leaves values (including link header names) untouched and drops __proto__", () => {
    const parsed = JSON.parse(
      '{"Links":{"Next":{"Headers":[{"Key":"MS-ContinuationToken","Value":"T"}]}},"__proto__":{"x":1}}',
    );
    const normalized = normalizeKeys(parsed) as Record<string, unknown>;
    assert.deepEqual(normalized, { links: { next: { headers: [{ key: "MS-ContinuationToken", value: "T" }] } } });
    assert.equal(Object.getPrototypeOf(normalized), Object.prototype);
  });
});

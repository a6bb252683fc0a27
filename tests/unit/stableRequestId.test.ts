import assert from "node:assert/strict";
import { canonicalJson, stableRequestId } from "../../provider/resources/stableRequestId";

describe("stableRequestId", () => {
  it("is a GUID (RFC 9562 version 8, RFC 4122 variant)", () => {
    assert.match(stableRequestId("a"), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is the same for equal inputs whatever their key order, and drops undefined members", () => {
    const a = stableRequestId("create", { domain: "x.onmicrosoft.com", billing: { email: "e", culture: "en-US" } });
    const b = stableRequestId("create", {
      billing: { culture: "en-US", email: "e", firstName: undefined },
      domain: "x.onmicrosoft.com",
    });
    assert.equal(a, b);
  });

  it("differs when any input differs", () => {
    const base = stableRequestId("create", { domain: "x.onmicrosoft.com", country: "US" });
    assert.notEqual(base, stableRequestId("create", { domain: "y.onmicrosoft.com", country: "US" }));
    assert.notEqual(base, stableRequestId("create", { domain: "x.onmicrosoft.com", country: "GB" }));
    assert.notEqual(base, stableRequestId("other", { domain: "x.onmicrosoft.com", country: "US" }));
  });

  it("keeps array order (it is meaningful)", () => {
    assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
    assert.equal(canonicalJson({ b: [{ d: 1, c: 2 }], a: 1 }), '{"a":1,"b":[{"c":2,"d":1}]}');
  });
});

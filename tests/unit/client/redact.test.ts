import assert from "node:assert/strict";
import { REDACTED, redactHeaders, redactText, truncate } from "../../../provider/foundation/redact";

describe("redact", () => {
  describe("redactHeaders", () => {
    it("redacts Authorization in any casing and keeps allow-listed headers", () => {
      const shown = redactHeaders({
        Authorization: "Bearer abc.def.ghi",
        "MS-RequestId": "r1",
        "ms-correlationid": "c1",
        "X-Locale": "en-US",
        Cookie: "session=1",
        "MS-ContinuationToken": "opaque",
        "Content-Length": 12,
        Accept: ["application/json", "text/plain"],
      });
      assert.equal(shown.Authorization, REDACTED);
      assert.equal(shown.Cookie, REDACTED);
      assert.equal(shown["MS-ContinuationToken"], REDACTED);
      assert.equal(shown["MS-RequestId"], "r1");
      assert.equal(shown["ms-correlationid"], "c1");
      assert.equal(shown["X-Locale"], "en-US");
      assert.equal(shown["Content-Length"], "12");
      assert.equal(shown.Accept, "application/json, text/plain");
    });
  });

  describe("redactText", () => {
    it("removes known secret values wherever they appear", () => {
      const text = redactText("failed for s3cr3t-value and again s3cr3t-value.", ["s3cr3t-value"]);
      assert.equal(text.includes("s3cr3t-value"), false);
      assert.equal(text, `failed for ${REDACTED} and again ${REDACTED}.`);
    });

    it("removes the longer of two overlapping secrets whole", () => {
      const text = redactText("token abcdefgh12345678", ["abcdefgh", "abcdefgh12345678"]);
      assert.equal(text, `token ${REDACTED}`);
    });

    it("ignores tiny secrets that would shred the text", () => {
      assert.equal(redactText("a b c", ["a"]), "a b c");
    });

    it("removes credential-shaped fragments without knowing them", () => {
      const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
      const input = [
        `Authorization: Bearer ${jwt}`,
        `token ${jwt}`,
        "client_secret=hunter2&grant_type=client_credentials",
        "refresh_token=0.AAAA-rt&scope=x",
        '{"password":"P@ss\\"word1","userName":"admin"}',
        "-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----",
      ].join("\n");
      const output = redactText(input);
      for (const leaked of [jwt, "hunter2", "0.AAAA-rt", "P@ss", "MIIabc"]) {
        assert.equal(output.includes(leaked), false, `leaked ${leaked}: ${output}`);
      }
      assert.match(output, /grant_type=client_credentials/);
      assert.match(output, /"userName":"admin"/);
    });

    it("leaves ordinary Partner Center text alone", () => {
      const text = "Organization registration ID is missing (code 600049), InternalErrorCode=600061";
      assert.equal(redactText(text), text);
    });
  });

  it("truncate marks the cut", () => {
    assert.equal(truncate("abcdef", 4), "abc…");
    assert.equal(truncate("abc", 4), "abc");
  });
});

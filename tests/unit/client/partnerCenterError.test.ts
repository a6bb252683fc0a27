import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  hasErrorCode,
  isConflict,
  isNotFound,
  isPartnerCenterError,
  isThrottled,
  PartnerCenterError,
} from "../../../provider/foundation/partnerCenterError";

describe("PartnerCenterError", () => {
  const error = new PartnerCenterError({
    kind: "http",
    operation: "Creating customer contoso.onmicrosoft.com",
    description: "Organization registration ID is missing",
    statusCode: 400,
    code: 600049,
    requestId: "req-1",
    correlationId: "corr-1",
  });

  it("carries operation, description, status, code and both ids in the message alone", () => {
    assert.equal(
      error.message,
      "Creating customer contoso.onmicrosoft.com: Organization registration ID is missing (HTTP 400, code 600049, correlation corr-1, request req-1)",
    );
    assert.equal(error.name, "PartnerCenterError");
    assert.ok(error.stack?.includes("code 600049"));
  });

  it("defaults isRetryable from kind and status", () => {
    assert.equal(error.isRetryable, false);
    assert.equal(new PartnerCenterError({ kind: "http", description: "x", statusCode: 503 }).isRetryable, true);
    assert.equal(new PartnerCenterError({ kind: "throttled", description: "x", statusCode: 429 }).isRetryable, true);
    assert.equal(new PartnerCenterError({ kind: "config", description: "x" }).isRetryable, false);
    assert.equal(
      new PartnerCenterError({ kind: "http", description: "x", statusCode: 503, isRetryable: false }).isRetryable,
      false,
    );
  });

  it("serializes to plain data with the same message (what survives gRPC)", () => {
    const json = JSON.parse(JSON.stringify(error));
    assert.equal(json.message, error.message);
    assert.equal(json.kind, "http");
    assert.equal(json.code, 600049);
    const copy = structuredClone(error);
    assert.equal(copy.message, error.message);
  });

  it("withOperation re-prefixes without losing fields", () => {
    const moved = error.withOperation("Adopting customer");
    assert.ok(moved.message.startsWith("Adopting customer: Organization"));
    assert.equal(moved.code, 600049);
    assert.equal(moved.requestId, "req-1");
  });

  it("guards recognise it, also across package copies (duck-typed)", () => {
    assert.ok(isPartnerCenterError(error));
    const foreign = Object.assign(new Error("m"), { name: "PartnerCenterError", kind: "http", statusCode: 404 });
    assert.ok(isPartnerCenterError(foreign));
    assert.ok(isNotFound(foreign));
    assert.ok(!isPartnerCenterError(new Error("x")));
    assert.ok(!isNotFound(error));
    assert.ok(isConflict(new PartnerCenterError({ kind: "http", description: "x", statusCode: 409 })));
    assert.ok(isThrottled(new PartnerCenterError({ kind: "throttled", description: "x", statusCode: 429 })));
  });

  it("hasErrorCode compares numbers and strings alike", () => {
    const duplicate = new PartnerCenterError({ kind: "http", description: "dup", code: "600061" });
    assert.ok(hasErrorCode(duplicate, 600061));
    assert.ok(hasErrorCode(error, "600049"));
    assert.ok(!hasErrorCode(error, 600050));
  });

  it("leaves out unknown parts of the suffix", () => {
    assert.equal(new PartnerCenterError({ kind: "config", description: "no endpoint" }).message, "no endpoint");
    assert.ok(inspect(error).includes("600049"));
  });
});

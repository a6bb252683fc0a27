import assert from "node:assert/strict";
import {
  computeBackoffDelay,
  decideRetry,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
} from "../../../provider/foundation/retryPolicy";

const OPTIONS: ResolvedRetryOptions = {
  limit: 3,
  maxRetryAfterSeconds: 60,
  maxTotalWaitSeconds: 120,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};
const fresh = { retriesSoFar: 0, waitedMs: 0 };
const half = () => 0.5;

describe("retryPolicy", () => {
  describe("parseRetryAfter", () => {
    it("reads delta-seconds, including fractions and padding", () => {
      assert.equal(parseRetryAfter("57"), 57);
      assert.equal(parseRetryAfter(" 2 "), 2);
      assert.equal(parseRetryAfter("1.5"), 1.5);
      assert.equal(parseRetryAfter("0"), 0);
    });

    it("reads an HTTP-date relative to now, never negative", () => {
      const now = Date.parse("2025-01-01T00:00:00Z");
      assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now), 30);
      assert.equal(parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", now), 0);
    });

    it("returns undefined for absent or garbage values", () => {
      assert.equal(parseRetryAfter(undefined), undefined);
      assert.equal(parseRetryAfter(""), undefined);
      assert.equal(parseRetryAfter("soon"), undefined);
      assert.equal(parseRetryAfter("-5"), undefined);
    });
  });

  describe("computeBackoffDelay", () => {
    it("doubles per retry with equal jitter between half and the full step", () => {
      assert.equal(
        computeBackoffDelay(1, 500, 30_000, () => 0),
        250,
      );
      assert.equal(
        computeBackoffDelay(1, 500, 30_000, () => 1),
        500,
      );
      assert.equal(
        computeBackoffDelay(2, 500, 30_000, () => 1),
        1000,
      );
      assert.equal(
        computeBackoffDelay(3, 500, 30_000, () => 0),
        1000,
      );
      assert.equal(
        computeBackoffDelay(4, 500, 30_000, () => 1),
        4000,
      );
    });

    it("caps a step at maxDelayMs", () => {
      assert.equal(
        computeBackoffDelay(20, 500, 30_000, () => 1),
        30_000,
      );
      assert.equal(
        computeBackoffDelay(20, 500, 30_000, () => 0),
        15_000,
      );
    });

    it("stays within bounds for any random value", () => {
      for (let n = 1; n <= 8; n++) {
        for (const r of [0, 0.1, 0.37, 0.99, 1]) {
          const step = Math.min(500 * 2 ** (n - 1), 30_000);
          const delay = computeBackoffDelay(n, 500, 30_000, () => r);
          assert.ok(delay >= step / 2 && delay <= step, `n=${n} r=${r} delay=${delay}`);
        }
      }
    });
  });

  describe("isRetryableStatus", () => {
    it("retries 408, 429 and 5xx except 501/505", () => {
      for (const status of [408, 429, 500, 502, 503, 504, 599]) assert.ok(isRetryableStatus(status), String(status));
      for (const status of [200, 400, 401, 403, 404, 409, 412, 501, 505]) {
        assert.ok(!isRetryableStatus(status), String(status));
      }
    });
  });

  describe("decideRetry", () => {
    it("never retries other 4xx", () => {
      for (const statusCode of [400, 401, 403, 404, 409, 412]) {
        const decision = decideRetry({ type: "response", statusCode }, fresh, OPTIONS, half);
        assert.equal(decision.retry, false);
        assert.equal(decision.retry === false && decision.exhausted, false);
      }
    });

    it("retries 5xx and 408 with backoff", () => {
      const decision = decideRetry({ type: "response", statusCode: 503 }, fresh, OPTIONS, half);
      assert.deepEqual(decision, { retry: true, delayMs: 375, reason: "HTTP 503" });
      assert.equal(decideRetry({ type: "response", statusCode: 408 }, fresh, OPTIONS, half).retry, true);
    });

    it("honours Retry-After on 429 (never waits less than advertised)", () => {
      const decision = decideRetry({ type: "response", statusCode: 429, retryAfter: "7" }, fresh, OPTIONS, half);
      assert.equal(decision.retry, true);
      assert.equal(decision.retry && decision.delayMs, 7000);
    });

    it("keeps backing off when the backoff exceeds a small Retry-After", () => {
      const state = { retriesSoFar: 3, waitedMs: 0 };
      const decision = decideRetry(
        { type: "response", statusCode: 429, retryAfter: "1" },
        state,
        { ...OPTIONS, limit: 5 },
        () => 1,
      );
      assert.equal(decision.retry && decision.delayMs, 4000);
    });

    it("fails at once when Retry-After exceeds the cap, reporting it", () => {
      const decision = decideRetry({ type: "response", statusCode: 429, retryAfter: "3600" }, fresh, OPTIONS, half);
      assert.equal(decision.retry, false);
      assert.ok(decision.retry === false && decision.exhausted);
      assert.equal(decision.retry === false && decision.retryAfterSeconds, 3600);
    });

    it("stops at the retry limit", () => {
      const decision = decideRetry({ type: "timeout" }, { retriesSoFar: 3, waitedMs: 0 }, OPTIONS, half);
      assert.equal(decision.retry, false);
      assert.match(decision.reason, /retry limit 3/);
    });

    it("stops when the next wait would exceed the total wait budget", () => {
      const decision = decideRetry(
        { type: "response", statusCode: 429, retryAfter: "30" },
        { retriesSoFar: 1, waitedMs: 100_000 },
        OPTIONS,
        half,
      );
      assert.equal(decision.retry, false);
      assert.match(decision.reason, /budget/);
    });

    it("bounds the total wait of a whole run of retries", () => {
      const options = { ...OPTIONS, limit: 100, maxTotalWaitSeconds: 10 };
      let state = { retriesSoFar: 0, waitedMs: 0 };
      for (;;) {
        const decision = decideRetry({ type: "response", statusCode: 503 }, state, options, () => 1);
        if (!decision.retry) break;
        state = { retriesSoFar: state.retriesSoFar + 1, waitedMs: state.waitedMs + decision.delayMs };
      }
      assert.ok(state.waitedMs <= 10_000, `waited ${state.waitedMs}`);
      assert.ok(state.retriesSoFar < 100);
    });

    it("retries transient network errors, not the others", () => {
      for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "EAI_AGAIN", "ETIMEDOUT"]) {
        assert.equal(decideRetry({ type: "network", code }, fresh, OPTIONS, half).retry, true, code);
      }
      for (const code of ["DEPTH_ZERO_SELF_SIGNED_CERT", "ERR_INVALID_URL", undefined]) {
        assert.equal(decideRetry({ type: "network", code }, fresh, OPTIONS, half).retry, false, String(code));
      }
    });

    it("ignores Retry-After on statuses that do not carry it", () => {
      const decision = decideRetry({ type: "response", statusCode: 500, retryAfter: "50" }, fresh, OPTIONS, half);
      assert.equal(decision.retry && decision.delayMs, 375);
    });
  });
});

import assert from "node:assert/strict";
import { type CachedToken, clearTokenCache, getOrAcquireToken, tokenCacheKey } from "../../../provider/auth/tokenCache";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const hour = () => Date.now() + 3600_000;

describe("tokenCache", () => {
  beforeEach(clearTokenCache);

  it("keys are hashes that never contain the secret", () => {
    const key = tokenCacheKey(["msal", "client", "super-secret-value", "scope"]);
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.notEqual(key, tokenCacheKey(["msal", "client", "other-secret-value", "scope"]));
    // Part boundaries matter: ["ab", "c"] and ["a", "bc"] are different credentials.
    assert.notEqual(tokenCacheKey(["ab", "c"]), tokenCacheKey(["a", "bc"]));
    assert.notEqual(tokenCacheKey([undefined]), tokenCacheKey([""]));
  });

  it("single-flights 100 concurrent callers into one acquisition, then reuses the token", async () => {
    let calls = 0;
    const gate = deferred<CachedToken>();
    const acquire = async () => {
      calls++;
      return gate.promise;
    };
    const waiting = Array.from({ length: 100 }, () => getOrAcquireToken("k", acquire));
    gate.resolve({ token: "t1", expiresAtMs: hour() });
    assert.deepEqual(new Set(await Promise.all(waiting)), new Set(["t1"]));
    assert.equal(await getOrAcquireToken("k", acquire), "t1");
    assert.equal(calls, 1);
  });

  it("renews a token inside the expiry margin", async () => {
    let calls = 0;
    // Seconds, not milliseconds: a stalled event loop on a loaded machine must not decide the outcome.
    const acquire = async () => ({ token: `t${++calls}`, expiresAtMs: Date.now() + 4_000 });
    assert.equal(await getOrAcquireToken("k", acquire, { marginMs: 1_000 }), "t1");
    assert.equal(await getOrAcquireToken("k", acquire, { marginMs: 1_000 }), "t1", "outside the margin: reused");
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    assert.equal(await getOrAcquireToken("k", acquire, { marginMs: 1_000 }), "t2", "inside the margin: renewed");
  });

  it("caps the margin at half the lifetime of a short-lived token, so it is still reused", async () => {
    let calls = 0;
    const acquire = async () => ({ token: `t${++calls}`, expiresAtMs: Date.now() + 4_000 });
    assert.equal(await getOrAcquireToken("short", acquire, { marginMs: 120_000 }), "t1");
    assert.equal(await getOrAcquireToken("short", acquire, { marginMs: 120_000 }), "t1", "reused in its first half");
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    assert.equal(await getOrAcquireToken("short", acquire, { marginMs: 120_000 }), "t2", "renewed in its second half");
  });

  it("forceRefresh bypasses a valid token and passes the flag down", async () => {
    const flags: boolean[] = [];
    const acquire = async (force: boolean) => {
      flags.push(force);
      return { token: `t${flags.length}`, expiresAtMs: hour() };
    };
    await getOrAcquireToken("k", acquire);
    assert.equal(await getOrAcquireToken("k", acquire, { forceRefresh: true }), "t2");
    assert.deepEqual(flags, [false, true]);
  });

  it("concurrent forced refreshes share one acquisition", async () => {
    const flags: boolean[] = [];
    const gate = deferred<CachedToken>();
    const acquire = async (force: boolean) => {
      flags.push(force);
      return gate.promise;
    };
    const waiting = Array.from({ length: 10 }, () => getOrAcquireToken("k", acquire, { forceRefresh: true }));
    gate.resolve({ token: "fresh", expiresAtMs: hour() });
    assert.deepEqual(new Set(await Promise.all(waiting)), new Set(["fresh"]));
    assert.deepEqual(flags, [true]);
  });

  it("a forced refresh that finds an ordinary acquisition under way forces its own afterwards", async () => {
    const flags: boolean[] = [];
    const first = deferred<CachedToken>();
    const acquire = async (force: boolean) => {
      flags.push(force);
      return force ? { token: "forced", expiresAtMs: hour() } : first.promise;
    };
    const ordinary = getOrAcquireToken("k", acquire);
    const forced = getOrAcquireToken("k", acquire, { forceRefresh: true });
    first.resolve({ token: "maybe-stale", expiresAtMs: hour() });
    assert.equal(await ordinary, "maybe-stale");
    assert.equal(await forced, "forced");
    assert.deepEqual(flags, [false, true]);
  });

  it("does not cache failures", async () => {
    let calls = 0;
    const acquire = async () => {
      calls++;
      if (calls === 1) throw new Error("boom");
      return { token: "ok", expiresAtMs: hour() };
    };
    await assert.rejects(getOrAcquireToken("k", acquire), /boom/);
    assert.equal(await getOrAcquireToken("k", acquire), "ok");
  });

  it("an aborted waiter leaves the shared acquisition running for the others", async () => {
    const gate = deferred<CachedToken>();
    const acquire = async () => gate.promise;
    const controller = new AbortController();
    const impatient = getOrAcquireToken("k", acquire, { signal: controller.signal });
    const patient = getOrAcquireToken("k", acquire);
    controller.abort(new Error("gave up"));
    await assert.rejects(impatient, /gave up/);
    gate.resolve({ token: "t", expiresAtMs: hour() });
    assert.equal(await patient, "t");
  });
});

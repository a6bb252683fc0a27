import { createHash } from "node:crypto";

/** A token and when it stops being usable. */
export interface CachedToken {
  readonly token: string;
  /** Epoch milliseconds at which the token expires. */
  readonly expiresAtMs: number;
}

interface Entry {
  value?: CachedToken | undefined;
  /** When {@link Entry.value} was acquired: bounds the renewal margin to half the token's lifetime. */
  acquiredAtMs?: number | undefined;
  inflight?: Promise<CachedToken> | undefined;
  inflightForced?: boolean | undefined;
}

/**
 * Tokens are renewed this long before they expire, so a request never leaves with a token about to lapse — or half
 * the token's lifetime, for tokens shorter-lived than twice this (else every call would fetch a new one).
 */
export const DEFAULT_EXPIRY_MARGIN_MS = 5 * 60 * 1000;

// Process-wide: every client built from the same credential and scope shares one token and one acquisition, even
// across provider instances in the same Pulumi provider host. Keys are hashes, never secrets.
const entries = new Map<string, Entry>();

/**
 * Builds a cache key: the SHA-256 of the parts (credential material, client, authority, scope). Secrets go in
 * hashed, so the key itself reveals nothing.
 */
export function tokenCacheKey(parts: ReadonlyArray<string | undefined>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part === undefined ? "\u0000" : part.length}:${part ?? ""}\u0001`);
  return hash.digest("hex");
}

/**
 * Returns a cached token for `key`, acquiring one if there is none or it is within `marginMs` of expiry.
 * Single-flight: concurrent callers share one in-flight acquisition. A forced refresh joins an in-flight forced one
 * (it is as fresh as a new one); one that finds an ordinary acquisition under way waits for it and then forces its
 * own, because the ordinary one may legitimately return the token that was just rejected from a library cache.
 * A failed acquisition is not cached.
 */
export async function getOrAcquireToken(
  key: string,
  acquire: (forceRefresh: boolean) => Promise<CachedToken>,
  options: { forceRefresh?: boolean | undefined; signal?: AbortSignal | undefined; marginMs?: number | undefined } = {},
): Promise<string> {
  let entry = entries.get(key);
  if (!entry) {
    entry = {};
    entries.set(key, entry);
  }
  const force = options.forceRefresh === true;
  const margin = options.marginMs ?? DEFAULT_EXPIRY_MARGIN_MS;
  for (;;) {
    const inflight = entry.inflight;
    if (inflight) {
      if (!force || entry.inflightForced) return (await abortable(inflight, options.signal)).token;
      // Wait for the ordinary acquisition (ignoring its outcome), then force one of our own.
      await abortable(
        inflight.catch(() => undefined),
        options.signal,
      );
      if (entry.inflight) continue;
    } else if (!force && entry.value && entry.value.expiresAtMs - renewalMargin(entry, margin) > Date.now()) {
      return entry.value.token;
    }
    const owner = entry;
    const started = acquire(force).then(
      (token) => {
        owner.value = token;
        owner.acquiredAtMs = Date.now();
        owner.inflight = undefined;
        owner.inflightForced = false;
        return token;
      },
      (error: unknown) => {
        owner.inflight = undefined;
        owner.inflightForced = false;
        if (force) owner.value = undefined;
        throw error;
      },
    );
    entry.inflight = started;
    entry.inflightForced = force;
    return (await abortable(started, options.signal)).token;
  }
}

/** The margin for an entry: `margin`, but at most half the lifetime of its token. */
function renewalMargin(entry: Entry, margin: number): number {
  if (!entry.value || entry.acquiredAtMs === undefined) return margin;
  // Never negative: a token that arrived already expired (clock skew) must not count as fresh.
  return Math.max(0, Math.min(margin, (entry.value.expiresAtMs - entry.acquiredAtMs) / 2));
}

/** Forgets every cached token (tests; credential rotation within one process). */
export function clearTokenCache(): void {
  entries.clear();
}

/** Waits for `promise` unless `signal` aborts first; the shared acquisition keeps running for other callers. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

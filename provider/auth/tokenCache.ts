import { createHash } from "node:crypto";

/** A token and when it stops being usable. */
export interface CachedToken {
  readonly token: string;
  /** Epoch milliseconds at which the token expires. */
  readonly expiresAtMs: number;
}

interface Entry {
  value?: CachedToken | undefined;
  inflight?: Promise<CachedToken> | undefined;
}

/** Tokens are renewed this long before they expire, so a request never leaves with a token about to lapse. */
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
 * Single-flight: concurrent callers share one in-flight acquisition, `forceRefresh` included (a refresh already under
 * way is as fresh as a new one). A failed acquisition is not cached.
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
  const margin = options.marginMs ?? DEFAULT_EXPIRY_MARGIN_MS;
  if (!entry.inflight) {
    const value = entry.value;
    if (!options.forceRefresh && value && value.expiresAtMs - margin > Date.now()) return value.token;
    const owner = entry;
    const inflight = acquire(options.forceRefresh === true).then(
      (token) => {
        owner.value = token;
        owner.inflight = undefined;
        return token;
      },
      (error: unknown) => {
        owner.inflight = undefined;
        if (options.forceRefresh) owner.value = undefined;
        throw error;
      },
    );
    entry.inflight = inflight;
  }
  const token = await abortable(entry.inflight!, options.signal);
  return token.token;
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

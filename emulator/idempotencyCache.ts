/**
 * `MS-RequestId` idempotency: Partner Center documents that a POST retried with the same request id does not act
 * twice. The emulator replays the first answer for the same method, path and request id within a window
 * (15 minutes by default; Partner Center does not document its own).
 */

/** A remembered answer. */
export interface StoredResponse {
  status: number;
  /** Serialized body exactly as first sent (without BOM). */
  payload: string;
  /** Response headers worth replaying (e.g. `Retry-After`). */
  headers: Record<string, string>;
}

/** The cache. */
export interface IdempotencyCache {
  /** The remembered answer for `key`, if still inside the window. */
  get(key: string): StoredResponse | undefined;
  /** Remembers an answer. */
  set(key: string, response: StoredResponse): void;
  /**
   * Marks `key` as in progress until `done()` is called, so a concurrent duplicate waits instead of acting.
   * Returns `undefined` when another request already holds the key (then call {@link IdempotencyCache.waitFor}).
   */
  begin(key: string): { done: () => void } | undefined;
  /** Resolves when the in-progress request holding `key` finishes (immediately if none). */
  waitFor(key: string): Promise<void>;
  /** Forgets everything and lets every waiting duplicate go on. */
  clear(): void;
}

/** Creates a cache whose entries live `windowMs`. */
export function createIdempotencyCache(windowMs: number): IdempotencyCache {
  // Insertion order = time order, so expired entries are always at the front.
  const entries = new Map<string, { expiresAt: number; response: StoredResponse }>();
  const inFlight = new Map<string, { promise: Promise<void>; release: () => void }>();

  function sweep(now: number): void {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > now) break;
      entries.delete(key);
    }
  }

  return {
    get(key: string): StoredResponse | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.response;
    },
    set(key: string, response: StoredResponse): void {
      const now = Date.now();
      sweep(now);
      entries.delete(key);
      entries.set(key, { expiresAt: now + windowMs, response });
    },
    begin(key: string): { done: () => void } | undefined {
      if (inFlight.has(key)) return undefined;
      let release!: () => void;
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      const entry = { promise, release };
      inFlight.set(key, entry);
      return {
        done: () => {
          if (inFlight.get(key) === entry) inFlight.delete(key);
          release();
        },
      };
    },
    waitFor: (key: string) => inFlight.get(key)?.promise ?? Promise.resolve(),
    clear(): void {
      entries.clear();
      for (const entry of inFlight.values()) entry.release();
      inFlight.clear();
    },
  };
}

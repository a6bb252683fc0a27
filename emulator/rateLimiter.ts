/**
 * Per-minute rate limit for the Partner Center routes, as Partner Center throttles per partner tenant: a fixed
 * one-minute window; once it is used up, requests get 429 with `Retry-After` = seconds until the window ends.
 */

/** The limiter. */
export interface RateLimiter {
  /** Current limit (requests per minute); 0 or undefined = unlimited. Assign to change. */
  limitPerMinute: number | undefined;
  /** Counts one request; returns `undefined` when allowed, else the seconds to wait. */
  hit(now?: number): number | undefined;
  /** Starts a fresh window. */
  reset(): void;
}

/** Creates a limiter with the given limit (0/undefined = unlimited). */
export function createRateLimiter(limitPerMinute: number | undefined): RateLimiter {
  let windowStart = 0;
  let count = 0;
  return {
    limitPerMinute,
    hit(now = Date.now()): number | undefined {
      const limit = this.limitPerMinute;
      if (!limit) return undefined;
      if (now - windowStart >= 60_000) {
        windowStart = now;
        count = 0;
      }
      count += 1;
      if (count <= limit) return undefined;
      return Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));
    },
    reset(): void {
      windowStart = 0;
      count = 0;
    },
  };
}

/**
 * The retry decision, as pure functions: what is retried, how long to wait, when to give up.
 *
 * Partner Center's guidance (partner-center-api.md §7): honour `Retry-After` on 429, keep backing off on repeated
 * 429s, retry 5xx/408/network failures with backoff, never retry other 4xx. Every retry reuses the operation's
 * `MS-RequestId`, which is what makes retrying a POST safe (§1.3). The 401 → refresh → retry path is not here: it is a
 * one-off in the client, outside the retry budget.
 */

/** Retry settings after defaults are applied (see `clientOptions.ts`). */
export interface ResolvedRetryOptions {
  /** Maximum number of retries after the first attempt. */
  readonly limit: number;
  /** Largest `Retry-After` we are willing to wait; a longer one fails at once with kind `throttled`. */
  readonly maxRetryAfterSeconds: number;
  /** Upper bound on the sum of all waits of one operation. */
  readonly maxTotalWaitSeconds: number;
  /** First backoff step; doubles on every retry. */
  readonly baseDelayMs: number;
  /** Ceiling of one backoff step (before `Retry-After`). */
  readonly maxDelayMs: number;
}

/** What one attempt ended with, as far as the retry decision cares. */
export type AttemptOutcome =
  | { readonly type: "response"; readonly statusCode: number; readonly retryAfter?: string | undefined }
  | { readonly type: "network"; readonly code?: string | undefined }
  | { readonly type: "timeout" };

/** Progress of one logical operation. */
export interface RetryState {
  /** Retries already made (0 after the first attempt). */
  readonly retriesSoFar: number;
  /** Milliseconds already spent waiting between attempts. */
  readonly waitedMs: number;
}

/** Either wait `delayMs` then retry, or stop; `reason` is for log lines and error messages. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly reason: string }
  | {
      readonly retry: false;
      readonly reason: string;
      /** True when the failure was retryable but a limit (count, `Retry-After` cap, wait budget) stopped us. */
      readonly exhausted: boolean;
      readonly retryAfterSeconds?: number | undefined;
    };

/** Network error codes worth another attempt (got's defaults plus socket-level resets and undici's). */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "EADDRINUSE",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

/** True for statuses that may succeed on retry: 408, 429 and 5xx except 501/505 (those never will). */
export function isRetryableStatus(statusCode: number): boolean {
  if (statusCode === 408 || statusCode === 429) return true;
  return statusCode >= 500 && statusCode <= 599 && statusCode !== 501 && statusCode !== 505;
}

/**
 * Parses a `Retry-After` header: delta-seconds (`"57"`, also a fractional `"1.5"`) or an HTTP-date. Returns seconds
 * (never negative), or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  // An HTTP-date names a month; without this, Date.parse would read "-5" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - nowMs) / 1000);
}

/**
 * Exponential backoff with "equal jitter": step `n` (1-based) is `min(base * 2^(n-1), max)`, of which the upper half
 * is randomised so that many clients throttled together do not come back together.
 */
export function computeBackoffDelay(
  retryNumber: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(baseDelayMs * 2 ** Math.max(0, retryNumber - 1), maxDelayMs);
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

/**
 * Decides whether to retry after `outcome`. Pure: the caller supplies the clock and the random source.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  state: RetryState,
  options: ResolvedRetryOptions,
  random: () => number = Math.random,
  nowMs: number = Date.now(),
): RetryDecision {
  let reason: string;
  let retryAfterSeconds: number | undefined;
  switch (outcome.type) {
    case "response":
      if (!isRetryableStatus(outcome.statusCode))
        return { retry: false, reason: `HTTP ${outcome.statusCode}`, exhausted: false };
      reason = `HTTP ${outcome.statusCode}`;
      // Retry-After is honoured on 429 and 503 (the statuses that carry it); elsewhere it is ignored.
      if (outcome.statusCode === 429 || outcome.statusCode === 503) {
        retryAfterSeconds = parseRetryAfter(outcome.retryAfter, nowMs);
      }
      break;
    case "network":
      if (outcome.code === undefined || !RETRYABLE_NETWORK_CODES.has(outcome.code)) {
        return { retry: false, reason: `network error ${outcome.code ?? "unknown"}`, exhausted: false };
      }
      reason = `network error ${outcome.code}`;
      break;
    case "timeout":
      reason = "attempt timed out";
      break;
  }
  if (state.retriesSoFar >= options.limit) {
    return { retry: false, reason: `retry limit ${options.limit} reached`, exhausted: true, retryAfterSeconds };
  }
  if (retryAfterSeconds !== undefined && retryAfterSeconds > options.maxRetryAfterSeconds) {
    // Waiting less than the server asked for only burns another request against the quota.
    return {
      retry: false,
      reason: `Retry-After ${retryAfterSeconds} s exceeds the ${options.maxRetryAfterSeconds} s cap`,
      exhausted: true,
      retryAfterSeconds,
    };
  }
  const backoff = computeBackoffDelay(state.retriesSoFar + 1, options.baseDelayMs, options.maxDelayMs, random);
  const delayMs = retryAfterSeconds === undefined ? backoff : Math.max(Math.ceil(retryAfterSeconds * 1000), backoff);
  if (state.waitedMs + delayMs > options.maxTotalWaitSeconds * 1000) {
    return {
      retry: false,
      reason: `waiting ${delayMs} ms more would exceed the ${options.maxTotalWaitSeconds} s retry budget`,
      exhausted: true,
      retryAfterSeconds,
    };
  }
  return { retry: true, delayMs, reason };
}

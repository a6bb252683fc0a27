/**
 * A create that got no answer to keep, by what it means for its request ID. Both resources' creates use it: the
 * customer create's decision table (`partnerCustomerCreate.ts`) has a row for each case, and the agreement create
 * asks once more under a fresh request ID after a refusal, as Microsoft's rule for request IDs wants.
 */
import { isPartnerCenterError, type PartnerCenterError } from "../foundation";

/** The failed answers of a create. */
export type CreateFailure =
  /** A definite refusal (a 4xx other than 408/429): nothing was created under this request ID. */
  | { case: "refused"; error: PartnerCenterError }
  /** Throttled beyond the retry budget (429): the request was not processed. */
  | { case: "throttled"; error: PartnerCenterError }
  /** No readable answer after every retry (network, timeout, 5xx, an unreadable body): it may have been created. */
  | { case: "outcomeUnknown"; error: PartnerCenterError };

/**
 * Which case a failed create belongs to, by the history of its request ID in this run: a refusal or a throttle that
 * follows an attempt with no definite answer (the client's own retries, {@link PartnerCenterError.unansweredAttempts},
 * or an earlier ask of the caller, `unansweredBefore`) is still an unknown outcome — the earlier attempt may have
 * created the customer, and a 409 may only say that it is still being processed. An earlier run's history is not
 * known here: a run after an unknown outcome that meets a refusal on the domain finds the customer held and says to
 * run again before adopting it (`partnerCustomerCreate.ts`). Rethrows what no case covers:
 * anything but a `PartnerCenterError`, and `auth` or `config` errors, which stopped the request before it was sent.
 */
export function classifyCreateFailure(error: unknown, unansweredBefore = false): CreateFailure {
  if (!isPartnerCenterError(error)) throw error;
  const unanswered = unansweredBefore || (error.unansweredAttempts ?? 0) > 0;
  if (unanswered && (error.kind === "throttled" || error.kind === "http")) return { case: "outcomeUnknown", error };
  if (error.kind === "throttled") return { case: "throttled", error };
  if (error.kind === "http" && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return error.statusCode === 408 ? { case: "outcomeUnknown", error } : { case: "refused", error };
  }
  if (error.kind === "auth" || error.kind === "config") throw error;
  return { case: "outcomeUnknown", error };
}

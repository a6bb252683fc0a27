/**
 * **Waiting on a person**: the one pattern every resource uses whose last step only a person outside Pulumi can take
 * (a customer accepting the Microsoft Customer Agreement; next, approving a GDAP relationship). It is AWS ACM's
 * `Certificate` + `CertificateValidation` in one resource, without a failed `up`:
 *
 * - `create` makes what the person needs (an attestation), puts the link they use in a **secret** output, and ends in
 *   the state `waitingForCustomer`, saying so in the update's output (it never waits: the person cannot have the
 *   link before the create returns). Never a silent success: the status output and the message say that nothing is
 *   recorded yet. A later `up` may wait a bounded time for the person (`waitForAcceptanceSeconds`).
 * - Each later `preview`/`up` of a waiting resource asks once whether the person has acted (`diff`): still waiting →
 *   no change, and a line says who is awaited; acted (or expired) → an in-place update that records it.
 * - `refresh` reads the status into state; a finished resource costs no request at preview.
 * - An expired request stays `expired` until the user replaces the resource: nothing is silently created again.
 *
 * Every resource that waits keeps its progress in a `status` output with these values.
 */

import { isUnknown } from "./checkFailures";

/** Where a resource that waits on a person stands. */
export const WAITING_STATUSES = ["waitingForCustomer", "accepted", "completed", "expired"] as const;
/** A {@link WAITING_STATUSES} value. */
export type WaitingStatus = (typeof WAITING_STATUSES)[number];

/** What asking the far side says. */
export type PersonAnswer = "waiting" | "acted" | "expired";

/** The status a fresh answer moves a not-yet-completed resource to. */
export function statusAfter(answer: PersonAnswer): WaitingStatus {
  return answer === "acted" ? "accepted" : answer === "expired" ? "expired" : "waitingForCustomer";
}

/** Whether a resource in `status` still needs the person (or the last step): the only ones a preview asks about. */
export function isOpen(status: unknown): boolean {
  return status === "waitingForCustomer" || status === "accepted";
}

/** The longest bounded wait a resource may ask for, in seconds (an `up` should not hang for hours). */
export const MAX_WAIT_SECONDS = 3_600;

/**
 * Why a bounded-wait input (`waitForAcceptanceSeconds`, `waitForApprovalSeconds`) is refused, or `undefined` when it is
 * fine: a whole number of seconds from 0 to {@link MAX_WAIT_SECONDS}. Absent and unknown (preview) values are fine.
 */
export function waitSecondsProblem(value: unknown): string | undefined {
  if (value === undefined || isUnknown(value)) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_WAIT_SECONDS) return undefined;
  return `must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`;
}

/**
 * How often a bounded wait asks again, in milliseconds: six requests a minute per waiting resource, so a handful of
 * resources waiting together stay well inside Partner Center's 500 requests a minute (a fleet should not wait).
 */
export const WAIT_POLL_MS = 10_000;

/**
 * Asks `ask` until the person acted, the request expired, or `seconds` passed (0: ask once). The wait is bounded and
 * only asks every {@link WAIT_POLL_MS}. `known` is an answer just received (the create's own), used instead of the
 * first ask.
 */
export async function waitForPerson(
  ask: () => Promise<PersonAnswer>,
  seconds: number,
  { pollMs = WAIT_POLL_MS, known }: { pollMs?: number; known?: PersonAnswer } = {},
): Promise<PersonAnswer> {
  const deadline = Date.now() + Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS) * 1_000;
  for (let first = true; ; first = false) {
    const answer = first && known !== undefined ? known : await ask();
    if (answer !== "waiting" || Date.now() + pollMs > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * The fault plan of the fault suite: which faults to inject, on which Partner Center routes, drawn from a seeded
 * random source so a failing run can be replayed exactly (same seed, same plan; only the interleaving differs).
 */
import type { FaultSpec } from "../../emulator";
import { DEFAULT_RETRY_LIMIT } from "../../provider/foundation";

/** The kinds of fault the suite injects, as the counts name them. */
export type FaultKind = "429" | "503" | "reset" | "commitThenDrop" | "latency";

/** mulberry32: a tiny seeded PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The routes a create goes through: the preflight's domain and address checks, and the create itself. */
const TARGETS: readonly { weight: number; method: string; path: string | RegExp }[] = [
  { weight: 0.5, method: "POST", path: /^\/v1\/customers$/ },
  { weight: 0.25, method: "HEAD", path: "/v1/domains/" },
  { weight: 0.25, method: "POST", path: "/v1/validations/address" },
];

const KINDS: readonly { weight: number; kind: FaultKind }[] = [
  { weight: 0.25, kind: "429" },
  { weight: 0.2, kind: "503" },
  { weight: 0.2, kind: "reset" },
  { weight: 0.15, kind: "commitThenDrop" },
  { weight: 0.2, kind: "latency" },
];

function pick<T extends { weight: number }>(options: readonly T[], random: () => number): T {
  let roll = random();
  for (const option of options) {
    roll -= option.weight;
    if (roll < 0) return option;
  }
  return options[options.length - 1] as T;
}

/**
 * The emulator fault for a kind: short `Retry-After` (0–1 s) and latency spikes of 0.3–2.5 s. Spikes longer than the
 * host's 2 s per-attempt timeout make the client give up and retry while the emulator still holds the first attempt:
 * the `MS-RequestId` has to keep that from acting twice, or from hanging the retry.
 */
export function faultFor(
  kind: FaultKind,
  target: { method: string; path: string | RegExp },
  random: () => number,
): FaultSpec {
  const where = { method: target.method, path: target.path, count: 1 };
  switch (kind) {
    case "429":
    case "503":
      return { ...where, status: Number(kind), retryAfterSeconds: random() < 0.5 ? 0 : 1 };
    case "reset":
      return { ...where, mode: "reset" };
    case "commitThenDrop":
      return { ...where, mode: "commitThenDrop" };
    case "latency":
      return { ...where, mode: "delay", latencyMs: Math.round(300 + random() * 2200) };
  }
}

/** The faults to inject as one more resource starts: none, one or two, of random kind and route. */
export function faultsForResource(random: () => number): FaultSpec[] {
  const roll = random();
  const count = roll < 0.25 ? 0 : roll < 0.65 ? 1 : 2;
  return Array.from({ length: count }, () => faultFor(pick(KINDS, random).kind, pick(TARGETS, random), random));
}

/**
 * Every attempt one create can make: the client's first try and its retries (`DEFAULT_RETRY_LIMIT`; the suite does
 * not change the limit), then the provider's one re-ask under the same `MS-RequestId` when the outcome is unknown.
 * The time budget (`maxRetryWaitSeconds`) can only stop it sooner.
 */
export const CREATE_ATTEMPTS = 2 * (DEFAULT_RETRY_LIMIT + 1);

/** How many create operations each outage takes. */
export const CREATES_PER_OUTAGE = 3;

/**
 * How each outage refuses. `503` and `reset` refuse without acting: the create fails in the first run and a re-run
 * creates the customer. `commitThenDrop` lets the first attempt act and loses every answer: the provider finds the
 * customer by domain and adopts it in the first run.
 */
const OUTAGE_KINDS: readonly FaultSpec[] = [
  { status: 503, retryAfterSeconds: 1 },
  { mode: "reset" },
  { mode: "commitThenDrop" },
];

/**
 * Outages on the create route, decided by counts rather than by timing. Each fault is bound to one create operation
 * (`bindToRequestId`: the operation's `MS-RequestId`, which every retry and the re-ask reuse) and refuses one attempt
 * more than that create can make, so however fast or slow the machine, it sees every attempt refused and gives up.
 * Armed before the run, they take the first creates to reach Partner Center from their very first attempt (an earlier
 * attempt that got through would let the create succeed), `CREATES_PER_OUTAGE` each: this makes the "create
 * failed, re-run converges" path certain rather than lucky. Being bound, they outrank the random faults for those
 * creates and never touch any other.
 */
export const OUTAGES: readonly FaultSpec[] = OUTAGE_KINDS.flatMap((kind) =>
  Array.from({ length: CREATES_PER_OUTAGE }, () => ({
    method: "POST",
    path: /^\/v1\/customers$/,
    bindToRequestId: true,
    count: CREATE_ATTEMPTS + 1,
    ...kind,
  })),
);

/** The kind of fault a request-log entry records (`fault` plus the answered status). */
export function faultKindOf(entry: { fault?: string; status: number }): FaultKind | undefined {
  switch (entry.fault) {
    case undefined:
      return undefined;
    case "respond":
      return entry.status === 429 ? "429" : "503";
    case "delay":
      return "latency";
    default:
      return entry.fault as FaultKind;
  }
}

/**
 * The fault plan of the fault suite: which faults to inject, on which Partner Center routes, drawn from a seeded
 * random source so a failing run can be replayed exactly (same seed, same plan; only the interleaving differs).
 */
import type { FaultSpec } from "../../emulator";

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
 * Outages on the create route at fixed points of the run, long enough that the creates caught in them exhaust the
 * retry budget: these make the "create failed, re-run converges" path certain rather than lucky.
 */
export const OUTAGES: ReadonlyMap<number, FaultSpec> = new Map<number, FaultSpec>([
  [150, { method: "POST", path: /^\/v1\/customers$/, status: 503, retryAfterSeconds: 1, count: 48 }],
  [300, { method: "POST", path: /^\/v1\/customers$/, mode: "reset", count: 40 }],
  [420, { method: "POST", path: /^\/v1\/customers$/, mode: "commitThenDrop", count: 40 }],
]);

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

/**
 * Fault injection: make the next matching request(s) fail in a chosen way, without any magic request header.
 * Tests drive it through `handle.faults`; other processes through `POST /_emulator/faults`.
 */

/**
 * How an injected fault behaves.
 * - `respond`: answer with `status` and a Partner Center–shaped body, without acting.
 * - `reset`: destroy the connection without acting and without answering.
 * - `commitThenDrop`: act (the change happens), then destroy the connection without answering.
 * - `delay`: wait `latencyMs`, then handle the request normally.
 */
export type FaultMode = "respond" | "reset" | "commitThenDrop" | "delay";

/** What to inject. Every field is optional; an empty spec makes the next request answer 503. */
export interface FaultSpec {
  /** HTTP method to match (any case); default any. */
  method?: string;
  /**
   * Request target to match, path plus query string (e.g. `/v1/customers?size=10`): a string matches as a prefix,
   * a RegExp is tested against it. Default any. Admin routes (`/_emulator`) never match.
   */
  path?: string | RegExp;
  /** How many matching requests the fault applies to; default 1. `Infinity` keeps it until cleared. */
  count?: number;
  /** Status for `respond`; default 503. A 429 gets the throttling body. */
  status?: number;
  /** Adds `Retry-After: <n>` to a `respond` answer (default 1 for 429 and 503 answers). */
  retryAfterSeconds?: number;
  /** Wait this long before the fault takes effect (all modes). */
  latencyMs?: number;
  /**
   * The behaviour; default `respond` — or `delay` when only `latencyMs` is given, so
   * `inject({ latencyMs: 5000 })` makes a slow request rather than a slow 503.
   */
  mode?: FaultMode;
  /** Partner Center error code for `respond` bodies; default derived from the status. */
  code?: number;
}

/** A fault as stored: the spec with defaults applied and its remaining count. */
export interface ActiveFault {
  /** Identifier (for listing). */
  id: number;
  method?: string;
  path?: string | RegExp;
  remaining: number;
  status: number;
  retryAfterSeconds?: number;
  latencyMs: number;
  mode: FaultMode;
  code?: number;
}

/** Control surface for faults (`handle.faults`). */
export interface FaultController {
  /** Adds a fault; returns it with defaults applied. */
  inject(spec?: FaultSpec): ActiveFault;
  /** Removes every fault. */
  clear(): void;
  /** Faults still armed. */
  list(): ActiveFault[];
  /** Takes the first fault matching the request, consuming one use; `undefined` when none matches. */
  take(method: string, target: string): ActiveFault | undefined;
}

/** Creates an empty fault controller. */
export function createFaultController(): FaultController {
  let faults: ActiveFault[] = [];
  let nextId = 1;
  return {
    inject(spec: FaultSpec = {}): ActiveFault {
      const mode: FaultMode =
        spec.mode ?? (spec.status === undefined && spec.latencyMs !== undefined ? "delay" : "respond");
      const status = spec.status ?? 503;
      const fault: ActiveFault = {
        id: nextId++,
        method: spec.method?.toUpperCase(),
        path: spec.path,
        remaining: spec.count ?? 1,
        status,
        retryAfterSeconds: spec.retryAfterSeconds ?? (status === 429 || status === 503 ? 1 : undefined),
        latencyMs: spec.latencyMs ?? 0,
        mode,
        code: spec.code,
      };
      if (!(fault.remaining > 0)) throw new RangeError("FaultSpec.count must be positive.");
      faults.push(fault);
      return { ...fault };
    },
    clear(): void {
      faults = [];
    },
    list: () => faults.map((fault) => ({ ...fault })),
    take(method: string, target: string): ActiveFault | undefined {
      // Fast path: the common case in tests and benchmarks is no fault at all.
      if (faults.length === 0) return undefined;
      const fault = faults.find(
        (candidate) =>
          (candidate.method === undefined || candidate.method === method) &&
          (candidate.path === undefined ||
            (typeof candidate.path === "string" ? target.startsWith(candidate.path) : candidate.path.test(target))),
      );
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return { ...fault };
    },
  };
}

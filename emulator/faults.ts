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
  /**
   * Request id to match, any case: the request's `MS-RequestId` (`client-request-id` on the token endpoint). Default
   * any. A client reuses an operation's id for every retry of it, so with `count` this refuses exactly the next
   * `count` attempts of that one operation, however many other requests are in flight. Requests without an id never
   * match.
   */
  requestId?: string;
  /**
   * Binds the fault to one operation rather than to whichever requests come next: the first matching request whose
   * id no other fault is bound to sets {@link requestId}, and from then on only that operation's attempts match and
   * use up `count`. Requests without an id neither bind nor match. Has no effect with `requestId`. Default false.
   *
   * A fault armed before the operation starts therefore sees all of its attempts, from the first: give it a `count`
   * above the client's attempts and the operation certainly fails, whatever the timing.
   */
  bindToRequestId?: boolean;
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
  /** The request id matched, lower case: as given, or bound by the first matching request (`bindToRequestId`). */
  requestId?: string;
  /** Present when the fault binds to the first matching operation (see {@link FaultSpec.bindToRequestId}). */
  bindToRequestId?: true;
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
  /**
   * Takes the fault for a request, consuming one use; `undefined` when none matches. A fault with a request id (given
   * or bound) equal to `requestId` comes first, so no broader fault armed earlier takes an attempt of the operation it
   * targets; otherwise the first matching fault in the order they were injected.
   * @param method The request's method (upper case).
   * @param target Path plus query string.
   * @param requestId The request's `MS-RequestId` (`client-request-id` on the token endpoint), if any.
   */
  take(method: string, target: string, requestId?: string): ActiveFault | undefined;
}

function matchesRoute(fault: ActiveFault, method: string, target: string): boolean {
  return (
    (fault.method === undefined || fault.method === method) &&
    (fault.path === undefined ||
      (typeof fault.path === "string" ? target.startsWith(fault.path) : fault.path.test(target)))
  );
}

/** Creates an empty fault controller. */
export function createFaultController(): FaultController {
  let faults: ActiveFault[] = [];
  /** Request ids some fault has been bound to since the last clear, so two binding faults never share an operation. */
  let bound = new Set<string>();
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
        ...(spec.requestId === undefined ? {} : { requestId: spec.requestId.toLowerCase() }),
        ...(spec.bindToRequestId ? { bindToRequestId: true as const } : {}),
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
      bound = new Set();
    },
    list: () => faults.map((fault) => ({ ...fault })),
    take(method: string, target: string, requestId?: string): ActiveFault | undefined {
      // Fast path: the common case in tests and benchmarks is no fault at all.
      if (faults.length === 0) return undefined;
      const id = requestId?.toLowerCase();
      const fault =
        (id === undefined
          ? undefined
          : faults.find((candidate) => candidate.requestId === id && matchesRoute(candidate, method, target))) ??
        faults.find(
          (candidate) =>
            candidate.requestId === undefined &&
            (!candidate.bindToRequestId || (id !== undefined && !bound.has(id))) &&
            matchesRoute(candidate, method, target),
        );
      if (!fault) return undefined;
      if (fault.bindToRequestId && fault.requestId === undefined && id !== undefined) {
        fault.requestId = id;
        bound.add(id);
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return { ...fault };
    },
  };
}

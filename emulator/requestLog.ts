/**
 * The request log tests read through `handle.requests()`: one entry per request that reached the emulator,
 * token-endpoint requests included. A fixed-size ring buffer keeps it cheap under load.
 */

/** One logged request. */
export interface RequestLogEntry {
  /** HTTP method. */
  method: string;
  /** Request target: path plus query string, e.g. `/v1/customers?size=10` or `/{tenant}/oauth2/v2.0/token`. */
  path: string;
  /** The `MS-RequestId` the client sent (for token requests: `client-request-id`), if any. */
  requestId?: string;
  /** The `MS-CorrelationId` the client sent, if any. */
  correlationId?: string;
  /** HTTP status answered; 0 when the connection was dropped without an answer (fault modes). */
  status: number;
  /** Kind of bearer token presented (Partner Center routes), or of token issued (token endpoint). */
  tokenKind?: "app" | "user";
  /** Epoch milliseconds when the request arrived. */
  time: number;
  /** The fault applied to this request, if any. */
  fault?: string;
  /** Whether the answer was replayed from the idempotency cache (same MS-RequestId). */
  replayed?: boolean;
}

/** The log. */
export interface RequestLog {
  /** Appends an entry, dropping the oldest beyond the capacity. */
  push(entry: RequestLogEntry): void;
  /** Entries oldest first (a copy). */
  entries(): RequestLogEntry[];
  /** Forgets everything. */
  clear(): void;
}

/** Creates a log holding at most `capacity` entries. */
export function createRequestLog(capacity: number): RequestLog {
  let buffer: RequestLogEntry[] = [];
  let start = 0;
  return {
    push(entry: RequestLogEntry): void {
      if (buffer.length < capacity) {
        buffer.push(entry);
        return;
      }
      buffer[start] = entry;
      start = (start + 1) % capacity;
    },
    entries(): RequestLogEntry[] {
      return [...buffer.slice(start), ...buffer.slice(0, start)].map((entry) => ({ ...entry }));
    },
    clear(): void {
      buffer = [];
      start = 0;
    },
  };
}

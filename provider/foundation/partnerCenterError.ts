/**
 * The one error type of the Partner Center client, its settings and its token providers.
 *
 * The Pulumi provider host forwards only `message` over gRPC, so the message alone must identify the failure: it
 * carries the operation, the service description, the HTTP status, the Partner Center code and both request ids.
 * It never carries tokens, passwords, secrets or request bodies; callers build it through {@link PartnerCenterError}
 * whose inputs are redacted upstream (see `redact.ts`).
 */

/** What went wrong, independent of the HTTP status. */
export type PartnerCenterErrorKind =
  /** Partner Center answered with an error status (4xx/5xx other than 401 and 429). */
  | "http"
  /** Partner Center kept answering 429 and the retry budget ran out (or `Retry-After` exceeded the cap). */
  | "throttled"
  /** A token could not be acquired, or Partner Center rejected the token (401 after one refresh). */
  | "auth"
  /** The connection failed: DNS, TLS, reset, refused. */
  | "network"
  /** An attempt exceeded the per-attempt timeout (after all retries), or the caller's signal timed out. */
  | "timeout"
  /** Partner Center answered 2xx with a body that does not match the wire schema. */
  | "invalid_response"
  /** Settings or request input are missing or invalid; nothing was sent. */
  | "config";

/** Fields accepted by the {@link PartnerCenterError} constructor. */
export interface PartnerCenterErrorInit {
  /** What went wrong. */
  kind: PartnerCenterErrorKind;
  /** What the caller was doing, e.g. `Creating customer contoso.onmicrosoft.com`. Prefixes the message. */
  operation?: string;
  /** Human-readable reason (the service `description`, or our own). Must already be free of secrets. */
  description: string;
  /** HTTP status of the last response, if there was one. */
  statusCode?: number;
  /** Partner Center error code (`600049`, `"invalid_grant"`, …). Usually a number on the wire. */
  code?: number | string;
  /** Partner Center `errorName`, e.g. `PartnerConfirmedAgreementAlreadyExists`. */
  errorName?: string;
  /** `MS-RequestId` of the logical operation. */
  requestId?: string;
  /** `MS-CorrelationId` of the logical operation. */
  correlationId?: string;
  /** Whether trying the same operation again later may succeed. Defaults from `kind` and `statusCode`. */
  isRetryable?: boolean;
  /** Seconds the server asked us to wait (`Retry-After`), when known. */
  retryAfterSeconds?: number;
  /** Number of HTTP attempts made. */
  attempts?: number;
  /**
   * How many of the attempts before the last ended without a definite answer (a timeout, a dropped connection, a
   * 5xx or 408): under the same `MS-RequestId` one of them may have been processed, whatever the last one says.
   */
  unansweredAttempts?: number;
  /** A sanitized cause (never a got or MSAL error object: those hold headers and options). */
  cause?: Error;
}

/**
 * An error raised by the Partner Center client, settings resolution or a token provider.
 *
 * Discriminate on {@link PartnerCenterError.kind}; read {@link PartnerCenterError.statusCode} and
 * {@link PartnerCenterError.code} for detail. Use {@link isPartnerCenterError} rather than `instanceof` when the error
 * may come from another copy of this package.
 */
export class PartnerCenterError extends Error {
  /** What went wrong. */
  readonly kind: PartnerCenterErrorKind;
  /** What the caller was doing when it failed. */
  readonly operation: string | undefined;
  /** The reason without the operation prefix and id suffix. */
  readonly description: string;
  /** HTTP status of the last response, if any. */
  readonly statusCode: number | undefined;
  /** Partner Center error code, number or string as the service sent it. */
  readonly code: number | string | undefined;
  /** Partner Center `errorName`, if the body had one. */
  readonly errorName: string | undefined;
  /** `MS-RequestId` of the logical operation. */
  readonly requestId: string | undefined;
  /** `MS-CorrelationId` of the logical operation. */
  readonly correlationId: string | undefined;
  /** Whether trying again later may succeed. */
  readonly isRetryable: boolean;
  /** Seconds the server asked us to wait, when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** Number of HTTP attempts made, when the error comes from a request. */
  readonly attempts: number | undefined;
  /**
   * Attempts before the last that got no definite answer (timeout, dropped connection, 5xx, 408). A 4xx after such
   * an attempt does not prove that nothing was done: the earlier attempt may have been processed.
   */
  readonly unansweredAttempts: number | undefined;

  /** Builds the error and its self-describing message. */
  constructor(init: PartnerCenterErrorInit) {
    super(formatPartnerCenterErrorMessage(init), init.cause ? { cause: init.cause } : undefined);
    this.name = "PartnerCenterError";
    this.kind = init.kind;
    this.operation = init.operation;
    this.description = init.description;
    this.statusCode = init.statusCode;
    this.code = init.code;
    this.errorName = init.errorName;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.isRetryable = init.isRetryable ?? defaultRetryable(init.kind, init.statusCode);
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts;
    this.unansweredAttempts = init.unansweredAttempts;
  }

  /** Plain-data view for logs and `JSON.stringify`; holds nothing the message does not already show. */
  toJSON(): Record<string, unknown> {
    // The cause is left out: it adds nothing the message does not say, and a foreign cause could carry anything.
    const { cause: _cause, ...fields } = this.toInit();
    return { name: this.name, message: this.message, ...fields };
  }

  /** The same error with a (new) operation prefix, e.g. when a token failure surfaces inside `createCustomer`. */
  withOperation(operation: string): PartnerCenterError {
    return new PartnerCenterError({ ...this.toInit(), operation });
  }

  /** The constructor input that reproduces this error. */
  toInit(): PartnerCenterErrorInit {
    return {
      kind: this.kind,
      operation: this.operation,
      description: this.description,
      statusCode: this.statusCode,
      code: this.code,
      errorName: this.errorName,
      requestId: this.requestId,
      correlationId: this.correlationId,
      isRetryable: this.isRetryable,
      retryAfterSeconds: this.retryAfterSeconds,
      attempts: this.attempts,
      unansweredAttempts: this.unansweredAttempts,
      cause: this.cause instanceof Error ? this.cause : undefined,
    };
  }
}

/**
 * Formats `<operation>: <description> (HTTP 400, code 600049, correlation <id>, request <id>)`.
 * Parts that are unknown are left out; the parenthesis is dropped when empty.
 */
export function formatPartnerCenterErrorMessage(init: PartnerCenterErrorInit): string {
  const details: string[] = [];
  if (init.statusCode !== undefined) details.push(`HTTP ${init.statusCode}`);
  if (init.code !== undefined && init.code !== "") details.push(`code ${init.code}`);
  if (init.errorName) details.push(init.errorName);
  if (init.retryAfterSeconds !== undefined) details.push(`retry after ${init.retryAfterSeconds} s`);
  if (init.attempts !== undefined && init.attempts > 1) details.push(`${init.attempts} attempts`);
  if (init.correlationId) details.push(`correlation ${init.correlationId}`);
  if (init.requestId) details.push(`request ${init.requestId}`);
  const head = init.operation ? `${init.operation}: ${init.description}` : init.description;
  return details.length > 0 ? `${head} (${details.join(", ")})` : head;
}

function defaultRetryable(kind: PartnerCenterErrorKind, statusCode: number | undefined): boolean {
  switch (kind) {
    case "throttled":
    case "network":
    case "timeout":
      return true;
    case "http":
      return statusCode === 408 || (statusCode !== undefined && statusCode >= 500);
    default:
      return false;
  }
}

/**
 * True for a {@link PartnerCenterError}, also one created by another copy of this package (the provider host may load
 * the package twice: once from the program, once from the serialized provider).
 */
export function isPartnerCenterError(error: unknown): error is PartnerCenterError {
  if (error instanceof PartnerCenterError) return true;
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === "PartnerCenterError" &&
    typeof (error as { kind?: unknown }).kind === "string"
  );
}

/** True when Partner Center answered 404: the customer is gone, or is no longer ours. */
export function isNotFound(error: unknown): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.statusCode === 404;
}

/** True when Partner Center answered 409 (the SDK's `AlreadyExists`). */
export function isConflict(error: unknown): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.statusCode === 409;
}

/** True when Partner Center answered 403 (role, GDAP or onboarding problem). */
export function isForbidden(error: unknown): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.statusCode === 403;
}

/** True when the error is a throttling failure (429 beyond the retry budget). */
export function isThrottled(error: unknown): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.kind === "throttled";
}

/** True when credentials failed: token acquisition, a rejected refresh token, or 401 after a refresh. */
export function isAuthError(error: unknown): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.kind === "auth";
}

/**
 * True when the error carries the given Partner Center code. Compares as strings, because the service sends the same
 * code as a number in one payload and a string in another (`600061` vs `"600061"`).
 */
export function hasErrorCode(error: unknown, code: number | string): error is PartnerCenterError {
  return isPartnerCenterError(error) && error.code !== undefined && String(error.code) === String(code);
}

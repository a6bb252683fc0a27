/**
 * Microsoft Graph–shaped errors for the emulator's GDAP routes: `{ error: { code, message, innerError: { date,
 * request-id, client-request-id } } }` [MS, "Microsoft Graph error responses"], never Partner Center's numeric bodies.
 *
 * Graph documents the shape and the HTTP statuses, not which `code` the GDAP service sends in each case. Only
 * `InvalidAuthenticationToken` (401) is what Graph answers for every bad token, in Microsoft's own troubleshooting
 * pages; every other code below is the emulator's pick, named after its HTTP status, so a client keys on the status.
 */

/** The `error.code` values the emulator answers with (see the module comment: all but the first are inferred). */
export const GraphErrorCode = {
  /** 401: no, malformed, expired or foreign-audience token [MS]. */
  invalidAuthenticationToken: "InvalidAuthenticationToken",
  /** 400: unreadable or invalid body, bad `$filter`/`$top`, a transition the status does not allow [inferred]. */
  badRequest: "BadRequest",
  /** 403: an action only the customer may take (`approve`, `reject`) [inferred]. */
  forbidden: "Forbidden",
  /** 404: unknown relationship, access assignment, request or operation [inferred]. */
  notFound: "NotFound",
  /** 409: a display name already used, a security group already assigned [inferred]. */
  conflict: "Conflict",
  /** 412: `If-Match` names an older ETag [inferred]. */
  preconditionFailed: "PreconditionFailed",
  /** 429: throttled (rate limit, injected fault) [inferred; Graph's throttling guidance shows it]. */
  tooManyRequests: "TooManyRequests",
  /** 503 and other 5xx from injected faults [inferred]. */
  serviceUnavailable: "ServiceUnavailable",
} as const;

/** A Graph error body as sent. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; "request-id": string; "client-request-id": string };
  };
}

/**
 * An error a Graph route throws; the server's error handler answers it with a {@link GraphErrorBody} carrying the
 * request's ids (known only there).
 */
export class GraphHttpError extends Error {
  /** HTTP status to answer with. */
  readonly statusCode: number;
  /** `error.code`. */
  readonly code: string;
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`). */
  readonly headers: Record<string, string>;

  /**
   * @param statusCode HTTP status.
   * @param code `error.code` (a {@link GraphErrorCode} value).
   * @param message `error.message`.
   * @param headers Extra response headers.
   */
  constructor(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "GraphHttpError";
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

/** Shorthand for `new GraphHttpError(status, code, message)`. */
export function graphError(statusCode: number, code: string, message: string): GraphHttpError {
  return new GraphHttpError(statusCode, code, message);
}

/** The `error.code` the emulator uses for an HTTP status it has no more specific code for. */
export function graphCodeForStatus(status: number): string {
  switch (status) {
    case 401:
      return GraphErrorCode.invalidAuthenticationToken;
    case 403:
      return GraphErrorCode.forbidden;
    case 404:
      return GraphErrorCode.notFound;
    case 409:
      return GraphErrorCode.conflict;
    case 412:
      return GraphErrorCode.preconditionFailed;
    case 429:
      return GraphErrorCode.tooManyRequests;
    default:
      return status >= 500 ? GraphErrorCode.serviceUnavailable : GraphErrorCode.badRequest;
  }
}

/**
 * Builds the body for an error.
 * @param code `error.code`.
 * @param message `error.message`.
 * @param requestId The `request-id` the answer carries.
 * @param clientRequestId The client's `client-request-id`; Graph echoes its own `request-id` when the client sent none.
 */
export function graphErrorBody(
  code: string,
  message: string,
  requestId: string,
  clientRequestId?: string,
): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: {
        // Graph's innerError date has no fraction and no zone designator: `2024-05-01T10:00:00`.
        date: new Date().toISOString().slice(0, 19),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  };
}

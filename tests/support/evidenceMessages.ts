/**
 * Reads `PartnerCenterError` messages back into their parts. The provider host forwards only the message over gRPC,
 * so the message *is* the error a user sees: `<operation>: <description> (HTTP 503, code 503, …, correlation <id>,
 * request <id>)` (see `formatPartnerCenterErrorMessage`). The evidence suites check every failure against it.
 */

/** A GUID as the client writes request and correlation ids. */
export const GUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The parts of a `PartnerCenterError` message. */
export interface ParsedPartnerCenterMessage {
  /** What the provider was doing, e.g. `Creating customer contoso.onmicrosoft.com`. */
  operation: string;
  /** Partner Center's description or ours, including any "(gave up: …)" note. */
  description: string;
  /** `HTTP nnn`, when Partner Center answered. */
  statusCode?: number;
  /** `code …`: Partner Center's error code, or the network error code (`ECONNRESET`). */
  code?: string;
  /** `MS-CorrelationId` of the operation. */
  correlationId: string;
  /** `MS-RequestId` of the operation. */
  requestId: string;
}

const MESSAGE = /^(?<operation>[^:\n]+): (?<description>[\s\S]+) \((?<details>[^()]*)\)$/;

/**
 * Parses a message; `undefined` when it does not have the shape, or lacks either id, or names neither an HTTP status
 * nor a code (then it would not say what kind of failure it was).
 */
export function parsePartnerCenterMessage(text: string): ParsedPartnerCenterMessage | undefined {
  const match = MESSAGE.exec(text.trim());
  if (!match?.groups) return undefined;
  const details = match.groups.details ?? "";
  const correlationId = new RegExp(`(?:^|, )correlation (${GUID_PATTERN})(?:,|$)`).exec(details)?.[1];
  const requestId = new RegExp(`(?:^|, )request (${GUID_PATTERN})$`).exec(details)?.[1];
  const status = /(?:^|, )HTTP (\d{3})(?:,|$)/.exec(details)?.[1];
  const code = /(?:^|, )code ([^,]+)(?:,|$)/.exec(details)?.[1];
  if (!correlationId || !requestId || (status === undefined && code === undefined)) return undefined;
  return {
    operation: match.groups.operation ?? "",
    description: match.groups.description ?? "",
    ...(status === undefined ? {} : { statusCode: Number(status) }),
    ...(code === undefined ? {} : { code }),
    correlationId,
    requestId,
  };
}

/**
 * The `PartnerCenterError` message inside a `preflight` check failure ("the preflight checks could not run: <message>.
 * Fix the cause, or set preflight: false to skip them"), or `undefined` for any other reason.
 */
export function preflightCause(reason: string): string | undefined {
  return /^the preflight checks could not run: ([\s\S]+)\. Fix the cause, or set preflight: false/.exec(reason)?.[1];
}

import type { z } from "zod";
import { normalizeKeys } from "./normalizeKeys";
import { PartnerCenterError } from "./partnerCenterError";
import { redactText, truncate } from "./redact";

/** Ids and operation name that go into an `invalid_response` or `config` error. */
export interface WireContext {
  readonly operation: string;
  readonly requestId?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly statusCode?: number | undefined;
}

/**
 * Parses a Partner Center response body: keys are camelCased first (the service is inconsistent, see
 * `normalizeKeys.ts`), then the loose wire schema applies. A mismatch becomes {@link PartnerCenterError} kind
 * `invalid_response` whose description is `z.prettifyError` output (field paths and expectations, not values).
 */
export function parseResponse<T extends z.ZodType>(schema: T, body: unknown, context: WireContext): z.output<T> {
  const result = schema.safeParse(normalizeKeys(body));
  if (result.success) return result.data;
  throw new PartnerCenterError({
    kind: "invalid_response",
    operation: context.operation,
    // zod itself only to describe a mismatch: importing the client does not load it (partnerCenterClient.ts).
    description: `unexpected response from Partner Center: ${truncate(redactText((require("zod") as typeof import("zod")).prettifyError(result.error)), 800)}`,
    statusCode: context.statusCode,
    requestId: context.requestId,
    correlationId: context.correlationId,
    isRetryable: false,
  });
}

/**
 * Validates a request body against its strict schema before anything is sent. A mismatch is our caller's bug:
 * {@link PartnerCenterError} kind `config`, naming the offending paths (never the values, which may be personal data).
 */
export function validateRequest<T extends z.ZodType>(schema: T, body: unknown, operation: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
  throw new PartnerCenterError({
    kind: "config",
    operation,
    description: `invalid request: ${truncate(issues, 800)}`,
    isRetryable: false,
  });
}

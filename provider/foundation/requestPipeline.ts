import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type * as ErrorSchemas from "../schemas/error";
import type { PartnerCenterErrorBody } from "../schemas/error";
import type * as GdapSchemas from "../schemas/gdap";
import { type ApiService, type ResolvedClientOptions, SERVICE_NAMES } from "./clientOptions";
import { withErrorAdvice } from "./errorAdvice";
import type { HttpMethod, HttpRequest, HttpResponse, HttpTransport } from "./httpTransport";
import { normalizeKeys } from "./normalizeKeys";
import { isPartnerCenterError, PartnerCenterError, type PartnerCenterErrorKind } from "./partnerCenterError";
import { redactText, truncate } from "./redact";
import { type AttemptOutcome, decideRetry, parseRetryAfter } from "./retryPolicy";

/** The per-call options bag every client method takes last. */
export interface OperationOptions {
  /**
   * `MS-RequestId` of this logical operation: Partner Center's idempotency key, reused across retries. Pass a stable
   * id (e.g. derived from the resource's inputs) to make a repeated create return the first result. Default: a new
   * GUID per call.
   */
  requestId?: string;
  /** `MS-CorrelationId`, for tracing several operations together. Default: a new GUID per call. */
  correlationId?: string;
  /** Cancels the operation, including waits between retries. */
  signal?: AbortSignal;
}

/** One logical operation as the client methods describe it. */
export interface RequestSpec {
  /** For messages: `Creating customer contoso.onmicrosoft.com`. */
  readonly operation: string;
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Relative to `<endpoint>/v1/` (no leading slash, query included), or an absolute same-origin link. */
  readonly path: string;
  /** A JSON value, already validated against its request schema. */
  readonly body?: unknown;
  /** Extra headers (`If-Match`, `MS-ContinuationToken`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Non-2xx statuses that are answers, not errors (HEAD /domains: 404 = available). */
  readonly acceptStatuses?: readonly number[];
  /**
   * Values of this request that grant access and must never be shown — an MCA attestation ID, which is all a link
   * that accepts the agreement on the customer's behalf needs: redacted from log lines and error descriptions.
   */
  readonly secrets?: readonly string[];
  /** Send with an App-only token, whatever the client's usual identity: an operation Microsoft takes only App-only. */
  readonly appOnly?: boolean;
}

/** A successful (or accepted) answer: status, parsed JSON (keys not yet normalised; `undefined` when empty). */
export interface RawResult {
  /** HTTP status of the answer. */
  readonly statusCode: number;
  /** Response headers (lower case). */
  readonly headers: HttpResponse["headers"];
  /** Parsed JSON body, `undefined` when empty. */
  readonly json: unknown;
  /** `MS-RequestId` of the operation. */
  readonly requestId: string;
  /** `MS-CorrelationId` of the operation. */
  readonly correlationId: string;
}

/** Mutable per-client state for coalescing token refreshes after 401s. A plain object: no `#private` fields. */
export interface RefreshState {
  /** The latest forced refresh: which token it replaced, and the promise of the new one. */
  current?: { readonly rejectedToken: string; readonly promise: Promise<string> } | undefined;
}

/**
 * Runs one logical operation: headers, token, attempts, the retry policy, the 401 refresh, error mapping, logging.
 * Everything that leaves this function is either a {@link RawResult} or a {@link PartnerCenterError}.
 */
export async function executeRequest(
  spec: RequestSpec,
  options: OperationOptions,
  clientOptions: ResolvedClientOptions,
  transport: HttpTransport,
  refresh: RefreshState,
): Promise<RawResult> {
  const client = spec.appOnly ? withAppOnlyTokens(clientOptions, spec.operation) : clientOptions;
  const requestId = options.requestId ?? randomUUID();
  const correlationId = options.correlationId ?? randomUUID();
  const ids = { requestId, correlationId, operation: spec.operation };
  const signal = options.signal;
  const log = client.logger;
  // Log lines start with the API's name: tests and users grep for "PartnerCenter GET" / "Graph POST".
  const label = client.service === "graph" ? "Graph" : "PartnerCenter";
  const where = redactText(`${spec.method} ${pathForLog(spec.path, client.apiRoot)}`, spec.secrets ?? []);
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);

  let attempts = 0;
  // Attempts that ended with no definite answer: the operation's outcome stays open whatever a later attempt says.
  let unanswered = 0;
  let retries = 0;
  let waitedMs = 0;
  const operationStarted = Date.now();
  let refreshedAfter401 = false;
  let tokenForNextAttempt: string | undefined;
  // Tokens seen by this operation, and the request's own secrets: both are redacted from whatever it reports.
  const seenTokens: string[] = [...(spec.secrets ?? [])];

  for (;;) {
    throwIfAborted(signal, ids, attempts);
    let token: string;
    try {
      token = tokenForNextAttempt ?? (await acquireToken(client, { signal }, ids, seenTokens));
    } catch (error) {
      const kind = isPartnerCenterError(error) ? error.kind : "auth";
      // A passing failure to reach the token issuer is retried like a network error on the request itself; a
      // refused credential is not.
      if (isPartnerCenterError(error) && error.isRetryable) {
        // Classified like an attempt that timed out: retryable, with backoff, within the same budgets.
        const decision = decideRetry({ type: "timeout" }, { retriesSoFar: retries, waitedMs }, client.retry);
        if (decision.retry && withinDeadline(operationStarted, decision.delayMs, client)) {
          log?.(
            `${label} ${where}: no access token (${kind}), retrying in ${decision.delayMs} ms (request ${requestId})`,
          );
          await sleepUnlessAborted(decision.delayMs, signal, ids, attempts);
          waitedMs += decision.delayMs;
          retries++;
          continue;
        }
      }
      log?.(`${label} ${where}: no access token (${kind}), not sent (request ${requestId})`);
      throw error;
    }
    tokenForNextAttempt = undefined;
    remember(seenTokens, token);
    attempts++;
    const started = Date.now();
    const attempt = await sendAttempt(transport, {
      method: spec.method,
      url: spec.path,
      headers: buildHeaders(client, token, requestId, correlationId, body !== undefined, spec.headers),
      body,
      timeoutMs: client.timeoutMs,
      signal,
    });
    const elapsed = Date.now() - started;

    let outcome: AttemptOutcome;
    let failure: PartnerCenterError;
    if (attempt.type === "response") {
      const response = attempt.response;
      const status = response.statusCode;
      log?.(`${label} ${where} -> ${status} in ${elapsed} ms (attempt ${attempts}, request ${requestId})`);
      if ((status >= 200 && status < 300) || spec.acceptStatuses?.includes(status)) {
        return { statusCode: status, headers: response.headers, json: parseJsonBody(response, ids), ...ids };
      }
      if (status === 401 && !refreshedAfter401) {
        // The token may have been revoked or expired early: one forced refresh and one immediate retry, outside the
        // retry budget. A second 401 is a real authorization failure.
        refreshedAfter401 = true;
        log?.(`${label} ${where}: HTTP 401, refreshing the access token and retrying once (request ${requestId})`);
        tokenForNextAttempt = await refreshAfter401(client, refresh, token, signal, ids, seenTokens);
        continue;
      }
      failure = errorFromResponse(client.service, response, ids, { attempts, unanswered }, seenTokens);
      if (status === 408 || status >= 500) unanswered++;
      outcome = { type: "response", statusCode: status, retryAfter: headerValue(response.headers, "retry-after") };
    } else {
      throwIfAborted(signal, ids, attempts);
      const mapped = mapTransportError(attempt.error);
      const what = mapped.kind === "timeout" ? "timed out" : `network error ${mapped.code ?? "unknown"}`;
      log?.(`${label} ${where} -> ${what} after ${elapsed} ms (attempt ${attempts}, request ${requestId})`);
      outcome = mapped.kind === "timeout" ? { type: "timeout" } : { type: "network", code: mapped.code };
      failure = new PartnerCenterError({
        ...ids,
        kind: mapped.kind,
        description: redactText(mapped.description, seenTokens),
        code: mapped.code,
        attempts,
        ...(unanswered > 0 && { unansweredAttempts: unanswered }),
      });
      unanswered++;
    }

    let decision = decideRetry(outcome, { retriesSoFar: retries, waitedMs }, client.retry);
    if (decision.retry && !withinDeadline(operationStarted, decision.delayMs, client)) {
      // Attempts that time out count too: the bound is on the whole operation, not only on the sleeps.
      decision = {
        retry: false,
        exhausted: true,
        reason: `the operation has run for ${Math.round((Date.now() - operationStarted) / 1000)} s, past the ${client.retry.maxTotalWaitSeconds} s bound`,
      };
    }
    if (!decision.retry) {
      log?.(`${label} ${where}: not retrying (${decision.reason}, request ${requestId})`);
      throw new PartnerCenterError({
        ...failure.toInit(),
        // Say why we stopped when a retry was possible in principle; a plain 400 needs no commentary.
        description: decision.exhausted ? `${failure.description} (gave up: ${decision.reason})` : failure.description,
        retryAfterSeconds: decision.retryAfterSeconds ?? failure.retryAfterSeconds,
        attempts,
      });
    }
    log?.(
      `${label} ${where}: ${decision.reason}, retrying in ${decision.delayMs} ms (attempt ${attempts + 1} of ${client.retry.limit + 1}, request ${requestId})`,
    );
    await sleepUnlessAborted(decision.delayMs, signal, ids, attempts);
    waitedMs += decision.delayMs;
    retries++;
  }
}

/**
 * The client options with the token provider's App-only tokens. Without an app credential the operation cannot be
 * sent at all: a `config` error says what to set.
 */
function withAppOnlyTokens(client: ResolvedClientOptions, operation: string): ResolvedClientOptions {
  const provider = client.tokenProvider;
  if (provider.identity === "app") return client;
  if (provider.appOnly) return { ...client, tokenProvider: provider.appOnly };
  throw new PartnerCenterError({
    kind: "config",
    operation,
    description:
      "Microsoft takes this operation with App-only credentials only, and only a refresh token (App+User) is configured: set partnercenter:clientSecret, a certificate or a federated token file for the same application",
  });
}

/** Whether waiting `delayMs` more keeps the whole operation within the total bound (`maxTotalWaitSeconds`). */
function withinDeadline(operationStarted: number, delayMs: number, client: ResolvedClientOptions): boolean {
  return Date.now() - operationStarted + delayMs <= client.retry.maxTotalWaitSeconds * 1000;
}

async function sleepUnlessAborted(
  delayMs: number,
  signal: AbortSignal | undefined,
  ids: { operation: string; requestId: string; correlationId: string },
  attempts: number,
): Promise<void> {
  try {
    await sleep(delayMs, undefined, signal ? { signal } : undefined);
  } catch {
    throwIfAborted(signal, ids, attempts);
  }
}

type AttemptResult = { type: "response"; response: HttpResponse } | { type: "error"; error: unknown };

async function sendAttempt(transport: HttpTransport, request: HttpRequest): Promise<AttemptResult> {
  try {
    return { type: "response", response: await transport.send(request) };
  } catch (error) {
    return { type: "error", error };
  }
}

function buildHeaders(
  client: ResolvedClientOptions,
  token: string,
  requestId: string,
  correlationId: string,
  hasBody: boolean,
  extra: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (client.service === "graph") {
    // Graph has no idempotency key; `client-request-id` ties its logs (and its error's innerError) to ours.
    return {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...(hasBody ? { "content-type": "application/json" } : {}),
      "client-request-id": requestId,
      "user-agent": client.applicationName,
      ...extra,
    };
  }
  return {
    authorization: `Bearer ${token}`,
    accept: "application/json",
    ...(hasBody ? { "content-type": "application/json" } : {}),
    "ms-requestid": requestId,
    "ms-correlationid": correlationId,
    "x-locale": client.locale,
    "ms-partnercenter-application": client.applicationName,
    "user-agent": client.applicationName,
    ...extra,
  };
}

async function acquireToken(
  client: ResolvedClientOptions,
  tokenOptions: { signal?: AbortSignal | undefined; forceRefresh?: boolean },
  ids: { operation: string; requestId: string; correlationId: string },
  seenTokens: readonly string[],
): Promise<string> {
  try {
    const token = await client.tokenProvider.getAccessToken({
      ...(tokenOptions.signal ? { signal: tokenOptions.signal } : {}),
      ...(tokenOptions.forceRefresh ? { forceRefresh: true } : {}),
    });
    if (typeof token !== "string" || token === "") {
      throw new PartnerCenterError({ kind: "auth", description: "the token provider returned no access token" });
    }
    return token;
  } catch (error) {
    throwIfAborted(tokenOptions.signal, ids, 0);
    if (isPartnerCenterError(error)) {
      const init = error.toInit();
      // Keep the provider's own operation ("Acquiring a token …") inside the description, under ours.
      const description = init.operation ? `${init.operation}: ${init.description}` : init.description;
      throw new PartnerCenterError({
        ...init,
        operation: ids.operation,
        description,
        requestId: ids.requestId,
        correlationId: ids.correlationId,
      });
    }
    throw new PartnerCenterError({
      ...ids,
      kind: "auth",
      description: `acquiring an access token failed: ${redactText(errorText(error), seenTokens)}`,
    });
  }
}

/**
 * Forced refresh after a 401, coalesced per client: many requests rejected with the same token share one refresh;
 * a request rejected with an older token than the one already refreshed to simply gets the newer token.
 */
async function refreshAfter401(
  client: ResolvedClientOptions,
  refresh: RefreshState,
  rejectedToken: string,
  signal: AbortSignal | undefined,
  ids: { operation: string; requestId: string; correlationId: string },
  seenTokens: string[],
): Promise<string> {
  const current = refresh.current;
  if (current && current.rejectedToken === rejectedToken) return current.promise;
  const promise = acquireToken(client, { signal, forceRefresh: true }, ids, seenTokens);
  refresh.current = { rejectedToken, promise };
  // A failed refresh must not be handed to later callers.
  promise.catch(() => {
    if (refresh.current?.promise === promise) refresh.current = undefined;
  });
  const token = await promise;
  remember(seenTokens, token);
  return token;
}

function remember(tokens: string[], token: string): void {
  if (!tokens.includes(token)) tokens.push(token);
}

function parseJsonBody(response: HttpResponse, ids: { operation: string; requestId: string; correlationId: string }) {
  const text = response.body.trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PartnerCenterError({
      ...ids,
      kind: "invalid_response",
      description: `Partner Center answered ${response.statusCode} with a body that is not JSON`,
      statusCode: response.statusCode,
      isRetryable: false,
    });
  }
}

/** Maps an error response to a {@link PartnerCenterError}, reading Partner Center's error body when there is one. */
function errorFromResponse(
  service: ApiService,
  response: HttpResponse,
  ids: { operation: string; requestId: string; correlationId: string },
  { attempts, unanswered }: { attempts: number; unanswered: number },
  secrets: readonly string[],
): PartnerCenterError {
  const status = response.statusCode;
  let parsedBody: unknown;
  try {
    parsedBody = response.body.trim() ? JSON.parse(response.body) : undefined;
  } catch {
    parsedBody = undefined; // an HTML page from a gateway: not shown, it is noise at best
  }
  const errorBody = service === "graph" ? graphErrorBody(parsedBody) : partnerCenterErrorBody(parsedBody);
  const kind: PartnerCenterErrorKind = status === 401 ? "auth" : status === 429 ? "throttled" : "http";
  const serviceText =
    errorBody.description || errorBody.message || errorBody.errorName || response.statusMessage || `HTTP ${status}`;
  const hint = status === 401 ? `${SERVICE_NAMES[service]} rejected the access token: ` : "";
  // Graph names its side of the call in `request-id`: the ID Microsoft support asks for, reported as the correlation.
  const graphRequestId = service === "graph" ? headerValue(response.headers, "request-id") : undefined;
  return new PartnerCenterError({
    ...ids,
    ...(graphRequestId && { correlationId: graphRequestId }),
    kind,
    description: withErrorAdvice(hint + truncate(redactText(serviceText, secrets)), errorBody.code),
    statusCode: status,
    code: errorBody.code ?? undefined,
    errorName: errorBody.errorName ?? undefined,
    isRetryable: errorBody.isRetryable ?? undefined,
    retryAfterSeconds: parseRetryAfter(headerValue(response.headers, "retry-after")),
    attempts,
    ...(unanswered > 0 && { unansweredAttempts: unanswered }),
  });
}

/** Partner Center's error body, or nothing usable. */
function partnerCenterErrorBody(parsedBody: unknown): PartnerCenterErrorBody {
  // Loaded on the first error answer, not with the client (partnerCenterClient.ts says why).
  const { PartnerCenterErrorBodySchema }: typeof ErrorSchemas = require("../schemas/error");
  const parsed = PartnerCenterErrorBodySchema.safeParse(normalizeKeys(parsedBody ?? {}));
  return parsed.success ? parsed.data : {};
}

/** Graph's `{ error: { code, message } }` read into the same fields (`code` is a word such as `BadRequest`). */
function graphErrorBody(parsedBody: unknown): PartnerCenterErrorBody {
  const { GraphErrorBodySchema }: typeof GdapSchemas = require("../schemas/gdap");
  const parsed = GraphErrorBodySchema.safeParse(parsedBody ?? {});
  const error = parsed.success ? parsed.data.error : undefined;
  return { code: error?.code ?? undefined, message: error?.message ?? undefined };
}

/** What a got `RequestError` means for us, without keeping the error (it holds the request options and headers). */
function mapTransportError(error: unknown): {
  kind: "timeout" | "network";
  code: string | undefined;
  description: string;
} {
  const name = (error as { name?: unknown })?.name;
  const code = (error as { code?: unknown })?.code;
  const codeText = typeof code === "string" ? code : undefined;
  if (name === "TimeoutError" || codeText === "ETIMEDOUT") {
    return { kind: "timeout", code: codeText, description: "the request timed out" };
  }
  const message = errorText(error);
  const tls = codeText !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(codeText);
  return {
    kind: "network",
    code: codeText,
    description: tls
      ? `TLS verification failed (${message}); trust the endpoint's CA with NODE_EXTRA_CA_CERTS`
      : `network error: ${message}`,
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function throwIfAborted(
  signal: AbortSignal | undefined,
  ids: { operation: string; requestId: string; correlationId: string },
  attempts: number,
): void {
  if (!signal?.aborted) return;
  const reason = signal.reason as { name?: unknown } | undefined;
  const timedOut = reason?.name === "TimeoutError";
  throw new PartnerCenterError({
    ...ids,
    kind: timedOut ? "timeout" : "network",
    description: timedOut ? "the caller's deadline passed" : "cancelled by the caller",
    isRetryable: timedOut,
    attempts,
  });
}

/** First value of a (lower-cased) response header. */
export function headerValue(headers: HttpResponse["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pathForLog(path: string, apiRoot: string): string {
  // Log the path only: queries may carry filters with customer names, and nothing in them helps an operator.
  const absolute = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path, apiRoot);
  return absolute.pathname;
}

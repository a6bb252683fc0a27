import { getApplicationName } from "../version";
import { CLOUD_INFO, type PartnerCenterCloud } from "./clouds";
import { PartnerCenterError } from "./partnerCenterError";
import type { ResolvedRetryOptions } from "./retryPolicy";
import type { TokenProvider } from "./tokenProvider";

/** Default retries after the first attempt. */
export const DEFAULT_RETRY_LIMIT = 4;
/** Default cap on one `Retry-After`, in seconds (Partner Center's own example asks for 57 s). */
export const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
/** Default bound on the total wait between the attempts of one operation, in seconds. */
export const DEFAULT_MAX_TOTAL_WAIT_SECONDS = 120;
/** Default first backoff step in milliseconds (the .NET SDK starts at 0.5 s). */
export const DEFAULT_BASE_DELAY_MS = 500;
/** Default ceiling of one backoff step in milliseconds. */
export const DEFAULT_MAX_DELAY_MS = 30_000;
/** Default per-attempt timeout in milliseconds. Customer creation provisions a tenant and can take a while. */
export const DEFAULT_TIMEOUT_MS = 100_000;
/** Default `X-Locale`. */
export const DEFAULT_LOCALE = "en-US";
/** Default cloud when neither `endpoint` nor `cloud` is given. */
export const DEFAULT_CLOUD: PartnerCenterCloud = "public";

/** Retry settings of the client; every field is optional and defaults to a `DEFAULT_*` constant. */
export interface RetryOptions {
  /** Maximum retries after the first attempt. Default {@link DEFAULT_RETRY_LIMIT}. */
  limit?: number;
  /** Largest `Retry-After` honoured; a longer one fails at once (kind `throttled`). Default 60. */
  maxRetryAfterSeconds?: number;
  /**
   * Bound on one operation's time, attempts included: no retry starts past it (an attempt already running may end
   * up to `timeoutMs` later). Default 120.
   */
  maxTotalWaitSeconds?: number;
  /** First backoff step; doubles per retry, with jitter. Default 500. */
  baseDelayMs?: number;
  /** Ceiling of one backoff step. Default 30 000. */
  maxDelayMs?: number;
}

/** A log sink. Lines name method, path, status, attempt and request id; never tokens, secrets or bodies. */
export type PartnerCenterLogger = (line: string) => void;

/** Options of the {@link PartnerCenterClient} constructor. */
export interface PartnerCenterClientOptions {
  /** Where bearer tokens come from. */
  tokenProvider: TokenProvider;
  /** REST base URL (without `/v1`), e.g. the emulator's `https://127.0.0.1:PORT`. Wins over `cloud`. */
  endpoint?: string;
  /** Partner Center cloud, used when `endpoint` is not given. Default `public`. */
  cloud?: PartnerCenterCloud;
  /** `X-Locale` sent with every request. Default `en-US`. */
  locale?: string;
  /**
   * Which API the requests go to: Partner Center (`<endpoint>/v1/`, `MS-RequestId`, Partner Center's error body) or
   * Microsoft Graph (`<endpoint>/v1.0/`, `client-request-id`, Graph's `{ error: { code, message } }`). Default
   * `partnerCenter`; the Graph client sets `graph`.
   */
  service?: ApiService;
  /** Retry behaviour. */
  retry?: RetryOptions;
  /** Per-attempt timeout in milliseconds. Default 100 000. */
  timeoutMs?: number;
  /** Receives one line per attempt and per retry decision. */
  logger?: PartnerCenterLogger;
  /** `MS-PartnerCenter-Application`; default `<package name>/<version>` from package.json. */
  applicationName?: string;
  /**
   * TLS passthrough for tests and private CAs. Users normally trust a local emulator through `NODE_EXTRA_CA_CERTS`;
   * TLS verification is never turned off.
   */
  https?: { certificateAuthority?: string | Buffer | Array<string | Buffer> };
}

/** The APIs the request pipeline speaks: Partner Center's REST API and Microsoft Graph. */
export type ApiService = "partnerCenter" | "graph";

/** How messages name each API. */
export const SERVICE_NAMES: Readonly<Record<ApiService, string>> = {
  partnerCenter: "Partner Center",
  graph: "Microsoft Graph",
};

/** {@link PartnerCenterClientOptions} with every default applied; the rest of the client sees only this. */
export interface ResolvedClientOptions {
  /** Which API this client talks to. */
  readonly service: ApiService;
  /** Where bearer tokens come from. */
  readonly tokenProvider: TokenProvider;
  /** Endpoint without trailing slash. */
  readonly endpoint: string;
  /** `<endpoint>/v1/` (Graph: `<endpoint>/v1.0/`): the got `prefixUrl`. */
  readonly apiRoot: string;
  /** `X-Locale`. */
  readonly locale: string;
  /** Retry settings, all defaults applied. */
  readonly retry: ResolvedRetryOptions;
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Log sink, if any. */
  readonly logger: PartnerCenterLogger | undefined;
  /** `MS-PartnerCenter-Application` (also sent as `User-Agent`). */
  readonly applicationName: string;
  /** TLS passthrough (tests). */
  readonly https: { certificateAuthority?: string | Buffer | Array<string | Buffer> } | undefined;
}

/**
 * Applies defaults and validates the constructor options once. Throws {@link PartnerCenterError} kind `config` for
 * an unusable endpoint or a negative number.
 */
export function resolveClientOptions(options: PartnerCenterClientOptions): ResolvedClientOptions {
  if (!options || typeof options.tokenProvider?.getAccessToken !== "function") {
    throw configError("tokenProvider is required");
  }
  const endpoint = normalizeEndpoint(options.endpoint ?? CLOUD_INFO[options.cloud ?? DEFAULT_CLOUD].endpoint);
  const retry: ResolvedRetryOptions = {
    limit: nonNegative("retry.limit", options.retry?.limit, DEFAULT_RETRY_LIMIT),
    maxRetryAfterSeconds: nonNegative(
      "retry.maxRetryAfterSeconds",
      options.retry?.maxRetryAfterSeconds,
      DEFAULT_MAX_RETRY_AFTER_SECONDS,
    ),
    maxTotalWaitSeconds: nonNegative(
      "retry.maxTotalWaitSeconds",
      options.retry?.maxTotalWaitSeconds,
      DEFAULT_MAX_TOTAL_WAIT_SECONDS,
    ),
    baseDelayMs: nonNegative("retry.baseDelayMs", options.retry?.baseDelayMs, DEFAULT_BASE_DELAY_MS),
    maxDelayMs: nonNegative("retry.maxDelayMs", options.retry?.maxDelayMs, DEFAULT_MAX_DELAY_MS),
  };
  const timeoutMs = nonNegative("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS);
  if (timeoutMs === 0) throw configError("timeoutMs must be greater than 0");
  const service = options.service ?? "partnerCenter";
  return {
    service,
    tokenProvider: options.tokenProvider,
    endpoint,
    apiRoot: service === "graph" ? `${endpoint}/v1.0/` : `${endpoint}/v1/`,
    locale: options.locale?.trim() || DEFAULT_LOCALE,
    retry,
    timeoutMs,
    logger: options.logger,
    applicationName: options.applicationName ?? getApplicationName(),
    https: options.https,
  };
}

/**
 * Validates and normalises an endpoint: an absolute `https:` URL (or `http:` on a loopback host, for local tools),
 * no query or fragment, no trailing slash, and no `/v1` suffix (it is added by the client).
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw configError("endpoint is not an absolute URL");
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw configError(`endpoint ${url.origin} must use https`);
  }
  if (url.username || url.password) throw configError("endpoint must not contain credentials");
  if (url.search || url.hash) throw configError("endpoint must not have a query or fragment");
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v1$/i, "");
  return `${url.origin}${path}`;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw configError(`${name} must be a non-negative number`);
  }
  return value;
}

function configError(description: string): PartnerCenterError {
  return new PartnerCenterError({ kind: "config", operation: "Configuring the Partner Center client", description });
}

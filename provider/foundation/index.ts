/**
 * The foundation both API clients, authentication and settings stand on: the one error type, the clouds table,
 * redaction, and the HTTP request pipeline (token, retries, error mapping). It imports nothing else of the provider
 * except wire schemas and the package version (tests/unit/layers.test.ts holds every layer to its imports).
 */
export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_CLOUD,
  DEFAULT_LOCALE,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MAX_RETRY_AFTER_SECONDS,
  DEFAULT_MAX_TOTAL_WAIT_SECONDS,
  DEFAULT_RETRY_LIMIT,
  DEFAULT_TIMEOUT_MS,
  normalizeEndpoint,
  type PartnerCenterClientOptions,
  type PartnerCenterLogger,
  type ResolvedClientOptions,
  type RetryOptions,
  resolveClientOptions,
} from "./clientOptions";
export {
  CLOUD_INFO,
  isPartnerCenterCloud,
  PARTNER_CENTER_CLOUDS,
  type PartnerCenterCloud,
  type PartnerCenterCloudInfo,
} from "./clouds";
export { normalizeKeys } from "./normalizeKeys";
export {
  formatPartnerCenterErrorMessage,
  hasErrorCode,
  isAuthError,
  isConflict,
  isForbidden,
  isNotFound,
  isPartnerCenterError,
  isThrottled,
  PartnerCenterError,
  type PartnerCenterErrorInit,
  type PartnerCenterErrorKind,
} from "./partnerCenterError";
export { REDACTED, redactHeaders, redactText } from "./redact";
export type { OperationOptions } from "./requestPipeline";
export {
  type AttemptOutcome,
  computeBackoffDelay,
  decideRetry,
  isRetryableStatus,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryDecision,
} from "./retryPolicy";
export type { GetAccessTokenOptions, TokenProvider } from "./tokenProvider";

/**
 * The Partner Center client: a typed got + zod client for the REST operations the resources need. It knows
 * nothing of Pulumi.
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
export { createPartnerCenterClient } from "./createPartnerCenterClient";
export { normalizeKeys } from "./normalizeKeys";
export {
  DEFAULT_PAGE_SIZE,
  type DomainAvailability,
  type ListCustomersOptions,
  type Page,
  PartnerCenterClient,
  type UpdateBillingProfileOptions,
} from "./partnerCenterClient";
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

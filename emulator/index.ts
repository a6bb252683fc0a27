/**
 * `pulumi-partnercenter/emulator`: a local Microsoft Partner Center emulator (customers, agreements, validation
 * routes, Microsoft Graph's GDAP relationships and the customer's approval page) with an Entra ID–like token endpoint
 * that unmodified `@azure/msal-node` can use. Re-exports only.
 *
 * ```ts
 * import { startEmulator } from "pulumi-partnercenter/emulator";
 * const emulator = await startEmulator({ port: 0 });
 * // trust emulator.caCertificatePath, authenticate with emulator.credentials against emulator.authority …
 * await emulator.close();
 * ```
 *
 * @packageDocumentation
 * @module pulumi-partnercenter/emulator
 */
export type { AddressRule, AddressValidationResponse, AddressValidationStatus } from "./addressValidation";
export {
  type CertificateAuthorityPem,
  type ClientCertificate,
  createCertificateAuthority,
  createClientCertificate,
} from "./certificates";
export { type CountryValidationRules, getCountryRules } from "./countryRules";
export { DEFAULT_GDAP_DURATION } from "./defaultGdapRelationship";
export type { DeepPartial, EmulatorControls } from "./emulatorControls";
export type { EmulatorHandle } from "./emulatorHandle";
export {
  DEFAULT_HOST,
  DEFAULT_IDEMPOTENCY_WINDOW_SECONDS,
  DEFAULT_PORT,
  DEFAULT_REQUEST_LOG_LIMIT,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  type EmulatorCredentials,
  type EmulatorOptions,
  PARTNER_TYPES,
  type PartnerType,
} from "./emulatorOptions";
export {
  ErrorCode,
  type PartnerCenterErrorBody,
  type PartnerCenterNewErrorBody,
  type ThrottlingErrorBody,
} from "./errors";
export type { ActiveFault, FaultController, FaultMode, FaultSpec } from "./faults";
export { INVITATION_LIFETIME_DAYS } from "./gdapLifecycle";
export { type GraphErrorBody, GraphErrorCode } from "./graphError";
export type {
  Address,
  Agreement,
  AgreementMetadata,
  Attestation,
  BillingProfile,
  Collection,
  CompanyProfile,
  Contact,
  Customer,
  GdapAccessAssignment,
  GdapOperation,
  GdapRelationship,
  GdapRelationshipRequest,
  GdapRole,
  Link,
} from "./model";
export type { RequestLogEntry } from "./requestLog";
export type { EmulatorInfo, EmulatorSettingsJson, FaultSpecJson } from "./routes/admin";
export { AGREEMENT_TEMPLATES } from "./routes/agreements";
export { GDAP_APPROVAL_API_PATH, type GdapApprovalSummary } from "./routes/gdapApproval";
export { startEmulator } from "./startEmulator";
export type { EmulatorState, GdapState } from "./store";
export {
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_FEDERATED_ISSUER,
  DEFAULT_FEDERATED_SUBJECT,
  FEDERATED_TOKEN_AUDIENCE,
  type FederatedTokenOptions,
  GDAP_GRAPH_PERMISSION,
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  PARTNER_CENTER_APP_ID,
  PARTNER_CENTER_RESOURCE,
} from "./tokenService";

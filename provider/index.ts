/**
 * pulumi-partnercenter: Pulumi dynamic resources for Microsoft Partner Center.
 *
 * - {@link PartnerCustomer} creates (or adopts) a CSP customer.
 * - {@link McaAcceptance} takes the customer's acceptance of the Microsoft Customer Agreement the way Partner Center
 *   does today (enhanced attestation, the customer's own acceptance through Microsoft's link).
 * - {@link GdapRelationship} and {@link GdapAccessAssignment} grant the partner's security groups granular delegated
 *   admin access to the customer (Microsoft Graph), waiting for the customer's approval where one is needed.
 * - {@link CustomerAgreement} records an acceptance the seed's way (App+User, `templateId`/`dateAgreed`).
 *
 * Credentials come from `partnercenter:*` stack config or the environment, never from resource inputs.
 *
 * @packageDocumentation
 * @module pulumi-partnercenter
 */

export * from "./auth";
export * from "./client";
export * from "./connect";
export * from "./foundation";
export * from "./gitops";
export * from "./graph";
export {
  type AgreementContactArgs,
  CUSTOMER_AGREEMENT_TYPE,
  CustomerAgreement,
  type CustomerAgreementArgs,
} from "./resources/customerAgreement";
export type {
  AgreementContactInputs,
  AgreementType,
  CustomerAgreementInputs,
  CustomerAgreementOutputs,
} from "./resources/customerAgreementTypes";
export {
  GDAP_ACCESS_ASSIGNMENT_TYPE,
  GdapAccessAssignment,
  type GdapAccessAssignmentArgs,
} from "./resources/gdapAccessAssignment";
export {
  GDAP_RELATIONSHIP_TYPE,
  GdapRelationship,
  type GdapRelationshipArgs,
} from "./resources/gdapRelationship";
export type {
  GdapAccessAssignmentInputs,
  GdapAccessAssignmentOutputs,
  GdapRelationshipDeletionPolicy,
  GdapRelationshipInputs,
  GdapRelationshipOutputs,
} from "./resources/gdapTypes";
export {
  MCA_ACCEPTANCE_TYPE,
  McaAcceptance,
  type McaAcceptanceArgs,
  type SignatoryArgs,
} from "./resources/mcaAcceptance";
export type { McaAcceptanceInputs, McaAcceptanceOutputs, SignatoryInputs } from "./resources/mcaAcceptanceTypes";
export {
  type CustomerAddressArgs,
  type CustomerBillingProfileArgs,
  type CustomerCompanyProfileArgs,
  PARTNER_CUSTOMER_TYPE,
  PartnerCustomer,
  type PartnerCustomerArgs,
} from "./resources/partnerCustomer";
export type {
  CustomerAddressInputs,
  CustomerBillingProfileInputs,
  CustomerCompanyProfileInputs,
  CustomerDeletionPolicy,
  CustomerUserCredentials,
  PartnerCustomerInputs,
  PartnerCustomerOutputs,
} from "./resources/partnerCustomerTypes";
export { WAITING_STATUSES, type WaitingStatus } from "./resources/waitingOnPerson";
/** Partner Center's wire shapes (zod-inferred types), as the client returns them. */
export type * as wire from "./schemas";
export * from "./settings";

/**
 * GitOps: customers described in a YAML file, validated up front and provisioned as `PartnerCustomer`,
 * `McaAcceptance`, `CustomerAgreement`, `GdapRelationship` and `GdapAccessAssignment` resources. Re-exports only.
 */

export {
  ACCEPTANCE_NAME_SUFFIX,
  AGREEMENT_NAME_SUFFIX,
  CUSTOMER_NAME_PATTERN,
  type CustomerAgreementSpec,
  type CustomerSpec,
  GDAP_NAME_SUFFIX,
  type GdapAccessSpec,
  type GdapRelationshipSpec,
  type GdapSpec,
  gdapAccessName,
  type McaAcceptanceSpec,
} from "./customerSpec";
export {
  type LoadCustomersFileOptions,
  loadCustomersFile,
  type ParseCustomersFileOptions,
  parseCustomersFile,
} from "./customersFile";
export { CustomersFileError, type CustomersFileIssue } from "./customersFileError";
export { type ProvisionCustomersOptions, type ProvisionedCustomer, provisionCustomers } from "./provisionCustomers";

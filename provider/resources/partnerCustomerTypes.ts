/**
 * Types of the `PartnerCustomer` resource as the provider sees them: resolved inputs (after `check`) and the
 * outputs stored in Pulumi state. The `pulumi.Input`-wrapped arguments users write are in `partnerCustomer.ts`.
 *
 * These shapes are our own and deliberately separate from Partner Center's wire schemas (`provider/schemas/`), so
 * a change on the wire never leaks into state by accident.
 */

/** Address of the customer's billing profile. Changing any field replaces the customer. */
export interface CustomerAddressInputs {
  firstName: string;
  lastName: string;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  city: string;
  state?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 country code, upper case (`GB`, not `UK`). */
  country: string;
  region?: string;
  phoneNumber?: string;
}

/** Company profile of a new customer. Changing any field replaces the customer. */
export interface CustomerCompanyProfileInputs {
  /** Initial domain, `<prefix>.onmicrosoft.com`, lower-cased by `check`. */
  domain: string;
  organizationRegistrationNumber?: string;
  companyName?: string;
}

/** Billing profile of a new customer. Changing any field replaces the customer. */
export interface CustomerBillingProfileInputs {
  email: string;
  /** Culture such as `en-US`; `check` normalises the case (`EN-US` → `en-US`). */
  culture: string;
  /** Two-letter language such as `en`; `check` lower-cases it. */
  language: string;
  companyName: string;
  firstName?: string;
  lastName?: string;
  defaultAddress: CustomerAddressInputs;
}

/** How `pulumi destroy` (or a replacement) treats the customer. Changes in place. */
export type CustomerDeletionPolicy = "retain" | "delete" | "removeRelationship";

/** Resolved inputs of a `PartnerCustomer`, as returned by `check` and passed to `create`/`diff`/`update`. */
export interface PartnerCustomerInputs {
  companyProfile: CustomerCompanyProfileInputs;
  billingProfile: CustomerBillingProfileInputs;
  associatedPartnerId?: string;
  enableGDAPByDefault?: boolean;
  existingCustomerId?: string;
  deletionPolicy?: CustomerDeletionPolicy;
  preflight?: boolean;
}

/** Admin credentials of a customer's new tenant; only returned by Partner Center when the customer is created. */
export interface CustomerUserCredentials {
  /** The admin's user name, as Partner Center returned it at creation. */
  userName: string;
  /** The admin's initial password, returned only once, at creation. Secret. */
  password: string;
}

/** Outputs of a `PartnerCustomer` stored in state: every input echoed verbatim plus what Partner Center computed. */
export interface PartnerCustomerOutputs extends PartnerCustomerInputs {
  customerId: string;
  tenantId: string;
  commerceId?: string;
  relationshipToPartner?: string;
  allowDelegatedAccess?: boolean;
  billingProfileId?: string;
  /** Secret. Only known when this resource created the customer; kept across refreshes. */
  userCredentials?: CustomerUserCredentials;
  /**
   * When this resource created the customer (ISO 8601, UTC); absent for adopted or imported customers and for
   * customers created by versions before it. A refresh is patient with a customer created less than
   * `RECENT_CREATE_MINUTES` ago that cannot be read yet.
   */
  createdAt?: string;
}

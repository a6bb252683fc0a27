/**
 * Wire shapes the emulator stores and returns, field names exactly as Partner Center spells them in responses
 * (camelCase). See `partner-center-api.md` §3 and §5.
 */

/** A Partner Center link: `{ uri, method, headers }`. */
export interface Link {
  uri: string;
  method: string;
  headers: Array<{ key: string; value: string }>;
}

/** Address (utility-resources). Only the fields a caller sent are present. */
export interface Address {
  country?: string;
  region?: string;
  city?: string;
  state?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  postalCode?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  phoneNumber?: string;
}

/** Every Address field, in the order Partner Center's samples list them. */
export const ADDRESS_FIELDS = [
  "country",
  "region",
  "city",
  "state",
  "addressLine1",
  "addressLine2",
  "addressLine3",
  "postalCode",
  "firstName",
  "middleName",
  "lastName",
  "phoneNumber",
] as const satisfies ReadonlyArray<keyof Address>;

/** CustomerCompanyProfile. */
export interface CompanyProfile {
  tenantId: string;
  domain: string;
  companyName?: string;
  organizationRegistrationNumber?: string;
  address?: Address;
  email?: string;
  links?: { self: Link };
  attributes: { objectType: "CustomerCompanyProfile" };
}

/** CustomerBillingProfile. */
export interface BillingProfile {
  id: string;
  firstName?: string;
  lastName?: string;
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: Address;
  links?: { self: Link };
  attributes: { etag: string; objectType: "CustomerBillingProfile" };
}

/** The Customer resource as GET /v1/customers/{id} returns it (userCredentials only ever on create). */
export interface Customer {
  id: string;
  commerceId: string;
  companyProfile: CompanyProfile;
  billingProfile: BillingProfile;
  relationshipToPartner: string;
  allowDelegatedAccess: boolean;
  enableGDAPByDefault: boolean;
  associatedPartnerId?: string;
  customDomains?: string[];
  tags?: string[];
  userCredentials?: { userName: string; password: string };
  links: { self: Link };
  attributes: { objectType: "Customer" };
}

/** Contact of an agreement (the person at the customer who accepted). */
export interface Contact {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
  middleName?: string;
}

/** An agreement confirmation (POST/GET /v1/customers/{id}/agreements). */
export interface Agreement {
  primaryContact: Contact;
  templateId: string;
  dateAgreed: string;
  type: string;
  agreementLink: string;
  userId: string;
  /** The attestation it was recorded from (enhanced flow only; inferred field). */
  attestationId?: string;
}

/**
 * An enhanced MCA attestation (`POST /v1/attestations/enhanced`). Fields past the first five of the request are
 * inferred, as in `provider/schemas/attestation.ts`, which says which.
 */
export interface Attestation {
  id: string;
  customerTenantId: string;
  country: string;
  language: string;
  companyName: string;
  signatoryFirstName: string;
  signatoryLastName: string;
  signatoryEmail: string;
  signatoryPhoneNumber?: string;
  /** `pending` until the customer accepts on the page, then `accepted`; `expired` when a test says so. */
  status: "pending" | "accepted" | "expired";
  createdAt: string;
  acceptedAt?: string;
  /** Whether an agreement was recorded from it (each attestation records one). */
  used?: boolean;
}

/** Agreement metadata (GET /v1/agreements). */
export interface AgreementMetadata {
  templateId: string;
  agreementType: string;
  agreementLink: string;
  versionRank: number;
}

/** A Partner Center collection envelope. */
export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { self: Link; next?: Link; previous?: Link };
  attributes: { objectType: "Collection" };
  continuationToken?: string;
}

/** Builds a GET link with no headers. */
export function selfLink(uri: string): { self: Link } {
  return { self: { uri, method: "GET", headers: [] } };
}

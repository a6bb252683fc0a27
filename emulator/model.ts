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

/** One Microsoft Entra role of a GDAP relationship or access assignment, by template ID (`unifiedRole`). */
export interface GdapRole {
  roleDefinitionId: string;
}

/**
 * A GDAP relationship (`delegatedAdminRelationship` in Microsoft Graph) as the emulator stores it: the wire fields of
 * `provider/schemas/gdap.ts`'s `RelationshipSchema` (the view drops what is not on the wire), plus bookkeeping.
 */
export interface GdapRelationship {
  /** `{guid}-{guid}`, as Graph's relationship ids look. */
  id: string;
  /** Weak ETag, `W/"…"`; a new one with every change. */
  etag: string;
  displayName: string;
  /** ISO 8601 whole days, `P1D`…`P730D`. */
  duration: string;
  customer: { tenantId: string; displayName: string };
  accessDetails: { unifiedRoles: GdapRole[] };
  /** A `delegatedAdminRelationshipStatus` value. */
  status: string;
  /** `PT0S` or `P180D`. */
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string;
  endDateTime?: string;
  /**
   * Bookkeeping, never on the wire: a transient status (`terminationRequested`) has been shown to a Graph read once, so
   * the next read settles it (see `gdapLifecycle.ts`).
   */
  shown?: boolean;
  /** Bookkeeping: when it was locked for approval (the 90-day invitation window starts then). */
  lockedDateTime?: string;
  /** Bookkeeping: created by Partner Center with the customer (Default GDAP), not through Graph. */
  isDefaultGdap?: boolean;
}

/** A `delegatedAdminRelationshipRequest`: a `lockForApproval` or `terminate` the partner asked for. */
export interface GdapRelationshipRequest {
  id: string;
  relationshipId: string;
  action: string;
  /** `created` in the create answer; `succeeded` on later reads (the action is applied at once). */
  status: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** A `delegatedAdminAccessAssignment`: roles of a relationship granted to one security group of the partner. */
export interface GdapAccessAssignment {
  id: string;
  relationshipId: string;
  etag: string;
  /** `pending` when created, `active` from the read after the one that showed `pending`. */
  status: string;
  accessContainer: { accessContainerId: string; accessContainerType: string };
  accessDetails: { unifiedRoles: GdapRole[] };
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Bookkeeping, never on the wire: `pending` has been shown once. */
  shown?: boolean;
}

/** A `delegatedAdminRelationshipOperation`: the long-running operation an access-assignment update starts. */
export interface GdapOperation {
  id: string;
  relationshipId: string;
  etag: string;
  operationType: string;
  /** `succeeded`: the emulator applies the change at once. */
  status: string;
  /** What changed, as JSON text (Graph's `data` is a string). */
  data: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
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

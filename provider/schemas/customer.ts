import { z } from "zod";
import { AddressRequestSchema, AddressSchema, LinksSchema, openEnum, ResourceAttributesSchema } from "./common";

/** Documented values of `relationshipToPartner` (lower snake case on the wire); others are kept as they come. */
export const RELATIONSHIP_TO_PARTNER_VALUES = [
  "none",
  "reseller",
  "advisor",
  "syndication",
  "microsoft_support",
  "unknown",
] as const;

/** `companyProfile` of a customer (customer-resources, CustomerCompanyProfile). */
export const CustomerCompanyProfileSchema = z.looseObject({
  tenantId: z.string().nullish(),
  domain: z.string().nullish(),
  companyName: z.string().nullish(),
  organizationRegistrationNumber: z.string().nullish(),
  address: AddressSchema.nullish(),
  email: z.string().nullish(),
  links: LinksSchema.nullish(),
  attributes: ResourceAttributesSchema.nullish(),
});
/** A customer's company profile. */
export type CustomerCompanyProfile = z.infer<typeof CustomerCompanyProfileSchema>;

/** `billingProfile` of a customer (CustomerBillingProfile); `attributes.etag` is needed to update it. */
export const CustomerBillingProfileSchema = z.looseObject({
  id: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  culture: z.string().nullish(),
  language: z.string().nullish(),
  companyName: z.string().nullish(),
  defaultAddress: AddressSchema.nullish(),
  links: LinksSchema.nullish(),
  attributes: ResourceAttributesSchema.nullish(),
});
/** A customer's billing profile. */
export type CustomerBillingProfile = z.infer<typeof CustomerBillingProfileSchema>;

/** The initial admin user returned once, by customer creation. `password` is a secret. */
export const UserCredentialsSchema = z.looseObject({
  userName: z.string().nullish(),
  password: z.string().nullish(),
});
/** The initial admin user of a new customer. */
export type UserCredentials = z.infer<typeof UserCredentialsSchema>;

/**
 * A customer (customer-resources), as create, read by id and list answer it. `id` is the customer's Entra tenant id.
 * List results carry only `id`, `companyProfile`, `relationshipToPartner`, `links` and `attributes`.
 *
 * Everything but `id` may be null or missing. `id` stays required because these callers cannot continue without it:
 * the id of a *created* customer is the only handle on the new tenant (nothing else identifies it in state, and a
 * create answer without one must fail loudly, carrying its MS-RequestId, rather than be recorded as a customer
 * with no id), and a list item is only ever used to read or adopt that customer by id. Every documented create,
 * get and list sample carries it. A read by id knows the id already (`getCustomer` fills in a missing one), and
 * the documented PATCH answer, whose `"Id"` is null, has its own schema: {@link RemovedRelationshipSchema}.
 */
export const CustomerSchema = z.looseObject({
  id: z.string().min(1),
  commerceId: z.string().nullish(),
  companyProfile: CustomerCompanyProfileSchema.nullish(),
  billingProfile: CustomerBillingProfileSchema.nullish(),
  relationshipToPartner: openEnum(RELATIONSHIP_TO_PARTNER_VALUES).nullish(),
  allowDelegatedAccess: z.boolean().nullish(),
  enableGDAPByDefault: z.boolean().nullish(),
  userCredentials: UserCredentialsSchema.nullish(),
  customDomains: z.array(z.string()).nullish(),
  // The meaning of `tags` is undocumented: accept any element rather than fail to read a created customer.
  tags: z.array(z.unknown()).nullish(),
  associatedPartnerId: z.string().nullish(),
  links: LinksSchema.nullish(),
  attributes: ResourceAttributesSchema.nullish(),
});
/** A Partner Center customer. */
export type Customer = z.infer<typeof CustomerSchema>;

/**
 * The answer to `PATCH /v1/customers/{id}` that removes the reseller relationship. Microsoft documents it as HTTP 200
 * with PascalCase keys and every profile field null, `"Id"` included:
 * `{"Id":null,"CommerceId":null,"CompanyProfile":null,"BillingProfile":null,"RelationshipToPartner":"none",
 * "AllowDelegatedAccess":null,"UserCredentials":null,"CustomDomains":null,"AssociatedPartnerId":null,
 * "Attributes":{"ObjectType":"Customer"}}` (remove-a-reseller-relationship-with-a-customer, response example).
 * The 200 is the success: by the time this body arrives the relationship is gone, so nothing in it is required —
 * an empty body counts as an empty object — and a field missing here must never turn a done removal into a failure.
 */
export const RemovedRelationshipSchema = z.preprocess(
  (raw) => raw ?? {},
  CustomerSchema.extend({ id: z.string().nullish() }),
);
/** The answer to a remove-relationship PATCH (keys normalised to camelCase; `id` is null as documented). */
export type RemovedRelationship = z.infer<typeof RemovedRelationshipSchema>;

/** Body of `POST /v1/customers`. Never send `userCredentials`: Partner Center rejects a supplied password. */
export const CreateCustomerRequestSchema = z.strictObject({
  enableGDAPByDefault: z.boolean().optional(),
  associatedPartnerId: z.string().min(1).optional(),
  companyProfile: z.strictObject({
    domain: z.string().min(1),
    companyName: z.string().optional(),
    organizationRegistrationNumber: z.string().optional(),
  }),
  billingProfile: z.strictObject({
    email: z.string().min(3),
    culture: z.string().min(2),
    language: z.string().min(2),
    companyName: z.string().min(1),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    defaultAddress: AddressRequestSchema,
  }),
});
/** Body of a create-customer request. */
export type CreateCustomerRequest = z.infer<typeof CreateCustomerRequestSchema>;

/** Body of `PUT /v1/customers/{id}/profiles/billing`: the full profile, not a patch. */
export const UpdateBillingProfileRequestSchema = z.strictObject({
  id: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().min(3),
  culture: z.string().min(2),
  language: z.string().min(2),
  companyName: z.string().min(1),
  defaultAddress: AddressRequestSchema,
  attributes: z.strictObject({ etag: z.string().optional(), objectType: z.string().optional() }).optional(),
});
/** Body of a billing-profile update. */
export type UpdateBillingProfileRequest = z.infer<typeof UpdateBillingProfileRequestSchema>;

/** Body of `PATCH /v1/customers/{id}` that removes the reseller relationship. */
export const RemoveResellerRelationshipRequestSchema = z.strictObject({
  relationshipToPartner: z.literal("none"),
  attributes: z.strictObject({ objectType: z.literal("Customer") }),
});
/** Body of a remove-relationship request. */
export type RemoveResellerRelationshipRequest = z.infer<typeof RemoveResellerRelationshipRequestSchema>;

/** The fields the customer list can be filtered on (`starts_with`, case-insensitive, is the only operator). */
export const CUSTOMER_SEARCH_FIELDS = [
  "Domain",
  "CompanyName",
  "IndirectReseller",
  "IndirectCloudSolutionProvider",
] as const;
/** A customer list filter field. */
export type CustomerSearchField = (typeof CUSTOMER_SEARCH_FIELDS)[number];

/** The `filter` query parameter of `GET /v1/customers`, JSON-encoded on the wire. */
export const CustomerFilterSchema = z.strictObject({
  Field: z.enum(CUSTOMER_SEARCH_FIELDS),
  Value: z.string().min(1),
  Operator: z.literal("starts_with"),
});
/** A customer list filter as sent. */
export type CustomerFilter = z.infer<typeof CustomerFilterSchema>;

import { z } from "zod";

/**
 * Shared wire shapes. Field names are exactly as Partner Center spells them (camelCase on responses after key
 * normalisation; see `normalizeKeys.ts`). Response schemas are loose (new server fields survive) and accept `null`
 * wherever a field is optional, because the service (and its .NET SDK) send explicit nulls. Request schemas are strict:
 * a typo in a request field is our bug and must fail before anything is sent.
 */

/**
 * A string enum that keeps values it does not know. Partner Center adds enum values without notice (the SDK maps
 * unknown ones to `unknown`); we keep the raw string and let callers compare against the known ones.
 */
export function openEnum<const T extends readonly [string, ...string[]]>(
  _known: T,
): z.ZodType<T[number] | (string & {}), string> {
  return z.string() as z.ZodType<T[number] | (string & {}), string>;
}

/** `attributes` of every Partner Center resource: `objectType` and, on versioned resources, `etag`. */
export const ResourceAttributesSchema = z.looseObject({
  etag: z.string().nullish(),
  objectType: z.string().nullish(),
});
/** `attributes` of a Partner Center resource. */
export type ResourceAttributes = z.infer<typeof ResourceAttributesSchema>;

/**
 * A header to copy when following a link, e.g. `MS-ContinuationToken`. Both parts are a .NET `KeyValuePair` of
 * strings on Partner Center's side, so either may come as null; such a header is not copied.
 */
export const LinkHeaderSchema = z.looseObject({ key: z.string().nullish(), value: z.string().nullish() });
/** A header to copy when following a link. */
export type LinkHeader = z.infer<typeof LinkHeaderSchema>;

/**
 * A hypermedia link: `uri` (absolute, or relative to `/v1`), `method`, and headers to send with it. Links are
 * informational on every resource (nothing reads `links.self`), so even `uri` may be null or missing; a `links.next`
 * without a `uri` ends paging.
 */
export const LinkSchema = z.looseObject({
  uri: z.string().nullish(),
  method: z.string().nullish(),
  headers: z.array(LinkHeaderSchema).nullish(),
});
/** A hypermedia link. */
export type Link = z.infer<typeof LinkSchema>;

/** `links` of a resource or collection. */
export const LinksSchema = z.looseObject({
  self: LinkSchema.nullish(),
  next: LinkSchema.nullish(),
  previous: LinkSchema.nullish(),
});
/** `links` of a resource or collection. */
export type Links = z.infer<typeof LinksSchema>;

/** A postal address as Partner Center returns it (utility-resources). */
export const AddressSchema = z.looseObject({
  firstName: z.string().nullish(),
  middleName: z.string().nullish(),
  lastName: z.string().nullish(),
  addressLine1: z.string().nullish(),
  addressLine2: z.string().nullish(),
  addressLine3: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postalCode: z.string().nullish(),
  country: z.string().nullish(),
  region: z.string().nullish(),
  district: z.string().nullish(),
  phoneNumber: z.string().nullish(),
});
/** A postal address as returned by Partner Center. */
export type Address = z.infer<typeof AddressSchema>;

/** A postal address we send (customer creation, billing profile update, address validation). */
export const AddressRequestSchema = z.strictObject({
  firstName: z.string().min(1).max(50).optional(),
  middleName: z.string().max(50).optional(),
  lastName: z.string().min(1).max(50).optional(),
  addressLine1: z.string().min(1).max(200),
  addressLine2: z.string().max(200).optional(),
  addressLine3: z.string().max(200).optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().length(2),
  region: z.string().optional(),
  phoneNumber: z.string().optional(),
});
/** A postal address we send. */
export type AddressRequest = z.infer<typeof AddressRequestSchema>;

/** A person (agreement primary contact) as returned. */
export const ContactSchema = z.looseObject({
  firstName: z.string().nullish(),
  middleName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  phoneNumber: z.string().nullish(),
});
/** A person as returned by Partner Center. */
export type Contact = z.infer<typeof ContactSchema>;

/** A person we send (agreement primary contact). */
export const ContactRequestSchema = z.strictObject({
  firstName: z.string().min(1),
  middleName: z.string().optional(),
  lastName: z.string().min(1),
  email: z.string().min(3),
  phoneNumber: z.string().optional(),
});
/** A person we send. */
export type ContactRequest = z.infer<typeof ContactRequestSchema>;

/**
 * Partner Center reads request property names without regard to case: its own documentation sends PascalCase
 * (`"CompanyProfile": {"Domain": …}`, as the .NET SDK serializes), other clients send camelCase, and one page even
 * names `company_name` / `default_address`. The emulator folds every incoming key to the camelCase wire name before
 * validating, so all three spellings behave the same.
 */

/** Wire names the emulator reads; anything else is folded to lower-camel-case by its first letter. */
const CANONICAL_NAMES = [
  "id",
  "commerceId",
  "companyProfile",
  "billingProfile",
  "relationshipToPartner",
  "allowDelegatedAccess",
  "enableGDAPByDefault",
  "userCredentials",
  "customDomains",
  "associatedPartnerId",
  "attributes",
  "objectType",
  "etag",
  "links",
  "tags",
  "tenantId",
  "domain",
  "companyName",
  "organizationRegistrationNumber",
  "address",
  "email",
  "firstName",
  "middleName",
  "lastName",
  "culture",
  "language",
  "defaultAddress",
  "addressLine1",
  "addressLine2",
  "addressLine3",
  "city",
  "state",
  "postalCode",
  "country",
  "region",
  "district",
  "phoneNumber",
  "userName",
  "password",
  "primaryContact",
  "dateAgreed",
  "templateId",
  "type",
  "agreementLink",
  "userId",
];

/** Lookup from the case- and underscore-free form of a name to its wire spelling. */
const BY_FOLDED = new Map(CANONICAL_NAMES.map((name) => [fold(name), name]));

function fold(name: string): string {
  return name.replace(/_/g, "").toLowerCase();
}

/** Returns the wire (camelCase) spelling of a property name given in any casing. */
export function canonicalKey(key: string): string {
  return BY_FOLDED.get(fold(key)) ?? key.charAt(0).toLowerCase() + key.slice(1);
}

/**
 * Deep-copies a parsed JSON value with every object key renamed to its wire spelling. When two spellings of one key
 * collide, the last non-null value wins, which keeps SDK-style bodies (explicit `null`s) harmless.
 */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const name = canonicalKey(key);
    if (inner === null && out[name] !== undefined) continue;
    out[name] = normalizeKeys(inner);
  }
  return out;
}

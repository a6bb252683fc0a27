/**
 * The network-free part of `PartnerCustomer.check`: shape, types, formats and cross-field rules of the inputs, their
 * normalisation, and the rejection of replacements that cannot succeed. Pure functions and constant data only (the
 * dynamic-provider host `require()`s this module at run time).
 *
 * Which limits are Partner Center's and which are ours is recorded on {@link PARTNER_CUSTOMER_LIMITS}.
 */
import {
  APP_USER_HOWTO,
  addFailure,
  booleanRule,
  type CheckFailure,
  type CredentialsKind,
  containsUnknown,
  deepEqual,
  emailFormat,
  guidFormat,
  isPlainObject,
  isUnknown,
  joinPath,
  objectRule,
  oneOfRule,
  optionalField,
  phoneFormat,
  quote,
  requiredField,
  type Shape,
  textRule,
  UNKNOWN,
  validateObject,
} from "./checkFailures";
import { COUNTRY_CODE_MISTAKES, ISO_COUNTRY_CODES, REGISTRATION_NUMBER_COUNTRIES } from "./countries";
import type { CustomerDeletionPolicy, PartnerCustomerInputs } from "./partnerCustomerTypes";

/**
 * Maximum lengths (UTF-16 code units after trimming, as .NET counts them) of the text inputs.
 *
 * Documented by Partner Center (utility-resources, Address; `partner-center-api.md` §3.1): `addressLine1` 1–200,
 * `addressLine2` 0–200, address `firstName`/`lastName` 1–50. The domain prefix limit, 27, is Microsoft's PowerShell
 * module's (§3.6). `email` is RFC 5321's 254.
 *
 * Everything else is undocumented, and the limit is ours: generous enough that no real value reaches it, there only
 * to stop pasted garbage before it reaches Partner Center. In particular the docs give `state` a maximum of 2, which
 * would refuse the full state and province names Partner Center accepts outside the US, CA, CN and MX (§4.2), so we
 * allow 50. `addressLine3` (undocumented but seen server-side) mirrors `addressLine2`; the billing contact's names
 * mirror the address names.
 */
export const PARTNER_CUSTOMER_LIMITS = {
  addressLine1: 200,
  addressLine2: 200,
  addressLine3: 200,
  personName: 50,
  city: 100,
  state: 50,
  postalCode: 20,
  region: 100,
  phoneNumber: 30,
  companyName: 255,
  email: 254,
  organizationRegistrationNumber: 100,
  domainPrefix: 27,
} as const;

/** The accepted values of `deletionPolicy`; absent means `"retain"`. */
export const DELETION_POLICIES: readonly CustomerDeletionPolicy[] = ["retain", "delete", "removeRelationship"];

/**
 * Top-level inputs whose change replaces the customer: Partner Center cannot change a customer's company profile,
 * reseller or GDAP choice after creation, and a different `existingCustomerId` is a different customer. (The billing
 * profile is updatable on the wire, but this resource treats it as create-time data.)
 */
export const PARTNER_CUSTOMER_REPLACE_KEYS = [
  "companyProfile",
  "billingProfile",
  "associatedPartnerId",
  "enableGDAPByDefault",
  "existingCustomerId",
] as const;

/** Top-level inputs that change in place: they only steer this provider (`delete`, the create pre-checks). */
export const PARTNER_CUSTOMER_IN_PLACE_KEYS = ["deletionPolicy", "preflight"] as const;

/** Result of {@link validatePartnerCustomerInputs}. */
export interface PartnerCustomerValidation {
  /**
   * The normalised inputs (see {@link validatePartnerCustomerInputs}). Unknown values are kept as the sentinel, and a
   * value that failed a rule is kept as given, so the object only matches its type when `failures` is empty and no
   * unknowns remain. `__`-prefixed keys (`__provider`) are carried over untouched.
   */
  inputs: PartnerCustomerInputs;
  /** One failure per bad property, with every rule it breaks. Empty when the inputs are valid. */
  failures: CheckFailure[];
}

/**
 * Validates and normalises the raw `news` of `PartnerCustomer.check`.
 *
 * Rules, each reported on the dotted path of the offending property:
 * - required: `companyProfile.domain`; `billingProfile.email`, `.culture`, `.language`, `.companyName`,
 *   `.defaultAddress`; `defaultAddress.firstName`, `.lastName`, `.addressLine1`, `.city`, `.postalCode`, `.country`;
 * - text inputs are strings within {@link PARTNER_CUSTOMER_LIMITS}; booleans are real booleans (not `"true"`);
 * - `companyProfile.domain` is `<prefix>.onmicrosoft.com`, the prefix 1–27 letters and digits;
 * - `billingProfile.email` is an email address (zod's `z.email()` pattern);
 * - `culture` is language-REGION (`en-US`, optionally with a script: `zh-Hans-CN`) with an ISO region; `language`
 *   a 2–3 letter code, optionally with a script (`en`, `zh-Hans`); both case-insensitive;
 * - `defaultAddress.country` is an ISO 3166-1 alpha-2 code (`UK` is answered with "use GB");
 * - `defaultAddress.phoneNumber` holds only digits, spaces and `+ - ( ) .`;
 * - in the {@link REGISTRATION_NUMBER_COUNTRIES}, `organizationRegistrationNumber` and `phoneNumber` are required;
 *   elsewhere the registration number is refused (Partner Center answers it with error 600002);
 * - `associatedPartnerId` and `existingCustomerId` are GUIDs; `associatedPartnerId` (an indirect reseller's
 *   customer) needs App+User credentials, so app-only credentials fail it (no credentials at all are reported by the
 *   provider settings, not here);
 * - `deletionPolicy` is one of {@link DELETION_POLICIES};
 * - any other property, at any depth, is refused as unknown (typo protection), except top-level `__`-prefixed keys.
 *
 * Normalisation: every string is trimmed; an optional string that is empty after trimming is removed, exactly as if
 * it had been left out; `domain` and the GUIDs are lower-cased; `country` and culture regions upper-cased; `culture`
 * and `language` get their canonical case (`EN-US` → `en-US`, `En` → `en`); `deletionPolicy` matches
 * case-insensitively and takes its canonical spelling; `null` counts as absent. `email` keeps its case. Doing this in
 * `check` means the inputs stored in state are canonical, so spellings that mean the same never diff.
 *
 * An unknown value (preview) is kept and skips every rule about it, including the country-dependent ones when the
 * country, or the object holding the registration number or phone, is unknown.
 */
export function validatePartnerCustomerInputs(
  news: Record<string, unknown>,
  context: { credentials: CredentialsKind },
): PartnerCustomerValidation {
  const failures: CheckFailure[] = [];
  const inputs = validateObject(news, TOP_LEVEL, "", failures, true);

  checkCountryRules(inputs, failures);

  const partnerId = inputs["associatedPartnerId"];
  if (partnerId !== undefined && !isUnknown(partnerId) && context.credentials === "app") {
    addFailure(
      failures,
      "associatedPartnerId",
      "needs App+User credentials: creating a customer for an indirect reseller is an App+User-only operation in " +
        `Partner Center, and the provider is configured with app-only credentials; ${APP_USER_HOWTO}`,
    );
  }

  return { inputs: inputs as unknown as PartnerCustomerInputs, failures };
}

/**
 * Changed replace-triggering properties between two sets of inputs (or old outputs, which echo the inputs), as
 * dotted paths down to the changed leaf (`billingProfile.defaultAddress.city`); a whole object when it was added,
 * removed or is unknown. An unknown value on either side counts as changed. Codes and identifiers whose case carries
 * no meaning (domain, culture, language, country, GUIDs) compare case-insensitively. Only the
 * {@link PARTNER_CUSTOMER_REPLACE_KEYS} are compared; anything else in either object is ignored.
 */
export function replaceTriggeringPaths(olds: object | undefined, news: object): string[] {
  const before = (olds ?? {}) as Record<string, unknown>;
  const after = news as Record<string, unknown>;
  return PARTNER_CUSTOMER_REPLACE_KEYS.flatMap((key) => changedPaths(before[key], after[key], key));
}

/**
 * Rejects, at `check`, a replacement that cannot succeed, with one failure per changed replace-triggering property.
 * Call it with the inputs returned by {@link validatePartnerCustomerInputs} (only when that found no failures) and
 * the old inputs `check` receives (`{}` or `undefined` for a new resource, which passes).
 *
 * - A replacement that creates a customer (no `existingCustomerId` in `news`) while `companyProfile.domain` stays
 *   the same collides with the old customer: a domain stays taken. It is rejected unless the *old* inputs have
 *   `deletionPolicy: "delete"`: the engine deletes the old resource with its recorded outputs, so only the deployed
 *   policy decides whether the old customer is gone before the new one is created (see `diffPartnerCustomer`).
 * - A replacement while `existingCustomerId` stays the same would adopt the same customer again, so the change
 *   could never take effect: rejected whatever the policy.
 * - A replacement that adopts another customer (a new or changed `existingCustomerId`) creates nothing: allowed.
 *
 * Skipped (no failures) when any replace-triggering value in `news` is unknown: the replacement may not happen.
 */
export function validatePartnerCustomerReplacement(
  olds: Partial<PartnerCustomerInputs> | undefined,
  news: PartnerCustomerInputs,
): CheckFailure[] {
  if (olds === undefined || !isPlainObject(olds.companyProfile)) return [];
  const after = news as unknown as Record<string, unknown>;
  if (PARTNER_CUSTOMER_REPLACE_KEYS.some((key) => containsUnknown(after[key]))) return [];
  const changed = replaceTriggeringPaths(olds, news);
  if (changed.length === 0) return [];

  const failures: CheckFailure[] = [];
  const oldCustomerId = olds.existingCustomerId;
  const newCustomerId = news.existingCustomerId;
  if (newCustomerId !== undefined) {
    if (oldCustomerId === undefined || oldCustomerId.toLowerCase() !== newCustomerId.toLowerCase()) return [];
    for (const path of changed) {
      addFailure(
        failures,
        path,
        `changing ${path} replaces the resource, but the replacement would adopt the same customer again ` +
          `(existingCustomerId ${quote(newCustomerId)}), so the change cannot take effect; revert it, or set ` +
          "existingCustomerId to the customer you mean",
      );
    }
    return failures;
  }

  const oldDomain = olds.companyProfile.domain;
  const newDomain = news.companyProfile?.domain;
  if (typeof oldDomain !== "string" || typeof newDomain !== "string") return [];
  if (oldDomain.trim().toLowerCase() !== newDomain.trim().toLowerCase()) return [];
  const oldPolicy = olds.deletionPolicy ?? "retain";
  if (oldPolicy === "delete") return [];

  const policyNote =
    news.deletionPolicy === "delete"
      ? `; deletionPolicy "delete" does not help yet: the old customer is deleted with the policy it was deployed ` +
        `with (${quote(oldPolicy)}), so deploy the deletionPolicy change on its own first`
      : `; alternatively, in the integration sandbox, deploy deletionPolicy "delete" first so the old customer is ` +
        "deleted before the new one is created";
  for (const path of changed) {
    addFailure(
      failures,
      path,
      `changing ${path} replaces the customer, but the replacement would be created with the same domain ` +
        `${quote(newDomain)} as the existing customer, which Partner Center refuses (the domain stays taken); ` +
        `change companyProfile.domain as well, or revert the change${policyNote}`,
    );
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------------------------
// Field rules

const DOMAIN_SUFFIX = ".onmicrosoft.com";

/** `<prefix>.onmicrosoft.com`, prefix 1–27 letters and digits (`partner-center-api.md` §3.6), lower-cased. */
function domain(s: string, path: string, failures: CheckFailure[]): string {
  const lower = s.toLowerCase();
  if (!lower.endsWith(DOMAIN_SUFFIX)) {
    addFailure(
      failures,
      path,
      `${quote(s)} is not an initial domain: it must be "<prefix>${DOMAIN_SUFFIX}" (e.g. "contoso${DOMAIN_SUFFIX}"); ` +
        "custom domains are added to the tenant after the customer exists",
    );
    return s;
  }
  const prefix = lower.slice(0, -DOMAIN_SUFFIX.length);
  const max = PARTNER_CUSTOMER_LIMITS.domainPrefix;
  if (prefix === "") {
    addFailure(failures, path, `${quote(s)} has no prefix before "${DOMAIN_SUFFIX}"`);
  } else if (!/^[a-z0-9]+$/.test(prefix)) {
    addFailure(
      failures,
      path,
      `the prefix of ${quote(s)} may only contain letters and digits (no hyphens, dots, spaces or other characters)`,
    );
  } else if (prefix.length > max) {
    addFailure(failures, path, `the prefix of ${quote(s)} is too long: ${prefix.length} characters, at most ${max}`);
  } else {
    return lower;
  }
  return s;
}

/** The hint for a non-ISO country code, naming the right code for the well-known mistakes. */
function countryCodeReason(code: string): string {
  const mistake = COUNTRY_CODE_MISTAKES.get(code);
  if (mistake !== undefined) {
    return `${quote(code)} is not an ISO 3166-1 alpha-2 country code; use "${mistake.code}" for ${mistake.name}`;
  }
  const alpha3 = /^[A-Z]{3}$/.test(code) ? " (three-letter alpha-3 codes are not accepted)" : "";
  return `${quote(code)} is not an ISO 3166-1 alpha-2 country code${alpha3}; use two letters such as "US", "GB" or "DE"`;
}

/** An ISO 3166-1 alpha-2 code, upper-cased. */
function country(s: string, path: string, failures: CheckFailure[]): string {
  const upper = s.toUpperCase();
  if (!ISO_COUNTRY_CODES.has(upper)) {
    addFailure(failures, path, countryCodeReason(upper));
    return s;
  }
  return upper;
}

/** Title case for a script subtag (`hans` → `Hans`), as BCP 47 writes it. */
function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** `language[-Script]-REGION`, e.g. `en-US`; canonical case; the region must be an ISO country code. */
function culture(s: string, path: string, failures: CheckFailure[]): string {
  const match = /^([a-z]{2,3})(?:-([a-z]{4}))?-([a-z]{2})$/i.exec(s);
  if (match === null) {
    addFailure(failures, path, `${quote(s)} is not a culture: expected language-REGION such as "en-US" or "fr-FR"`);
    return s;
  }
  const [, language = "", script, regionRaw = ""] = match;
  const region = regionRaw.toUpperCase();
  if (!ISO_COUNTRY_CODES.has(region)) {
    const mistake = COUNTRY_CODE_MISTAKES.get(region);
    const hint = mistake === undefined ? "" : `; use ${quote(`${language.toLowerCase()}-${mistake.code}`)}`;
    addFailure(
      failures,
      path,
      `${quote(s)} is not a culture: region ${quote(region)} is not an ISO country code${hint}`,
    );
    return s;
  }
  return [language.toLowerCase(), ...(script === undefined ? [] : [titleCase(script)]), region].join("-");
}

/** A two- or three-letter language code (`en`), optionally with a script (`zh-Hans`); canonical case. */
function language(s: string, path: string, failures: CheckFailure[]): string {
  const match = /^([a-z]{2,3})(?:-([a-z]{4}))?$/i.exec(s);
  if (match === null) {
    const looksLikeCulture = /^([a-z]{2,3})-[a-z]{2}$/i.exec(s);
    const hint =
      looksLikeCulture === null
        ? 'expected a two-letter code such as "en" or "fr"'
        : `that is a culture; the language is the two-letter part, ${quote((looksLikeCulture[1] ?? "").toLowerCase())}`;
    addFailure(failures, path, `${quote(s)} is not a language code: ${hint}`);
    return s;
  }
  const [, code = "", script] = match;
  return script === undefined ? code.toLowerCase() : `${code.toLowerCase()}-${titleCase(script)}`;
}

const L = PARTNER_CUSTOMER_LIMITS;

const ADDRESS: Shape = {
  firstName: requiredField(textRule(L.personName, true)),
  lastName: requiredField(textRule(L.personName, true)),
  addressLine1: requiredField(textRule(L.addressLine1, true)),
  addressLine2: optionalField(textRule(L.addressLine2, false)),
  addressLine3: optionalField(textRule(L.addressLine3, false)),
  city: requiredField(textRule(L.city, true)),
  state: optionalField(textRule(L.state, false)),
  postalCode: requiredField(textRule(L.postalCode, true)),
  country: requiredField(textRule(Number.POSITIVE_INFINITY, true, country)),
  region: optionalField(textRule(L.region, false)),
  phoneNumber: optionalField(textRule(L.phoneNumber, false, phoneFormat)),
};

const COMPANY_PROFILE: Shape = {
  domain: requiredField(textRule(Number.POSITIVE_INFINITY, true, domain)),
  organizationRegistrationNumber: optionalField(textRule(L.organizationRegistrationNumber, false)),
  companyName: optionalField(textRule(L.companyName, false)),
};

const BILLING_PROFILE: Shape = {
  email: requiredField(textRule(L.email, true, emailFormat)),
  culture: requiredField(textRule(Number.POSITIVE_INFINITY, true, culture)),
  language: requiredField(textRule(Number.POSITIVE_INFINITY, true, language)),
  companyName: requiredField(textRule(L.companyName, true)),
  firstName: optionalField(textRule(L.personName, false)),
  lastName: optionalField(textRule(L.personName, false)),
  defaultAddress: requiredField(objectRule(ADDRESS)),
};

const TOP_LEVEL: Shape = {
  companyProfile: requiredField(objectRule(COMPANY_PROFILE)),
  billingProfile: requiredField(objectRule(BILLING_PROFILE)),
  associatedPartnerId: optionalField(textRule(Number.POSITIVE_INFINITY, false, guidFormat)),
  enableGDAPByDefault: optionalField(booleanRule),
  existingCustomerId: optionalField(textRule(Number.POSITIVE_INFINITY, false, guidFormat)),
  deletionPolicy: optionalField(oneOfRule(DELETION_POLICIES, "a deletion policy")),
  preflight: optionalField(booleanRule),
};

const REGISTRATION_COUNTRY_LIST = [...REGISTRATION_NUMBER_COUNTRIES].join(", ");

/**
 * The registration-number / phone rules of `partner-center-api.md` §3.5, on the normalised inputs. Applies only when
 * the country is a known, valid ISO code, and each rule only when the value it checks is known.
 */
function checkCountryRules(inputs: Record<string, unknown>, failures: CheckFailure[]): void {
  const company = inputs["companyProfile"];
  const billing = inputs["billingProfile"];
  const address = isPlainObject(billing) ? billing["defaultAddress"] : undefined;
  if (!isPlainObject(address)) return;
  const code = address["country"];
  // An invalid code was already reported (and kept as given), an unknown one is the sentinel: neither is in the set.
  if (typeof code !== "string" || !ISO_COUNTRY_CODES.has(code)) return;

  const registrationPath = "companyProfile.organizationRegistrationNumber";
  const registration = isPlainObject(company) ? company["organizationRegistrationNumber"] : UNKNOWN;
  if (REGISTRATION_NUMBER_COUNTRIES.has(code)) {
    if (registration === undefined) {
      addFailure(
        failures,
        registrationPath,
        `is required for customers in ${quote(code)}: Partner Center requires an organization registration number ` +
          `in ${REGISTRATION_COUNTRY_LIST} (error 600049 otherwise)`,
      );
    }
    if (address["phoneNumber"] === undefined) {
      addFailure(
        failures,
        "billingProfile.defaultAddress.phoneNumber",
        `is required for customers in ${quote(code)}: Partner Center requires a phone number wherever it requires ` +
          `an organization registration number (${REGISTRATION_COUNTRY_LIST}; error 600051 otherwise)`,
      );
    }
  } else if (registration !== undefined && !isUnknown(registration)) {
    addFailure(
      failures,
      registrationPath,
      `is not supported for customers in ${quote(code)}: Partner Center accepts an organization registration number ` +
        `only in ${REGISTRATION_COUNTRY_LIST} and refuses it elsewhere with error 600002 ("value is not supported"); ` +
        "remove it",
    );
  }
}

/**
 * Inputs whose case carries no meaning (`check` normalises it). Compared case-insensitively when looking for
 * replacements, so a state written with another spelling (an older normalisation, a hand-edited state) never forces
 * a replacement by itself.
 */
const CASE_INSENSITIVE_PATHS: ReadonlySet<string> = new Set([
  "companyProfile.domain",
  "billingProfile.culture",
  "billingProfile.language",
  "billingProfile.defaultAddress.country",
  "associatedPartnerId",
  "existingCustomerId",
]);

/** Dotted paths under `path` where `before` and `after` differ; unknown on either side means changed. */
function changedPaths(before: unknown, after: unknown, path: string): string[] {
  if (isUnknown(before) || isUnknown(after)) return [path];
  if (deepEqual(before, after)) return [];
  if (typeof before === "string" && typeof after === "string" && CASE_INSENSITIVE_PATHS.has(path)) {
    return before.toLowerCase() === after.toLowerCase() ? [] : [path];
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) =>
      changedPaths(before[key], after[key], joinPath(path, key)),
    );
  }
  return [path];
}

/**
 * Reads and validates create-customer and billing-profile bodies the way Partner Center does: required fields,
 * domain format, organization registration number and phone rules per country, and a deliverable address.
 */
import { type AddressRule, REJECTED_ADDRESS_STATUSES, validateAddress } from "./addressValidation";
import { getCountryRules, REGISTRATION_NUMBER_FORMATS, requiresRegistrationNumber } from "./countryRules";
import { ErrorCode, invalidProperty, partnerCenterError } from "./errors";
import { ADDRESS_FIELDS, type Address } from "./model";
import {
  EMAIL_PATTERN,
  GUID_PATTERN,
  type JsonObject,
  readBoolean,
  readObject,
  readString,
  requireString,
} from "./readInput";

/** A billing profile as a create or update sends it, validated. */
export interface BillingProfileInput {
  firstName?: string;
  lastName?: string;
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: Address;
}

/** A create-customer body, validated (domain uniqueness is the route's job: it needs the store). */
export interface CreateCustomerInput {
  domain: string;
  companyName?: string;
  organizationRegistrationNumber?: string;
  billingProfile: BillingProfileInput;
  associatedPartnerId?: string;
  enableGDAPByDefault?: boolean;
}

/** Lengths from the Address resource (utility-resources); the 2-character state limit is left out (AU uses 3). */
const MAX_LENGTHS: Partial<Record<(typeof ADDRESS_FIELDS)[number], number>> = {
  addressLine1: 200,
  addressLine2: 200,
  addressLine3: 200,
  firstName: 50,
  middleName: 50,
  lastName: 50,
};

/**
 * Initial domains: up to 27 letters or digits before `.onmicrosoft.com` (the PowerShell module's limits;
 * `partner-center-api.md` §3.6). The sandbox also accepts its TiP test suffix `ccsctp.net`.
 */
const PRODUCTION_DOMAIN = /^[a-z0-9]{1,27}\.onmicrosoft\.com$/i;
const SANDBOX_DOMAIN = /^[a-z0-9]{1,27}\.(onmicrosoft\.com|ccsctp\.net)$/i;
const CULTURE = /^([a-z]{2,3})-([a-z]{2,4})$/i;
const LANGUAGE = /^[a-z]{2}$/i;

function readAddress(parent: JsonObject, path: string): Address {
  const raw = readObject(parent, "defaultAddress", path);
  if (!raw) throw invalidProperty(path, `${path} is required.`);
  const address: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = readString(raw, field, `${path}.${field}`);
    if (value === undefined) continue;
    const max = MAX_LENGTHS[field];
    if (max !== undefined && value.length > max) {
      throw invalidProperty(`${path}.${field}`, `${path}.${field} must be at most ${max} characters.`);
    }
    address[field] = value;
  }
  requireString(raw, "addressLine1", `${path}.addressLine1`);
  const country = requireString(raw, "country", `${path}.country`);
  if (!getCountryRules(country)) {
    throw invalidProperty(`${path}.country`, `No validation rules were found for the country/region ${country}.`);
  }
  return address;
}

/**
 * Validates a billing profile body (create or PUT): required fields, e-mail, culture, language, phone rules of the
 * country and a deliverable address.
 * @param raw The billing profile object (wire names).
 * @param path Its property path for error `data` (e.g. `billingProfile`).
 * @param addressRules Configured invalid addresses.
 */
export function readBillingProfile(
  raw: JsonObject,
  path: string,
  addressRules: readonly AddressRule[],
): BillingProfileInput {
  const email = requireString(raw, "email", `${path}.email`);
  if (!EMAIL_PATTERN.test(email))
    throw invalidProperty(`${path}.email`, `${path}.email is not a valid e-mail address.`);
  const culture = requireString(raw, "culture", `${path}.culture`);
  const cultureParts = CULTURE.exec(culture);
  if (!cultureParts)
    throw invalidProperty(`${path}.culture`, `${path}.culture '${culture}' is not a supported culture.`);
  const language = requireString(raw, "language", `${path}.language`);
  if (!LANGUAGE.test(language)) {
    throw invalidProperty(`${path}.language`, `${path}.language must be a two-letter language code.`);
  }
  const companyName = requireString(raw, "companyName", `${path}.companyName`);
  const defaultAddress = readAddress(raw, `${path}.defaultAddress`);
  const country = (defaultAddress.country as string).toUpperCase();
  const rules = getCountryRules(country);
  const phone = defaultAddress.phoneNumber?.trim();
  if (!phone) {
    if (requiresRegistrationNumber(country)) {
      throw partnerCenterError(
        400,
        ErrorCode.phoneNumberMissing,
        `Customer phone number is missing. A phone number is required for customers in ${country}.`,
        [`${path}.defaultAddress.phoneNumber`],
      );
    }
  } else if (rules && !new RegExp(rules.phoneNumberRegex).test(phone)) {
    throw invalidProperty(
      `${path}.defaultAddress.phoneNumber`,
      `Phone number '${phone}' is not valid for ${country}. It must match ${rules.phoneNumberRegex}.`,
    );
  }
  const validation = validateAddress(defaultAddress, addressRules);
  if (REJECTED_ADDRESS_STATUSES.has(validation.status)) {
    throw partnerCenterError(
      400,
      ErrorCode.addressInvalid,
      `Address is invalid (${validation.status}): ${validation.validationMessage ?? "the address could not be verified."}`,
      [`${path}.defaultAddress`],
    );
  }
  const result: BillingProfileInput = {
    email,
    // Partner Center answers with the canonical form: "EN-US" in the request comes back as "en-US".
    culture: `${(cultureParts[1] as string).toLowerCase()}-${(cultureParts[2] as string).toUpperCase()}`,
    language,
    companyName,
    defaultAddress,
  };
  const firstName = readString(raw, "firstName", `${path}.firstName`);
  const lastName = readString(raw, "lastName", `${path}.lastName`);
  if (firstName !== undefined) result.firstName = firstName;
  if (lastName !== undefined) result.lastName = lastName;
  return result;
}

/**
 * Validates a create-customer body.
 * @param body The body with wire names.
 * @param mode `sandbox` also accepts TiP test domains.
 * @param addressRules Configured invalid addresses.
 */
export function readCreateCustomer(
  body: JsonObject,
  mode: "sandbox" | "production",
  addressRules: readonly AddressRule[],
): CreateCustomerInput {
  const companyProfile = readObject(body, "companyProfile", "companyProfile");
  if (!companyProfile) throw invalidProperty("companyProfile", "companyProfile is required.");
  const billingRaw = readObject(body, "billingProfile", "billingProfile");
  if (!billingRaw) throw invalidProperty("billingProfile", "billingProfile is required.");
  const domain = requireString(companyProfile, "domain", "companyProfile.domain").trim();
  if (!(mode === "sandbox" ? SANDBOX_DOMAIN : PRODUCTION_DOMAIN).test(domain)) {
    throw invalidProperty(
      "companyProfile.domain",
      `Domain '${domain}' is not valid: use up to 27 letters or digits followed by .onmicrosoft.com.`,
    );
  }
  const associatedPartnerId = readString(body, "associatedPartnerId", "associatedPartnerId");
  if (associatedPartnerId !== undefined && !GUID_PATTERN.test(associatedPartnerId)) {
    throw invalidProperty("associatedPartnerId", `associatedPartnerId '${associatedPartnerId}' is not a valid GUID.`);
  }
  const billingProfile = readBillingProfile(billingRaw, "billingProfile", addressRules);
  const country = (billingProfile.defaultAddress.country as string).toUpperCase();
  const registration = readString(
    companyProfile,
    "organizationRegistrationNumber",
    "companyProfile.organizationRegistrationNumber",
  )?.trim();
  const format = REGISTRATION_NUMBER_FORMATS[country];
  if (format === undefined) {
    if (registration) {
      throw partnerCenterError(
        400,
        ErrorCode.registrationNumberNotSupported,
        `Organization registration ID is not supported for country ${country}.`,
        ["companyProfile.organizationRegistrationNumber"],
      );
    }
  } else if (!registration) {
    throw partnerCenterError(
      400,
      ErrorCode.registrationNumberMissing,
      `Organization registration id information is missing. It is required for customers in ${country}.`,
      ["companyProfile.organizationRegistrationNumber"],
    );
  } else if (!new RegExp(format).test(registration)) {
    throw partnerCenterError(
      400,
      ErrorCode.registrationNumberFormat,
      `Organization registration ID is in the wrong format for ${country}. It must match the regular expression ${format}`,
      ["companyProfile.organizationRegistrationNumber", format],
    );
  }
  const input: CreateCustomerInput = { domain, billingProfile };
  const companyName = readString(companyProfile, "companyName", "companyProfile.companyName");
  if (companyName) input.companyName = companyName;
  if (registration) input.organizationRegistrationNumber = registration;
  if (associatedPartnerId !== undefined) input.associatedPartnerId = associatedPartnerId.toLowerCase();
  const gdap = readBoolean(body, "enableGDAPByDefault", "enableGDAPByDefault");
  if (gdap !== undefined) input.enableGDAPByDefault = gdap;
  return input;
}

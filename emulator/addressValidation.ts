/**
 * Address validation as `POST /v1/validations/address` answers it, and the check creates run before accepting a
 * billing address (Partner Center refuses to create a customer at an address it cannot verify).
 *
 * Rules: the country must be a known market; line 1 is required; city, postal code and state follow the market's
 * {@link CountryValidationRules}; and addresses registered with {@link AddressRule} (option `invalidAddresses`,
 * `handle.markAddressInvalid`) get the status configured for them. Everything else is `VerifiedShippable`.
 */
import { type CountryValidationRules, getCountryRules } from "./countryRules";
import type { Address } from "./model";

/**
 * Address-validation statuses as Partner Center spells them (only `VerifiedShippable` and `StreetPartial` appear
 * literally in Microsoft's samples; the rest follow the same PascalCase pattern).
 */
export type AddressValidationStatus =
  | "VerifiedShippable"
  | "Verified"
  | "InteractionRequired"
  | "StreetPartial"
  | "PremisesPartial"
  | "Multiple"
  | "None"
  | "NotValidated";

/** Statuses that make a create or billing-profile update fail: the address is not a deliverable one. */
export const REJECTED_ADDRESS_STATUSES: ReadonlySet<string> = new Set([
  "None",
  "StreetPartial",
  "PremisesPartial",
  "Multiple",
]);

/**
 * Marks matching addresses with a validation status (default `None`, i.e. invalid). Every given field must equal
 * the address's field, ignoring case and surrounding spaces; fields left out match anything.
 */
export interface AddressRule {
  addressLine1?: string;
  city?: string;
  postalCode?: string;
  state?: string;
  country?: string;
  /** Status to report; default `None`. */
  status?: AddressValidationStatus;
  /** `validationMessage` to report. */
  validationMessage?: string;
}

/** The AddressValidationResponse body. */
export interface AddressValidationResponse {
  originalAddress: Address;
  suggestedAddresses: Address[];
  status: AddressValidationStatus;
  validationMessage?: string;
}

const MATCHED_FIELDS = ["addressLine1", "city", "postalCode", "state", "country"] as const;

function same(a: string | undefined, b: string): boolean {
  return (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();
}

function ruleMatches(rule: AddressRule, address: Address): boolean {
  return MATCHED_FIELDS.every((field) => rule[field] === undefined || same(address[field], rule[field] as string));
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** Checks the market rules; returns a problem description or undefined. */
function marketProblem(address: Address, rules: CountryValidationRules): string | undefined {
  if (!present(address.addressLine1)) return "AddressLine1 is required.";
  if (rules.isCityRequired && !present(address.city)) return "City is required.";
  if (rules.isPostalCodeRequired && !present(address.postalCode)) return "PostalCode is required.";
  if (present(address.postalCode) && !new RegExp(rules.postalCodeRegex).test(address.postalCode.trim())) {
    return `PostalCode '${address.postalCode}' is not valid for ${rules.iso2Code}.`;
  }
  if (rules.isStateRequired) {
    if (!present(address.state)) return "State is required.";
    if (!rules.supportedStatesList.includes(address.state.trim().toUpperCase())) {
      return `State '${address.state}' is not valid for ${rules.iso2Code}.`;
    }
  }
  return undefined;
}

/**
 * Validates an address.
 * @param address The address (wire names).
 * @param rules Registered address rules, checked first to last.
 */
export function validateAddress(address: Address, rules: readonly AddressRule[]): AddressValidationResponse {
  const originalAddress = { ...address };
  const market = address.country ? getCountryRules(address.country) : undefined;
  if (!market) {
    return {
      originalAddress,
      suggestedAddresses: [],
      status: "None",
      validationMessage: `Country '${address.country ?? ""}' is not supported.`,
    };
  }
  const rule = rules.find((candidate) => ruleMatches(candidate, address));
  if (rule) {
    const status = rule.status ?? "None";
    return {
      originalAddress,
      suggestedAddresses: status === "None" || status === "NotValidated" ? [] : [normalized(address)],
      status,
      validationMessage: rule.validationMessage ?? (status === "None" ? "Address could not be verified." : undefined),
    };
  }
  const problem = marketProblem(address, market);
  if (problem) return { originalAddress, suggestedAddresses: [], status: "None", validationMessage: problem };
  return { originalAddress, suggestedAddresses: [normalized(address)], status: "VerifiedShippable" };
}

/** The address as a validation service would suggest it: trimmed, country and state upper-cased. */
function normalized(address: Address): Address {
  const out: Address = {};
  for (const [key, value] of Object.entries(address) as Array<[keyof Address, string | undefined]>) {
    if (value !== undefined) out[key] = value.trim();
  }
  if (out.country) out.country = out.country.toUpperCase();
  if (out.state) out.state = out.state.toUpperCase();
  return out;
}

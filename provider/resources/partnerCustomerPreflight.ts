import type { PartnerCenterClient } from "../client";
import type { CheckFailure } from "./checkFailures";
import { matchesCustomerProfile } from "./partnerCustomerMapping";
import type { PartnerCustomerInputs } from "./partnerCustomerTypes";
import { logProviderMessage } from "./providerOutput";
import { canonicalJson } from "./stableRequestId";

/** Address validation statuses that let a customer be created (anything else needs a human). */
const ACCEPTED_ADDRESS_STATUSES = new Set(["verified", "verifiedshippable"]);

/** Preflight results already computed in this process, keyed by the check and its input. */
const cache = new Map<string, Promise<CheckFailure[]>>();

/**
 * Checks a new (or re-addressed) customer against Partner Center before anything is created, so `pulumi preview`
 * reports what the create would fail on: the domain's availability, the country's rules (city, postal code, state,
 * phone) and the address. Each result is cached for the process: preview and up of one run ask once.
 *
 * A domain taken by one of the partner's customers with the same billing profile is not a failure, but a warning:
 * it may be this resource's own create, interrupted before Pulumi saved state, which only Partner Center's replay of
 * the create's request ID can prove — and a preview sends no create. So `create` decides: it takes the customer only
 * on that replay, and otherwise fails saying how to adopt it (`existingCustomerId`).
 */
export async function preflightPartnerCustomer(
  client: PartnerCenterClient,
  inputs: PartnerCustomerInputs,
  options: { checkDomain: boolean; checkAddress: boolean },
): Promise<CheckFailure[]> {
  const checks: Promise<CheckFailure[]>[] = [];
  if (options.checkDomain)
    checks.push(cached(`domain:${inputs.companyProfile.domain}`, () => checkDomain(client, inputs)));
  if (options.checkAddress) {
    const address = inputs.billingProfile.defaultAddress;
    checks.push(cached(`rules:${canonicalJson(address)}`, () => checkCountryRules(client, inputs)));
    checks.push(cached(`address:${canonicalJson(address)}`, () => checkAddress(client, inputs)));
  }
  return (await Promise.all(checks)).flat();
}

function cached(key: string, run: () => Promise<CheckFailure[]>): Promise<CheckFailure[]> {
  let result = cache.get(key);
  if (!result) {
    result = run();
    // A failed lookup (network, throttling) must not be remembered as a verdict.
    result.catch(() => cache.delete(key));
    cache.set(key, result);
  }
  return result;
}

async function checkDomain(client: PartnerCenterClient, inputs: PartnerCustomerInputs): Promise<CheckFailure[]> {
  const domain = inputs.companyProfile.domain;
  const { available } = await client.checkDomainAvailability(domain);
  if (available) return [];
  const listed = await client.findCustomerByDomain(domain);
  if (listed) {
    // List results carry no billing profile: read the customer itself to compare.
    const own = await client.getCustomer(listed.id);
    if (matchesCustomerProfile(own, inputs)) {
      logProviderMessage(
        `warning: domain "${domain}" is taken by your customer ${own.id}, whose profile matches. pulumi up takes it only if Partner Center replays this resource's own earlier create (an interrupted run); otherwise the create fails. To manage that customer with this resource, set existingCustomerId: "${own.id}"`,
      );
      return [];
    }
    return [
      {
        property: "companyProfile.domain",
        reason: `domain "${domain}" is taken by your existing customer ${own.id}; to manage that customer, set existingCustomerId: "${own.id}" (adopts it instead of creating a new one), or choose another domain`,
      },
    ];
  }
  return [
    {
      property: "companyProfile.domain",
      reason: `domain "${domain}" is already taken in Partner Center (HEAD /v1/domains answered 200); choose another <prefix>.onmicrosoft.com`,
    },
  ];
}

async function checkCountryRules(client: PartnerCenterClient, inputs: PartnerCustomerInputs): Promise<CheckFailure[]> {
  const address = inputs.billingProfile.defaultAddress;
  const rules = await client.getCountryValidationRules(address.country);
  const failures: CheckFailure[] = [];
  const at = (field: string) => `billingProfile.defaultAddress.${field}`;
  if (rules.isCityRequired && !address.city) {
    failures.push({ property: at("city"), reason: `a city is required in ${address.country}` });
  }
  if (rules.isPostalCodeRequired && !address.postalCode) {
    failures.push({ property: at("postalCode"), reason: `a postal code is required in ${address.country}` });
  } else if (address.postalCode && rules.postalCodeRegex && !matches(rules.postalCodeRegex, address.postalCode)) {
    failures.push({
      property: at("postalCode"),
      reason: `"${address.postalCode}" is not a valid postal code in ${address.country} (Partner Center's pattern: ${rules.postalCodeRegex})`,
    });
  }
  const states = rules.supportedStatesList ?? [];
  if (rules.isStateRequired && !address.state) {
    failures.push({
      property: at("state"),
      reason: `a state is required in ${address.country}${states.length ? `; one of ${states.join(", ")}` : ""}`,
    });
  } else if (
    address.state &&
    states.length > 0 &&
    !states.some((s) => s.toUpperCase() === address.state?.toUpperCase())
  ) {
    failures.push({
      property: at("state"),
      reason: `"${address.state}" is not a state of ${address.country}; use one of ${states.join(", ")}`,
    });
  }
  if (address.phoneNumber && rules.phoneNumberRegex && !matches(rules.phoneNumberRegex, address.phoneNumber)) {
    failures.push({
      property: at("phoneNumber"),
      // The number itself is contact data: not repeated in messages that end up in CI logs.
      reason: `not a valid phone number in ${address.country} (Partner Center's pattern: ${rules.phoneNumberRegex})`,
    });
  }
  return failures;
}

async function checkAddress(client: PartnerCenterClient, inputs: PartnerCustomerInputs): Promise<CheckFailure[]> {
  const address = inputs.billingProfile.defaultAddress;
  const result = await client.validateAddress({
    addressLine1: address.addressLine1,
    addressLine2: address.addressLine2,
    city: address.city,
    state: address.state,
    postalCode: address.postalCode,
    country: address.country,
  });
  const status = String(result.status ?? "");
  if (ACCEPTED_ADDRESS_STATUSES.has(status.toLowerCase())) return [];
  const suggestion = result.suggestedAddresses?.[0];
  const suggested = suggestion
    ? `; Partner Center suggests: ${[suggestion.addressLine1, suggestion.addressLine2, suggestion.city, suggestion.state, suggestion.postalCode, suggestion.country].filter(Boolean).join(", ")}`
    : "";
  return [
    {
      property: "billingProfile.defaultAddress",
      reason: `Partner Center could not verify this address (status ${status || "unknown"}${result.validationMessage ? `: ${result.validationMessage}` : ""})${suggested}. A customer needs a valid physical address (a sandbox customer with an invalid one can never be deleted)`,
    },
  ];
}

/** Tests a value against a pattern from Partner Center; a pattern we cannot compile checks nothing. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true;
  }
}

import type { CreateCustomerRequest, Customer } from "../schemas/customer";
import type {
  CustomerAddressInputs,
  CustomerUserCredentials,
  PartnerCustomerInputs,
  PartnerCustomerOutputs,
} from "./partnerCustomerTypes";
import { secretOutput } from "./providerOutput";

/**
 * Pure mappings between the `PartnerCustomer` resource shapes and Partner Center's wire shapes, kept apart so a
 * wire change never leaks into state by accident.
 */

/** The `POST /v1/customers` body for resolved inputs. `enableGDAPByDefault` is sent only when set. */
export function toCreateCustomerRequest(inputs: PartnerCustomerInputs): CreateCustomerRequest {
  const { companyProfile, billingProfile } = inputs;
  return dropUndefined({
    enableGDAPByDefault: inputs.enableGDAPByDefault,
    associatedPartnerId: inputs.associatedPartnerId,
    companyProfile: dropUndefined({
      domain: companyProfile.domain,
      companyName: companyProfile.companyName,
      organizationRegistrationNumber: companyProfile.organizationRegistrationNumber,
    }),
    billingProfile: dropUndefined({
      email: billingProfile.email,
      culture: billingProfile.culture,
      language: billingProfile.language,
      companyName: billingProfile.companyName,
      firstName: billingProfile.firstName,
      lastName: billingProfile.lastName,
      defaultAddress: dropUndefined({ ...billingProfile.defaultAddress }),
    }),
  }) as CreateCustomerRequest;
}

/**
 * Outputs for a customer: the inputs echoed verbatim (so diff compares like with like) plus what Partner Center
 * computed. `userCredentials` is wrapped as a secret on the wire.
 */
export function toPartnerCustomerOutputs(
  inputs: PartnerCustomerInputs,
  customer: Customer,
  userCredentials: CustomerUserCredentials | undefined,
): PartnerCustomerOutputs {
  return dropUndefined({
    ...inputs,
    customerId: customer.id,
    tenantId: customer.companyProfile?.tenantId ?? customer.id,
    commerceId: customer.commerceId ?? undefined,
    relationshipToPartner: customer.relationshipToPartner ?? undefined,
    allowDelegatedAccess: customer.allowDelegatedAccess ?? undefined,
    billingProfileId: customer.billingProfile?.id ?? undefined,
    userCredentials: userCredentials ? secretOutput(userCredentials) : undefined,
  }) as PartnerCustomerOutputs;
}

/** The admin credentials of a create response, when it carried both parts. */
export function credentialsOf(customer: Customer): CustomerUserCredentials | undefined {
  const userName = customer.userCredentials?.userName;
  const password = customer.userCredentials?.password;
  return userName && password ? { userName, password } : undefined;
}

/**
 * Inputs rebuilt from the live customer for refresh: every field the user set takes the live value where Partner
 * Center returns one, so a change made outside Pulumi shows up as drift; fields the user left out, and fields the
 * API does not return, stay as they were, so an unchanged customer never shows a diff.
 */
export function inputsFromLiveCustomer(old: PartnerCustomerInputs, live: Customer): PartnerCustomerInputs {
  const company = live.companyProfile;
  const billing = live.billingProfile;
  const address = billing?.defaultAddress;
  // An imported customer whose billing profile has no address has none in its inputs either.
  const oldAddress: Partial<CustomerAddressInputs> = old.billingProfile.defaultAddress ?? {};
  const liveAddress = Object.fromEntries(
    (Object.keys(oldAddress) as (keyof CustomerAddressInputs)[]).map((key) => [
      key,
      pick(oldAddress[key], address?.[key]),
    ]),
  ) as unknown as CustomerAddressInputs;
  return {
    ...old,
    companyProfile: {
      ...old.companyProfile,
      domain: pick(old.companyProfile.domain, company?.domain?.toLowerCase()),
      ...(old.companyProfile.companyName !== undefined && {
        companyName: pick(old.companyProfile.companyName, company?.companyName),
      }),
      ...(old.companyProfile.organizationRegistrationNumber !== undefined && {
        organizationRegistrationNumber: pick(
          old.companyProfile.organizationRegistrationNumber,
          company?.organizationRegistrationNumber,
        ),
      }),
    },
    billingProfile: {
      ...old.billingProfile,
      email: pick(old.billingProfile.email, billing?.email),
      culture: pick(old.billingProfile.culture, billing?.culture),
      language: pick(old.billingProfile.language, billing?.language),
      companyName: pick(old.billingProfile.companyName, billing?.companyName),
      ...(old.billingProfile.firstName !== undefined && {
        firstName: pick(old.billingProfile.firstName, billing?.firstName),
      }),
      ...(old.billingProfile.lastName !== undefined && {
        lastName: pick(old.billingProfile.lastName, billing?.lastName),
      }),
      ...(old.billingProfile.defaultAddress !== undefined && { defaultAddress: liveAddress }),
    },
  };
}

/**
 * The live value when the user set the field and Partner Center returned a materially different one; else the old
 * value. Differences of case or surrounding spaces are Partner Center normalising what we sent (e-mail, culture,
 * state), not drift: taking them would plan a replacement nobody asked for.
 */
function pick<T>(old: T, live: T | null | undefined): T {
  if (old === undefined || live === undefined || live === null) return old;
  if (typeof old === "string" && typeof live === "string" && old.trim().toLowerCase() === live.trim().toLowerCase()) {
    return old;
  }
  return live;
}

/** Copies an object without its `undefined` members (Pulumi drops them anyway; this keeps comparisons exact). */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

/**
 * Whether a customer found by domain carries the billing profile of `inputs`: then it is most likely the customer
 * this resource created in an earlier run whose outcome was lost (a crash, a dropped connection), not a stranger.
 */
export function matchesCustomerProfile(
  customer: Customer | undefined,
  inputs: Pick<PartnerCustomerInputs | CreateCustomerRequest, "billingProfile">,
): boolean {
  const billing = customer?.billingProfile;
  if (!billing) return false;
  const address = billing.defaultAddress;
  const want = inputs.billingProfile;
  return (
    billing.email?.toLowerCase() === want.email.toLowerCase() &&
    billing.companyName === want.companyName &&
    address?.addressLine1 === want.defaultAddress.addressLine1 &&
    address?.postalCode === want.defaultAddress.postalCode &&
    address?.country?.toUpperCase() === want.defaultAddress.country?.toUpperCase()
  );
}

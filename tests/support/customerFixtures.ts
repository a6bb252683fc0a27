/**
 * Valid PartnerCustomer inputs shared by the suites: a US customer that passes the provider's checks and the
 * emulator's preflight (US, so no registration number). Each call returns a fresh object, so a test may change its
 * copy freely.
 */

/** A customer's inputs as the suites write them (the fields every valid US customer here has). */
export type CustomerFixture = {
  companyProfile: { domain: string };
  billingProfile: {
    email: string;
    culture: string;
    language: string;
    companyName: string;
    defaultAddress: {
      firstName: string;
      lastName: string;
      addressLine1: string;
      city: string;
      state: string;
      postalCode: string;
      country: string;
      phoneNumber?: string;
    };
  };
};

/** What differs between the suites' customers; everything else is the same valid US customer. */
export interface CustomerFixtureOptions {
  /** `companyProfile.domain`. Default "contosotest.onmicrosoft.com". */
  domain?: string;
  /** `billingProfile.email`. Default "billing@contoso.example". */
  email?: string;
  /** `billingProfile.companyName`. Default "Contoso Ltd". */
  companyName?: string;
  /** Replaces parts of the default address (Ada Ng, 1 Microsoft Way, Redmond, WA 98052, US). */
  address?: Partial<CustomerFixture["billingProfile"]["defaultAddress"]>;
  /** `billingProfile.defaultAddress.phoneNumber`; absent (no key at all) unless given. */
  phoneNumber?: string;
}

/** The unit suites' customer: Fabrikam, in Seattle. */
export const FABRIKAM_SEATTLE: CustomerFixtureOptions = {
  domain: "fabrikamtest123.onmicrosoft.com",
  email: "billing@fabrikam.example",
  companyName: "Fabrikam Test Ltd",
  address: { addressLine1: "500 Example Ave", city: "Seattle", postalCode: "98101" },
};

/**
 * Valid, already normalised customer inputs (a new object on every call).
 * @param options The values a suite relies on; the rest is the default US customer.
 */
export function validCustomerArgs(options: CustomerFixtureOptions = {}): CustomerFixture {
  return {
    companyProfile: { domain: options.domain ?? "contosotest.onmicrosoft.com" },
    billingProfile: {
      email: options.email ?? "billing@contoso.example",
      culture: "en-US",
      language: "en",
      companyName: options.companyName ?? "Contoso Ltd",
      defaultAddress: {
        firstName: "Ada",
        lastName: "Ng",
        addressLine1: "1 Microsoft Way",
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
        ...options.address,
        ...(options.phoneNumber === undefined ? {} : { phoneNumber: options.phoneNumber }),
      },
    },
  };
}

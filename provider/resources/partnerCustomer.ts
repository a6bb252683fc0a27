import * as pulumi from "@pulumi/pulumi";
import { CREATE_KEY } from "./createKey";
import type { CustomerDeletionPolicy, CustomerUserCredentials } from "./partnerCustomerTypes";
import { skipPromiseLeakStacks } from "./skipPromiseLeakStacks";
import { createThinProvider } from "./thinProvider";

/** Type token of {@link PartnerCustomer}: `pulumi-nodejs:dynamic/partnercenter:PartnerCustomer`. */
export const PARTNER_CUSTOMER_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";

/** Billing address of a new customer. Changing any field replaces the customer. */
export interface CustomerAddressArgs {
  /** Required, 1–50 characters. */
  firstName: pulumi.Input<string>;
  /** Required, 1–50 characters. */
  lastName: pulumi.Input<string>;
  /** Required, 1–200 characters. */
  addressLine1: pulumi.Input<string>;
  /** Optional, up to 200 characters. */
  addressLine2?: pulumi.Input<string>;
  /** Optional, up to 200 characters. */
  addressLine3?: pulumi.Input<string>;
  /** Required where the country's validation rules say so (almost everywhere). */
  city: pulumi.Input<string>;
  /** Required where the country's rules say so (e.g. US, CA), from its list of supported states. */
  state?: pulumi.Input<string>;
  /** Required; checked against the country's postal-code pattern. */
  postalCode: pulumi.Input<string>;
  /** Required ISO 3166-1 alpha-2 code, e.g. `US`, `GB` (not `UK`). */
  country: pulumi.Input<string>;
  /** Optional. */
  region?: pulumi.Input<string>;
  /**
   * Required in the countries that also require `organizationRegistrationNumber` (AM, AZ, BY, HU, KZ, KG, MD, RU,
   * TJ, UZ, UA, IN, BR, ZA, PL, AE, SA, TR, TH, VN, MM, IQ, SS, VE); otherwise optional.
   */
  phoneNumber?: pulumi.Input<string>;
}

/** Company profile of a new customer. Changing any field replaces the customer. */
export interface CustomerCompanyProfileArgs {
  /**
   * Required. The customer's initial domain, `<prefix>.onmicrosoft.com`; the prefix is 1–27 letters and digits and
   * must be free in Partner Center (checked at preview). Lower-cased.
   */
  domain: pulumi.Input<string>;
  /** Required in the countries listed under `phoneNumber`, refused elsewhere (Partner Center code 600002). */
  organizationRegistrationNumber?: pulumi.Input<string>;
  /** Optional; Partner Center uses the billing profile's company name when absent. */
  companyName?: pulumi.Input<string>;
}

/** Billing profile of a new customer. Changing any field replaces the customer. */
export interface CustomerBillingProfileArgs {
  /** Required. Billing contact e-mail. */
  email: pulumi.Input<string>;
  /** Required culture such as `en-US` (any case; normalised). */
  culture: pulumi.Input<string>;
  /** Required two-letter language such as `en` (any case; normalised). */
  language: pulumi.Input<string>;
  /** Required registered legal name. */
  companyName: pulumi.Input<string>;
  /** Optional billing contact first name. */
  firstName?: pulumi.Input<string>;
  /** Optional billing contact last name. */
  lastName?: pulumi.Input<string>;
  /** Required. Must be a valid physical address: a sandbox customer with an invalid one can never be deleted. */
  defaultAddress: pulumi.Input<CustomerAddressArgs>;
}

/** Arguments of {@link PartnerCustomer}. Credentials never go here: they come from `partnercenter:*` config. */
export interface PartnerCustomerArgs {
  /** Required. Changing it replaces the customer. */
  companyProfile: pulumi.Input<CustomerCompanyProfileArgs>;
  /** Required. Changing it replaces the customer. */
  billingProfile: pulumi.Input<CustomerBillingProfileArgs>;
  /**
   * Optional tenant ID (GUID) of the indirect reseller the customer is created for. Needs App+User credentials
   * (`partnercenter:refreshToken`). Changing it replaces the customer.
   */
  associatedPartnerId?: pulumi.Input<string>;
  /**
   * Optional. Sent only when set. When left out, Partner Center sets up a default GDAP relationship (production
   * behaviour since 1 November 2023); `false` asks for none. Changing it replaces the customer.
   */
  enableGDAPByDefault?: pulumi.Input<boolean>;
  /**
   * Optional customer ID (GUID) of a customer that already exists: the resource adopts it (reads it and checks its
   * domain) instead of creating one: how a dynamic resource takes over a customer, as Pulumi's `import` works only
   * with the native provider. Changing it replaces the resource.
   */
  existingCustomerId?: pulumi.Input<string>;
  /**
   * What destroying (or replacing) the resource does. `"retain"` (default): nothing, the tenant stays with you.
   * `"delete"`: deletes the customer, integration sandbox only. `"removeRelationship"`: removes your reseller
   * relationship (App+User credentials). Changes in place.
   */
  deletionPolicy?: pulumi.Input<CustomerDeletionPolicy>;
  /**
   * Whether `pulumi preview` checks the domain's availability, the country's rules and the address with Partner
   * Center before anything is created. Default `true`. Changes in place.
   */
  preflight?: pulumi.Input<boolean>;
}

/** The organization a local (DIY) backend reports: it names no one, so it is left out of create keys. */
const DIY_ORGANIZATION = "organization";

/**
 * The hidden create key of a resource (see `createKey.ts`): `<organization>/<project>/<stack>/<name>`, or the
 * parent's URN and the name for a child. The organization is left out where it names no one (a local backend says
 * `organization`) or is not known (an old language host, mocks), so the keys of stacks made before it was added stay
 * what they were; two such stacks must differ in project, stack or resource name (README, "How creates stay
 * idempotent").
 */
export function createKeyOf(name: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  let organization: string | undefined;
  try {
    organization = pulumi.getOrganization();
  } catch {
    organization = undefined;
  }
  const prefix = organization && organization !== DIY_ORGANIZATION ? `${organization}/` : "";
  return parent
    ? pulumi.interpolate`${prefix}${parent.urn}/${name}`
    : `${prefix}${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/**
 * A Microsoft Partner Center customer: a new Entra tenant, your reseller relationship with it and its first admin
 * account, created with `POST /v1/customers` (or adopted with `existingCustomerId`).
 *
 * Creates are idempotent: the request ID is derived from the inputs, so a retried or re-run `pulumi up` never
 * makes a second tenant. The admin credentials returned at creation are kept as a secret output.
 */
export class PartnerCustomer extends pulumi.dynamic.Resource {
  /** The customer's ID in Partner Center, also the resource ID. */
  declare readonly customerId: pulumi.Output<string>;
  /** The customer's Entra tenant ID (the same value as `customerId`). */
  declare readonly tenantId: pulumi.Output<string>;
  /** The customer's commerce ID. */
  declare readonly commerceId: pulumi.Output<string | undefined>;
  /** Your relationship with the customer, e.g. `reseller` or `none`. */
  declare readonly relationshipToPartner: pulumi.Output<string | undefined>;
  /** Whether you hold legacy delegated admin rights. */
  declare readonly allowDelegatedAccess: pulumi.Output<boolean | undefined>;
  /** ID of the customer's billing profile. */
  declare readonly billingProfileId: pulumi.Output<string | undefined>;
  /** Secret. The initial admin user name and password; only known when this resource created the customer. */
  declare readonly userCredentials: pulumi.Output<CustomerUserCredentials | undefined>;
  /**
   * When this resource created the customer (ISO 8601, UTC); undefined for an adopted customer. A refresh waits for
   * a customer created less than an hour ago that Partner Center cannot read yet, instead of forgetting it.
   */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly companyProfile: pulumi.Output<CustomerCompanyProfileArgs>;
  declare readonly billingProfile: pulumi.Output<CustomerBillingProfileArgs>;
  declare readonly associatedPartnerId: pulumi.Output<string | undefined>;
  declare readonly enableGDAPByDefault: pulumi.Output<boolean | undefined>;
  declare readonly existingCustomerId: pulumi.Output<string | undefined>;
  declare readonly deletionPolicy: pulumi.Output<CustomerDeletionPolicy | undefined>;
  declare readonly preflight: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: PartnerCustomerArgs, opts?: pulumi.CustomResourceOptions) {
    // Registration formats a stack per output promise that only PULUMI_DEBUG_PROMISE_LEAKS reads (skipPromiseLeakStacks.ts).
    const restoreStacks = skipPromiseLeakStacks();
    try {
      super(
        createThinProvider("partnerCustomer"),
        name,
        {
          // Every output property must be present (even undefined) to exist on the resource object.
          associatedPartnerId: undefined,
          enableGDAPByDefault: undefined,
          existingCustomerId: undefined,
          deletionPolicy: undefined,
          preflight: undefined,
          ...args,
          // Hidden: makes the create's request ID this resource's own (see createKey.ts).
          [CREATE_KEY]: createKeyOf(name, opts?.parent),
          customerId: undefined,
          tenantId: undefined,
          commerceId: undefined,
          relationshipToPartner: undefined,
          allowDelegatedAccess: undefined,
          billingProfileId: undefined,
          userCredentials: undefined,
          createdAt: undefined,
        },
        { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "userCredentials"] },
        "partnercenter",
        "PartnerCustomer",
      );
    } finally {
      restoreStacks();
    }
  }
}

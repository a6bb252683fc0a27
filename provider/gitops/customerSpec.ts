/**
 * The validated form of one customers-file entry: what {@link loadCustomersFile} returns and
 * {@link provisionCustomers} turns into resources.
 */
import type { CustomerAgreementInputs } from "../resources/customerAgreementTypes";
import type { PartnerCustomerInputs } from "../resources/partnerCustomerTypes";

/**
 * A customer's `agreement:` block: the {@link CustomerAgreementInputs} without `customerId`, which always comes from
 * the customer the entry creates.
 */
export type CustomerAgreementSpec = Omit<CustomerAgreementInputs, "customerId">;

/** One customer of a customers file, validated and normalised exactly as the resources' `check` would. */
export interface CustomerSpec {
  /**
   * The entry's key: the Pulumi resource name of the `PartnerCustomer` (and, with `-agreement` appended, of its
   * `CustomerAgreement`). Renaming an entry therefore replaces its resources: keep names stable.
   */
  readonly name: string;
  /** The `PartnerCustomer` inputs: trimmed, canonical case, optional empty values dropped. */
  readonly customer: PartnerCustomerInputs;
  /** The `CustomerAgreement` to record for the customer, when the entry has an `agreement:` block. */
  readonly agreement?: CustomerAgreementSpec;
}

/**
 * What an entry name must look like: lowercase letters, digits and hyphens, starting and ending with a letter or
 * digit. Names become resource names, URNs and stack-output keys, where anything else would need quoting or could
 * collide after case folding.
 */
export const CUSTOMER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Suffix of the `CustomerAgreement` resource name: entry `contoso` records its agreement as `contoso-agreement`. */
export const AGREEMENT_NAME_SUFFIX = "-agreement";

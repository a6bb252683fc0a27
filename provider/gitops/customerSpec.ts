/**
 * The validated form of one customers-file entry: what {@link loadCustomersFile} returns and
 * {@link provisionCustomers} turns into resources.
 */
import type { CustomerAgreementInputs } from "../resources/customerAgreementTypes";
import type { McaAcceptanceInputs } from "../resources/mcaAcceptanceTypes";
import type { PartnerCustomerInputs } from "../resources/partnerCustomerTypes";

/**
 * A customer's `agreement:` block: the {@link CustomerAgreementInputs} without `customerId`, which always comes from
 * the customer the entry creates.
 */
export type CustomerAgreementSpec = Omit<CustomerAgreementInputs, "customerId">;

/**
 * A customer's `agreement:` block in the form Partner Center takes today (it has a `signatory`): the
 * {@link McaAcceptanceInputs} without `customerId`.
 */
export type McaAcceptanceSpec = Omit<McaAcceptanceInputs, "customerId">;

/** One customer of a customers file, validated and normalised exactly as the resources' `check` would. */
export interface CustomerSpec {
  /**
   * The entry's key: the Pulumi resource name of the `PartnerCustomer` (and, with `-agreement` appended, of its
   * `CustomerAgreement`). Renaming an entry therefore replaces its resources: keep names stable.
   */
  readonly name: string;
  /** The `PartnerCustomer` inputs: trimmed, canonical case, optional empty values dropped. */
  readonly customer: PartnerCustomerInputs;
  /** The `CustomerAgreement` to record for the customer (the seed's flow): an `agreement:` block with `primaryContact`. */
  readonly agreement?: CustomerAgreementSpec;
  /**
   * The customer's MCA acceptance (enhanced attestation, the customer accepting through the link): an `agreement:`
   * block with `signatory`. Declared as an `McaAcceptance` named `<name>-mca`.
   */
  readonly acceptance?: McaAcceptanceSpec;
}

/** Suffix of the `McaAcceptance` resource name: entry `contoso` takes its MCA acceptance as `contoso-mca`. */
export const ACCEPTANCE_NAME_SUFFIX = "-mca";

/**
 * What an entry name must look like: lowercase letters, digits and hyphens, starting and ending with a letter or
 * digit. Names become resource names, URNs and stack-output keys, where anything else would need quoting or could
 * collide after case folding.
 */
export const CUSTOMER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** Suffix of the `CustomerAgreement` resource name: entry `contoso` records its agreement as `contoso-agreement`. */
export const AGREEMENT_NAME_SUFFIX = "-agreement";

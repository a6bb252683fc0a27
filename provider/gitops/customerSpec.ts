/**
 * The validated form of one customers-file entry: what {@link loadCustomersFile} returns and
 * {@link provisionCustomers} turns into resources.
 */
import type { CustomerAgreementInputs } from "../resources/customerAgreementTypes";
import type { GdapRelationshipInputs } from "../resources/gdapTypes";
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

/**
 * The `relationship:` of a `gdap:` block: a GDAP relationship the customer approves, as the {@link
 * GdapRelationshipInputs} without `customerTenantId` (always the entry's customer) and without the adoption inputs
 * (`default: true` in the `gdap:` block adopts the Default GDAP relationship instead).
 */
export type GdapRelationshipSpec = Omit<
  GdapRelationshipInputs,
  "customerTenantId" | "adoptDefault" | "existingRelationshipId"
>;

/** One item of a `gdap:` block's `access:` list: a partner security group and the relationship's roles it gets. */
export interface GdapAccessSpec {
  /** The security group's object ID in the partner tenant, lower case. */
  readonly group: string;
  /** Microsoft Entra roles by name or template ID, as written; a subset of the relationship's. */
  readonly roles: readonly string[];
}

/**
 * A customer's `gdap:` block: exactly one of `default: true` (adopt the Default GDAP relationship Partner Center made
 * with the customer: active at once, left in place on destroy) or `relationship` (a new one the customer approves),
 * and the partner groups that get access through it. Declared as a `GdapRelationship` named `<name>-gdap` and one
 * `GdapAccessAssignment` per group, named `<name>-gdap-<group>`.
 */
export interface GdapSpec {
  /** `true`: adopt the customer's Default GDAP relationship. */
  readonly default?: boolean;
  /** The relationship to ask the customer for, when not adopting the Default GDAP. */
  readonly relationship?: GdapRelationshipSpec;
  /** The partner groups and their roles; empty or absent for none. */
  readonly access?: readonly GdapAccessSpec[];
}

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
  /**
   * The customer's GDAP relationship and the partner groups' access through it (a `gdap:` block): a
   * `GdapRelationship` named `<name>-gdap` and a `GdapAccessAssignment` per group, `<name>-gdap-<group>`.
   */
  readonly gdap?: GdapSpec;
  /**
   * The entry's `protect:` key: whether the `PartnerCustomer` is a protected Pulumi resource, which `pulumi up` and
   * `pulumi destroy` refuse to delete or replace. Absent: the program's choice (`provisionCustomers`' option
   * `protectCustomers`; the GitOps program protects every customer). `false` is the way out: merge it first, then
   * the change that deletes or replaces the customer.
   */
  readonly protect?: boolean;
}

/** The key of an entry's `protect:` setting. */
export const PROTECT_KEY = "protect";

/** Suffix of the `GdapRelationship` resource name: entry `contoso` declares its GDAP relationship as `contoso-gdap`. */
export const GDAP_NAME_SUFFIX = "-gdap";

/**
 * The `GdapAccessAssignment` resource name of a group: `<name>-gdap-<group object ID>`, stable per group whatever its
 * place in the list (reordering the list changes nothing; renaming nothing can move access between groups).
 */
export function gdapAccessName(customerName: string, group: string): string {
  return `${customerName}${GDAP_NAME_SUFFIX}-${group}`;
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

import * as pulumi from "@pulumi/pulumi";
import { CustomerAgreement } from "../resources/customerAgreement";
import { McaAcceptance } from "../resources/mcaAcceptance";
import { PartnerCustomer } from "../resources/partnerCustomer";
import type { CustomerUserCredentials } from "../resources/partnerCustomerTypes";
import type { WaitingStatus } from "../resources/waitingOnPerson";
import { ACCEPTANCE_NAME_SUFFIX, AGREEMENT_NAME_SUFFIX, type CustomerSpec } from "./customerSpec";
import { CustomersFileError, type CustomersFileIssue } from "./customersFileError";
import { CUSTOMERS_KEY, validateCustomerEntries } from "./validateCustomerEntries";

/** What {@link provisionCustomers} returns for each customer: ready to export as stack outputs. */
export interface ProvisionedCustomer {
  /** The customer's ID in Partner Center. */
  readonly customerId: pulumi.Output<string>;
  /** The customer's Entra tenant ID. */
  readonly tenantId: pulumi.Output<string>;
  /** The customer's commerce ID. */
  readonly commerceId: pulumi.Output<string | undefined>;
  /** Secret. The initial admin user name and password; only known when the stack created the customer. */
  readonly userCredentials: pulumi.Output<CustomerUserCredentials | undefined>;
  /** With a `signatory` agreement block: where the customer's MCA acceptance stands (`waitingForCustomer`, …). */
  readonly acceptanceStatus?: pulumi.Output<WaitingStatus>;
  /** With a `signatory` agreement block. Secret: the link the customer accepts the MCA through. */
  readonly acceptanceUrl?: pulumi.Output<string>;
}

/** Options of {@link provisionCustomers}. */
export interface ProvisionCustomersOptions {
  /** Resource options given to every `PartnerCustomer` and `CustomerAgreement` (e.g. `parent`, `protect`). */
  resourceOptions?: pulumi.CustomResourceOptions;
  /** How to name the specs' origin in a {@link CustomersFileError}. Default `customers`. */
  source?: string;
}

/**
 * Declares the resources of a set of customers (typically from {@link loadCustomersFile}): a `PartnerCustomer` named
 * after each spec and, where the spec has an agreement, a `CustomerAgreement` named `<name>-agreement` (the seed's
 * `primaryContact` form) or an `McaAcceptance` named `<name>-mca` (the `signatory` form) for that
 * customer's `customerId`.
 *
 * The specs are validated again first, all of them before the first resource is declared, so an invalid or
 * duplicated spec (built in code rather than loaded) registers nothing at all.
 *
 * @param specs The customers; names must be unique.
 * @param options Resource options for every resource.
 * @returns Outputs per customer name; `userCredentials` is a secret.
 * @throws {@link CustomersFileError} when a spec is invalid.
 */
export function provisionCustomers(
  specs: readonly CustomerSpec[],
  options: ProvisionCustomersOptions = {},
): Record<string, ProvisionedCustomer> {
  assertValidSpecs(specs, options.source ?? CUSTOMERS_KEY);
  const outputs: Record<string, ProvisionedCustomer> = {};
  for (const spec of specs) {
    const customer = new PartnerCustomer(spec.name, spec.customer, options.resourceOptions);
    if (spec.agreement !== undefined) {
      new CustomerAgreement(
        `${spec.name}${AGREEMENT_NAME_SUFFIX}`,
        { ...spec.agreement, customerId: customer.customerId },
        options.resourceOptions,
      );
    }
    const acceptance =
      spec.acceptance === undefined
        ? undefined
        : new McaAcceptance(
            `${spec.name}${ACCEPTANCE_NAME_SUFFIX}`,
            { ...spec.acceptance, customerId: customer.customerId },
            options.resourceOptions,
          );
    outputs[spec.name] = {
      ...(acceptance && {
        acceptanceStatus: acceptance.status,
        // A secret already (an additional secret output); wrapped again for the same reason as userCredentials.
        acceptanceUrl: pulumi.secret(acceptance.acceptanceUrl),
      }),
      customerId: customer.customerId,
      tenantId: customer.tenantId,
      commerceId: customer.commerceId,
      // Already an additional secret output of the resource; wrapping it again keeps it secret wherever the value
      // travels (stack outputs, apply chains), even if the resource option were ever dropped.
      userCredentials: pulumi.secret(customer.userCredentials),
    };
  }
  return outputs;
}

/** Throws a {@link CustomersFileError} with every problem of `specs`, or returns when there is none. */
function assertValidSpecs(specs: readonly CustomerSpec[], source: string): void {
  const issues: CustomersFileIssue[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) {
      issues.push({ path: `${CUSTOMERS_KEY}.${spec.name}`, message: "is given twice: customer names must be unique" });
    }
    seen.add(spec.name);
  }
  const { issues: entryIssues } = validateCustomerEntries(
    specs.map((spec) => [
      spec.name,
      spec.agreement === undefined && spec.acceptance === undefined
        ? spec.customer
        : { ...spec.customer, agreement: spec.agreement ?? spec.acceptance },
    ]),
  );
  issues.push(...entryIssues);
  if (issues.length > 0) throw new CustomersFileError(source, issues);
}

import * as pulumi from "@pulumi/pulumi";
import { CustomerAgreement } from "../resources/customerAgreement";
import { GdapAccessAssignment } from "../resources/gdapAccessAssignment";
import { GdapRelationship } from "../resources/gdapRelationship";
import { McaAcceptance } from "../resources/mcaAcceptance";
import { PartnerCustomer } from "../resources/partnerCustomer";
import type { CustomerUserCredentials } from "../resources/partnerCustomerTypes";
import type { WaitingStatus } from "../resources/waitingOnPerson";
import {
  ACCEPTANCE_NAME_SUFFIX,
  AGREEMENT_NAME_SUFFIX,
  type CustomerSpec,
  GDAP_NAME_SUFFIX,
  type GdapSpec,
  gdapAccessName,
} from "./customerSpec";
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
  /** With a `gdap:` block: Graph's ID of the customer's GDAP relationship. */
  readonly gdapRelationshipId?: pulumi.Output<string>;
  /**
   * With a `gdap:` block: where the relationship stands: `completed` (active; at once for `default: true`),
   * `waitingForCustomer` (the customer has not approved it yet) or `expired`.
   */
  readonly gdapStatus?: pulumi.Output<WaitingStatus>;
  /**
   * With a `gdap:` block that asks for a `relationship`. Secret: the link the customer's Global Administrator
   * approves it through, while it waits (absent once active).
   */
  readonly gdapApprovalUrl?: pulumi.Output<string | undefined>;
  /**
   * With a `gdap:` block that lists `access`: per group object ID, where its access stands (`completed` once its
   * roles are assigned, `waitingForCustomer` while the relationship waits for approval).
   */
  readonly gdapAccess?: Readonly<Record<string, pulumi.Output<WaitingStatus>>>;
}

/** Options of {@link provisionCustomers}. */
export interface ProvisionCustomersOptions {
  /** Resource options given to every resource (e.g. `parent`); `protect` here protects them all. */
  resourceOptions?: pulumi.CustomResourceOptions;
  /**
   * Whether each `PartnerCustomer` is protected (`protect: true`): `pulumi up` and `pulumi destroy` then refuse to
   * delete or replace it, so an entry removed from the file, or a change that replaces the customer (a new domain: a
   * second tenant), fails at preview instead of leaving a tenant billed outside the stack. Only the customers:
   * agreements, acceptances and GDAP resources stay as `resourceOptions` says. A spec's own `protect` wins (the
   * customers file's per-entry way out, `protect: false`). Default: `resourceOptions.protect`.
   */
  protectCustomers?: boolean;
  /** How to name the specs' origin in a {@link CustomersFileError}. Default `customers`. */
  source?: string;
}

/**
 * Declares the resources of a set of customers (typically from {@link loadCustomersFile}): a `PartnerCustomer` named
 * after each spec and, where the spec has an agreement, a `CustomerAgreement` named `<name>-agreement` (the seed's
 * `primaryContact` form) or an `McaAcceptance` named `<name>-mca` (the `signatory` form) for that
 * customer's `customerId`. A `gdap` block adds a `GdapRelationship` named `<name>-gdap` with the customer's
 * `tenantId` (adopting the Default GDAP relationship for `default: true`) and a `GdapAccessAssignment` per group,
 * named `<name>-gdap-<group>`, in that relationship.
 *
 * The specs are validated again first, all of them before the first resource is declared, so an invalid or
 * duplicated spec (built in code rather than loaded) registers nothing at all.
 *
 * A customer is protected (`protect: true`) when its spec says so, else when `options.protectCustomers` does; the
 * GitOps program (program/index.ts) protects every customer whose entry does not say `protect: false`.
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
    const customer = new PartnerCustomer(spec.name, spec.customer, customerOptions(spec, options));
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
      ...(spec.gdap && provisionGdap(spec.name, spec.gdap, customer.tenantId, options.resourceOptions)),
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

/**
 * The resource options of a spec's `PartnerCustomer`: `resourceOptions`, protected as the spec's own `protect`, else
 * `protectCustomers`, else `resourceOptions.protect` says.
 */
function customerOptions(
  spec: CustomerSpec,
  options: ProvisionCustomersOptions,
): pulumi.CustomResourceOptions | undefined {
  const protect = spec.protect ?? options.protectCustomers;
  if (protect === undefined) return options.resourceOptions;
  return { ...options.resourceOptions, protect };
}

/** Declares a customer's GDAP relationship and its groups' access; returns the customer's GDAP outputs. */
function provisionGdap(
  name: string,
  gdap: GdapSpec,
  customerTenantId: pulumi.Output<string>,
  resourceOptions: pulumi.CustomResourceOptions | undefined,
): Pick<ProvisionedCustomer, "gdapRelationshipId" | "gdapStatus" | "gdapApprovalUrl" | "gdapAccess"> {
  const relationship = new GdapRelationship(
    `${name}${GDAP_NAME_SUFFIX}`,
    gdap.default === true ? { customerTenantId, adoptDefault: true } : { ...gdap.relationship, customerTenantId },
    resourceOptions,
  );
  // The relationship's roles, so a preview refuses a group's role outside them with no request: as written for a
  // relationship the stack asks for (known at the first preview), as Graph has them for the adopted Default GDAP (by
  // name, so a pull request's diff stays readable).
  const relationshipRoles =
    gdap.default === true ? relationship.roleNames : relationship.roles.apply((roles) => roles ?? []);
  const access: Record<string, pulumi.Output<WaitingStatus>> = {};
  for (const { group, roles } of gdap.access ?? []) {
    const assignment = new GdapAccessAssignment(
      gdapAccessName(name, group),
      { relationshipId: relationship.relationshipId, securityGroupId: group, roles: [...roles], relationshipRoles },
      resourceOptions,
    );
    access[group] = assignment.status;
  }
  return {
    gdapRelationshipId: relationship.relationshipId,
    gdapStatus: relationship.status,
    // A secret already (an additional secret output); wrapped again for the same reason as userCredentials.
    ...(gdap.default !== true && { gdapApprovalUrl: pulumi.secret(relationship.approvalUrl) }),
    ...(gdap.access !== undefined && gdap.access.length > 0 && { gdapAccess: access }),
  };
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
      {
        ...spec.customer,
        ...((spec.agreement ?? spec.acceptance) && { agreement: spec.agreement ?? spec.acceptance }),
        ...(spec.gdap && { gdap: spec.gdap }),
        ...(spec.protect !== undefined && { protect: spec.protect }),
      },
    ]),
  );
  issues.push(...entryIssues);
  if (issues.length > 0) throw new CustomersFileError(source, issues);
}

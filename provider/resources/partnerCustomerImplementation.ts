import { isPartnerCenterError, PartnerCenterError } from "../client";
import type { Customer } from "../schemas/customer";
import { type CheckFailure, containsUnknown, deepEqual } from "./checkFailures";
import { diffPartnerCustomer } from "./partnerCustomerDiff";
import {
  credentialsOf,
  inputsFromLiveCustomer,
  matchesCustomerProfile,
  toCreateCustomerRequest,
  toPartnerCustomerOutputs,
} from "./partnerCustomerMapping";
import { preflightPartnerCustomer } from "./partnerCustomerPreflight";
import type { CustomerUserCredentials, PartnerCustomerInputs, PartnerCustomerOutputs } from "./partnerCustomerTypes";
import { validatePartnerCustomerInputs, validatePartnerCustomerReplacement } from "./partnerCustomerValidation";
import { providerContext } from "./providerContext";
import { logProviderMessage, revealSecret, secretOutput, withoutInternalKeys } from "./providerOutput";
import { stableRequestId } from "./stableRequestId";

type Props = Record<string, unknown>;

/**
 * The `PartnerCustomer` provider methods, called by the thin serialized provider through
 * `require("pulumi-partnercenter/runtime").partnerCustomer`.
 */
export const partnerCustomer = {
  /**
   * Validates and normalises inputs, rejects replacements that cannot succeed, and (with `preflight`) asks Partner
   * Center whether the domain, the country's rules and the address would be accepted — all during `pulumi preview`,
   * before anything is created. Values unknown during preview are skipped.
   */
  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const context = providerContext();
    const { inputs, failures } = validatePartnerCustomerInputs(news, { credentials: context.credentials });
    const previous =
      Object.keys(withoutInternalKeys(olds ?? {})).length > 0 ? (olds as unknown as PartnerCustomerInputs) : undefined;
    if (failures.length === 0) failures.push(...validatePartnerCustomerReplacement(previous, inputs));
    failures.push(...deletionPolicyFailures(inputs, context.settings.sandbox === true, context.credentials));
    if (failures.length > 0 || containsUnknown(withoutInternalKeys(inputs as unknown as Props))) {
      return { inputs: inputs as unknown as Props, failures };
    }
    if (inputs.preflight !== false && !inputs.existingCustomerId) {
      const domainChanged = !previous || previous.companyProfile?.domain !== inputs.companyProfile.domain;
      const addressChanged =
        !previous || !deepEqual(previous.billingProfile?.defaultAddress, inputs.billingProfile.defaultAddress);
      if (domainChanged || addressChanged) {
        if (context.credentials === "none") {
          failures.push({ property: "preflight", reason: `${missingCredentials()} (or set preflight: false)` });
        } else {
          failures.push(
            ...(await preflightPartnerCustomer(context.client(), inputs, {
              checkDomain: domainChanged,
              checkAddress: addressChanged,
            }).catch((error) => [preflightUnavailable(error)])),
          );
        }
      }
    }
    return { inputs: inputs as unknown as Props, failures };
  },

  /** Compares old outputs with new inputs; profile changes replace, `deletionPolicy`/`preflight` change in place. */
  async diff(_id: string, olds: Props, news: Props) {
    return diffPartnerCustomer(olds, news);
  },

  /**
   * Creates the customer (or adopts `existingCustomerId`). The `MS-RequestId` is derived from the inputs, so a
   * retried or re-run create replays instead of making a second tenant; when the outcome stays unknown, the
   * customer is looked up by domain before anything fails.
   */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const inputs = withoutInternalKeys(props) as unknown as PartnerCustomerInputs;
    const context = providerContext();
    const domain = inputs.companyProfile.domain;
    if (context.credentials === "none") {
      throw new PartnerCenterError({
        kind: "config",
        operation: `Creating customer ${domain}`,
        description: missingCredentials(),
      });
    }
    const client = context.client();

    if (inputs.existingCustomerId) {
      const customer = await client.getCustomer(inputs.existingCustomerId);
      const liveDomain = customer.companyProfile?.domain?.toLowerCase();
      if (liveDomain !== domain) {
        throw new PartnerCenterError({
          kind: "config",
          operation: `Adopting customer ${inputs.existingCustomerId}`,
          description: `its domain is ${liveDomain ?? "unknown"}, not ${domain}: existingCustomerId and companyProfile.domain must name the same customer`,
        });
      }
      logProviderMessage(
        `adopted existing customer ${customer.id} (${domain}); its admin credentials are not known to Pulumi`,
      );
      return created(toPartnerCustomerOutputs(inputs, customer, undefined));
    }

    const request = toCreateCustomerRequest(inputs);
    const requestId = stableRequestId("PartnerCustomer/create", request);
    let customer: Customer;
    try {
      customer = await client.createCustomer(request, { requestId });
    } catch (error) {
      // The answer was lost after retries: Partner Center may still hold it under this request ID, password
      // included, so ask once more with the same ID before falling back to a lookup by domain (which cannot
      // recover the password).
      const replayed = isOutcomeUnknown(error)
        ? await client.createCustomer(request, { requestId }).catch(() => undefined)
        : undefined;
      if (replayed) customer = replayed;
      else {
        const recovered = await recoverLostCreate(error, inputs, requestId);
        return created(toPartnerCustomerOutputs(inputs, recovered, undefined));
      }
    }
    // Customers can only disappear where they can be deleted (the integration sandbox) or when a relationship was
    // removed; elsewhere a replayed answer is the customer itself.
    if (context.settings.sandbox || inputs.deletionPolicy === "removeRelationship") {
      customer = await replaceReplayOfRemovedCustomer(customer, inputs, request);
    }
    return created(toPartnerCustomerOutputs(inputs, customer, credentialsOf(customer)));
  },

  /**
   * Refresh: reads the customer; gone (404) → removed from state. Inputs are rebuilt from live values so drift made
   * outside Pulumi shows up, and the admin credentials (which Partner Center never returns again) are kept.
   */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const old = withoutInternalKeys(props) as unknown as PartnerCustomerOutputs;
    const client = providerContext().client();
    let live: Customer;
    try {
      live = await client.getCustomer(id);
    } catch (error) {
      if (isPartnerCenterError(error) && error.statusCode === 404) return { id: "" };
      throw error;
    }
    const oldInputs = inputsOf(old);
    const inputs =
      oldInputs.companyProfile && oldInputs.billingProfile ? inputsFromLiveCustomer(oldInputs, live) : oldInputs;
    const credentials = revealSecret(old.userCredentials) as CustomerUserCredentials | undefined;
    const outs = toPartnerCustomerOutputs(inputs, live, credentials);
    return { id, props: outs as unknown as Props, inputs: inputs as unknown as Props };
  },

  /** Applies in-place changes (`deletionPolicy`, `preflight`): nothing to send, outputs preserved. */
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const old = withoutInternalKeys(olds) as unknown as PartnerCustomerOutputs;
    const next = withoutInternalKeys(news) as unknown as PartnerCustomerInputs;
    const { deletionPolicy: _d, preflight: _p, ...kept } = old;
    const outs: Props = { ...kept };
    // The engine sends old outputs in plaintext: wrap the credentials again so they stay secret in state.
    const credentials = revealSecret(old.userCredentials);
    if (credentials) outs.userCredentials = secretOutput(credentials);
    if (next.deletionPolicy !== undefined) outs.deletionPolicy = next.deletionPolicy;
    if (next.preflight !== undefined) outs.preflight = next.preflight;
    return { outs };
  },

  /**
   * Applies `deletionPolicy`: `retain` (default) leaves the tenant in place and only forgets it; `delete` deletes
   * the customer, integration sandbox only; `removeRelationship` ends the reseller relationship (App+User).
   */
  async delete(id: string, props: Props): Promise<void> {
    const outputs = withoutInternalKeys(props) as unknown as PartnerCustomerOutputs;
    const policy = outputs.deletionPolicy ?? "retain";
    const domain = outputs.companyProfile?.domain ?? id;
    if (policy === "retain") {
      logProviderMessage(
        `customer ${id} (${domain}) was removed from the Pulumi stack but left in place in Partner Center (deletionPolicy "retain")`,
      );
      return;
    }
    const context = providerContext();
    if (policy === "delete") {
      if (context.settings.sandbox !== true) {
        throw new PartnerCenterError({
          kind: "config",
          operation: `Deleting customer ${domain}`,
          description:
            'deletionPolicy "delete" works only in the integration sandbox; this provider is not configured for one (set partnercenter:sandbox to true for a sandbox account, or change deletionPolicy to "retain" or "removeRelationship")',
        });
      }
      await ignoreNotFound(context.client().deleteCustomer(id));
      logProviderMessage(`deleted sandbox customer ${id} (${domain})`);
      return;
    }
    await ignoreNotFound(context.client().removeResellerRelationship(id));
    logProviderMessage(`removed the reseller relationship with customer ${id} (${domain}); the tenant itself remains`);
  },
};

/**
 * With a deletion policy that removes customers, the same inputs can be created again soon after a destroy, and
 * Partner Center would replay the old answer for the derived request ID: a customer that no longer exists. Check
 * the customer is there; if it is gone, create again under a request ID derived from the stale one as well (still
 * deterministic, so a crash here is recovered the same way). A failed check means the customer exists but is not
 * confirmed: the error carries its ID and outputs so Pulumi keeps it in state.
 */
async function replaceReplayOfRemovedCustomer(
  customer: Customer,
  inputs: PartnerCustomerInputs,
  request: ReturnType<typeof toCreateCustomerRequest>,
): Promise<Customer> {
  const client = providerContext().client();
  const domain = inputs.companyProfile.domain;
  let current = customer;
  // Each create → delete cycle with the same inputs adds one generation of replayed answers; a few are enough.
  for (let generation = 1; generation <= MAX_REPLAY_GENERATIONS; generation++) {
    const outputs = toPartnerCustomerOutputs(inputs, current, credentialsOf(current));
    try {
      await client.getCustomer(current.id);
      return current;
    } catch (error) {
      if (!(isPartnerCenterError(error) && error.statusCode === 404)) throw createdButUnconfirmed(error, outputs);
    }
    // Not readable: either a replay of a customer removed since (its domain is free again), or a new customer not
    // yet visible, or one whose relationship was removed (its domain is still taken). Only the first is re-created.
    const { available } = await client.checkDomainAvailability(domain).catch(() => ({ available: false }));
    if (!available) {
      throw createdButUnconfirmed(
        new PartnerCenterError({
          kind: "http",
          statusCode: 404,
          operation: `Creating customer ${domain}`,
          description: `Partner Center answered the create with customer ${current.id}, which cannot be read back yet (HTTP 404) while its domain is taken; it is kept in the stack so nothing is created twice — run pulumi refresh to check it`,
        }),
        outputs,
      );
    }
    logProviderMessage(
      `Partner Center replayed the answer of an earlier create of ${domain} whose customer ${current.id} no longer exists; creating it again`,
    );
    const requestId = stableRequestId("PartnerCustomer/create", request, current.id);
    try {
      current = await client.createCustomer(request, { requestId });
    } catch (error) {
      return recoverLostCreate(error, inputs, requestId);
    }
  }
  return current;
}

/** How many stale replayed answers a create looks past (one per earlier create → delete cycle). */
const MAX_REPLAY_GENERATIONS = 3;

/**
 * An error for a customer that exists although a later step failed: the provider host turns `id`/`properties`
 * into a partial-create result, so Pulumi keeps the customer in state instead of losing it.
 */
function createdButUnconfirmed(error: unknown, outs: PartnerCustomerOutputs): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  return Object.assign(failure, { id: outs.customerId, properties: outs, reasons: [failure.message] });
}

/** The create result: the customer ID is the resource ID. */
function created(outs: PartnerCustomerOutputs): { id: string; outs: Props } {
  return { id: outs.customerId, outs: outs as unknown as Props };
}

/** The echoed inputs of stored outputs (outputs of any earlier version: unknown keys are dropped). */
function inputsOf(outputs: PartnerCustomerOutputs): PartnerCustomerInputs {
  const {
    companyProfile,
    billingProfile,
    associatedPartnerId,
    enableGDAPByDefault,
    existingCustomerId,
    deletionPolicy,
    preflight,
  } = outputs;
  return Object.fromEntries(
    Object.entries({
      companyProfile,
      billingProfile,
      associatedPartnerId,
      enableGDAPByDefault,
      existingCustomerId,
      deletionPolicy,
      preflight,
    }).filter(([, value]) => value !== undefined),
  ) as unknown as PartnerCustomerInputs;
}

/**
 * A create whose outcome is unknown (the connection dropped after Partner Center acted, retries exhausted) or that
 * failed because the domain now exists may still have made the customer. Look it up by domain: our own customer
 * with the same profile is adopted (its password, shown only in the lost response, is unknown); anything else
 * rethrows the original error.
 */
async function recoverLostCreate(error: unknown, inputs: PartnerCustomerInputs, requestId: string): Promise<Customer> {
  if (!isPartnerCenterError(error)) throw error;
  // Outcome unknown: no answer, an answer we could not read, exhausted retries on throttling or server errors, or a
  // refusal that may mean the domain now exists (Partner Center documents no status for that: 400 or 409).
  const outcomeUnknown =
    isOutcomeUnknown(error) ||
    error.kind === "invalid_response" ||
    (error.kind === "http" && (error.statusCode === 400 || error.statusCode === 409));
  if (!outcomeUnknown) throw error;
  const client = providerContext().client();
  const domain = inputs.companyProfile.domain;
  let customer: Customer | undefined;
  try {
    const listed = await client.findCustomerByDomain(domain);
    customer = listed && (await client.getCustomer(listed.id));
  } catch (lookupError) {
    throw new PartnerCenterError({
      ...error.toInit(),
      description: `${error.description} (looking the customer up by domain to recover also failed: ${(lookupError as Error).message})`,
    });
  }
  if (!customer || !matchesCustomerProfile(customer, inputs)) throw error;
  logProviderMessage(
    `the create of ${domain} (request ${requestId}) did not complete, but the customer exists (${customer.id}) with this profile: adopted it. Its admin password was only in the lost response; reset it in the Microsoft 365 admin center if you need it`,
  );
  return customer;
}

/** Whether a failed create may nevertheless have been carried out: no answer, or retries ran out. */
function isOutcomeUnknown(error: unknown): boolean {
  return (
    isPartnerCenterError(error) &&
    (error.kind === "network" ||
      error.kind === "timeout" ||
      error.kind === "throttled" ||
      (error.kind === "http" && (error.statusCode ?? 0) >= 500))
  );
}

/** A sandbox or App+User requirement of `deletionPolicy` that cannot be met fails at preview. */
function deletionPolicyFailures(
  inputs: PartnerCustomerInputs,
  sandbox: boolean,
  credentials: "app" | "app+user" | "none",
): CheckFailure[] {
  if (inputs.deletionPolicy === "delete" && !sandbox) {
    return [
      {
        property: "deletionPolicy",
        reason:
          '"delete" works only for integration sandbox accounts (Partner Center cannot delete a production customer); set partnercenter:sandbox to true if this account is the integration sandbox, or use "retain" or "removeRelationship"',
      },
    ];
  }
  if (inputs.deletionPolicy === "removeRelationship" && credentials !== "app+user") {
    return [
      {
        property: "deletionPolicy",
        reason:
          '"removeRelationship" needs App+User credentials: set a refresh token with `pulumi config set --secret partnercenter:refreshToken <token>` or PARTNERCENTER_REFRESH_TOKEN',
      },
    ];
  }
  return [];
}

function missingCredentials(): string {
  return "no Partner Center credentials are configured: set partnercenter:tenantId, partnercenter:clientId and partnercenter:clientSecret (pulumi config set --secret …), a certificate, a federated token file, or a refresh token; or the matching PARTNERCENTER_* / AZURE_* environment variables";
}

/** Preflight could not reach a verdict: say so on the `preflight` property instead of guessing. */
function preflightUnavailable(error: unknown): CheckFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    property: "preflight",
    reason: `the preflight checks could not run: ${reason}. Fix the cause, or set preflight: false to skip them`,
  };
}

async function ignoreNotFound(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (isPartnerCenterError(error) && error.statusCode === 404) return;
    throw error;
  }
}

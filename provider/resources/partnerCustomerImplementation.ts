import { isNotFound, isPartnerCenterError, PartnerCenterError } from "../foundation";
import type { Customer } from "../schemas/customer";
import { type CheckFailure, containsUnknown, deepEqual, isUnknown } from "./checkFailures";
import { CREATE_KEY } from "./createKey";
import { CreatedButUnconfirmed, createCustomerSafely, READ_BACK_DELAYS_MS } from "./partnerCustomerCreate";
import { diffPartnerCustomer } from "./partnerCustomerDiff";
import {
  credentialsOf,
  dropUndefined,
  inputsFromLiveCustomer,
  toCreateCustomerRequest,
  toPartnerCustomerOutputs,
} from "./partnerCustomerMapping";
import { preflightPartnerCustomer } from "./partnerCustomerPreflight";
import type { CustomerUserCredentials, PartnerCustomerInputs, PartnerCustomerOutputs } from "./partnerCustomerTypes";
import {
  replaceTriggeringPaths,
  validatePartnerCustomerInputs,
  validatePartnerCustomerReplacement,
} from "./partnerCustomerValidation";
import { providerContext } from "./providerContext";
import {
  logProviderMessage,
  partialCreateError,
  revealSecret,
  secretOutput,
  withoutInternalKeys,
} from "./providerOutput";

type Props = Record<string, unknown>;

/**
 * The old inputs of replacements checked in this provider process, by resource (create key). When the engine plans a
 * replacement it calls `check` again with no old inputs ("recompute the default values", `step_generator.go`), which
 * would make the new customer's preflight see its own predecessor's domain as taken. That second check finds the
 * old inputs here, so a replacement is judged as one: what is unchanged (the domain of a delete-first replacement,
 * the address) is not checked again.
 */
const replacementsChecked = new Map<string, PartnerCustomerInputs>();

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
    const createKey = typeof news[CREATE_KEY] === "string" ? news[CREATE_KEY] : undefined;
    const previous =
      Object.keys(withoutInternalKeys(olds ?? {})).length > 0
        ? (olds as unknown as PartnerCustomerInputs)
        : // The engine checks a replacement a second time without the old inputs: take them from the first check.
          createKey !== undefined
          ? replacementsChecked.get(createKey)
          : undefined;
    if (failures.length === 0) failures.push(...validatePartnerCustomerReplacement(previous, inputs));
    if (failures.length === 0 && createKey !== undefined && previous) {
      if (replaceTriggeringPaths(previous, inputs).length > 0) replacementsChecked.set(createKey, previous);
      else replacementsChecked.delete(createKey);
    }
    failures.push(...deletionPolicyFailures(inputs, context.settings.sandbox === true, context.credentials));
    if (failures.length > 0 || containsUnknown(withoutInternalKeys(inputs as unknown as Props))) {
      return { inputs: inputs as unknown as Props, failures };
    }
    if (inputs.existingCustomerId && inputs.deletionPolicy && inputs.deletionPolicy !== "retain") {
      // What the stack did not create it never removes by default; say so when this resource asks for it.
      logProviderMessage(
        `warning: customer ${inputs.existingCustomerId} (${inputs.companyProfile.domain}) is adopted with existingCustomerId, and this resource sets deletionPolicy "${inputs.deletionPolicy}": pulumi destroy will ${inputs.deletionPolicy === "delete" ? "delete the customer" : "remove your reseller relationship with it"}. Remove deletionPolicy to have destroy only forget it`,
      );
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
    const result = diffPartnerCustomer(olds, news);
    for (const warning of replacementWarnings(olds, news, result.replaces)) logProviderMessage(warning);
    return result;
  },

  /**
   * Creates the customer (or adopts `existingCustomerId`), following the create decision table of
   * `partnerCustomerCreate`: the `MS-RequestId` is derived from the inputs and the resource, so a retried or re-run
   * create replays instead of making a second tenant, and a customer is never adopted by its domain alone.
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

    let customer: Customer;
    try {
      customer = await createCustomerSafely(client, {
        request: toCreateCustomerRequest(inputs),
        domain,
        createKey: typeof props[CREATE_KEY] === "string" ? props[CREATE_KEY] : undefined,
        // Customers can only disappear where they can be deleted (the integration sandbox) or when a relationship
        // was removed; elsewhere a replayed answer is the customer itself.
        customersCanVanish: context.settings.sandbox === true || inputs.deletionPolicy === "removeRelationship",
      });
    } catch (error) {
      if (!(error instanceof CreatedButUnconfirmed)) throw error;
      // Partner Center made the customer but it could not be confirmed: keep it in state, credentials included.
      const outs = newCustomerOutputs(inputs, error.customer);
      throw partialCreateError(error.message, outs.customerId, outs as unknown as Props, props);
    }
    return created(newCustomerOutputs(inputs, customer));
  },

  /**
   * Refresh: reads the customer; gone (404) → removed from state, except a customer this resource created less than
   * {@link RECENT_CREATE_MINUTES} ago, which is read again and, still 404, kept unchanged with a warning. Inputs are rebuilt from live values so drift made
   * outside Pulumi shows up, and the admin credentials (which Partner Center never returns again) are kept.
   */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const old = withoutInternalKeys(props) as unknown as PartnerCustomerOutputs;
    const client = providerContext().client();
    const credentials = revealSecret(old.userCredentials) as CustomerUserCredentials | undefined;
    const live = await readPatiently(client, id, old.createdAt);
    if (live === "gone") return { id: "" };
    if (live === "notYet") {
      // Created moments ago and not readable yet: forgetting it now would drop its one-time password for good.
      logProviderMessage(
        `warning: customer ${id} (${old.companyProfile?.domain ?? id}) was created by this stack at ${old.createdAt} and Partner Center cannot read it yet (HTTP 404); it is kept in the stack unchanged, admin credentials included. Run pulumi refresh again later: ${RECENT_CREATE_MINUTES} minutes after its creation a 404 means it was deleted outside Pulumi`,
      );
      const kept: Props = { ...old };
      if (credentials) kept.userCredentials = secretOutput(credentials);
      return { id, props: kept, inputs: inputsOf(old) as unknown as Props };
    }
    const oldInputs = inputsOf(old);
    const inputs =
      oldInputs.companyProfile && oldInputs.billingProfile ? inputsFromLiveCustomer(oldInputs, live) : oldInputs;
    const outs = dropUndefined({ ...toPartnerCustomerOutputs(inputs, live, credentials), createdAt: old.createdAt });
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
 * How long after its creation a customer that reads 404 is taken for not readable *yet* rather than gone: a new
 * tenant can lag behind its create (the create's own read-back waits for it too).
 */
export const RECENT_CREATE_MINUTES = 60;

/** Outputs of a customer this resource just created: credentials from the 201, and when it was made. */
function newCustomerOutputs(inputs: PartnerCustomerInputs, customer: Customer): PartnerCustomerOutputs {
  return {
    ...toPartnerCustomerOutputs(inputs, customer, credentialsOf(customer)),
    createdAt: new Date().toISOString(),
  };
}

/**
 * Reads a customer for refresh. A 404 is final for a customer older than {@link RECENT_CREATE_MINUTES} (or of unknown
 * age: adopted, imported, or created by an earlier version); a younger one is read again with the create's
 * read-back delays, and if it still answers 404 it is `notYet`, never `gone`.
 */
async function readPatiently(
  client: ReturnType<ReturnType<typeof providerContext>["client"]>,
  id: string,
  createdAt: string | undefined,
): Promise<Customer | "gone" | "notYet"> {
  const age = Date.now() - (createdAt === undefined ? Number.NaN : Date.parse(createdAt));
  // A creation time in the future (beyond a few minutes of clock skew) is not trusted to keep a 404 in the stack.
  const recent = age > -5 * 60_000 && age < RECENT_CREATE_MINUTES * 60_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.getCustomer(id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!recent) return "gone";
    const delay = READ_BACK_DELAYS_MS[attempt];
    if (delay === undefined) return "notYet";
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * What a planned replacement does that the plan itself does not show: an `existingCustomerId` not known until the
 * update may name the customer this resource already manages (then `up` replaces nothing), and the old resource is
 * removed under its *recorded* `deletionPolicy`, not the new one.
 */
export function replacementWarnings(olds: Props, news: Props, replaces: readonly string[]): string[] {
  if (replaces.length === 0) return [];
  const warnings: string[] = [];
  const customer = `customer ${String(olds.customerId)} (${(olds.companyProfile as { domain?: string } | undefined)?.domain ?? "unknown domain"})`;
  if (replaces.includes("existingCustomerId") && isUnknown(news.existingCustomerId)) {
    warnings.push(
      `note: existingCustomerId is not known until the update, so the plan shows a replacement of ${customer} that may not happen: if the value turns out to be that customer's own ID, pulumi up keeps it in place`,
    );
  }
  const oldPolicy = (olds.deletionPolicy as string | undefined) ?? "retain";
  const newPolicy = isUnknown(news.deletionPolicy)
    ? "unknown"
    : ((news.deletionPolicy as string | undefined) ?? "retain");
  if (oldPolicy !== "retain" && newPolicy !== oldPolicy) {
    const effect = oldPolicy === "delete" ? "delete" : "remove your reseller relationship with";
    warnings.push(
      `warning: this replacement removes the old resource under its recorded deletionPolicy "${oldPolicy}", not the new "${newPolicy}": pulumi up will ${effect} ${customer}. To keep it, first change only deletionPolicy and run pulumi up, then make this change`,
    );
  }
  return warnings;
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

/**
 * `PartnerCustomer.create` without an existing customer: `POST /v1/customers` under a request ID derived from the
 * inputs, and what to do with each kind of answer — one named decision table instead of nested recovery branches.
 *
 * The rules it keeps (README, "Safety rules" and "How creates stay idempotent"):
 * - never a second tenant: a request ID whose outcome is unknown is only ever asked again, never replaced;
 * - a customer is taken without a fresh create only when Partner Center's own replay of *this* resource's request ID
 *   proves the create was ours — never by looking a customer up by its domain;
 * - a one-time password in a 201 answer is never thrown away;
 * - a definite refusal is not replayed forever: Microsoft's rule is a new request ID once an answer was received.
 * - an answer that names a customer deleted since (a replay) creates it again instead of taking it.
 */
import { randomUUID } from "node:crypto";
import { isPartnerCenterError, type PartnerCenterClient, PartnerCenterError } from "../client";
import type { CreateCustomerRequest } from "../schemas";
import type { Customer } from "../schemas/customer";
import { type CreateFailure, classifyCreateFailure } from "./createFailure";
import { logProviderMessage } from "./providerOutput";
import { stableRequestId } from "./stableRequestId";

/** What a create needs besides the client: the request, the resource's own key, and whether customers can vanish. */
export interface CreateCustomerPlan {
  /** The body of `POST /v1/customers`. */
  request: CreateCustomerRequest;
  /** The customer's domain, for messages. */
  domain: string;
  /**
   * The resource's identity (`<project>/<stack>/<name>`, set by the resource class), so two stacks with the same
   * inputs never share a request ID — a replay then proves the create was *this* resource's. Absent for resources
   * declared before it existed: their request IDs stay what they were.
   */
  createKey: string | undefined;
  /**
   * Whether a customer answered for this request ID can have disappeared since (integration sandbox deletes, removed
   * relationships): then the answer is read back before it is trusted.
   */
  customersCanVanish: boolean;
}

/** The answer to one `POST /v1/customers`, classified: the rows of {@link CREATE_DECISIONS}. */
export type CreateAnswer =
  /** A customer (2xx): created now, or Partner Center's replay of an earlier answer to this request ID. */
  { case: "answered"; customer: Customer } | CreateFailure;

/** What the create does next: done, or ask again under another request ID. */
type Next = { done: Customer } | { next: string };

/** The state a decision sees. */
interface CreateStep {
  client: PartnerCenterClient;
  plan: CreateCustomerPlan;
  /** The request ID this answer came for. */
  requestId: string;
  /** Whether that ID is this run's fresh one (asked after a refusal), not derived from the inputs. */
  fresh: boolean;
}

/**
 * The create decision table: for each kind of answer, what happens. Every row either ends the create (a customer,
 * or an error that says exactly what is known) or asks again under another request ID, which is only done where
 * the current one is proven to have created nothing (a refusal) or to name a customer that is gone.
 */
export const CREATE_DECISIONS: {
  readonly [K in CreateAnswer["case"]]: (answer: Extract<CreateAnswer, { case: K }>, step: CreateStep) => Promise<Next>;
} = {
  /**
   * A customer: trust it — after reading it back where customers can vanish, since a replay may name a customer
   * deleted since; that one is created again under an ID derived from it (deterministic, so a crash there replays).
   */
  answered: async ({ customer }, step) => {
    if (!step.plan.customersCanVanish || (await readBack(customer, step)) === "visible") return { done: customer };
    return { next: stableRequestId(step.requestId, { replaces: customer.id.toLowerCase() }) };
  },
  /**
   * Refused: nothing was created under this ID, but the answer may be Partner Center's replay of an earlier run's
   * refusal, fixed since (a domain freed, an agreement accepted). Microsoft's rule is a new request ID once an answer
   * was received, so the create asks once more under a fresh one; refused again, the refusal is current: it fails.
   */
  refused: async ({ error }, step) => {
    if (step.fresh) throw await explainRefusal(step.client, step.plan, error);
    return { next: FRESH };
  },
  /** Throttled: not processed; the next run replays this request ID. Waiting longer here would only cost quota. */
  throttled: async ({ error }) => {
    throw withHint(
      error,
      "Partner Center throttled the create beyond the retry budget (partnercenter:maxRetryWaitSeconds); nothing was created under this request. Run pulumi up again after the wait it names",
    );
  },
  /** Unknown: ask once more under the same request ID; only Partner Center's replay can tell what happened. */
  outcomeUnknown: async ({ error }, step) => {
    const again = await send(step);
    if (again.case === "answered") return CREATE_DECISIONS.answered(again, step);
    if (again.case === "refused") return CREATE_DECISIONS.refused(again, step);
    throw withHint(
      error,
      step.fresh
        ? `the outcome of the create is unknown (request ${step.requestId}). Run pulumi up again: if Partner Center created the customer, the create then fails naming it, and you adopt it with existingCustomerId — no second customer can be created`
        : `the outcome of the create is unknown (request ${step.requestId}). Nothing else was tried, so no second customer can exist: run pulumi up again — it asks under the same request ID and gets Partner Center's answer, admin password included, while Partner Center still holds it`,
    );
  },
};

/** Marks the next request ID as this run's fresh one (see {@link CREATE_DECISIONS}.refused). */
const FRESH = "fresh";

/** How many request IDs one create asks under at most. */
export const MAX_CREATE_REQUESTS = 4;

/**
 * Creates the customer following {@link CREATE_DECISIONS}. Every run starts with the request ID derived from the
 * request and the resource's key, so a re-run after an unknown outcome replays it (password included).
 */
export async function createCustomerSafely(client: PartnerCenterClient, plan: CreateCustomerPlan): Promise<Customer> {
  let step: CreateStep = { client, plan, requestId: createRequestId(plan), fresh: false };
  for (let request = 0; request < MAX_CREATE_REQUESTS; request++) {
    const next = await decide(await send(step), step);
    if ("done" in next) return next.done;
    step =
      next.next === FRESH
        ? { ...step, requestId: randomUUID(), fresh: true }
        : { ...step, requestId: next.next, fresh: step.fresh };
  }
  throw new PartnerCenterError({
    kind: "http",
    statusCode: 404,
    operation: `Creating customer ${plan.domain}`,
    description: `Partner Center answered ${MAX_CREATE_REQUESTS} requests in a row with customers that no longer exist; run pulumi up again`,
  });
}

function decide(answer: CreateAnswer, step: CreateStep): Promise<Next> {
  // The table's rows are typed per case; dispatching through a switch keeps that typing without casts.
  switch (answer.case) {
    case "answered":
      return CREATE_DECISIONS.answered(answer, step);
    case "refused":
      return CREATE_DECISIONS.refused(answer, step);
    case "throttled":
      return CREATE_DECISIONS.throttled(answer, step);
    case "outcomeUnknown":
      return CREATE_DECISIONS.outcomeUnknown(answer, step);
  }
}

/**
 * The request ID every run of a create starts with. Without a create key it is the ID earlier versions of this
 * package used (`PartnerCustomer/create` + the request), so a create they left unfinished is still replayed.
 */
export function createRequestId(plan: Pick<CreateCustomerPlan, "request" | "createKey">): string {
  return plan.createKey === undefined
    ? stableRequestId("PartnerCustomer/create", plan.request)
    : stableRequestId("PartnerCustomer/create", plan.request, { createKey: plan.createKey });
}

/** One `POST /v1/customers` (with the client's own retries under the same ID), its answer classified. */
async function send(step: CreateStep): Promise<CreateAnswer> {
  try {
    return {
      case: "answered",
      customer: await step.client.createCustomer(step.plan.request, { requestId: step.requestId }),
    };
  } catch (error) {
    return classifyCreateFailure(error);
  }
}

/** Read-back delays after a create where customers can vanish: a new tenant can take a moment to be readable. */
export const READ_BACK_DELAYS_MS = [500, 1_000, 2_000, 4_000] as const;

/**
 * Reads an answered customer back. Readable → `visible`. Still unreadable after {@link READ_BACK_DELAYS_MS}:
 * - its domain is free → `vanished`: Partner Center replayed the answer of an earlier create whose customer was
 *   deleted since (a fresh customer holds its domain), so the next request ID creates it again;
 * - its domain is taken → the customer is kept in state with its credentials (a partial create) rather than lost,
 *   and the error says to run `pulumi refresh`.
 * A lagging read is never answered by giving up the customer: the worst case keeps it, password included.
 */
async function readBack(customer: Customer, step: CreateStep): Promise<"visible" | "vanished"> {
  const { client, plan } = step;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.getCustomer(customer.id);
      return "visible";
    } catch (error) {
      if (!(isPartnerCenterError(error) && error.statusCode === 404)) throw keptUnconfirmed(customer, error);
    }
    const delay = READ_BACK_DELAYS_MS[attempt];
    if (delay === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  const { available } = await client.checkDomainAvailability(plan.domain).catch(() => ({ available: false }));
  if (available) {
    logProviderMessage(
      `Partner Center replayed the answer of an earlier create of ${plan.domain} whose customer ${customer.id} no longer exists; creating it again under a request ID derived from it`,
    );
    return "vanished";
  }
  throw keptUnconfirmed(
    customer,
    new PartnerCenterError({
      kind: "http",
      statusCode: 404,
      operation: `Creating customer ${plan.domain}`,
      description: `Partner Center created customer ${customer.id}, which cannot be read back yet (HTTP 404) while its domain is taken; it is kept in the stack with its admin credentials so nothing is created twice — run pulumi refresh to confirm it`,
    }),
  );
}

/**
 * An error for a customer that exists although a later step failed: the provider host turns `id` and `customer`
 * into a partial-create result (see `partnerCustomerImplementation`), so Pulumi keeps it, credentials included.
 */
export class CreatedButUnconfirmed extends Error {
  constructor(
    readonly customer: Customer,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "CreatedButUnconfirmed";
  }
}

function keptUnconfirmed(customer: Customer, error: unknown): CreatedButUnconfirmed {
  return new CreatedButUnconfirmed(customer, error);
}

/**
 * The error of a create Partner Center refused under every request ID. A domain conflict names the customer that
 * holds the domain and how to adopt it, since adopting is never done without being asked.
 */
async function explainRefusal(
  client: PartnerCenterClient,
  plan: CreateCustomerPlan,
  error: PartnerCenterError,
): Promise<PartnerCenterError> {
  if (!(error.statusCode === 409 || String(error.code) === "3000")) return error;
  const owner = await client.findCustomerByDomain(plan.domain).catch(() => undefined);
  const hint = owner
    ? `the domain belongs to your customer ${owner.id}; to manage that customer with this resource, set existingCustomerId: "${owner.id}" (it is then adopted, never created), or choose another domain`
    : "the domain is taken outside your customers; choose another <prefix>.onmicrosoft.com";
  return withHint(error, hint);
}

function withHint(error: PartnerCenterError, hint: string): PartnerCenterError {
  return new PartnerCenterError({ ...error.toInit(), description: `${error.description}; ${hint}` });
}

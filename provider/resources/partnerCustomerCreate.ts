/**
 * `PartnerCustomer.create` without an existing customer: `POST /v1/customers` under a request ID derived from the
 * inputs, and what to do with each kind of answer — one named decision table instead of nested recovery branches.
 *
 * The rules it keeps (README, "Safety rules" and "How creates stay idempotent"):
 * - never a second tenant: a request ID whose outcome is unknown (by its whole history: a refusal after a timeout is
 *   still unknown) is only ever asked again, never replaced; and a domain is held by one customer at a time;
 * - a customer is taken without a fresh create only when Partner Center's own replay of *this* resource's request ID
 *   proves the create was ours — never by looking a customer up by its domain;
 * - a one-time password in a 201 answer is never thrown away: every next request ID is derived from the one before
 *   and its answer, so a re-run walks the same chain and reaches the replay of a lost answer; and a customer taken for
 *   deleted since is dropped only when Partner Center gives its domain to another;
 * - a definite refusal is not replayed forever: Microsoft's rule is a new request ID once an answer was received,
 *   and a domain refusal whose domain is free now is a replay, so the chain moves on.
 */
import type { PartnerCenterClient } from "../client";
import { isPartnerCenterError, PartnerCenterError } from "../foundation";
import type { CreateCustomerRequest } from "../schemas";
import type { Customer } from "../schemas/customer";
import { type CreateFailure, classifyCreateFailure } from "./createFailure";
import { matchesCustomerProfile } from "./partnerCustomerMapping";
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
type Next = { done: Customer } | { next: string; presumedGone?: Customer; unproven?: true; refusal?: RefusalEvidence };

/** The state a decision sees. */
interface CreateStep {
  client: PartnerCenterClient;
  plan: CreateCustomerPlan;
  /** The request ID this answer came for. */
  requestId: string;
  /** How many request IDs this run asked under before this one. */
  link: number;
  /** Whether this run already moved on once after a refusal it could not show to be stale. */
  unprovenUsed: boolean;
  /** Whether an earlier ask under this request ID, in this run, got no definite answer. */
  unansweredBefore: boolean;
  /**
   * A customer answered earlier in this run (password included) that its read-back took for deleted since. It is
   * dropped only on positive evidence — Partner Center giving its domain to another customer; anything else ends the
   * create keeping it in the stack as a partial create.
   */
  presumedGone?: Customer;
  /** The refusal that led to this request ID, if one did. */
  refusal?: RefusalEvidence;
}

/**
 * The create decision table: for each kind of answer, what happens. Every row either ends the create (a customer,
 * or an error that says exactly what is known) or asks again under another request ID, which is only done where
 * the current one is proven to have created nothing (a refusal) or to name a customer that is gone. Every next
 * request ID is derived from the current one and its answer, so a re-run walks the same IDs and reaches Partner
 * Center's replay of any answer that was lost.
 */
export const CREATE_DECISIONS: {
  readonly [K in CreateAnswer["case"]]: (answer: Extract<CreateAnswer, { case: K }>, step: CreateStep) => Promise<Next>;
} = {
  /**
   * A customer: trust it — after reading it back where customers can vanish, since a replay may name a customer
   * deleted since; that one is created again under an ID derived from it, and held until that create settles it.
   */
  answered: async ({ customer }, step) => {
    if (!step.plan.customersCanVanish || (await readBack(customer, step)) === "visible") {
      if (step.presumedGone && step.presumedGone.id !== customer.id) {
        logProviderMessage(
          `Partner Center gave domain ${step.plan.domain} to customer ${customer.id}: the earlier answer's customer ${step.presumedGone.id} is gone indeed`,
        );
      }
      return { done: customer };
    }
    return { next: stableRequestId(step.requestId, { replaces: customer.id.toLowerCase() }), presumedGone: customer };
  },
  /**
   * Refused: nothing was created under this ID. The run moves on to the next ID (derived from this one and the
   * refusal) only where the refusal may be stale — Partner Center replays an earlier run's answer to a request ID —
   * or where the next ID may hold this resource's own lost create ({@link REFUSAL_EVIDENCE}); otherwise it fails,
   * saying why. A refusal right after a customer was taken for vanished proves that conclusion wrong: it is kept.
   */
  refused: async ({ error }, step) => {
    if (step.presumedGone) throw presumedGoneIsKept(step, error);
    const evidence = await refusalEvidence(error, step);
    const row = REFUSAL_EVIDENCE[evidence.case];
    if (row === "fail" || (row === "once" && step.unprovenUsed)) throw evidence.error;
    return {
      next: successorRequestId(step.requestId, error),
      refusal: evidence,
      ...(row === "once" && { unproven: true as const }),
    };
  },
  /** Throttled: not processed; the next run replays this request ID. Waiting longer here would only cost quota. */
  throttled: async ({ error }) => {
    throw withHint(
      error,
      "Partner Center throttled the create beyond the retry budget (partnercenter:maxRetryWaitSeconds); nothing was created under this request. Run pulumi up again after the wait it names",
    );
  },
  /**
   * Unknown: ask once more under the same request ID (only Partner Center's replay can tell what happened), unless
   * Partner Center asked for a wait longer than the retry cap: that wait is honoured by ending the run.
   */
  outcomeUnknown: async ({ error }, step) => {
    const hint = `the outcome of the create is unknown (request ${step.requestId}). Run pulumi up again${
      error.retryAfterSeconds !== undefined ? ` after the ${error.retryAfterSeconds} s Partner Center asked for` : ""
    }: it asks under the same request IDs and gets Partner Center's answer, admin password included, while Partner Center still holds it; no second customer can be created`;
    if (!step.unansweredBefore && error.retryAfterSeconds === undefined) {
      // Asked with its history: a refusal or a throttle now is still an unknown outcome.
      const again = await send({ ...step, unansweredBefore: true });
      if (again.case === "answered") return CREATE_DECISIONS.answered(again, step);
    }
    throw withHint(error, hint);
  },
};

/** What a refusal shows about its request ID and the next one. */
type RefusalEvidence =
  /** Refused on the domain, which is free now: the refusal is a replay of an earlier run's, fixed since. */
  | { case: "domainFreed"; error: PartnerCenterError }
  /**
   * Refused on the domain, held by a customer with this resource's profile: it may be this resource's own create
   * under the next request ID, whose answer was lost (a run that found the domain free went on to it). Only Partner
   * Center's replay of that ID may say so; never asked before, that ID is refused on the domain and creates nothing.
   */
  | { case: "domainHeldLikeOurs"; error: PartnerCenterError }
  /** Refused on the domain, held by a customer of yours with another profile, or one nobody could look up: current. */
  | { case: "domainHeld"; error: PartnerCenterError }
  /**
   * Refused on the domain, held by no customer the list shows: another partner's tenant, or one of yours the list
   * does not show yet (it can lag behind a create).
   */
  | { case: "domainHeldUnidentified"; error: PartnerCenterError }
  /** Any other refusal: current, or a replay of an earlier run's that nothing here can tell apart. */
  | { case: "other"; error: PartnerCenterError };

/**
 * What each kind of refusal lets the run do: `next` (ask under the next request ID: the refusal is shown to be a
 * stale replay), `once` (ask under it once per run — Microsoft's rule is a new request ID once an answer was
 * received, and the next ID may hold a lost create; more would only lengthen the chain every later run walks), or
 * `fail` (the refusal is current; the error says what to do).
 */
export const REFUSAL_EVIDENCE: Readonly<Record<RefusalEvidence["case"], "next" | "once" | "fail">> = {
  domainFreed: "next",
  domainHeldLikeOurs: "once",
  domainHeld: "fail",
  domainHeldUnidentified: "once",
  other: "once",
};

/** How many request IDs one run of a create asks under at most. */
export const MAX_CREATE_REQUESTS = 6;

/**
 * Creates the customer following {@link CREATE_DECISIONS}. Every run starts with the request ID derived from the
 * request and the resource's key and walks the same chain of IDs, so a re-run after an unknown outcome or a crash
 * replays the answer Partner Center gave (password included).
 */
export async function createCustomerSafely(client: PartnerCenterClient, plan: CreateCustomerPlan): Promise<Customer> {
  let step: CreateStep = {
    client,
    plan,
    requestId: createRequestId(plan),
    link: 0,
    unprovenUsed: false,
    unansweredBefore: false,
  };
  for (; step.link < MAX_CREATE_REQUESTS; ) {
    let next: Next;
    try {
      next = await decide(await send(step), step);
    } catch (error) {
      if (!step.presumedGone || error instanceof CreatedButUnconfirmed) throw error;
      throw presumedGoneIsKept(step, error);
    }
    if ("done" in next) return next.done;
    step = {
      ...step,
      requestId: next.next,
      link: step.link + 1,
      unprovenUsed: step.unprovenUsed || next.unproven === true,
      unansweredBefore: false,
      presumedGone: next.presumedGone ?? step.presumedGone,
      refusal: next.refusal,
    };
  }
  if (step.refusal) throw step.refusal.error;
  const description = `Partner Center answered ${MAX_CREATE_REQUESTS} request IDs in a row without a customer that can be kept; run pulumi up again`;
  const error = new PartnerCenterError({ kind: "http", operation: `Creating customer ${plan.domain}`, description });
  if (step.presumedGone) throw presumedGoneIsKept(step, error);
  throw error;
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
 * The request ID asked after `requestId` was refused with `error`: derived from both (status and code, which a
 * replay repeats), never random, so a re-run that meets the same refusal asks under the same next ID and gets
 * Partner Center's replay of its answer — a 201 whose answer was lost included.
 */
export function successorRequestId(requestId: string, error: Pick<PartnerCenterError, "statusCode" | "code">): string {
  return stableRequestId(requestId, {
    refused: { status: error.statusCode ?? null, code: error.code === undefined ? null : String(error.code) },
  });
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
    return classifyCreateFailure(error, step.unansweredBefore);
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
      `Partner Center replayed the answer of an earlier create of ${plan.domain}, it seems: customer ${customer.id} cannot be read and its domain reads as free, so it is taken for deleted since and created again under a request ID derived from it (if that create is refused on the domain, customer ${customer.id} is kept instead)`,
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

/** Whether a refusal is Partner Center's "domain already in use" (HTTP 409; the emulator adds the generic 3000). */
function isDomainConflict(error: PartnerCenterError): boolean {
  return error.statusCode === 409;
}

/**
 * Looks at what a refusal means ({@link RefusalEvidence}). For a domain conflict: is the domain free now, and if not,
 * who holds it. The error of a row that fails says what to do: adopt your customer with `existingCustomerId`, or
 * choose another domain — adopting is never done without being asked. A lookup that fails is said, never guessed.
 */
async function refusalEvidence(error: PartnerCenterError, step: CreateStep): Promise<RefusalEvidence> {
  const { client, plan } = step;
  if (!isDomainConflict(error)) return { case: "other", error };
  const free = await client.checkDomainAvailability(plan.domain).then(
    ({ available }) => available,
    () => false,
  );
  if (free) {
    logProviderMessage(
      `Partner Center answered request ${step.requestId} with an earlier refusal of domain ${plan.domain}, which is free now; asking under the next request ID`,
    );
    return { case: "domainFreed", error };
  }
  let owner: Customer | undefined;
  try {
    const listed = await client.findCustomerByDomain(plan.domain);
    // List results carry no billing profile: read the customer itself to compare.
    owner = listed && (await client.getCustomer(listed.id));
  } catch (lookup) {
    const why = isPartnerCenterError(lookup) ? lookup.message : String(lookup);
    return {
      case: "domainHeld",
      error: withHint(
        error,
        `the domain is taken, and the customer that holds it could not be looked up (${why}); run pulumi up again to find out whether it is one of your customers, or choose another <prefix>.onmicrosoft.com`,
      ),
    };
  }
  if (!owner) {
    // Taken, yet not among your customers: someone else's tenant — or one of yours that the list does not show yet
    // (it can lag behind a create). The next ID is asked once: while the domain is taken, that creates nothing.
    return {
      case: "domainHeldUnidentified",
      error: withHint(
        error,
        "the domain is taken, and your customer list does not show who holds it: if it may be this resource's own create from an interrupted run, run pulumi up again in a few minutes (Partner Center then replays its answer, admin password included); otherwise choose another <prefix>.onmicrosoft.com",
      ),
    };
  }
  if (matchesCustomerProfile(owner, plan.request)) {
    return {
      case: "domainHeldLikeOurs",
      error: withHint(
        error,
        `${adoptHint(owner.id)}. If it is this resource's own create from an interrupted run, run pulumi up again first: Partner Center replays its answer, admin password included, while it still holds it`,
      ),
    };
  }
  return { case: "domainHeld", error: withHint(error, adoptHint(owner.id)) };
}

function adoptHint(ownerId: string): string {
  return `the domain belongs to your customer ${ownerId}; to manage that customer with this resource, set existingCustomerId: "${ownerId}" (it is then adopted, never created), or choose another domain`;
}

/**
 * The error that ends a create holding a customer its read-back took for vanished: the customer is kept in the
 * stack with its credentials (a partial create), since nothing proved it gone — only Partner Center giving its domain
 * to another customer would, and a refusal of the next create on the domain proves the opposite.
 */
function presumedGoneIsKept(step: CreateStep, cause: unknown): CreatedButUnconfirmed {
  const customer = step.presumedGone as Customer;
  const why = cause instanceof Error ? cause.message : String(cause);
  return keptUnconfirmed(
    customer,
    new PartnerCenterError({
      kind: "http",
      statusCode: 404,
      operation: `Creating customer ${step.plan.domain}`,
      description: `Partner Center created customer ${customer.id}, which could not be read back (HTTP 404) while its domain read as free; creating it again did not succeed (${why}), so nothing proves customer ${customer.id} gone: it is not gone as far as Pulumi knows, and it is kept in the stack with its admin credentials — run pulumi refresh to confirm it`,
    }),
  );
}

function withHint(error: PartnerCenterError, hint: string): PartnerCenterError {
  return new PartnerCenterError({ ...error.toInit(), description: `${error.description}; ${hint}` });
}

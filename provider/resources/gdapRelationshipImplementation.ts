import { createHash } from "node:crypto";
import { isNotFound, isPartnerCenterError, PartnerCenterError } from "../foundation";
import type { GraphClient } from "../graph";
import { roleIdOf, roleIdsOf, roleNameOf } from "../schemas/entraRoles";
import type { Relationship } from "../schemas/gdap";
import { type CheckFailure, containsUnknown, deepEqual, isUnknown } from "./checkFailures";
import { CREATE_KEY } from "./createKey";
import type { GdapRelationshipInputs, GdapRelationshipOutputs } from "./gdapTypes";
import {
  DEFAULT_DURATION_DAYS,
  GDAP_RELATIONSHIP_REPLACE_KEYS,
  GDAP_RELATIONSHIP_UPDATE_KEYS,
  validateGdapRelationshipInputs,
} from "./gdapValidation";
import { providerContext } from "./providerContext";
import {
  logProviderMessage,
  partialCreateError,
  plainOutputsOf,
  withoutInternalKeys,
  withSecretKeys,
} from "./providerOutput";
import { isOpen, type PersonAnswer, type WaitingStatus, waitForPerson } from "./waitingOnPerson";

type Props = Record<string, unknown>;

/** The approval link grants access once a customer admin approves it: a secret wherever it goes. */
const SECRET_KEYS = ["approvalUrl"] as const;

/**
 * Graph's wire module, loaded by the first call that needs it (it loads zod, which a host that serves other resources
 * need not load; `client/partnerCenterClient.ts` says why).
 */
function wire(): typeof import("../schemas/gdap") {
  return require("../schemas/gdap");
}

/** Graph's `autoExtendDuration` for the `autoExtend` input. */
function autoExtendDurationOf(autoExtend: boolean): "P180D" | "PT0S" {
  return autoExtend ? wire().AUTO_EXTEND_DURATION : wire().NO_AUTO_EXTEND;
}

/** Statuses of a relationship that has ended: it grants no access and never becomes active again. */
const ENDED_STATUSES: readonly string[] = ["expired", "terminationRequested", "terminating", "terminated"];

/** Ended relationships of one resource (same inputs) a create steps over before it gives up (each costs a list). */
const MAX_GENERATIONS = 50;

/** Waits before asking again for the customer's Default GDAP relationship right after the customer's create. */
const DEFAULT_RELATIONSHIP_DELAYS_MS = [1_000, 3_000, 6_000];

/**
 * What Graph's relationship status means for the person we wait on (decision table; `waitingOnPerson.ts`):
 * approved/activating are the customer's approval being applied, still waiting for `active`.
 */
const ANSWER_BY_STATUS: Readonly<Record<string, PersonAnswer>> = {
  created: "waiting",
  approvalPending: "waiting",
  approved: "waiting",
  activating: "waiting",
  active: "acted",
  expiring: "acted",
  expired: "expired",
  terminationRequested: "expired",
  terminating: "expired",
  terminated: "expired",
};

/** The waiting-on-a-person answer of a relationship status; an unknown status is said and taken as waiting. */
export function answerOfRelationship(status: string): PersonAnswer {
  const answer = ANSWER_BY_STATUS[status];
  if (answer) return answer;
  logProviderMessage(
    `warning: Microsoft Graph reports the GDAP relationship status "${status}", which this provider does not know; it is taken as not yet active — please report it`,
  );
  return "waiting";
}

/** The resource's `status` for an answer: an approved relationship needs nothing more, so `acted` is `completed`. */
function statusOf(answer: PersonAnswer): WaitingStatus {
  return answer === "acted" ? "completed" : answer === "expired" ? "expired" : "waitingForCustomer";
}

/** Days of an ISO 8601 `P<n>D` (or `P<n>Y`) duration; 0 when Graph says something else. */
function durationDays(duration: string): number {
  const days = /^P(\d+)D$/.exec(duration);
  if (days) return Number(days[1]);
  const years = /^P(\d+)Y$/.exec(duration);
  return years ? Number(years[1]) * 365 : 0;
}

/**
 * The display name of a relationship whose input left it out: the resource's name and a digest of its create key,
 * customer, roles and duration. Deterministic, so a re-run after a lost create finds its own relationship again
 * (names are unique per partner); a replacement with other roles gets another name and never meets the old one.
 * `generation` counts this resource's relationships with these inputs that have ended (Graph keeps an ended
 * relationship's name): a replacement of an expired or terminated one takes the next generation's name.
 */
export function derivedDisplayName(
  createKey: string,
  inputs: GdapRelationshipInputs,
  roleIds: readonly string[],
  generation = 0,
): string {
  const digest = createHash("sha256")
    .update(
      JSON.stringify([
        createKey,
        inputs.customerTenantId,
        [...roleIds].sort(),
        inputs.durationDays ?? DEFAULT_DURATION_DAYS,
        // Left out for the first generation, so names derived before generations existed stay the same.
        ...(generation > 0 ? [generation] : []),
      ]),
    )
    .digest("hex")
    .slice(0, 10);
  const name = (createKey.split("/").pop() ?? "gdap").replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 38);
  return `${name}-${digest}`;
}

/** Outputs from Graph's relationship. */
function outputsOf(
  inputs: GdapRelationshipInputs,
  relationship: Relationship,
  extra: { adopted: boolean; approvalBase: string | undefined; createdAt?: string | undefined },
): GdapRelationshipOutputs {
  const roleIds = relationship.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId.toLowerCase());
  const answer = answerOfRelationship(relationship.status);
  const status = statusOf(answer);
  const { approvalLink } = wire();
  // Only the inputs are carried over: every output is Graph's answer now (a link from the waiting days is dropped).
  const carried = Object.fromEntries(
    [...GDAP_RELATIONSHIP_REPLACE_KEYS, ...GDAP_RELATIONSHIP_UPDATE_KEYS]
      .filter((key) => inputs[key] !== undefined)
      .map((key) => [key, inputs[key]]),
  ) as unknown as GdapRelationshipInputs;
  const outputs: GdapRelationshipOutputs = {
    ...carried,
    relationshipId: relationship.id,
    relationshipName: relationship.displayName,
    status,
    relationshipStatus: relationship.status,
    roleIds,
    roleNames: roleIds.map(roleNameOf),
    relationshipDurationDays: durationDays(relationship.duration),
    adopted: extra.adopted,
    ...(relationship["@odata.etag"] && { etag: relationship["@odata.etag"] }),
    ...(relationship.activatedDateTime && { activatedAt: relationship.activatedDateTime }),
    ...(relationship.endDateTime && { endsAt: relationship.endDateTime }),
    ...((extra.createdAt ?? relationship.createdDateTime) && {
      createdAt: (extra.createdAt ?? relationship.createdDateTime) as string,
    }),
  };
  if (status === "waitingForCustomer" && extra.approvalBase) {
    outputs.approvalUrl = approvalLink(extra.approvalBase, relationship.id);
  }
  return outputs;
}

function label(outputs: Pick<GdapRelationshipOutputs, "relationshipName" | "customerTenantId">): string {
  return `GDAP relationship "${outputs.relationshipName}" with customer ${outputs.customerTenantId}`;
}

function withSecrets(outputs: GdapRelationshipOutputs | Props): Props {
  return withSecretKeys(outputs as Props, SECRET_KEYS);
}

function plainOutputs(props: Props): GdapRelationshipOutputs {
  return plainOutputsOf(props, SECRET_KEYS) as unknown as GdapRelationshipOutputs;
}

/**
 * Whether an error leaves open whether Graph acted (no answer, a 5xx, or an answer after an attempt that had none):
 * relationship and access-assignment creates then look for what they asked for.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!isPartnerCenterError(error)) return true;
  if (error.kind === "timeout" || error.kind === "network") return true;
  if ((error.unansweredAttempts ?? 0) > 0) return true;
  return error.kind === "http" && (error.statusCode ?? 0) >= 500;
}

/** What the user does with the link: said wherever a relationship waits. */
function handOverHint(): string {
  return "send the customer's Global Administrator the approval link privately (pulumi stack output --show-secrets: the relationship's approvalUrl output, customers.<name>.gdapApprovalUrl in the GitOps program); they approve it signed in to the Microsoft 365 admin center";
}

/** Finds the customer's Default GDAP relationship, asking again briefly: Partner Center makes it with the customer. */
async function findDefaultRelationship(graph: GraphClient, customerTenantId: string): Promise<Relationship> {
  const { DEFAULT_RELATIONSHIP_PREFIX } = wire();
  for (let attempt = 0; ; attempt++) {
    const found = (await graph.listRelationships({ customerTenantId })).filter(
      (relationship) =>
        relationship.displayName.startsWith(DEFAULT_RELATIONSHIP_PREFIX) &&
        !ENDED_STATUSES.includes(relationship.status),
    );
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      throw new PartnerCenterError({
        kind: "config",
        operation: `Adopting the Default GDAP relationship of customer ${customerTenantId}`,
        description: `the customer has ${found.length} live relationships named ${DEFAULT_RELATIONSHIP_PREFIX}… (${found.map((r) => `${r.displayName} ${r.id}`).join(", ")}): adopt one by its ID with existingRelationshipId`,
      });
    }
    const delay = DEFAULT_RELATIONSHIP_DELAYS_MS[attempt];
    if (delay === undefined) {
      throw new PartnerCenterError({
        kind: "config",
        operation: `Adopting the Default GDAP relationship of customer ${customerTenantId}`,
        description:
          "the customer has no live Default GDAP relationship: Partner Center makes one only when the customer is created with enableGDAPByDefault true (or left out); declare a GdapRelationship with roles instead (the customer approves it)",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Creates the relationship, or finds the one an earlier attempt of this same resource made. Names are unique per
 * partner, so the name decides (decision table):
 *
 * | found by name before the POST          | name              | then                                        |
 * |----------------------------------------|-------------------|---------------------------------------------|
 * | none                                   | any               | POST; an unknown outcome → list again, take it if found |
 * | same customer, ended                   | derived from key  | an earlier generation: `undefined`, the caller takes the next name |
 * | same customer, not ended               | derived from key  | this resource's lost create: take it         |
 * | same customer                          | the user's        | fail: adopt it by ID, or choose another name |
 * | another customer                       | any               | fail naming it                               |
 */
async function createOrFind(
  graph: GraphClient,
  inputs: GdapRelationshipInputs,
  name: string,
  derived: boolean,
  roleIds: readonly string[],
): Promise<Relationship | undefined> {
  const operation = `Creating ${label({ relationshipName: name, customerTenantId: inputs.customerTenantId })}`;
  const [existing] = await graph.listRelationships({ displayName: name });
  if (existing) {
    const sameCustomer = existing.customer?.tenantId?.toLowerCase() === inputs.customerTenantId;
    const ended = ENDED_STATUSES.includes(existing.status);
    // Never taken again: it grants nothing, and a replacement of it is asked for precisely to get a new one.
    if (sameCustomer && derived && ended) return undefined;
    if (sameCustomer && derived) {
      logProviderMessage(
        `${label({ relationshipName: name, customerTenantId: inputs.customerTenantId })}: found the relationship an earlier run of this resource created (${existing.id}, ${existing.status}); continuing with it`,
      );
      return existing;
    }
    throw new PartnerCenterError({
      kind: "config",
      operation,
      description: !sameCustomer
        ? `a relationship named "${name}" already exists with customer ${existing.customer?.tenantId ?? "(unknown)"}: display names are unique across your relationships; choose another displayName`
        : ended
          ? `a relationship named "${name}" of this customer has ended (${existing.id}, ${existing.status}) and Graph keeps its name: choose another displayName`
          : `a relationship named "${name}" already exists for this customer (${existing.id}, ${existing.status}); if it is this resource's, adopt it with existingRelationshipId: ${existing.id} (and leave roles, durationDays and displayName out) — otherwise choose another displayName`,
    });
  }
  try {
    return await graph.createRelationship({
      displayName: name,
      duration: `P${inputs.durationDays ?? DEFAULT_DURATION_DAYS}D`,
      customer: { tenantId: inputs.customerTenantId },
      accessDetails: { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
      autoExtendDuration: autoExtendDurationOf(inputs.autoExtend === true),
    });
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    // Graph has no idempotency key: whether it acted is found by the name, unique per partner.
    const [made] = await graph.listRelationships({ displayName: name }).catch(() => [undefined]);
    if (made && made.customer?.tenantId?.toLowerCase() === inputs.customerTenantId) {
      logProviderMessage(`${operation}: the answer was lost, but Graph made it (${made.id}); continuing with it`);
      return made;
    }
    throw error;
  }
}

/**
 * Asks for a relationship action (`POST …/requests`, no idempotency key). When that fails, the relationship says
 * whether the action happened anyway: an attempt whose answer was lost is retried, and the retry refused because the
 * relationship has moved on. `done` tells the statuses the action leads to.
 */
async function requestAction(
  graph: GraphClient,
  relationship: Relationship,
  action: "lockForApproval" | "terminate",
  done: (status: string) => boolean,
): Promise<void> {
  try {
    await graph.requestRelationshipAction(relationship.id, action);
  } catch (error) {
    const now = await graph.getRelationship(relationship.id).catch(() => undefined);
    if (!now || !done(now.status)) throw error;
    logProviderMessage(
      `GDAP relationship ${relationship.id}: the answer to ${action} was lost, but it happened (${now.status})`,
    );
  }
}

/** Locks a `created` relationship for the customer's approval and reads it back. */
async function lockForApproval(graph: GraphClient, relationship: Relationship): Promise<Relationship> {
  if (relationship.status !== "created") return relationship;
  await requestAction(graph, relationship, "lockForApproval", (status) => status !== "created");
  return graph.getRelationship(relationship.id);
}

/** Reads the relationship, waits up to `seconds` for approval, and says where it stands. */
async function progress(
  graph: GraphClient,
  outputs: GdapRelationshipOutputs,
  seconds: number,
  approvalBase: string | undefined,
): Promise<GdapRelationshipOutputs> {
  let relationship: Relationship | undefined;
  const ask = async () => {
    relationship = await lockForApproval(graph, await graph.getRelationship(outputs.relationshipId));
    return answerOfRelationship(relationship.status);
  };
  const answer = await waitForPerson(ask, seconds);
  const next = outputsOf(outputs, relationship!, {
    adopted: outputs.adopted,
    approvalBase,
    createdAt: outputs.createdAt,
  });
  sayWhereItStands(next, answer);
  return next;
}

function sayWhereItStands(outputs: GdapRelationshipOutputs, answer: PersonAnswer): void {
  if (answer === "waiting") {
    logProviderMessage(
      `${label(outputs)} is ${outputs.relationshipStatus}: waiting for the customer's approval; no access is granted yet. ${handOverHint()}; the next pulumi up after they approve records it and makes its access assignments`,
    );
  } else if (answer === "expired") {
    logProviderMessage(
      `warning: ${label(outputs)} is ${outputs.relationshipStatus}: it grants no access. Replace the resource (pulumi up --replace <its URN>) to ask for a new one`,
    );
  } else {
    logProviderMessage(`${label(outputs)} is active`);
  }
}

/** The `GdapRelationship` provider methods (waiting on the customer's approval: see `waitingOnPerson.ts`). */
export const gdapRelationship = {
  /** Validates inputs at preview (roles, duration, Global Administrator with auto-extend), with no request. */
  async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const { inputs, failures } = validateGdapRelationshipInputs(news);
    const result = inputs as unknown as Props;
    if (typeof news[CREATE_KEY] === "string") result[CREATE_KEY] = news[CREATE_KEY];
    return { inputs: result, failures };
  },

  /**
   * Roles, duration, name, customer or adoption changing replaces (a new relationship the customer approves again;
   * Graph cannot change a locked one); `autoExtend`, `deletionPolicy` and the wait change in place. An active (or
   * ended) relationship costs no request; a waiting one asks Graph once whether the customer approved.
   */
  async diff(_id: string, olds: Props, news: Props) {
    const outputs = plainOutputs(olds);
    const replaces = GDAP_RELATIONSHIP_REPLACE_KEYS.filter((key) => {
      if (isUnknown(news[key]) || containsUnknown(news[key])) return true;
      if (key === "roles" && Array.isArray(olds.roles) && Array.isArray(news.roles)) {
        const ids = (roles: unknown[]) => roleIdsOf(roles.map(String)).sort();
        return !deepEqual(ids(olds.roles), ids(news.roles));
      }
      return !deepEqual(olds[key], news[key]);
    });
    let changes =
      replaces.length > 0 ||
      ["autoExtend", "deletionPolicy", "waitForApprovalSeconds"].some((key) => !deepEqual(olds[key], news[key]));
    if (replaces.length > 0) {
      logProviderMessage(
        `warning: ${replaces.join(", ")} changed: replacing ${label(outputs)} makes a new relationship the customer must approve again${outputs.adopted ? "" : "; the old one is terminated after it (deletionPolicy terminate)"}`,
      );
    }
    if (replaces.length === 0 && isOpen(outputs.status)) {
      try {
        const relationship = await providerContext().graph().getRelationship(outputs.relationshipId);
        if (relationship.status === "created") {
          // A create that could not lock it (a partial create): the customer cannot approve it until the update does.
          logProviderMessage(`${label(outputs)} is not yet sent for the customer's approval: pulumi up locks it`);
          changes = true;
        } else if (relationship.status !== outputs.relationshipStatus) {
          logProviderMessage(`${label(outputs)} is now ${relationship.status}: pulumi up records it`);
          changes = true;
        } else logProviderMessage(`waiting for the customer to approve ${label(outputs)}`);
      } catch (error) {
        logProviderMessage(
          `warning: could not ask whether the customer approved ${label(outputs)} (${error instanceof Error ? error.message : String(error)}); nothing is planned for it this time`,
        );
      }
    }
    // Never delete before replace: ending the old relationship first does not free its name (Graph lists an ended
    // relationship under its name, and termination takes a while), so the create would then fail with the customer's
    // access already gone. Created first, a replacement under the same user-given name fails with the old one intact.
    if (replaces.length > 0 && olds.displayName !== undefined && olds.displayName === news.displayName) {
      logProviderMessage(
        `warning: the replacement of ${label(outputs)} keeps its displayName, which the current relationship holds: display names are unique, so set another displayName (the current relationship is kept until the new one exists)`,
      );
    }
    return { changes, replaces: [...replaces], deleteBeforeReplace: false };
  },

  /**
   * Creates the relationship and locks it for approval (status `waitingForCustomer`, the link in the secret
   * `approvalUrl`), or adopts the customer's Default GDAP / a relationship by ID. Never waits: nobody has the link
   * before it returns.
   */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const context = providerContext();
    const graph = context.graph();
    const approvalBase = context.settings.gdapApprovalBase;
    const inputs = withoutInternalKeys(props) as unknown as GdapRelationshipInputs;
    if (inputs.adoptDefault || inputs.existingRelationshipId) {
      const relationship = inputs.existingRelationshipId
        ? await graph.getRelationship(inputs.existingRelationshipId)
        : await findDefaultRelationship(graph, inputs.customerTenantId);
      if (relationship.customer?.tenantId?.toLowerCase() !== inputs.customerTenantId) {
        throw new PartnerCenterError({
          kind: "config",
          operation: `Adopting GDAP relationship ${relationship.id}`,
          description: `it is with customer ${relationship.customer?.tenantId ?? "(unknown)"}, not ${inputs.customerTenantId}`,
        });
      }
      let adopted = relationship;
      const wanted = inputs.autoExtend === undefined ? undefined : autoExtendDurationOf(inputs.autoExtend);
      if (wanted && normalizeExtend(relationship.autoExtendDuration) !== wanted) {
        adopted = await graph.updateRelationship(
          relationship.id,
          { autoExtendDuration: wanted },
          adopted["@odata.etag"] ?? "*",
        );
      }
      const outputs = outputsOf(inputs, adopted, { adopted: true, approvalBase });
      logProviderMessage(
        `${label(outputs)}: adopted (${adopted.status}); destroy ${inputs.deletionPolicy === "terminate" ? "terminates it (deletionPolicy terminate)" : "leaves it in place"}`,
      );
      return { id: adopted.id, outs: withSecrets(outputs) };
    }

    const roleIds = (inputs.roles ?? []).map((role) => roleIdOf(role)!);
    const createKey = typeof props[CREATE_KEY] === "string" ? props[CREATE_KEY] : `gdap/${inputs.customerTenantId}`;
    let made: Relationship | undefined;
    for (let generation = 0; made === undefined; generation++) {
      if (generation > MAX_GENERATIONS) {
        throw new PartnerCenterError({
          kind: "config",
          operation: `Creating a GDAP relationship with customer ${inputs.customerTenantId}`,
          description: `this resource already has ${MAX_GENERATIONS} ended relationships with these inputs: set a displayName`,
        });
      }
      const name = inputs.displayName ?? derivedDisplayName(createKey, inputs, roleIds, generation);
      made = await createOrFind(graph, inputs, name, inputs.displayName === undefined, roleIds);
    }
    const createdAt = made.createdDateTime ?? new Date().toISOString();
    let relationship: Relationship;
    try {
      relationship = await lockForApproval(graph, made);
    } catch (error) {
      // The relationship exists: keep it in the stack; the next up locks it (diff sees `created`).
      const kept = outputsOf(inputs, made, { adopted: false, approvalBase, createdAt });
      const why = error instanceof Error ? error.message : String(error);
      throw partialCreateError(
        `${label(kept)}: created, but locking it for the customer's approval failed: ${why}; the next pulumi up locks it`,
        made.id,
        withSecrets({ ...kept, status: "waitingForCustomer" }),
        props,
      );
    }
    const outputs = outputsOf(inputs, relationship, { adopted: false, approvalBase, createdAt });
    if (outputs.status === "waitingForCustomer" && !approvalBase) {
      logProviderMessage(
        `warning: no approval link is known for partnercenter:cloud ${context.settings.cloud}: set partnercenter:gdapApprovalBase, or copy the link from Partner Center`,
      );
    }
    sayWhereItStands(outputs, answerOfRelationship(relationship.status));
    return { id: relationship.id, outs: withSecrets(outputs) };
  },

  /** Refresh: reads the relationship into state; a relationship Graph no longer has leaves the stack. */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props }> {
    const outputs = plainOutputs(props);
    const context = providerContext();
    let relationship: Relationship;
    try {
      relationship = await context.graph().getRelationship(outputs.relationshipId ?? id);
    } catch (error) {
      if (isNotFound(error)) return { id: "" };
      throw error;
    }
    const next = outputsOf(outputs, relationship, {
      adopted: outputs.adopted,
      approvalBase: context.settings.gdapApprovalBase,
      createdAt: outputs.createdAt,
    });
    return { id, props: withSecrets(next) };
  },

  /** Applies `autoExtend` (Graph allows it while created or active) and moves a waiting relationship on. */
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const context = providerContext();
    const graph = context.graph();
    const old = plainOutputs(olds);
    const inputs = withoutInternalKeys(news) as unknown as GdapRelationshipInputs;
    let outputs: GdapRelationshipOutputs = { ...old, ...inputs };
    for (const key of ["autoExtend", "deletionPolicy", "waitForApprovalSeconds"] as const) {
      if (inputs[key] === undefined) delete outputs[key];
    }
    // Left out, autoExtend is false for a relationship the stack made, and left as it is for an adopted one.
    const extendOf = (value: boolean | undefined) => value ?? (old.adopted ? undefined : false);
    const wanted = extendOf(inputs.autoExtend);
    if (wanted !== undefined && wanted !== extendOf(old.autoExtend)) {
      const current = await graph.getRelationship(old.relationshipId);
      if (current.status === "created" || current.status === "active") {
        const updated = await graph.updateRelationship(
          old.relationshipId,
          { autoExtendDuration: autoExtendDurationOf(wanted) },
          current["@odata.etag"] ?? "*",
        );
        outputs = outputsOf(outputs, updated, {
          adopted: old.adopted,
          approvalBase: context.settings.gdapApprovalBase,
          createdAt: old.createdAt,
        });
      } else if (answerOfRelationship(current.status) === "waiting") {
        // Graph changes a relationship only while created or active: state keeps the old value, so the first up
        // after the customer's approval plans and applies it (an ended one has nothing to apply it to).
        if (old.autoExtend === undefined) delete outputs.autoExtend;
        else outputs.autoExtend = old.autoExtend;
        logProviderMessage(
          `${label(outputs)} is ${current.status}: Graph changes autoExtend only before it is sent for approval or once it is active; the first pulumi up after the customer's approval applies it`,
        );
      }
    }
    if (isOpen(outputs.status)) {
      outputs = await progress(graph, outputs, inputs.waitForApprovalSeconds ?? 0, context.settings.gdapApprovalBase);
    }
    return { outs: withSecrets(outputs) };
  },

  /**
   * Ends the relationship only when the stack made it (or the user asked, `deletionPolicy: terminate` on an adopted
   * one): a relationship never locked is deleted, an active one terminated. Adopted ones are left alone by default.
   */
  async delete(_id: string, props: Props): Promise<void> {
    const outputs = plainOutputs(props);
    const policy = outputs.deletionPolicy ?? (outputs.adopted ? "retain" : "terminate");
    if (policy === "retain") {
      logProviderMessage(`${label(outputs)}: removed from the stack and left in place (deletionPolicy retain)`);
      return;
    }
    const graph = providerContext().graph();
    let relationship: Relationship;
    try {
      relationship = await graph.getRelationship(outputs.relationshipId);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (ENDED_STATUSES.includes(relationship.status)) return;
    if (relationship.status === "created") {
      await graph.deleteRelationship(relationship.id, relationship["@odata.etag"] ?? "*");
      logProviderMessage(`${label(outputs)}: deleted (it was never sent for approval)`);
      return;
    }
    try {
      await requestAction(graph, relationship, "terminate", (status) => ENDED_STATUSES.includes(status));
    } catch (error) {
      // Graph's reference speaks of terminating active relationships; if it refuses one still awaiting approval, the
      // invitation cannot be withdrawn: it lapses unapproved after 90 days [MS]. Said loudly, then forgotten — a
      // destroy must not fail on something no call can change.
      const refused = isPartnerCenterError(error) && error.kind === "http" && (error.statusCode ?? 0) < 500;
      if (!(refused && relationship.status === "approvalPending")) throw error;
      logProviderMessage(
        `warning: ${label(outputs)} is awaiting the customer's approval and Microsoft Graph refused to terminate it (${error.message}): until it lapses (90 days after it was sent), the customer can still approve it — tell them not to, or terminate it in Partner Center once approved`,
      );
      return;
    }
    logProviderMessage(`${label(outputs)}: termination requested (it was ${relationship.status})`);
  },
};

/** `PT0S` and `P0D` both mean no extension. */
function normalizeExtend(value: string | null | undefined): string {
  return value === "P0D" || !value ? "PT0S" : value;
}

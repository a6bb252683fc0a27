import { isNotFound, PartnerCenterError } from "../foundation";
import type { GraphClient } from "../graph";
import { roleIdsOf, roleNameOf } from "../schemas/entraRoles";
import type { AccessAssignment, Relationship } from "../schemas/gdap";
import { type CheckFailure, containsUnknown, deepEqual, isUnknown } from "./checkFailures";
import { answerOfRelationship, outcomeUnknown } from "./gdapRelationshipImplementation";
import type { GdapAccessAssignmentInputs, GdapAccessAssignmentOutputs } from "./gdapTypes";
import { GDAP_ASSIGNMENT_REPLACE_KEYS, validateGdapAccessAssignmentInputs } from "./gdapValidation";
import { providerContext } from "./providerContext";
import { logProviderMessage, withoutInternalKeys } from "./providerOutput";
import { isOpen, waitForPerson } from "./waitingOnPerson";

type Props = Record<string, unknown>;

/** Waits for Graph to move a new or changed assignment from `pending` to `active`: a few reads, then it is said. */
const ACTIVATION_DELAYS_MS = [500, 1_000, 2_000, 4_000];

function label(inputs: Pick<GdapAccessAssignmentInputs, "securityGroupId" | "relationshipId">): string {
  return `access of group ${inputs.securityGroupId} in GDAP relationship ${inputs.relationshipId}`;
}

/**
 * Refuses, before anything is sent, roles the relationship does not hold: the authoritative subset check (the
 * preview's uses `relationshipRoles` when the program passes them).
 */
function checkSubset(inputs: GdapAccessAssignmentInputs, relationship: Relationship, operation: string): void {
  const held = new Set(relationship.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId.toLowerCase()));
  const wanted = roleIdsOf(inputs.roles);
  const missing = inputs.roles.filter((_role, index) => !held.has(wanted[index]!));
  if (missing.length > 0) {
    throw new PartnerCenterError({
      kind: "config",
      operation,
      description: `roles ${missing.map((role) => `"${role}"`).join(", ")} are not in relationship "${relationship.displayName}" (which holds ${[...held].map(roleNameOf).join(", ")}): an assignment can only grant the relationship's roles; nothing was sent`,
    });
  }
}

/** Reads until Graph says the assignment is no longer `pending` (bounded), returning the last answer. */
async function settle(
  graph: GraphClient,
  relationshipId: string,
  assignment: AccessAssignment,
): Promise<AccessAssignment> {
  let current = assignment;
  for (const delay of ACTIVATION_DELAYS_MS) {
    if (current.status !== "pending") return current;
    await new Promise((resolve) => setTimeout(resolve, delay));
    current = await graph.getAccessAssignment(relationshipId, current.id);
  }
  return current;
}

function outputsOf(inputs: GdapAccessAssignmentInputs, assignment: AccessAssignment): GdapAccessAssignmentOutputs {
  return {
    ...inputs,
    assignmentId: assignment.id,
    status: "completed",
    assignmentStatus: assignment.status,
    roleIds: assignment.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId.toLowerCase()),
    ...(assignment["@odata.etag"] && { etag: assignment["@odata.etag"] }),
  };
}

/** The waiting outputs of an assignment whose relationship the customer has not approved yet. */
function waitingOutputs(inputs: GdapAccessAssignmentInputs, relationship: Relationship): GdapAccessAssignmentOutputs {
  logProviderMessage(
    `${label(inputs)}: the relationship is ${relationship.status}, waiting for the customer's approval; no access is assigned yet. The next pulumi up after they approve assigns it`,
  );
  return { ...inputs, status: "waitingForCustomer", roleIds: roleIdsOf(inputs.roles) };
}

/**
 * Assigns the roles once the relationship is active. A group with an assignment already is not taken over (the
 * stack did not make it): the error names it. An unknown outcome of the POST is settled by listing: the group's
 * assignment then is this create's.
 */
async function assign(graph: GraphClient, inputs: GdapAccessAssignmentInputs): Promise<GdapAccessAssignmentOutputs> {
  const operation = `Assigning ${label(inputs)}`;
  const relationship = await graph.getRelationship(inputs.relationshipId);
  const answer = answerOfRelationship(relationship.status);
  if (answer === "expired") {
    throw new PartnerCenterError({
      kind: "config",
      operation,
      description: `the relationship is ${relationship.status}: it grants no access any more; replace the relationship`,
    });
  }
  checkSubset(inputs, relationship, operation);
  if (answer === "waiting") return waitingOutputs(inputs, relationship);
  const ofGroup = (list: AccessAssignment[]) =>
    list.find(
      (assignment) =>
        assignment.accessContainer.accessContainerId.toLowerCase() === inputs.securityGroupId &&
        !["deleted", "deleting"].includes(assignment.status),
    );
  const existing = ofGroup(await graph.listAccessAssignments(inputs.relationshipId));
  if (existing) {
    throw new PartnerCenterError({
      kind: "config",
      operation,
      description: `group ${inputs.securityGroupId} already has access assignment ${existing.id} (${existing.accessDetails.unifiedRoles.map((role) => roleNameOf(role.roleDefinitionId)).join(", ")}) in this relationship, made outside this resource: remove it in Partner Center, or leave this group out — the stack does not take over an assignment it did not make`,
    });
  }
  let made: AccessAssignment;
  try {
    made = await graph.createAccessAssignment(inputs.relationshipId, {
      accessContainer: { accessContainerId: inputs.securityGroupId, accessContainerType: "securityGroup" },
      accessDetails: { unifiedRoles: roleIdsOf(inputs.roles).map((roleDefinitionId) => ({ roleDefinitionId })) },
    });
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    const found = ofGroup(await graph.listAccessAssignments(inputs.relationshipId).catch(() => []));
    if (!found) throw error;
    logProviderMessage(`${operation}: the answer was lost, but Graph made it (${found.id}); continuing with it`);
    made = found;
  }
  const settled = await settle(graph, inputs.relationshipId, made);
  logProviderMessage(`${label(inputs)}: ${settled.status}`);
  return outputsOf(inputs, settled);
}

/** The `GdapAccessAssignment` provider methods (waits on the relationship's approval: `waitingOnPerson.ts`). */
export const gdapAccessAssignment = {
  /** Validates at preview: known roles, a GUID group, and roles ⊆ the relationship's when `relationshipRoles` is known. */
  async check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const { inputs, failures } = validateGdapAccessAssignmentInputs(news);
    return { inputs: inputs as unknown as Props, failures };
  },

  /**
   * The relationship or the group changing replaces; roles change in place. A waiting assignment asks Graph once
   * whether the relationship is approved; an assigned one costs no request.
   */
  async diff(_id: string, olds: Props, news: Props) {
    const replaces = GDAP_ASSIGNMENT_REPLACE_KEYS.filter(
      (key) => isUnknown(news[key]) || containsUnknown(news[key]) || !deepEqual(olds[key], news[key]),
    );
    // Against what Graph last said the group holds (refresh reads it), so a role changed in Partner Center is put
    // back; a waiting assignment has none yet and compares its inputs.
    const held = olds.assignmentId && Array.isArray(olds.roleIds) ? (olds.roleIds as string[]) : undefined;
    const sameRoles =
      Array.isArray(news.roles) &&
      !containsUnknown(news.roles) &&
      (held
        ? deepEqual([...held].sort(), roleIdsOf(news.roles as string[]).sort())
        : Array.isArray(olds.roles) &&
          deepEqual(roleIdsOf(olds.roles as string[]).sort(), roleIdsOf(news.roles as string[]).sort()));
    // `relationshipRoles` is only for the preview's check and is never sent: it changes nothing by itself.
    let changes =
      replaces.length > 0 || !sameRoles || !deepEqual(olds.waitForApprovalSeconds, news.waitForApprovalSeconds);
    const outputs = withoutInternalKeys(olds) as unknown as GdapAccessAssignmentOutputs;
    if (replaces.length === 0 && isOpen(outputs.status)) {
      try {
        const relationship = await providerContext().graph().getRelationship(outputs.relationshipId);
        if (answerOfRelationship(relationship.status) !== "waiting") {
          logProviderMessage(
            `${label(outputs)}: the relationship is ${relationship.status}: pulumi up assigns the roles`,
          );
          changes = true;
        } else logProviderMessage(`${label(outputs)}: waiting for the customer to approve the relationship`);
      } catch (error) {
        logProviderMessage(
          `warning: could not read GDAP relationship ${outputs.relationshipId} (${error instanceof Error ? error.message : String(error)}); nothing is planned for ${label(outputs)} this time`,
        );
      }
    }
    return { changes, replaces: [...replaces] };
  },

  /** Assigns the roles (relationship active), or records that it waits for the customer's approval. */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const inputs = withoutInternalKeys(props) as unknown as GdapAccessAssignmentInputs;
    const graph = providerContext().graph();
    const id = `${inputs.relationshipId}/${inputs.securityGroupId}`;
    const outputs = await assign(graph, inputs);
    return { id, outs: outputs as unknown as Props };
  },

  /** Refresh: reads the assignment; one Graph no longer has (or a relationship gone) leaves the stack. */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props }> {
    const outputs = withoutInternalKeys(props) as unknown as GdapAccessAssignmentOutputs;
    const graph = providerContext().graph();
    if (!outputs.assignmentId) {
      try {
        await graph.getRelationship(outputs.relationshipId);
      } catch (error) {
        if (isNotFound(error)) return { id: "" };
        throw error;
      }
      return { id, props: props };
    }
    try {
      const assignment = await graph.getAccessAssignment(outputs.relationshipId, outputs.assignmentId);
      if (assignment.status === "deleted") return { id: "" };
      return { id, props: outputsOf(outputs, assignment) as unknown as Props };
    } catch (error) {
      if (isNotFound(error)) return { id: "" };
      throw error;
    }
  },

  /** Changes the roles in place (`PATCH` with the ETag), or assigns a waiting one once the relationship is active. */
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const old = withoutInternalKeys(olds) as unknown as GdapAccessAssignmentOutputs;
    const inputs = withoutInternalKeys(news) as unknown as GdapAccessAssignmentInputs;
    const graph = providerContext().graph();
    if (!old.assignmentId) {
      const ask = async () => answerOfRelationship((await graph.getRelationship(inputs.relationshipId)).status);
      await waitForPerson(ask, inputs.waitForApprovalSeconds ?? 0);
      return { outs: (await assign(graph, inputs)) as unknown as Props };
    }
    const operation = `Updating ${label(inputs)}`;
    checkSubset(inputs, await graph.getRelationship(inputs.relationshipId), operation);
    const current = await graph.getAccessAssignment(inputs.relationshipId, old.assignmentId);
    const wanted = roleIdsOf(inputs.roles);
    const held = current.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId.toLowerCase());
    let assignment = current;
    if (!deepEqual([...wanted].sort(), [...held].sort())) {
      assignment = await graph.updateAccessAssignment(
        inputs.relationshipId,
        old.assignmentId,
        wanted,
        current["@odata.etag"] ?? "*",
      );
      assignment = await settle(graph, inputs.relationshipId, assignment);
      logProviderMessage(`${label(inputs)}: roles changed in place (${wanted.map(roleNameOf).join(", ")})`);
    }
    return { outs: outputsOf(inputs, assignment) as unknown as Props };
  },

  /** Removes the assignment the stack made; one never assigned (still waiting) or already gone needs nothing. */
  async delete(_id: string, props: Props): Promise<void> {
    const outputs = withoutInternalKeys(props) as unknown as GdapAccessAssignmentOutputs;
    if (!outputs.assignmentId) return;
    const graph = providerContext().graph();
    try {
      const current = await graph.getAccessAssignment(outputs.relationshipId, outputs.assignmentId);
      if (["deleted", "deleting"].includes(current.status)) return;
      await graph.deleteAccessAssignment(outputs.relationshipId, outputs.assignmentId, current["@odata.etag"] ?? "*");
      logProviderMessage(`${label(outputs)}: removed`);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  },
};

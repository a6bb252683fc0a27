/**
 * Microsoft Graph's access-assignment routes of a GDAP relationship (`…/delegatedAdminRelationships/{id}/
 * accessAssignments`): roles of an active relationship granted to one of the partner's security groups. Create,
 * list, get, update (`If-Match`; a long-running operation, as Microsoft documents) and delete (`If-Match`).
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { CreateAccessAssignmentRequestSchema, UpdateAccessAssignmentRequestSchema } from "../../provider/schemas/gdap";
import type { EmulatorContext } from "../emulatorContext";
import {
  isRoleSubset,
  newGraphEtag,
  observeAccessAssignment,
  sameRoles,
  settleRelationship,
  touch,
} from "../gdapLifecycle";
import { accessAssignmentView, GRAPH_ROOT, graphBase, RELATIONSHIPS_ROUTE } from "../gdapViews";
import { GraphErrorCode, graphError } from "../graphError";
import { checkIfMatch, readGraphBody } from "../graphInput";
import type { GdapAccessAssignment, GdapOperation, GdapRelationship, GdapRole } from "../model";
import { findRelationship } from "./gdapRelationships";

/**
 * [inferred] What the 202 of an update asks the client to wait before polling the operation. Microsoft's example says
 * 10 seconds; the emulator finishes at once and says 1, so clients that honour it do not slow tests down.
 */
const OPERATION_RETRY_AFTER_SECONDS = 1;

/** The relationship of the route, settled; 400 unless it is active [MS: access is assigned on active ones]. */
async function activeRelationship(ctx: EmulatorContext, id: string, what: string): Promise<GdapRelationship> {
  const relationship = findRelationship(ctx, id);
  if (settleRelationship(ctx, relationship)) await ctx.persist();
  if (relationship.status !== "active") {
    throw graphError(
      400,
      GraphErrorCode.badRequest,
      `${what} needs an active relationship; this one is ${relationship.status}.`,
    );
  }
  return relationship;
}

/** 400 unless every role is one of the relationship's [MS: assignments grant roles the relationship holds]. */
function requireRolesOf(relationship: GdapRelationship, roles: readonly GdapRole[]): void {
  if (!isRoleSubset(roles, relationship.accessDetails.unifiedRoles)) {
    const extra = roles
      .filter((role) => !isRoleSubset([role], relationship.accessDetails.unifiedRoles))
      .map((role) => role.roleDefinitionId);
    throw graphError(
      400,
      GraphErrorCode.badRequest,
      `The roles ${extra.join(", ")} are not part of the relationship: an access assignment can only grant its roles.`,
    );
  }
}

/** The assignment of the route, or 404 [inferred code `NotFound`]. */
function findAssignment(ctx: EmulatorContext, relationship: GdapRelationship, id: string): GdapAccessAssignment {
  const assignment = ctx.store.getAccessAssignment(relationship.id, id);
  if (!assignment) throw graphError(404, GraphErrorCode.notFound, `The access assignment '${id}' was not found.`);
  return assignment;
}

/** Registers the access-assignment routes. */
export function registerGdapAccessAssignmentRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const graph = { config: { graphAuth: "any" as const } };
  const collection = `${RELATIONSHIPS_ROUTE}/:id/accessAssignments`;
  type ById = { Params: { id: string } };
  type ByIds = { Params: { id: string; assignmentId: string } };
  const context = (base: string) => `${base}${GRAPH_ROOT}/tenantRelationships/$metadata#accessAssignments`;

  app.post<ById>(collection, graph, async (request, reply) => {
    const relationship = await activeRelationship(ctx, request.params.id, "Assigning access");
    const input = readGraphBody(CreateAccessAssignmentRequestSchema, request.body);
    requireRolesOf(relationship, input.accessDetails.unifiedRoles);
    const group = input.accessContainer.accessContainerId.toLowerCase();
    if (
      ctx.store
        .listAccessAssignments(relationship.id)
        .some((assignment) => assignment.accessContainer.accessContainerId.toLowerCase() === group)
    ) {
      // [3P: integrators report 409] One assignment per security group and relationship; [inferred] code `Conflict`.
      throw graphError(
        409,
        GraphErrorCode.conflict,
        `The security group '${input.accessContainer.accessContainerId}' already has an access assignment on this relationship: update it instead.`,
      );
    }
    const now = new Date().toISOString();
    const assignment: GdapAccessAssignment = {
      id: randomUUID(),
      relationshipId: relationship.id,
      etag: newGraphEtag(),
      status: "pending",
      accessContainer: { ...input.accessContainer },
      accessDetails: { unifiedRoles: input.accessDetails.unifiedRoles.map((role) => ({ ...role })) },
      createdDateTime: now,
      lastModifiedDateTime: now,
      // This answer shows `pending`, so the next read finds it active.
      shown: true,
    };
    ctx.store.addAccessAssignment(assignment);
    await ctx.persist();
    const base = graphBase(request);
    return ctx.send(
      request,
      reply,
      201,
      { "@odata.context": context(base), ...accessAssignmentView(assignment) },
      {
        ETag: assignment.etag,
        Location: `${base}${RELATIONSHIPS_ROUTE}/${relationship.id}/accessAssignments/${assignment.id}`,
      },
    );
  });

  app.get<ById>(collection, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    let changed = settleRelationship(ctx, relationship);
    const assignments = ctx.store.listAccessAssignments(relationship.id);
    for (const assignment of assignments) changed = observeAccessAssignment(assignment) || changed;
    if (changed) await ctx.persist();
    return ctx.send(request, reply, 200, {
      "@odata.context": context(graphBase(request)),
      value: assignments.map(accessAssignmentView),
    });
  });

  app.get<ByIds>(`${collection}/:assignmentId`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    const settled = settleRelationship(ctx, relationship);
    const assignment = findAssignment(ctx, relationship, request.params.assignmentId);
    if (observeAccessAssignment(assignment) || settled) await ctx.persist();
    return ctx.send(
      request,
      reply,
      200,
      { "@odata.context": `${context(graphBase(request))}/$entity`, ...accessAssignmentView(assignment) },
      { ETag: assignment.etag },
    );
  });

  app.patch<ByIds>(`${collection}/:assignmentId`, graph, async (request, reply) => {
    const relationship = await activeRelationship(ctx, request.params.id, "Updating an access assignment");
    const assignment = findAssignment(ctx, relationship, request.params.assignmentId);
    checkIfMatch(request, assignment.etag);
    const input = readGraphBody(UpdateAccessAssignmentRequestSchema, request.body);
    requireRolesOf(relationship, input.accessDetails.unifiedRoles);
    const base = graphBase(request);
    if (sameRoles(input.accessDetails.unifiedRoles, assignment.accessDetails.unifiedRoles)) {
      // [MS] "If the values specified in the call are identical to the values in the existing object, the API
      // returns a 200 OK response code with the original delegatedAdminAccessAssignment object."
      return ctx.send(
        request,
        reply,
        200,
        { "@odata.context": `${context(base)}/$entity`, ...accessAssignmentView(assignment) },
        { ETag: assignment.etag },
      );
    }
    const now = new Date().toISOString();
    assignment.accessDetails = { unifiedRoles: input.accessDetails.unifiedRoles.map((role) => ({ ...role })) };
    touch(assignment, now);
    // [MS] Otherwise the update is a long-running operation: 202 with its Location. The emulator applies the change
    // at once and records the operation as succeeded.
    const operation: GdapOperation = {
      id: randomUUID(),
      relationshipId: relationship.id,
      etag: newGraphEtag(),
      operationType: "delegatedAdminAccessAssignmentUpdate",
      status: "succeeded",
      data: JSON.stringify({ accessAssignmentId: assignment.id, accessDetails: assignment.accessDetails }),
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    ctx.store.addOperation(operation);
    await ctx.persist();
    // [MS] The documented 202 has an empty JSON object for a body.
    return ctx.send(
      request,
      reply,
      202,
      {},
      {
        Location: `${base}${RELATIONSHIPS_ROUTE}/${relationship.id}/operations/${operation.id}`,
        "Retry-After": String(OPERATION_RETRY_AFTER_SECONDS),
      },
    );
  });

  app.delete<ByIds>(`${collection}/:assignmentId`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    if (settleRelationship(ctx, relationship)) await ctx.persist();
    const assignment = findAssignment(ctx, relationship, request.params.assignmentId);
    checkIfMatch(request, assignment.etag);
    // [MS] 204; Microsoft moves it through `deleting` to `deleted` in the background, the emulator removes it at once.
    ctx.store.removeAccessAssignment(relationship.id, assignment.id);
    await ctx.persist();
    return ctx.send(request, reply, 204);
  });
}

/**
 * The GDAP records as Microsoft Graph answers them: key for key the documented response examples (`@odata.type`,
 * `@odata.etag`, absent times as `null`), without the emulator's bookkeeping fields. What the provider reads of them
 * is `provider/schemas/gdap.ts`'s schemas.
 */
import type { FastifyRequest } from "fastify";
import { GRAPH_VERSION, RELATIONSHIPS_PATH } from "../provider/schemas/gdap";
import type { GdapAccessAssignment, GdapOperation, GdapRelationship, GdapRelationshipRequest } from "./model";

/** `/v1.0`: the Graph version root the routes live under. */
export const GRAPH_ROOT = `/${GRAPH_VERSION}`;
/** `/v1.0/tenantRelationships/delegatedAdminRelationships`. */
export const RELATIONSHIPS_ROUTE = `${GRAPH_ROOT}/${RELATIONSHIPS_PATH}`;

/**
 * The emulator's base URL as the client addressed it (`https://127.0.0.1:PORT`): Graph's `Location` headers and
 * `@odata.nextLink`s are absolute, on the host the client called.
 */
export function graphBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/** `@odata.context` of the relationship collection [MS: the list example's]. */
export function relationshipsContext(base: string): string {
  return `${base}${GRAPH_ROOT}/tenantRelationships/$metadata#delegatedAdminRelationships`;
}

/** A relationship as Graph answers it (in a collection; a single answer adds `@odata.context`). */
export function relationshipView(relationship: GdapRelationship): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    "@odata.etag": relationship.etag,
    id: relationship.id,
    displayName: relationship.displayName,
    duration: relationship.duration,
    customer: { ...relationship.customer },
    accessDetails: { unifiedRoles: relationship.accessDetails.unifiedRoles.map((role) => ({ ...role })) },
    status: relationship.status,
    autoExtendDuration: relationship.autoExtendDuration,
    createdDateTime: relationship.createdDateTime,
    lastModifiedDateTime: relationship.lastModifiedDateTime,
    activatedDateTime: relationship.activatedDateTime ?? null,
    endDateTime: relationship.endDateTime ?? null,
  };
}

/** A relationship as a single-entity answer (`GET`, `POST`, `PATCH`). */
export function relationshipEntity(base: string, relationship: GdapRelationship): Record<string, unknown> {
  return { "@odata.context": `${relationshipsContext(base)}/$entity`, ...relationshipView(relationship) };
}

/** An access assignment as Graph answers it. */
export function accessAssignmentView(assignment: GdapAccessAssignment): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
    "@odata.etag": assignment.etag,
    id: assignment.id,
    status: assignment.status,
    accessContainer: { ...assignment.accessContainer },
    accessDetails: { unifiedRoles: assignment.accessDetails.unifiedRoles.map((role) => ({ ...role })) },
    createdDateTime: assignment.createdDateTime,
    lastModifiedDateTime: assignment.lastModifiedDateTime,
  };
}

/**
 * A relationship request as Graph answers it.
 * @param status Overrides the stored status: the create answer says `created` [MS example] although the emulator has
 * already applied the action.
 */
export function relationshipRequestView(request: GdapRelationshipRequest, status?: string): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
    id: request.id,
    action: request.action,
    status: status ?? request.status,
    createdDateTime: request.createdDateTime,
    lastModifiedDateTime: request.lastModifiedDateTime,
  };
}

/** A long-running operation as Graph answers it. */
export function operationView(operation: GdapOperation): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
    "@odata.etag": operation.etag,
    id: operation.id,
    operationType: operation.operationType,
    status: operation.status,
    data: operation.data,
    createdDateTime: operation.createdDateTime,
    lastModifiedDateTime: operation.lastModifiedDateTime,
  };
}

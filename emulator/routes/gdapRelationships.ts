/**
 * Microsoft Graph's GDAP relationship routes under `/v1.0/tenantRelationships/delegatedAdminRelationships`: list (with
 * `$filter`, `$top`, `@odata.nextLink`), create, get, update (`If-Match`), delete (`If-Match`), the `requests` that lock
 * a relationship for approval or terminate it, and the `operations` an access-assignment update starts.
 *
 * Request bodies are checked with `provider/schemas/gdap.ts`'s schemas, so the emulator takes what the provider sends;
 * the rules each route enforces are Microsoft's Graph reference unless a comment says [inferred].
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  AUTO_EXTEND_DURATION,
  CreateRelationshipRequestSchema,
  NO_AUTO_EXTEND,
  RelationshipActionRequestSchema,
  UpdateRelationshipRequestSchema,
} from "../../provider/schemas/gdap";
import type { EmulatorContext } from "../emulatorContext";
import {
  holdsGlobalAdministrator,
  isValidRelationshipDuration,
  newGraphEtag,
  newRelationshipId,
  observeRelationship,
  sameRoles,
  settleRelationship,
  touch,
} from "../gdapLifecycle";
import {
  GRAPH_ROOT,
  graphBase,
  operationView,
  RELATIONSHIPS_ROUTE,
  relationshipEntity,
  relationshipRequestView,
  relationshipsContext,
  relationshipView,
} from "../gdapViews";
import { GraphErrorCode, graphError } from "../graphError";
import { checkIfMatch, readGraphBody } from "../graphInput";
import type { GdapRelationship, GdapRelationshipRequest, GdapRole } from "../model";
import { pageOf, readODataListQuery } from "../odataQuery";
import { GUID_PATTERN } from "../readInput";

/** Properties the relationship list filters on [the provider's lookups need the first two; the rest are as cheap]. */
const FILTERABLE = ["customer/tenantId", "displayName", "status", "id", "customer/displayName"] as const;

/** The value a filter property names on a relationship. */
function propertyOf(relationship: GdapRelationship, property: (typeof FILTERABLE)[number]): string {
  switch (property) {
    case "customer/tenantId":
      return relationship.customer.tenantId;
    case "customer/displayName":
      return relationship.customer.displayName;
    case "displayName":
      return relationship.displayName;
    case "status":
      return relationship.status;
    case "id":
      return relationship.id;
  }
}

/** The relationship of an id (settled), or Graph's 404 [inferred code `NotFound`]. */
export function findRelationship(ctx: EmulatorContext, id: string): GdapRelationship {
  const relationship = ctx.store.getRelationship(id);
  if (!relationship) {
    throw graphError(404, GraphErrorCode.notFound, `The delegated admin relationship '${id}' was not found.`);
  }
  return relationship;
}

/** 400 unless the relationship is in one of `statuses` [inferred code; MS for which statuses allow what]. */
function requireStatus(relationship: GdapRelationship, statuses: readonly string[], what: string): void {
  if (!statuses.includes(relationship.status)) {
    throw graphError(
      400,
      GraphErrorCode.badRequest,
      `${what} is not allowed while the relationship is ${relationship.status} (allowed: ${statuses.join(", ")}).`,
    );
  }
}

/** 400 for a duration outside P1D..P730D [MS: "between P1D and P2Y inclusive"]. */
function requireDuration(duration: string): void {
  if (!isValidRelationshipDuration(duration)) {
    throw graphError(400, GraphErrorCode.badRequest, `The duration '${duration}' must be between P1D and P730D.`);
  }
}

/** 400 for a role id that is not a GUID [inferred: Graph takes role template IDs only]. */
function requireRoleIds(roles: readonly GdapRole[]): void {
  const bad = roles.find((role) => !GUID_PATTERN.test(role.roleDefinitionId));
  if (bad) {
    throw graphError(400, GraphErrorCode.badRequest, `'${bad.roleDefinitionId}' is not a role template ID.`);
  }
}

/** 400 when Global Administrator would auto-extend [MS: a relationship holding it cannot auto-extend]. */
function requireNoGlobalAdministratorExtension(roles: readonly GdapRole[], autoExtendDuration: string): void {
  if (autoExtendDuration === AUTO_EXTEND_DURATION && holdsGlobalAdministrator(roles)) {
    throw graphError(
      400,
      GraphErrorCode.badRequest,
      "A relationship with the Global Administrator role cannot be extended automatically: set autoExtendDuration to PT0S.",
    );
  }
}

/**
 * 409 when another of the partner's relationships has the name [MS: "Must be unique across all delegated admin
 * relationships of the partner"; inferred: status 409 and code `Conflict`, compared in any case, terminated and
 * expired relationships included since they stay listed].
 */
function requireUniqueName(ctx: EmulatorContext, displayName: string, except?: string): void {
  const taken = ctx.store
    .listRelationships()
    .some(
      (relationship) =>
        relationship.id !== except && relationship.displayName.toLowerCase() === displayName.toLowerCase(),
    );
  if (taken) {
    throw graphError(
      409,
      GraphErrorCode.conflict,
      `A delegated admin relationship named '${displayName}' already exists: display names must be unique.`,
    );
  }
}

/** Sends a single relationship with its ETag header (Graph puts the version in the body; the header is as cheap). */
function sendRelationship(
  ctx: EmulatorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  relationship: GdapRelationship,
  headers: Record<string, string> = {},
): FastifyReply {
  return ctx.send(request, reply, status, relationshipEntity(graphBase(request), relationship), {
    ETag: relationship.etag,
    ...headers,
  });
}

/** Registers the relationship, request and operation routes. */
export function registerGdapRelationshipRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const graph = { config: { graphAuth: "any" as const } };
  type ById = { Params: { id: string } };

  app.get(RELATIONSHIPS_ROUTE, graph, async (request, reply) => {
    const query = readODataListQuery(request.url, FILTERABLE);
    let changed = false;
    const matching = ctx.store.listRelationships().filter((relationship) => {
      // Time-based steps first, so a filter on status sees the status the item will show.
      changed = settleRelationship(ctx, relationship) || changed;
      return query.filter.every((term) => {
        const value = propertyOf(relationship, term.property as (typeof FILTERABLE)[number]);
        // [inferred] eq compares in any case: ids are GUIDs, and names are unique in any case.
        return value.toLowerCase() === term.value.toLowerCase();
      });
    });
    const { page, nextQuery } = pageOf(matching, query, (relationship) => relationship.id);
    for (const relationship of page) changed = observeRelationship(ctx, relationship) || changed;
    if (changed) await ctx.persist();
    const base = graphBase(request);
    return ctx.send(request, reply, 200, {
      "@odata.context": relationshipsContext(base),
      value: page.map(relationshipView),
      ...(nextQuery ? { "@odata.nextLink": `${base}${RELATIONSHIPS_ROUTE}?${nextQuery}` } : {}),
    });
  });

  app.post(RELATIONSHIPS_ROUTE, graph, async (request, reply) => {
    const input = readGraphBody(CreateRelationshipRequestSchema, request.body);
    requireDuration(input.duration);
    requireRoleIds(input.accessDetails.unifiedRoles);
    const autoExtendDuration = input.autoExtendDuration ?? NO_AUTO_EXTEND;
    requireNoGlobalAdministratorExtension(input.accessDetails.unifiedRoles, autoExtendDuration);
    // [MS] `customer` is optional (a customer may be named only at approval); the emulator invites known tenants only.
    const tenantId = input.customer?.tenantId ?? "";
    const customer = GUID_PATTERN.test(tenantId) ? ctx.store.getCustomer(tenantId) : undefined;
    if (!customer) {
      // [inferred] Graph accepts any tenant (the customer's admin approves through the link); the emulator knows only
      // its own customers' tenants, so another is refused as an invalid tenant id, with 400.
      throw graphError(
        400,
        GraphErrorCode.badRequest,
        `The customer tenant '${tenantId}' is not a tenant this partner can invite (the emulator needs customer.tenantId).`,
      );
    }
    requireUniqueName(ctx, input.displayName);
    const now = new Date().toISOString();
    const relationship: GdapRelationship = {
      id: newRelationshipId(),
      etag: newGraphEtag(),
      displayName: input.displayName,
      duration: input.duration,
      // [MS] the customer's display name is the tenant's, as Entra has it, not the one the partner sent.
      customer: {
        tenantId: customer.companyProfile.tenantId,
        displayName: customer.companyProfile.companyName ?? customer.billingProfile.companyName,
      },
      accessDetails: { unifiedRoles: input.accessDetails.unifiedRoles.map((role) => ({ ...role })) },
      status: "created",
      autoExtendDuration,
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    ctx.store.addRelationship(relationship);
    await ctx.persist();
    return sendRelationship(ctx, request, reply, 201, relationship, {
      Location: `${graphBase(request)}${RELATIONSHIPS_ROUTE}/${relationship.id}`,
    });
  });

  app.get<ById>(`${RELATIONSHIPS_ROUTE}/:id`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    if (observeRelationship(ctx, relationship)) await ctx.persist();
    return sendRelationship(ctx, request, reply, 200, relationship);
  });

  app.patch<ById>(`${RELATIONSHIPS_ROUTE}/:id`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    if (settleRelationship(ctx, relationship)) await ctx.persist();
    checkIfMatch(request, relationship.etag);
    const input = readGraphBody(UpdateRelationshipRequestSchema, request.body);
    const next = {
      displayName: input.displayName ?? relationship.displayName,
      duration: input.duration ?? relationship.duration,
      roles: input.accessDetails?.unifiedRoles ?? relationship.accessDetails.unifiedRoles,
      autoExtendDuration: input.autoExtendDuration ?? relationship.autoExtendDuration,
    };
    const changes = {
      displayName: next.displayName !== relationship.displayName,
      duration: next.duration !== relationship.duration,
      roles: !sameRoles(next.roles, relationship.accessDetails.unifiedRoles),
      autoExtendDuration: next.autoExtendDuration !== relationship.autoExtendDuration,
    };
    if (relationship.status === "active") {
      // [MS] Once active only autoExtendDuration may change. [inferred] A property sent with its current value is
      // not a change, so a client that sends the whole object back is not refused. (Microsoft also lets an active
      // relationship drop Global Administrator as a long-running operation; the emulator does not play that.)
      const refused = Object.entries(changes).find(([name, changed]) => changed && name !== "autoExtendDuration");
      if (refused) {
        throw graphError(
          400,
          GraphErrorCode.badRequest,
          `'${refused[0] === "roles" ? "accessDetails" : refused[0]}' cannot change once the relationship is active: only autoExtendDuration can.`,
        );
      }
    } else {
      requireStatus(relationship, ["created"], "Updating the relationship");
    }
    requireDuration(next.duration);
    requireRoleIds(next.roles);
    requireNoGlobalAdministratorExtension(next.roles, next.autoExtendDuration);
    if (changes.displayName) requireUniqueName(ctx, next.displayName, relationship.id);
    if (Object.values(changes).some(Boolean)) {
      relationship.displayName = next.displayName;
      relationship.duration = next.duration;
      relationship.accessDetails = { unifiedRoles: next.roles.map((role) => ({ ...role })) };
      relationship.autoExtendDuration = next.autoExtendDuration;
      touch(relationship);
      await ctx.persist();
    }
    return sendRelationship(ctx, request, reply, 200, relationship);
  });

  app.delete<ById>(`${RELATIONSHIPS_ROUTE}/:id`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    if (settleRelationship(ctx, relationship)) await ctx.persist();
    checkIfMatch(request, relationship.etag);
    // [MS] "A relationship can only be deleted if it's in the created status."
    requireStatus(relationship, ["created"], "Deleting the relationship");
    ctx.store.removeRelationship(relationship.id);
    await ctx.persist();
    return ctx.send(request, reply, 204);
  });

  app.post<ById>(`${RELATIONSHIPS_ROUTE}/:id/requests`, graph, async (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    if (settleRelationship(ctx, relationship)) await ctx.persist();
    const { action } = readGraphBody(RelationshipActionRequestSchema, request.body);
    if (action === "approve" || action === "reject") {
      // [MS] The partner may lockForApproval or terminate; approving and rejecting are the customer's, in the admin
      // center. [inferred] 403 with `Forbidden`.
      throw graphError(
        403,
        GraphErrorCode.forbidden,
        `Only the customer can ${action} a relationship, through the approval link in the Microsoft 365 admin center.`,
      );
    }
    const now = new Date().toISOString();
    if (action === "lockForApproval") {
      requireStatus(relationship, ["created"], "lockForApproval");
      relationship.status = "approvalPending";
      relationship.lockedDateTime = now;
    } else {
      // [inferred] An invitation not yet approved may be withdrawn like an active relationship.
      requireStatus(relationship, ["active", "approvalPending"], "terminate");
      relationship.status = "terminationRequested";
      relationship.shown = false;
    }
    touch(relationship, now);
    const record: GdapRelationshipRequest = {
      id: randomUUID(),
      relationshipId: relationship.id,
      action,
      // Applied at once: later reads of the request say so; the create answer says `created` [MS example].
      status: "succeeded",
      createdDateTime: now,
      lastModifiedDateTime: now,
    };
    ctx.store.addRelationshipRequest(record);
    await ctx.persist();
    const base = graphBase(request);
    return ctx.send(
      request,
      reply,
      201,
      {
        "@odata.context": `${base}${GRAPH_ROOT}/tenantRelationships/$metadata#requests`,
        ...relationshipRequestView(record, "created"),
      },
      { Location: `${base}${RELATIONSHIPS_ROUTE}/${relationship.id}/requests/${record.id}` },
    );
  });

  app.get<ById>(`${RELATIONSHIPS_ROUTE}/:id/requests`, graph, (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    return ctx.send(request, reply, 200, {
      "@odata.context": `${graphBase(request)}${GRAPH_ROOT}/tenantRelationships/$metadata#requests`,
      value: ctx.store.listRelationshipRequests(relationship.id).map((record) => relationshipRequestView(record)),
    });
  });

  app.get<{ Params: { id: string; requestId: string } }>(
    `${RELATIONSHIPS_ROUTE}/:id/requests/:requestId`,
    graph,
    (request, reply) => {
      const relationship = findRelationship(ctx, request.params.id);
      const record = ctx.store
        .listRelationshipRequests(relationship.id)
        .find((candidate) => candidate.id.toLowerCase() === request.params.requestId.toLowerCase());
      if (!record) {
        throw graphError(404, GraphErrorCode.notFound, `The request '${request.params.requestId}' was not found.`);
      }
      return ctx.send(request, reply, 200, relationshipRequestView(record));
    },
  );

  app.get<ById>(`${RELATIONSHIPS_ROUTE}/:id/operations`, graph, (request, reply) => {
    const relationship = findRelationship(ctx, request.params.id);
    return ctx.send(request, reply, 200, {
      "@odata.context": `${graphBase(request)}${GRAPH_ROOT}/tenantRelationships/$metadata#operations`,
      value: ctx.store.listOperations(relationship.id).map(operationView),
    });
  });

  app.get<{ Params: { id: string; operationId: string } }>(
    `${RELATIONSHIPS_ROUTE}/:id/operations/:operationId`,
    graph,
    (request, reply) => {
      const relationship = findRelationship(ctx, request.params.id);
      const operation = ctx.store
        .listOperations(relationship.id)
        .find((candidate) => candidate.id.toLowerCase() === request.params.operationId.toLowerCase());
      if (!operation) {
        throw graphError(404, GraphErrorCode.notFound, `The operation '${request.params.operationId}' was not found.`);
      }
      return ctx.send(request, reply, 200, operationView(operation), { ETag: operation.etag });
    },
  );
}

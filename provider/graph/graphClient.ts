import type { z } from "zod";
import {
  type PartnerCenterClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "../foundation/clientOptions";
import { createGotTransport, type HttpTransport } from "../foundation/httpTransport";
import { parseResponse, validateRequest } from "../foundation/parseWire";
import { PartnerCenterError } from "../foundation/partnerCenterError";
import { pathSegment } from "../foundation/pathSegment";
import {
  executeRequest,
  type OperationOptions,
  type RawResult,
  type RefreshState,
  type RequestSpec,
} from "../foundation/requestPipeline";
import type * as GdapSchemas from "../schemas/gdap";
import type {
  AccessAssignment,
  CreateAccessAssignmentRequest,
  CreateRelationshipRequest,
  Relationship,
  RelationshipAction,
  UpdateRelationshipRequest,
} from "../schemas/gdap";

/** The wire schemas, loaded by the first call (as the Partner Center client does: zod is slow to load). */
function wire(): typeof GdapSchemas {
  return require("../schemas/gdap");
}

/** Options of the {@link GraphClient} constructor: the Partner Center client's, without `locale` and `service`. */
export type GraphClientOptions = Omit<PartnerCenterClientOptions, "service" | "locale" | "cloud">;

/** Filters of {@link GraphClient.listRelationships} (OData `$filter`, joined with `and`). */
export interface RelationshipFilter {
  /** Only relationships with this customer tenant (`customer/tenantId eq '…'`). */
  customerTenantId?: string;
  /** Only the relationship with this display name (`displayName eq '…'`): names are unique per partner. */
  displayName?: string;
}

/** Pages followed at most by a list: a partner with more relationships for one filter is not one we can reason on. */
const MAX_PAGES = 50;

/**
 * A typed client for the Microsoft Graph operations of granular delegated admin privileges (GDAP): relationships,
 * their requests (lock for approval, terminate) and their access assignments. It knows nothing of Pulumi and is a
 * peer of the Partner Center client: both run on `foundation/` (one error type, one request pipeline).
 *
 * Graph has no idempotency key: a create whose answer is lost may have happened. Callers find such a create again
 * by its display name, unique across the partner's relationships (`resources/gdapRelationshipCreate.ts`).
 */
export class GraphClient {
  /** The resolved options (defaults applied; `service` is `graph`). */
  readonly options: ResolvedClientOptions;
  private readonly transport: HttpTransport;
  private readonly refreshState: RefreshState = {};

  /** Creates a client; nothing is loaded or sent until the first call. */
  constructor(options: GraphClientOptions & { endpoint: string }) {
    this.options = resolveClientOptions({ ...options, service: "graph" });
    this.transport = createGotTransport({
      prefixUrl: this.options.apiRoot,
      certificateAuthority: this.options.https?.certificateAuthority,
    });
  }

  /** Lists relationships, every page. `GET …/delegatedAdminRelationships?$filter=…`. */
  async listRelationships(filter: RelationshipFilter = {}, options: OperationOptions = {}): Promise<Relationship[]> {
    const clauses = [
      filter.customerTenantId !== undefined && `customer/tenantId eq ${odataString(filter.customerTenantId)}`,
      filter.displayName !== undefined && `displayName eq ${odataString(filter.displayName)}`,
    ].filter((clause): clause is string => typeof clause === "string");
    const query = clauses.length > 0 ? `?$filter=${encodeURIComponent(clauses.join(" and "))}` : "";
    const operation = `Listing GDAP relationships${describeFilter(filter)}`;
    return this.collect(wire().RelationshipSchema, `${wire().RELATIONSHIPS_PATH}${query}`, operation, options);
  }

  /** Reads one relationship. `GET …/delegatedAdminRelationships/{id}`. */
  async getRelationship(id: string, options: OperationOptions = {}): Promise<Relationship> {
    const operation = `Reading GDAP relationship ${id}`;
    const result = await this.send(
      { operation, method: "GET", path: wire().RELATIONSHIP_PATH(pathSegment(id, operation)) },
      options,
    );
    return this.parse(wire().RelationshipSchema, result, operation);
  }

  /** Creates a relationship (status `created`). `POST …/delegatedAdminRelationships`. Not idempotent (see class). */
  async createRelationship(request: CreateRelationshipRequest, options: OperationOptions = {}): Promise<Relationship> {
    const operation = `Creating GDAP relationship "${request?.displayName}"`;
    const body = validateRequest(wire().CreateRelationshipRequestSchema, request, operation);
    const result = await this.send({ operation, method: "POST", path: wire().RELATIONSHIPS_PATH, body }, options);
    return this.parse(wire().RelationshipSchema, result, operation);
  }

  /**
   * Updates a relationship: every property while `created`, only `autoExtendDuration` while `active` [MS].
   * `PATCH …/{id}` with `If-Match`.
   */
  async updateRelationship(
    id: string,
    request: UpdateRelationshipRequest,
    etag: string,
    options: OperationOptions = {},
  ): Promise<Relationship> {
    const operation = `Updating GDAP relationship ${id}`;
    const body = validateRequest(wire().UpdateRelationshipRequestSchema, request, operation);
    const result = await this.send(
      {
        operation,
        method: "PATCH",
        path: wire().RELATIONSHIP_PATH(pathSegment(id, operation)),
        body,
        headers: { "if-match": etag },
      },
      options,
    );
    // Graph may answer 204 with no body, or 202 with a long-running operation (removing Global Administrator):
    // the relationship itself is then read.
    if (result.json === undefined || result.statusCode === 202) return this.getRelationship(id, options);
    return this.parse(wire().RelationshipSchema, result, operation);
  }

  /** Deletes a relationship that was never locked for approval (status `created`) [MS]. `DELETE …/{id}`. */
  async deleteRelationship(id: string, etag: string, options: OperationOptions = {}): Promise<void> {
    const operation = `Deleting GDAP relationship ${id}`;
    await this.send(
      {
        operation,
        method: "DELETE",
        path: wire().RELATIONSHIP_PATH(pathSegment(id, operation)),
        headers: { "if-match": etag },
      },
      options,
    );
  }

  /** Asks for an action on a relationship: `lockForApproval` or `terminate`. `POST …/{id}/requests`. */
  async requestRelationshipAction(
    id: string,
    action: "lockForApproval" | "terminate",
    options: OperationOptions = {},
  ): Promise<RelationshipAction> {
    const operation = action === "terminate" ? `Terminating GDAP relationship ${id}` : `Locking ${id} for approval`;
    const body = validateRequest(wire().RelationshipActionRequestSchema, { action }, operation);
    const result = await this.send(
      { operation, method: "POST", path: wire().RELATIONSHIP_REQUESTS_PATH(pathSegment(id, operation)), body },
      options,
    );
    return this.parse(wire().RelationshipActionSchema, result, operation);
  }

  /** Lists a relationship's access assignments. `GET …/{id}/accessAssignments`. */
  async listAccessAssignments(relationshipId: string, options: OperationOptions = {}): Promise<AccessAssignment[]> {
    const operation = `Listing the access assignments of GDAP relationship ${relationshipId}`;
    const path = wire().ACCESS_ASSIGNMENTS_PATH(pathSegment(relationshipId, operation));
    return this.collect(wire().AccessAssignmentSchema, path, operation, options);
  }

  /** Reads one access assignment. `GET …/{id}/accessAssignments/{assignmentId}`. */
  async getAccessAssignment(
    relationshipId: string,
    assignmentId: string,
    options: OperationOptions = {},
  ): Promise<AccessAssignment> {
    const operation = `Reading access assignment ${assignmentId} of GDAP relationship ${relationshipId}`;
    const path = wire().ACCESS_ASSIGNMENT_PATH(
      pathSegment(relationshipId, operation),
      pathSegment(assignmentId, operation),
    );
    const result = await this.send({ operation, method: "GET", path }, options);
    return this.parse(wire().AccessAssignmentSchema, result, operation);
  }

  /** Assigns roles of an active relationship to a partner security group. `POST …/{id}/accessAssignments`. */
  async createAccessAssignment(
    relationshipId: string,
    request: CreateAccessAssignmentRequest,
    options: OperationOptions = {},
  ): Promise<AccessAssignment> {
    const operation = `Assigning GDAP roles of relationship ${relationshipId} to group ${request?.accessContainer?.accessContainerId}`;
    const body = validateRequest(wire().CreateAccessAssignmentRequestSchema, request, operation);
    const path = wire().ACCESS_ASSIGNMENTS_PATH(pathSegment(relationshipId, operation));
    const result = await this.send({ operation, method: "POST", path, body }, options);
    return this.parse(wire().AccessAssignmentSchema, result, operation);
  }

  /** Changes an access assignment's roles. `PATCH …/accessAssignments/{assignmentId}` with `If-Match`. */
  async updateAccessAssignment(
    relationshipId: string,
    assignmentId: string,
    roleIds: readonly string[],
    etag: string,
    options: OperationOptions = {},
  ): Promise<AccessAssignment> {
    const operation = `Updating access assignment ${assignmentId} of GDAP relationship ${relationshipId}`;
    const body = validateRequest(
      wire().UpdateAccessAssignmentRequestSchema,
      { accessDetails: { unifiedRoles: roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) } },
      operation,
    );
    const path = wire().ACCESS_ASSIGNMENT_PATH(
      pathSegment(relationshipId, operation),
      pathSegment(assignmentId, operation),
    );
    const result = await this.send({ operation, method: "PATCH", path, body, headers: { "if-match": etag } }, options);
    // [MS] an update answers 202 Accepted and runs as a `delegatedAdminRelationshipOperation`: read the assignment.
    if (result.json === undefined || result.statusCode === 202) {
      return this.getAccessAssignment(relationshipId, assignmentId, options);
    }
    return this.parse(wire().AccessAssignmentSchema, result, operation);
  }

  /** Removes an access assignment. `DELETE …/accessAssignments/{assignmentId}` with `If-Match`. */
  async deleteAccessAssignment(
    relationshipId: string,
    assignmentId: string,
    etag: string,
    options: OperationOptions = {},
  ): Promise<void> {
    const operation = `Removing access assignment ${assignmentId} of GDAP relationship ${relationshipId}`;
    const path = wire().ACCESS_ASSIGNMENT_PATH(
      pathSegment(relationshipId, operation),
      pathSegment(assignmentId, operation),
    );
    await this.send({ operation, method: "DELETE", path, headers: { "if-match": etag } }, options);
  }

  private send(spec: RequestSpec, options: OperationOptions): Promise<RawResult> {
    return executeRequest(spec, options, this.options, this.transport, this.refreshState);
  }

  private parse<T extends z.ZodType>(schema: T, result: RawResult, operation: string): z.output<T> {
    return parseResponse(schema, result.json, {
      operation,
      requestId: result.requestId,
      correlationId: result.correlationId,
      statusCode: result.statusCode,
    });
  }

  /** Every item of an OData collection, following `@odata.nextLink` (same origin only). */
  private async collect<T extends z.ZodType>(
    item: T,
    firstPath: string,
    operation: string,
    options: OperationOptions,
  ): Promise<z.output<T>[]> {
    const schema = wire().graphCollectionSchema(item);
    const items: z.output<T>[] = [];
    let path: string | undefined = firstPath;
    for (let page = 0; path !== undefined; page++) {
      if (page >= MAX_PAGES) {
        throw new PartnerCenterError({
          kind: "invalid_response",
          operation,
          description: `Microsoft Graph returned more than ${MAX_PAGES} pages`,
          isRetryable: false,
        });
      }
      const result = await this.send({ operation, method: "GET", path }, options);
      const parsed = this.parse(schema, result, operation) as {
        value: z.output<T>[];
        "@odata.nextLink"?: string | null;
      };
      items.push(...parsed.value);
      path = nextLink(parsed["@odata.nextLink"], this.options.apiRoot, operation);
    }
    return items;
  }
}

/** A next-page link, checked to stay on the API's origin (a link elsewhere would carry our token away). */
function nextLink(link: string | null | undefined, apiRoot: string, operation: string): string | undefined {
  if (!link) return undefined;
  const url = new URL(link, apiRoot);
  if (url.origin !== new URL(apiRoot).origin) {
    throw new PartnerCenterError({
      kind: "invalid_response",
      operation,
      description: `Microsoft Graph's next-page link points to another host (${url.origin}); not followed`,
      isRetryable: false,
    });
  }
  return url.toString();
}

/** An OData string literal: single quotes doubled. */
function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function describeFilter(filter: RelationshipFilter): string {
  const parts = [
    filter.customerTenantId && `customer ${filter.customerTenantId}`,
    filter.displayName && `named "${filter.displayName}"`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

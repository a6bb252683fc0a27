/**
 * The wire shapes of granular delegated admin privileges (GDAP) in Microsoft Graph v1.0:
 * `tenantRelationships/delegatedAdminRelationships`, their `requests` (lock for approval, terminate) and their
 * `accessAssignments`. The emulator (`emulator/routes/gdap.ts`) imports this module, so it serves what the provider
 * reads.
 *
 * Unlike the MCA attestation, Microsoft documents this API fully (Graph reference pages
 * `delegatedadminrelationship`, `tenantrelationship-post-delegatedadminrelationships`,
 * `delegatedadminrelationship-update`, `delegatedadminrelationship-post-requests`,
 * `delegatedadminrelationship-post-accessassignments`, `delegatedadminaccessassignment-update`). What is not in the
 * Graph reference is marked, as in `attestation.ts`:
 * - `[MS]` Microsoft's Graph reference (or Partner Center's own docs, named);
 * - `[3P]` integrators (CIPP, CloudBlue), not Microsoft;
 * - `[inferred]` our reading, stated by nobody.
 */
import { z } from "zod";
import { MAX_DISPLAY_NAME_LENGTH } from "./gdapLimits";

export { GLOBAL_ADMINISTRATOR_ROLE_ID, MAX_DISPLAY_NAME_LENGTH, MAX_DURATION_DAYS } from "./gdapLimits";

/** `…/v1.0/tenantRelationships/delegatedAdminRelationships` [MS], relative to the Graph version root. */
export const RELATIONSHIPS_PATH = "tenantRelationships/delegatedAdminRelationships";
/** One relationship [MS]. */
export const RELATIONSHIP_PATH = (id: string) => `${RELATIONSHIPS_PATH}/${id}`;
/** Actions on a relationship: `POST …/{id}/requests` [MS]. */
export const RELATIONSHIP_REQUESTS_PATH = (id: string) => `${RELATIONSHIP_PATH(id)}/requests`;
/** Access assignments of a relationship [MS]. */
export const ACCESS_ASSIGNMENTS_PATH = (id: string) => `${RELATIONSHIP_PATH(id)}/accessAssignments`;
/** One access assignment [MS]. */
export const ACCESS_ASSIGNMENT_PATH = (id: string, assignmentId: string) =>
  `${ACCESS_ASSIGNMENTS_PATH(id)}/${assignmentId}`;

/** The Graph version segment the provider speaks [MS]: v1.0, not beta. */
export const GRAPH_VERSION = "v1.0";

/**
 * The customer's approval link [MS: Graph's GDAP API overview gives the template; Partner Center's UI shows it]:
 * Partner Center shows the partner
 * `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{id}` to e-mail to the
 * customer; integrators (CIPP) build the same link. Graph itself returns no link. The relationship ID is in the
 * fragment, so the page (not the server) reads it.
 */
export const APPROVAL_LINK_PATH = "/AdminPortal/Home";
/** The fragment before the relationship ID [MS]. */
export const APPROVAL_LINK_FRAGMENT = "#/partners/invitation/granularAdminRelationships/";

/** Builds the approval link of a relationship on a base such as `https://admin.microsoft.com`. */
export function approvalLink(base: string, relationshipId: string): string {
  const url = new URL(APPROVAL_LINK_PATH, base.endsWith("/") ? base : `${base}/`);
  return `${url.toString()}${APPROVAL_LINK_FRAGMENT}${encodeURIComponent(relationshipId)}`;
}

/**
 * The name Partner Center gives the Default GDAP relationship it creates with a customer [3P: integrators check
 * `displayName.startsWith("Default_")`]. What follows the prefix is not documented; the emulator uses the customer's
 * domain prefix [inferred].
 */
export const DEFAULT_RELATIONSHIP_PREFIX = "Default_";

/** `delegatedAdminRelationshipStatus` [MS]. `unknownFutureValue` is Graph's evolvable-enum sentinel. */
export const RELATIONSHIP_STATUSES = [
  "activating",
  "active",
  "approvalPending",
  "approved",
  "created",
  "expired",
  "expiring",
  "terminated",
  "terminating",
  "terminationRequested",
  "unknownFutureValue",
] as const;
/** A {@link RELATIONSHIP_STATUSES} value. */
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

/** `delegatedAdminAccessAssignmentStatus` [MS]. */
export const ACCESS_ASSIGNMENT_STATUSES = ["pending", "active", "deleting", "deleted", "error"] as const;

/** `autoExtendDuration` values Graph takes [MS]: `PT0S`/`P0D` (no extension, the default) or `P180D`. */
export const AUTO_EXTEND_DURATION = "P180D";
/** No automatic extension [MS]. */
export const NO_AUTO_EXTEND = "PT0S";
/** The other spelling of no extension [MS]. */
export const NO_AUTO_EXTEND_DAYS = "P0D";

/** `unifiedRole` [MS]: one Microsoft Entra role, by its template ID. */
const UnifiedRoleSchema = z.looseObject({ roleDefinitionId: z.string() });
/** `delegatedAdminAccessDetails` [MS]. */
export const AccessDetailsSchema = z.looseObject({ unifiedRoles: z.array(UnifiedRoleSchema) });
/** A `delegatedAdminAccessDetails` value. */
export type AccessDetails = z.infer<typeof AccessDetailsSchema>;

/** `delegatedAdminRelationshipCustomerParticipant` [MS]. */
const CustomerParticipantSchema = z.looseObject({
  tenantId: z.string(),
  displayName: z.string().nullish(),
});

/** A `delegatedAdminRelationship` as Graph answers it [MS: every field]. */
export const RelationshipSchema = z.looseObject({
  /** [MS] OData ETag; `PATCH` and `DELETE` need it in `If-Match`. */
  "@odata.etag": z.string().nullish(),
  id: z.string(),
  displayName: z.string(),
  /** [MS] ISO 8601 duration, e.g. `P730D`. */
  duration: z.string(),
  customer: CustomerParticipantSchema.nullish(),
  accessDetails: AccessDetailsSchema,
  /** [MS] {@link RELATIONSHIP_STATUSES}; read as a string so a new value is reported, not rejected. */
  status: z.string(),
  autoExtendDuration: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  activatedDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
});
/** A `delegatedAdminRelationship`. */
export type Relationship = z.infer<typeof RelationshipSchema>;

/** [MS] an ISO 8601 duration from `P1D` to `P2Y`; the provider sends whole days, others may send years. */
const DURATION = z.string().regex(/^P(\d+D|[12]Y)$/);
/** [MS] `PT0S` or `P0D` (no extension, the default) or `P180D`. */
const AUTO_EXTEND = z.enum([AUTO_EXTEND_DURATION, NO_AUTO_EXTEND, NO_AUTO_EXTEND_DAYS]);

/** Body of `POST …/delegatedAdminRelationships` [MS: the properties the create takes]. */
export const CreateRelationshipRequestSchema = z.strictObject({
  displayName: z.string().min(1).max(MAX_DISPLAY_NAME_LENGTH),
  duration: DURATION,
  /** [MS] optional: a relationship may name its customer only at approval; the provider always names it. */
  customer: z.strictObject({ tenantId: z.string().min(1), displayName: z.string().optional() }).optional(),
  accessDetails: z.strictObject({
    unifiedRoles: z.array(z.strictObject({ roleDefinitionId: z.string().min(1) })).min(1),
  }),
  autoExtendDuration: AUTO_EXTEND.optional(),
});
/** Body of the relationship create. */
export type CreateRelationshipRequest = z.infer<typeof CreateRelationshipRequestSchema>;

/**
 * Body of `PATCH …/delegatedAdminRelationships/{id}` [MS]: every property while `created`; only
 * `autoExtendDuration` while `active`. Needs `If-Match`.
 */
export const UpdateRelationshipRequestSchema = z.strictObject({
  displayName: z.string().min(1).max(MAX_DISPLAY_NAME_LENGTH).optional(),
  duration: DURATION.optional(),
  customer: z.strictObject({ tenantId: z.string().min(1), displayName: z.string().optional() }).optional(),
  accessDetails: CreateRelationshipRequestSchema.shape.accessDetails.optional(),
  autoExtendDuration: AUTO_EXTEND.optional(),
});
/** Body of the relationship update. */
export type UpdateRelationshipRequest = z.infer<typeof UpdateRelationshipRequestSchema>;

/** `delegatedAdminRelationshipRequestAction` [MS]. `approve` is the customer's, never the partner's. */
export const RELATIONSHIP_ACTIONS = ["lockForApproval", "approve", "terminate", "reject"] as const;
/** Body of `POST …/{id}/requests` [MS]. */
export const RelationshipActionRequestSchema = z.strictObject({ action: z.enum(RELATIONSHIP_ACTIONS) });
/** A `delegatedAdminRelationshipRequest` as Graph answers it [MS]. */
export const RelationshipActionSchema = z.looseObject({
  id: z.string(),
  action: z.string(),
  /** [MS] `created`, `pending`, `succeeded`, `failed`. */
  status: z.string(),
  createdDateTime: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
});
/** A relationship request. */
export type RelationshipAction = z.infer<typeof RelationshipActionSchema>;

/** `delegatedAdminAccessContainer` [MS]: today only security groups of the partner's tenant. */
const AccessContainerSchema = z.looseObject({
  accessContainerId: z.string(),
  accessContainerType: z.string(),
});

/** A `delegatedAdminAccessAssignment` as Graph answers it [MS]. */
export const AccessAssignmentSchema = z.looseObject({
  "@odata.etag": z.string().nullish(),
  id: z.string(),
  /** [MS] {@link ACCESS_ASSIGNMENT_STATUSES}. */
  status: z.string(),
  accessContainer: AccessContainerSchema,
  accessDetails: AccessDetailsSchema,
  createdDateTime: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
});
/** A `delegatedAdminAccessAssignment`. */
export type AccessAssignment = z.infer<typeof AccessAssignmentSchema>;

/** Body of `POST …/{id}/accessAssignments` [MS]. */
export const CreateAccessAssignmentRequestSchema = z.strictObject({
  accessContainer: z.strictObject({
    accessContainerId: z.string().min(1),
    accessContainerType: z.literal("securityGroup"),
  }),
  accessDetails: CreateRelationshipRequestSchema.shape.accessDetails,
});
/** Body of the access-assignment create. */
export type CreateAccessAssignmentRequest = z.infer<typeof CreateAccessAssignmentRequestSchema>;

/** Body of `PATCH …/accessAssignments/{id}` [MS]: the roles only; needs `If-Match`. */
export const UpdateAccessAssignmentRequestSchema = z.strictObject({
  accessDetails: CreateRelationshipRequestSchema.shape.accessDetails,
});

/** An OData collection page [MS]. */
export function graphCollectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ value: z.array(item), "@odata.nextLink": z.string().nullish() });
}

/** Graph's error body [MS, "Microsoft Graph error responses"]: `{ error: { code, message, innerError } }`. */
export const GraphErrorBodySchema = z.looseObject({
  error: z
    .looseObject({
      code: z.string().nullish(),
      message: z.string().nullish(),
      innerError: z
        .looseObject({
          "request-id": z.string().nullish(),
          "client-request-id": z.string().nullish(),
          date: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

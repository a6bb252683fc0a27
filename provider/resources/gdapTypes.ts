import type { WaitingStatus } from "./waitingOnPerson";

/** What `pulumi destroy` (or a replacement) does with a relationship. */
export type GdapRelationshipDeletionPolicy = "terminate" | "retain";

/** Inputs of a `GdapRelationship` after `check`. */
export interface GdapRelationshipInputs {
  /** The customer's tenant ID (a `PartnerCustomer`'s `tenantId`), lower case. */
  customerTenantId: string;
  /** Unique across the partner's relationships, ≤ 50 characters; derived from the resource when left out. */
  displayName?: string;
  /** Roles as the user wrote them (names or IDs); left out when adopting. */
  roles?: string[];
  /** 1–730; default 730. Left out when adopting. */
  durationDays?: number;
  /** Auto-extend by 180 days at the end; default false (left as it is when adopting). */
  autoExtend?: boolean;
  /** Take over the customer's Default GDAP relationship (no customer approval). */
  adoptDefault?: boolean;
  /** Take over this relationship (by ID), created outside the stack. */
  existingRelationshipId?: string;
  /** Default `terminate` for a relationship the stack created, `retain` for an adopted one. */
  deletionPolicy?: GdapRelationshipDeletionPolicy;
  /** Seconds an `up` of a waiting relationship waits for the approval; default 0. */
  waitForApprovalSeconds?: number;
}

/** Outputs of a `GdapRelationship` in state. */
export interface GdapRelationshipOutputs extends GdapRelationshipInputs {
  /** Graph's relationship ID. */
  relationshipId: string;
  /** The display name in Graph (the input, the derived one, or the adopted relationship's). */
  relationshipName: string;
  /** Where the approval stands (waiting on a person; `completed` = active). */
  status: WaitingStatus;
  /** Graph's own status (`approvalPending`, `active`, `terminationRequested`, …). */
  relationshipStatus: string;
  /** Secret: the customer's approval link, while one is needed. */
  approvalUrl?: string;
  /** The relationship's roles, as template IDs (what access assignments may use). */
  roleIds: string[];
  /** The same roles by name, where known. */
  roleNames: string[];
  /** The relationship's duration in days, as Graph has it. */
  relationshipDurationDays: number;
  /** Whether the stack adopted it (then destroy retains it unless deletionPolicy says terminate). */
  adopted: boolean;
  /** Graph's ETag of the last read (for updates). */
  etag?: string;
  activatedAt?: string;
  endsAt?: string;
  createdAt?: string;
}

/** Inputs of a `GdapAccessAssignment` after `check`. */
export interface GdapAccessAssignmentInputs {
  /** The relationship (a `GdapRelationship`'s `relationshipId`). */
  relationshipId: string;
  /** The partner's security group (object ID), lower case. */
  securityGroupId: string;
  /** Roles as the user wrote them (names or IDs). */
  roles: string[];
  /** The relationship's roles, for the preview's subset check only (never sent). */
  relationshipRoles?: string[];
  /** Seconds an `up` waits for the relationship's approval before assigning; default 0. */
  waitForApprovalSeconds?: number;
}

/** Outputs of a `GdapAccessAssignment` in state. */
export interface GdapAccessAssignmentOutputs extends GdapAccessAssignmentInputs {
  /** Graph's access-assignment ID, once assigned. */
  assignmentId?: string;
  /** `waitingForCustomer` until the relationship is approved and the roles assigned (`completed`). */
  status: WaitingStatus;
  /** Graph's own status (`pending`, `active`, …), once assigned. */
  assignmentStatus?: string;
  /** The assigned roles as template IDs. */
  roleIds: string[];
  etag?: string;
}

import * as pulumi from "@pulumi/pulumi";
import { skipPromiseLeakStacks } from "./skipPromiseLeakStacks";
import { createThinProvider } from "./thinProvider";
import type { WaitingStatus } from "./waitingOnPerson";

/** Type token of {@link GdapAccessAssignment}: `pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment`. */
export const GDAP_ACCESS_ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment";

/** Arguments of {@link GdapAccessAssignment}. */
export interface GdapAccessAssignmentArgs {
  /** Required. The relationship: a `GdapRelationship`'s `relationshipId`. Changing it replaces the resource. */
  relationshipId: pulumi.Input<string>;
  /** Required. Object ID of a security group in your partner tenant. Changing it replaces the resource. */
  securityGroupId: pulumi.Input<string>;
  /** Required. The relationship's roles this group gets, by name or ID. Changes in place. */
  roles: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Optional. The relationship's roles (`relationship.roles`), so preview refuses roles outside them without a
   * request; never sent. Without it the check happens before the assignment is sent. Changes in place.
   */
  relationshipRoles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Optional. Seconds an `up` waits for the relationship's approval before assigning (0–3600). Changes in place. */
  waitForApprovalSeconds?: pulumi.Input<number>;
}

/**
 * A partner security group's access to a customer through a GDAP relationship: the subset of the relationship's roles
 * the group's members get (Graph `delegatedAdminAccessAssignment`). Until the customer approves the relationship it
 * waits (`status` `waitingForCustomer`, nothing assigned); the next `pulumi up` after approval assigns the roles.
 * Roles change in place; destroy removes the assignment.
 */
export class GdapAccessAssignment extends pulumi.dynamic.Resource {
  /** Graph's access-assignment ID, once assigned. */
  declare readonly assignmentId: pulumi.Output<string | undefined>;
  /** `waitingForCustomer` until the roles are assigned, then `completed`. */
  declare readonly status: pulumi.Output<WaitingStatus>;
  /** Graph's status (`pending`, `active`), once assigned. */
  declare readonly assignmentStatus: pulumi.Output<string | undefined>;
  /** The roles as template IDs. */
  declare readonly roleIds: pulumi.Output<string[]>;
  declare readonly relationshipId: pulumi.Output<string>;
  declare readonly securityGroupId: pulumi.Output<string>;
  declare readonly roles: pulumi.Output<string[]>;

  constructor(name: string, args: GdapAccessAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = skipPromiseLeakStacks();
    try {
      super(
        createThinProvider("gdapAccessAssignment"),
        name,
        {
          relationshipRoles: undefined,
          waitForApprovalSeconds: undefined,
          ...args,
          assignmentId: undefined,
          status: undefined,
          assignmentStatus: undefined,
          roleIds: undefined,
        },
        opts,
        "partnercenter",
        "GdapAccessAssignment",
      );
    } finally {
      restoreStacks();
    }
  }
}

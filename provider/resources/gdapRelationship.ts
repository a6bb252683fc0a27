import * as pulumi from "@pulumi/pulumi";
import { CREATE_KEY } from "./createKey";
import type { GdapRelationshipDeletionPolicy } from "./gdapTypes";
import { createKeyOf } from "./partnerCustomer";
import { skipPromiseLeakStacks } from "./skipPromiseLeakStacks";
import { createThinProvider } from "./thinProvider";
import type { WaitingStatus } from "./waitingOnPerson";

/** Type token of {@link GdapRelationship}: `pulumi-nodejs:dynamic/partnercenter:GdapRelationship`. */
export const GDAP_RELATIONSHIP_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapRelationship";

/** Arguments of {@link GdapRelationship}. Credentials come from `partnercenter:*` config (App-only). */
export interface GdapRelationshipArgs {
  /** Required. The customer's tenant ID, e.g. a `PartnerCustomer`'s `tenantId`. Changing it replaces the resource. */
  customerTenantId: pulumi.Input<string>;
  /**
   * Microsoft Entra roles the partner asks for, by name (`Helpdesk Administrator`) or role template ID. Required
   * unless adopting. Global Administrator cannot be combined with `autoExtend`. Changing them replaces the resource
   * (a new relationship the customer approves again: Graph cannot change a locked relationship's roles).
   */
  roles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Optional. 1–730 days; default 730 (Graph's maximum, two years). Changing it replaces the resource. */
  durationDays?: pulumi.Input<number>;
  /**
   * Optional name the customer sees, unique across your relationships, ≤ 50 characters; default: the resource's name
   * and a digest (deterministic, so a lost create is found again). Changing it replaces the resource.
   */
  displayName?: pulumi.Input<string>;
  /** Optional. Extend by 180 days at the end (not with Global Administrator); default false. Changes in place. */
  autoExtend?: pulumi.Input<boolean>;
  /**
   * Optional. Take over the customer's Default GDAP relationship (made by Partner Center with the customer, active
   * without approval) instead of creating one; leave `roles`, `durationDays` and `displayName` out. Changing it
   * replaces the resource.
   */
  adoptDefault?: pulumi.Input<boolean>;
  /** Optional. Take over this relationship by ID (made outside the stack). Changing it replaces the resource. */
  existingRelationshipId?: pulumi.Input<string>;
  /**
   * Optional. `terminate` (default for a relationship the stack created): destroy ends it. `retain` (default for an
   * adopted one): destroy only forgets it. Changes in place.
   */
  deletionPolicy?: pulumi.Input<GdapRelationshipDeletionPolicy>;
  /**
   * Optional. How long a `pulumi up` of a waiting relationship waits for the customer's approval, in seconds (0–3600;
   * default 0). Never applies to the create. Changes in place.
   */
  waitForApprovalSeconds?: pulumi.Input<number>;
}

/**
 * A granular delegated admin (GDAP) relationship with a customer, in Microsoft Graph
 * (`tenantRelationships/delegatedAdminRelationships`).
 *
 * It waits on a person (README, "Waiting on a person"): `pulumi up` creates the relationship, locks it for approval
 * and ends with `status` `waitingForCustomer` and the approval link in the secret output `approvalUrl` — send it to
 * the customer's Global Administrator; the next `pulumi up` after they approved records it (`completed`, Graph's
 * `active`) and makes the access assignments that wait on it. With `adoptDefault` it takes over the Default GDAP
 * relationship Partner Center made with the customer (active at once). Destroy terminates only what the stack made.
 */
export class GdapRelationship extends pulumi.dynamic.Resource {
  /** Graph's relationship ID (what `GdapAccessAssignment.relationshipId` takes). */
  declare readonly relationshipId: pulumi.Output<string>;
  /** The name in Graph. */
  declare readonly relationshipName: pulumi.Output<string>;
  /** `waitingForCustomer`, `completed` (active) or `expired` (expired or terminated). */
  declare readonly status: pulumi.Output<WaitingStatus>;
  /** Graph's status: `approvalPending`, `active`, `terminationRequested`, … */
  declare readonly relationshipStatus: pulumi.Output<string>;
  /** Secret. The link the customer's admin approves the relationship through, while approval is pending. */
  declare readonly approvalUrl: pulumi.Output<string | undefined>;
  /** The relationship's roles as template IDs. */
  declare readonly roleIds: pulumi.Output<string[]>;
  /** The relationship's roles by name. */
  declare readonly roleNames: pulumi.Output<string[]>;
  /** The duration in days, as Graph has it. */
  declare readonly relationshipDurationDays: pulumi.Output<number>;
  /** Whether the stack adopted it rather than created it. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** When the relationship became active. */
  declare readonly activatedAt: pulumi.Output<string | undefined>;
  /** When it ends (activation plus duration; auto-extend moves it). */
  declare readonly endsAt: pulumi.Output<string | undefined>;
  declare readonly customerTenantId: pulumi.Output<string>;
  /** The roles as written (an access assignment's `relationshipRoles` takes them for its preview check). */
  declare readonly roles: pulumi.Output<string[] | undefined>;

  constructor(name: string, args: GdapRelationshipArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = skipPromiseLeakStacks();
    try {
      super(
        createThinProvider("gdapRelationship"),
        name,
        {
          roles: undefined,
          durationDays: undefined,
          displayName: undefined,
          autoExtend: undefined,
          adoptDefault: undefined,
          existingRelationshipId: undefined,
          deletionPolicy: undefined,
          waitForApprovalSeconds: undefined,
          ...args,
          // Hidden: the derived display name is this resource's own (see createKey.ts).
          [CREATE_KEY]: createKeyOf(name, opts?.parent),
          relationshipId: undefined,
          relationshipName: undefined,
          status: undefined,
          relationshipStatus: undefined,
          approvalUrl: undefined,
          roleIds: undefined,
          roleNames: undefined,
          relationshipDurationDays: undefined,
          adopted: undefined,
          activatedAt: undefined,
          endsAt: undefined,
        },
        { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "approvalUrl"] },
        "partnercenter",
        "GdapRelationship",
      );
    } finally {
      restoreStacks();
    }
  }
}

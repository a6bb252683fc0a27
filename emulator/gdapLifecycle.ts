/**
 * The GDAP relationship lifecycle the emulator plays [MS, "GDAP API overview", state diagrams]: `created` →
 * (`lockForApproval`) `approvalPending` → (the customer approves) `active` → (`terminate`) `terminationRequested` →
 * `terminated`; `approvalPending` and `active` may also end `expired`. Access assignments go `pending` → `active`.
 *
 * Microsoft applies some steps in the background. The emulator makes them lazy and observable instead of timed:
 * a transient status (`terminationRequested`, an assignment's `pending`) is shown to one Graph read, and the read after
 * it finds the step done. A client therefore always sees the intermediate state once, and a test needs no clock.
 * Time-based steps (an unanswered invitation, a relationship past its end) are applied when a record is next looked at.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { AUTO_EXTEND_DURATION, GLOBAL_ADMINISTRATOR_ROLE_ID, MAX_DURATION_DAYS } from "../provider/schemas/gdap";
import type { EmulatorContext } from "./emulatorContext";
import type { GdapAccessAssignment, GdapRelationship, GdapRole } from "./model";

/** [MS, GDAP FAQ] "GDAP relationship requests expire after 90 days" when the customer does not act. */
export const INVITATION_LIFETIME_DAYS = 90;
/** [MS] What `autoExtendDuration: P180D` adds to a relationship that reaches its end. */
const AUTO_EXTEND_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A relationship id shaped like Graph's: two GUIDs joined by a hyphen [MS: every documented example]. */
export function newRelationshipId(): string {
  return `${randomUUID()}-${randomUUID()}`;
}

/**
 * A weak ETag shaped like Graph's: `W/"<base64 of '"xxxxxxxx-0000-0000-0000-xxxxxxxxxxxx"'>"` [MS: the examples decode
 * to such a quoted version stamp]. Opaque to clients; only equality matters.
 */
export function newGraphEtag(): string {
  const hex = randomBytes(10).toString("hex");
  const stamp = `'"${hex.slice(0, 8)}-0000-0000-0000-${hex.slice(8, 20)}"'`;
  return `W/"${Buffer.from(stamp).toString("base64")}"`;
}

/** The whole days of a `P<n>D` duration, or undefined for any other form. */
export function durationDays(duration: string): number | undefined {
  const match = /^P(\d+)D$/.exec(duration);
  return match ? Number(match[1]) : undefined;
}

/** Whether a duration is one Graph accepts for a relationship [MS: "between P1D and P2Y inclusive"]. */
export function isValidRelationshipDuration(duration: string): boolean {
  const days = durationDays(duration);
  return days !== undefined && days >= 1 && days <= MAX_DURATION_DAYS;
}

/** `iso` plus whole days, as an ISO timestamp. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/** Whether a role list holds Global Administrator, which rules out automatic extension [MS]. */
export function holdsGlobalAdministrator(roles: readonly GdapRole[]): boolean {
  return roles.some((role) => role.roleDefinitionId.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID);
}

/** Whether every role of `roles` is one of `of` (role ids match in any case). */
export function isRoleSubset(roles: readonly GdapRole[], of: readonly GdapRole[]): boolean {
  const allowed = new Set(of.map((role) => role.roleDefinitionId.toLowerCase()));
  return roles.every((role) => allowed.has(role.roleDefinitionId.toLowerCase()));
}

/** Whether two role lists hold the same roles, in any order and case. */
export function sameRoles(a: readonly GdapRole[], b: readonly GdapRole[]): boolean {
  return isRoleSubset(a, b) && isRoleSubset(b, a);
}

/** Records a change: a new ETag and modification time. */
export function touch(record: { etag: string; lastModifiedDateTime: string }, now = new Date().toISOString()): void {
  record.etag = newGraphEtag();
  record.lastModifiedDateTime = now;
}

/** Ends a relationship's access: the status given, an end time, and no access assignments any more. */
function end(
  ctx: EmulatorContext,
  relationship: GdapRelationship,
  status: "terminated" | "expired",
  now: string,
): void {
  relationship.status = status;
  relationship.endDateTime = now;
  relationship.shown = false;
  touch(relationship, now);
  ctx.store.removeAccessAssignments(relationship.id);
}

/**
 * Applies the steps that are due: a shown `terminationRequested` becomes `terminated`; an invitation unanswered for
 * {@link INVITATION_LIFETIME_DAYS} expires; an active relationship past its end is extended by 180 days when it
 * auto-extends, else expires. Does not mark anything shown.
 * @returns Whether the relationship changed (the caller persists).
 */
export function settleRelationship(ctx: EmulatorContext, relationship: GdapRelationship, now = Date.now()): boolean {
  const at = new Date(now).toISOString();
  if (relationship.status === "terminationRequested" && relationship.shown) {
    end(ctx, relationship, "terminated", at);
    return true;
  }
  if (relationship.status === "approvalPending") {
    const locked = Date.parse(relationship.lockedDateTime ?? relationship.lastModifiedDateTime);
    if (locked + INVITATION_LIFETIME_DAYS * DAY_MS <= now) {
      end(ctx, relationship, "expired", at);
      return true;
    }
  }
  if (relationship.status === "active" && relationship.endDateTime && Date.parse(relationship.endDateTime) <= now) {
    if (relationship.autoExtendDuration === AUTO_EXTEND_DURATION) {
      let endTime = relationship.endDateTime;
      while (Date.parse(endTime) <= now) endTime = addDays(endTime, AUTO_EXTEND_DAYS);
      relationship.endDateTime = endTime;
      touch(relationship, at);
    } else {
      end(ctx, relationship, "expired", at);
    }
    return true;
  }
  return false;
}

/**
 * What a Graph read of a relationship does: settles it ({@link settleRelationship}), then remembers that its transient
 * status, if any, has now been shown, so the next read moves on.
 * @returns Whether the stored record changed (the caller persists).
 */
export function observeRelationship(ctx: EmulatorContext, relationship: GdapRelationship): boolean {
  const changed = settleRelationship(ctx, relationship);
  if (relationship.status === "terminationRequested" && !relationship.shown) {
    relationship.shown = true;
    return true;
  }
  return changed;
}

/**
 * What a Graph read of an access assignment does: a `pending` one already shown becomes `active`; one not yet shown
 * is remembered as shown.
 * @returns Whether the stored record changed.
 */
export function observeAccessAssignment(assignment: GdapAccessAssignment): boolean {
  if (assignment.status !== "pending") return false;
  if (assignment.shown) {
    assignment.status = "active";
    assignment.shown = false;
    touch(assignment);
  } else {
    assignment.shown = true;
  }
  return true;
}

/**
 * The customer approves: `approvalPending` → `active`, activated now, ending after its duration.
 * @returns Whether it was pending (and is now active).
 */
export function approveRelationship(ctx: EmulatorContext, relationship: GdapRelationship): boolean {
  settleRelationship(ctx, relationship);
  if (relationship.status !== "approvalPending") return false;
  const now = new Date().toISOString();
  relationship.status = "active";
  relationship.activatedDateTime = now;
  relationship.endDateTime = addDays(now, durationDays(relationship.duration) ?? 0);
  touch(relationship, now);
  return true;
}

/**
 * Expires a relationship now, as Microsoft does at the end of its duration or of the invitation window: `active` or
 * `approvalPending` → `expired` (its access assignments go with it).
 * @returns Whether it could expire.
 */
export function expireRelationship(ctx: EmulatorContext, relationship: GdapRelationship): boolean {
  settleRelationship(ctx, relationship);
  if (relationship.status !== "active" && relationship.status !== "approvalPending") return false;
  end(ctx, relationship, "expired", new Date().toISOString());
  return true;
}

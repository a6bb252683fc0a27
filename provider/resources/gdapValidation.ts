/**
 * The network-free rules of `GdapRelationship` and `GdapAccessAssignment` inputs, shared by the resources' `check`
 * and the customers-file loader (a `gdap:` block), so a file that loads cleanly previews cleanly.
 */
import { roleIdOf, similarRoleNames } from "../schemas/entraRoles";
import { GLOBAL_ADMINISTRATOR_ROLE_ID, MAX_DISPLAY_NAME_LENGTH, MAX_DURATION_DAYS } from "../schemas/gdapLimits";
import { type CheckFailure, containsUnknown, isUnknown } from "./checkFailures";
import type { GdapAccessAssignmentInputs, GdapRelationshipInputs } from "./gdapTypes";
import { waitSecondsProblem } from "./waitingOnPerson";

type Props = Record<string, unknown>;

/** Relationship inputs whose change makes a new relationship (a replacement, approved again). */
export const GDAP_RELATIONSHIP_REPLACE_KEYS = [
  "customerTenantId",
  "displayName",
  "roles",
  "durationDays",
  "adoptDefault",
  "existingRelationshipId",
] as const;
/** Relationship inputs that change in place. */
export const GDAP_RELATIONSHIP_UPDATE_KEYS = ["autoExtend", "deletionPolicy", "waitForApprovalSeconds"] as const;

/** Access-assignment inputs whose change makes a new assignment. `roles` change in place. */
export const GDAP_ASSIGNMENT_REPLACE_KEYS = ["relationshipId", "securityGroupId"] as const;

/** Default relationship duration: Graph's maximum, two years. */
export const DEFAULT_DURATION_DAYS = MAX_DURATION_DAYS;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const known = (value: unknown) => value !== undefined && !isUnknown(value);

/**
 * Validates a role list (names or IDs) at `property`: a non-empty list of known names or GUIDs, no duplicates.
 * Returns the template IDs when every role is known, else `undefined`.
 */
export function validateRoles(value: unknown, property: string, failures: CheckFailure[]): string[] | undefined {
  if (isUnknown(value) || containsUnknown(value)) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    failures.push({ property, reason: "must be a non-empty list of Microsoft Entra role names or IDs" });
    return undefined;
  }
  const ids: string[] = [];
  value.forEach((role, index) => {
    const at = `${property}[${index}]`;
    if (typeof role !== "string" || role.trim() === "") {
      failures.push({ property: at, reason: "must be a role name such as Helpdesk Administrator, or a role ID" });
      return;
    }
    const id = roleIdOf(role);
    if (!id) {
      const similar = similarRoleNames(role);
      failures.push({
        property: at,
        reason: `"${role}" is not a Microsoft Entra built-in role this provider knows${similar.length > 0 ? ` (did you mean ${similar.map((s) => `"${s}"`).join(", ")}?)` : ""}; write its name as Microsoft's permissions reference spells it, or its role template ID`,
      });
      return;
    }
    if (ids.includes(id)) failures.push({ property: at, reason: `"${role}" is listed twice` });
    ids.push(id);
  });
  return ids.length === value.length ? ids : undefined;
}

/** Validates and normalises `GdapRelationship` inputs; every failure names its property path. */
export function validateGdapRelationshipInputs(news: Props): {
  inputs: GdapRelationshipInputs;
  failures: CheckFailure[];
  roleIds: string[] | undefined;
} {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const inputs = { ...news } as Props;
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : value);

  const tenant = text(news.customerTenantId);
  if (news.customerTenantId === undefined) fail("customerTenantId", "is required: the customer's tenant ID");
  else if (known(tenant) && !(typeof tenant === "string" && GUID.test(tenant))) {
    fail("customerTenantId", "must be the customer's tenant ID, a GUID (a PartnerCustomer's tenantId)");
  } else if (typeof tenant === "string") inputs.customerTenantId = tenant.toLowerCase();

  const adoptDefault = news.adoptDefault;
  if (known(adoptDefault) && typeof adoptDefault !== "boolean") fail("adoptDefault", "must be true or false");
  const existing = text(news.existingRelationshipId);
  if (known(existing) && (typeof existing !== "string" || existing === "")) {
    fail("existingRelationshipId", "must be a GDAP relationship ID");
  } else if (typeof existing === "string") inputs.existingRelationshipId = existing;
  const adopting = adoptDefault === true || existing !== undefined;
  if (adoptDefault === true && existing !== undefined) {
    fail("existingRelationshipId", "adopts a relationship by ID; adoptDefault adopts the Default GDAP: set one");
  }

  let roleIds: string[] | undefined;
  if (adopting) {
    for (const key of ["roles", "durationDays", "displayName"] as const) {
      if (news[key] !== undefined) {
        fail(
          key,
          "comes from the adopted relationship: leave it out (Graph cannot change an active relationship's roles, duration or name)",
        );
      }
    }
  } else {
    if (news.roles === undefined) {
      fail(
        "roles",
        "is required: the Microsoft Entra roles the partner asks for (names or IDs), unless adoptDefault or existingRelationshipId is set",
      );
    } else roleIds = validateRoles(news.roles, "roles", failures);
    const displayName = text(news.displayName);
    if (known(displayName)) {
      if (typeof displayName !== "string" || displayName === "" || displayName.length > MAX_DISPLAY_NAME_LENGTH) {
        fail("displayName", `must be 1–${MAX_DISPLAY_NAME_LENGTH} characters (Graph's limit)`);
      } else inputs.displayName = displayName;
    }
    const days = news.durationDays;
    if (
      known(days) &&
      !(typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= MAX_DURATION_DAYS)
    ) {
      fail("durationDays", `must be a whole number of days from 1 to ${MAX_DURATION_DAYS} (Graph takes P1D to P2Y)`);
    }
  }

  const autoExtend = news.autoExtend;
  if (known(autoExtend) && typeof autoExtend !== "boolean") fail("autoExtend", "must be true or false");
  if (autoExtend === true && roleIds?.includes(GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    fail(
      "autoExtend",
      "cannot be true for a relationship holding Global Administrator: Graph refuses to auto-extend it",
    );
  }
  const policy = news.deletionPolicy;
  if (known(policy) && policy !== "terminate" && policy !== "retain") {
    fail("deletionPolicy", 'must be "terminate" or "retain"');
  }
  const waitProblem = waitSecondsProblem(news.waitForApprovalSeconds);
  if (waitProblem) fail("waitForApprovalSeconds", waitProblem);
  for (const key of Object.keys(news)) {
    if (key.startsWith("__")) continue;
    if (!([...GDAP_RELATIONSHIP_REPLACE_KEYS, ...GDAP_RELATIONSHIP_UPDATE_KEYS] as string[]).includes(key)) {
      fail(key, "is not a GdapRelationship input");
    }
  }
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { inputs: inputs as unknown as GdapRelationshipInputs, failures, roleIds };
}

/** Validates and normalises `GdapAccessAssignment` inputs, including roles ⊆ the relationship's when those are known. */
export function validateGdapAccessAssignmentInputs(news: Props): {
  inputs: GdapAccessAssignmentInputs;
  failures: CheckFailure[];
  roleIds: string[] | undefined;
} {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const inputs = { ...news } as Props;

  const relationshipId = news.relationshipId;
  if (relationshipId === undefined) fail("relationshipId", "is required: a GdapRelationship's relationshipId");
  else if (known(relationshipId) && (typeof relationshipId !== "string" || relationshipId.trim() === "")) {
    fail("relationshipId", "must be a GDAP relationship ID");
  }
  const group = typeof news.securityGroupId === "string" ? news.securityGroupId.trim() : news.securityGroupId;
  if (news.securityGroupId === undefined)
    fail("securityGroupId", "is required: the object ID of a security group in your partner tenant");
  else if (known(group) && !(typeof group === "string" && GUID.test(group))) {
    fail("securityGroupId", "must be the object ID (a GUID) of a security group in your partner tenant");
  } else if (typeof group === "string") inputs.securityGroupId = group.toLowerCase();

  const roleIds = news.roles === undefined ? undefined : validateRoles(news.roles, "roles", failures);
  if (news.roles === undefined) fail("roles", "is required: the relationship's roles this group gets (names or IDs)");

  // The relationship's roles (passed as `relationship.roles`), when known at preview: a subset check with no request.
  const relationshipRoles = news.relationshipRoles;
  if (relationshipRoles !== undefined && known(relationshipRoles) && !containsUnknown(relationshipRoles) && roleIds) {
    const allowed = Array.isArray(relationshipRoles)
      ? relationshipRoles.map((role) => (typeof role === "string" ? roleIdOf(role) : undefined))
      : [];
    (news.roles as string[]).forEach((role, index) => {
      if (!allowed.includes(roleIds[index])) {
        fail(
          `roles[${index}]`,
          `"${role}" is not one of the relationship's roles: an access assignment can only grant roles the customer approved in the relationship`,
        );
      }
    });
  }
  const waitProblem = waitSecondsProblem(news.waitForApprovalSeconds);
  if (waitProblem) fail("waitForApprovalSeconds", waitProblem);
  for (const key of Object.keys(news)) {
    if (key.startsWith("__")) continue;
    if (![...GDAP_ASSIGNMENT_REPLACE_KEYS, "roles", "relationshipRoles", "waitForApprovalSeconds"].includes(key)) {
      fail(key, "is not a GdapAccessAssignment input");
    }
  }
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { inputs: inputs as unknown as GdapAccessAssignmentInputs, failures, roleIds };
}

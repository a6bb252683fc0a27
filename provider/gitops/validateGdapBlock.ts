/**
 * The `gdap:` block of a customers-file entry, checked with the rules `GdapRelationship` and `GdapAccessAssignment`
 * run in `check` (resources/gdapValidation.ts), so a file that loads cleanly previews cleanly, plus the rules only the
 * file sees whole: `default` and `relationship` are exclusive, `default: true` needs a customer Partner Center makes a
 * Default GDAP relationship with, each group is listed once, and a group's roles are the relationship's.
 *
 * ```yaml
 * gdap:
 *   default: true                   # adopt the Default GDAP relationship Partner Center made with the customer
 *   relationship:                   # or: a relationship the customer approves (GdapRelationship inputs)
 *     roles: [Helpdesk Administrator, User Administrator]
 *     durationDays: 730             # optional, as are autoExtend, displayName, deletionPolicy, waitForApprovalSeconds
 *   access:                         # optional: partner security groups and the roles each gets
 *     - group: 0d5e…                # the group's object ID
 *       roles: [Helpdesk Administrator]
 * ```
 */
import {
  booleanRule,
  type CheckFailure,
  describeType,
  isPlainObject,
  joinPath,
  quote,
  unknownPropertyReason,
} from "../resources/checkFailures";
import { validateGdapAccessAssignmentInputs, validateGdapRelationshipInputs } from "../resources/gdapValidation";
import { DEFAULT_GDAP_ROLE_NAMES, roleIdOf } from "../schemas/entraRoles";
import type { GdapAccessSpec, GdapRelationshipSpec, GdapSpec } from "./customerSpec";
import { mappingOf, nestedReport, type Report } from "./customersFileError";

/** The key of an entry's GDAP block. */
export const GDAP_KEY = "gdap";

// Records over the specs' keys, so a new input fails to compile until it is listed here.
const GDAP_KEY_SET: Readonly<Record<keyof GdapSpec, true>> = { default: true, relationship: true, access: true };
const RELATIONSHIP_KEY_SET: Readonly<Record<keyof GdapRelationshipSpec, true>> = {
  roles: true,
  durationDays: true,
  autoExtend: true,
  displayName: true,
  deletionPolicy: true,
  waitForApprovalSeconds: true,
};
const ACCESS_KEY_SET: Readonly<Record<keyof GdapAccessSpec, true>> = { group: true, roles: true };

const GDAP_KEYS: readonly string[] = Object.keys(GDAP_KEY_SET);
const RELATIONSHIP_KEYS: readonly string[] = Object.keys(RELATIONSHIP_KEY_SET);
const ACCESS_KEYS: readonly string[] = Object.keys(ACCESS_KEY_SET);

/**
 * Stand-ins for the values only the deployment knows (the customer's tenant, the relationship's ID), so the blocks
 * run through the resources' own rules on their own: any valid value exercises the same rules.
 */
const TENANT_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
const RELATIONSHIP_PLACEHOLDER = "relationship-of-the-entry";

/** The Default GDAP relationship's roles as template IDs (the widest set: Direct Bill partners, Indirect Providers). */
const DEFAULT_GDAP_ROLE_IDS: ReadonlySet<string> = new Set(DEFAULT_GDAP_ROLE_NAMES.map((name) => roleIdOf(name)!));

/** The customer inputs the block's rules look at. */
export interface GdapBlockCustomer {
  readonly enableGDAPByDefault?: unknown;
}

/** `raw` without its `null` members: in YAML, `key:` with nothing after it means "not given". */
function withoutNulls(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
}

/** Reports the failures of a resource's validation, renaming properties the file spells differently. */
function reportFailures(failures: readonly CheckFailure[], report: Report, rename: Record<string, string> = {}): void {
  for (const { property, reason } of failures) {
    const [head = "", ...rest] = property.split(/(?=[.[])/);
    report(`${rename[head] ?? head}${rest.join("")}`, reason);
  }
}

/**
 * Validates a `gdap:` block; reports through `report` (paths relative to the block) and returns the normalised spec,
 * or `undefined` when the block is not even a mapping.
 */
export function validateGdapBlock(raw: unknown, customer: GdapBlockCustomer, report: Report): GdapSpec | undefined {
  const block = mappingOf(
    raw,
    GDAP_KEYS,
    "is empty: give `default: true` (adopt the customer's Default GDAP relationship) or a relationship with roles, or remove the gdap block",
    report,
  );
  if (block === undefined) return undefined;
  for (const key of Object.keys(block)) {
    if (!GDAP_KEYS.includes(key)) report(key, unknownPropertyReason(key, GDAP_KEYS));
  }
  const given = withoutNulls(block);
  const spec: { default?: boolean; relationship?: GdapRelationshipSpec; access?: GdapAccessSpec[] } = {};

  const adoptDefault = given.default;
  if (adoptDefault !== undefined) {
    const failures: CheckFailure[] = [];
    booleanRule(adoptDefault, "default", failures);
    reportFailures(failures, report);
    if (typeof adoptDefault === "boolean") spec.default = adoptDefault;
  }
  const hasRelationship = Object.hasOwn(block, "relationship");

  // The roles of the relationship the stack asks for, as template IDs, when valid: what the groups' roles must come
  // from (the Default GDAP's are checked against DEFAULT_GDAP_ROLE_IDS).
  let relationshipRoleIds: readonly string[] | undefined;
  if (adoptDefault === true) {
    if (hasRelationship) {
      report(
        "relationship",
        "cannot be given with `default: true`: default adopts the Default GDAP relationship Partner Center made with the customer, relationship asks the customer to approve a new one; give one of them",
      );
    }
    if (customer.enableGDAPByDefault === false) {
      report(
        "default",
        "cannot be true for a customer with enableGDAPByDefault: false: Partner Center makes no Default GDAP relationship with it; leave enableGDAPByDefault out, or ask the customer for a relationship (relationship: with roles) instead",
      );
    }
  } else if (hasRelationship) {
    const relationship = validateRelationship(block.relationship, nestedReport(report, "relationship"));
    if (relationship) {
      spec.relationship = relationship.spec;
      relationshipRoleIds = relationship.roleIds;
    }
  } else if (adoptDefault === undefined || adoptDefault === false) {
    report(
      "",
      "needs `default: true` (adopt the Default GDAP relationship Partner Center made with the customer) or a relationship with roles (one the customer approves)",
    );
  }

  if (Object.hasOwn(block, "access")) {
    const access = validateAccess(block.access, relationshipRoleIds, adoptDefault === true, report);
    if (access) spec.access = access;
  }
  return spec;
}

/** Validates the `relationship:` of a gdap block; `undefined` when it is not a mapping. */
function validateRelationship(
  raw: unknown,
  report: Report,
): { spec: GdapRelationshipSpec; roleIds: string[] | undefined } | undefined {
  const block = mappingOf(
    raw,
    RELATIONSHIP_KEYS,
    "is empty: give at least roles (the Microsoft Entra roles you ask the customer for), or write `default: true` instead",
    report,
  );
  if (block === undefined) return undefined;
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withoutNulls(block))) {
    if (RELATIONSHIP_KEYS.includes(key)) inputs[key] = value;
    else if (key === "customerTenantId") {
      report(key, "is not set in the file: the relationship is with the customer this entry creates (its tenantId)");
    } else if (key === "adoptDefault") {
      report(key, "is not set here: write `default: true` in the gdap block, instead of relationship");
    } else if (key === "existingRelationshipId") {
      report(
        key,
        "is not taken in a customers file: to take over a relationship made outside the stack, declare a GdapRelationship with existingRelationshipId in a program",
      );
    } else report(key, unknownPropertyReason(key, RELATIONSHIP_KEYS));
  }
  const result = validateGdapRelationshipInputs({ ...inputs, customerTenantId: TENANT_PLACEHOLDER });
  for (const { property, reason } of result.failures) {
    report(
      property,
      property === "roles" && inputs.roles === undefined
        ? "is required: the Microsoft Entra roles you ask the customer for (names or IDs); or adopt the Default GDAP relationship with `default: true` instead of relationship"
        : reason,
    );
  }
  const { customerTenantId: _placeholder, ...spec } = result.inputs;
  return { spec, roleIds: result.roleIds };
}

/**
 * Validates the `access:` list: each item a `GdapAccessAssignment` of the entry's relationship (group and roles), its
 * roles among the relationship's (`relationshipRoleIds`, when known; the Default GDAP's when `adoptsDefault`), each
 * group once.
 */
function validateAccess(
  raw: unknown,
  relationshipRoleIds: readonly string[] | undefined,
  adoptsDefault: boolean,
  report: Report,
): GdapAccessSpec[] | undefined {
  if (raw === null || raw === undefined) {
    report("access", "is empty: list the partner security groups (group, roles), or remove access");
    return undefined;
  }
  if (!Array.isArray(raw)) {
    report("access", `must be a list of partner security groups, each with group and roles, got ${describeType(raw)}`);
    return undefined;
  }
  const access: GdapAccessSpec[] = [];
  const firstIndexOfGroup = new Map<string, number>();
  raw.forEach((item: unknown, index) => {
    const reportItem = nestedReport(report, joinPath("access", index));
    if (!isPlainObject(item)) {
      reportItem(
        "",
        `must be a mapping with group (a partner security group's object ID) and roles, got ${describeType(item)}`,
      );
      return;
    }
    const given = withoutNulls(item);
    for (const key of Object.keys(given)) {
      if (key === "securityGroupId")
        reportItem(key, 'is written "group" here: the partner security group\'s object ID');
      else if (!ACCESS_KEYS.includes(key)) reportItem(key, unknownPropertyReason(key, ACCESS_KEYS));
    }
    const result = validateGdapAccessAssignmentInputs({
      relationshipId: RELATIONSHIP_PLACEHOLDER,
      securityGroupId: given.group,
      roles: given.roles,
      // The Default GDAP's roles are checked below, with a message that names them.
      ...(relationshipRoleIds && { relationshipRoles: relationshipRoleIds }),
    });
    reportFailures(result.failures, reportItem, { securityGroupId: "group" });
    if (adoptsDefault && Array.isArray(given.roles)) {
      given.roles.forEach((role: unknown, roleIndex) => {
        const roleId = typeof role === "string" ? roleIdOf(role) : undefined;
        if (roleId === undefined || DEFAULT_GDAP_ROLE_IDS.has(roleId)) return;
        reportItem(
          joinPath("roles", roleIndex),
          `${quote(String(role))} is not a role of the Default GDAP relationship (it holds ${DEFAULT_GDAP_ROLE_NAMES.join(", ")}): an access assignment can only grant the relationship's roles; ask the customer for a relationship with this role (relationship: with roles) instead of default: true`,
        );
      });
    }
    const group = result.inputs.securityGroupId;
    if (result.failures.some((f) => f.property === "securityGroupId") || typeof group !== "string") return;
    const first = firstIndexOfGroup.get(group);
    if (first !== undefined) {
      reportItem(
        "group",
        `${quote(group)} is also listed at access[${first}]: list each group once, with every role it gets`,
      );
      return;
    }
    firstIndexOfGroup.set(group, index);
    access.push({ group, roles: result.inputs.roles });
  });
  return access;
}

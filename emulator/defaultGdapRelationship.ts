/**
 * The Default GDAP relationship Partner Center makes with a new customer when the create asks for it
 * (`enableGDAPByDefault: true`, or the field omitted in production) [MS, GDAP FAQ: "Default GDAP"]: active at once,
 * with no action by the customer, holding the Default GDAP roles of the partner's type.
 */

import {
  DEFAULT_GDAP_ROLE_NAMES,
  DEFAULT_GDAP_ROLE_NAMES_INDIRECT_RESELLER,
  ENTRA_ROLES,
} from "../provider/schemas/entraRoles";
import { DEFAULT_RELATIONSHIP_PREFIX, MAX_DISPLAY_NAME_LENGTH, NO_AUTO_EXTEND } from "../provider/schemas/gdap";
import type { PartnerType } from "./emulatorOptions";
import { addDays, newGraphEtag, newRelationshipId } from "./gdapLifecycle";
import type { Customer, GdapRelationship } from "./model";

/**
 * [inferred] The Default GDAP relationship's duration. Microsoft's FAQ says it is created "for two years" in places
 * and documents no duration field; the emulator uses Graph's maximum, 730 days.
 */
export const DEFAULT_GDAP_DURATION = "P730D";
const DEFAULT_GDAP_DAYS = 730;

/** The role template IDs of the Default GDAP relationship for a partner type [MS-copy: GDAP FAQ roles 1–11]. */
export function defaultGdapRoleIds(partnerType: PartnerType): string[] {
  const names =
    partnerType === "indirectReseller" ? DEFAULT_GDAP_ROLE_NAMES_INDIRECT_RESELLER : DEFAULT_GDAP_ROLE_NAMES;
  return names.map((name) => {
    const id = ENTRA_ROLES[name];
    // The table in entraRoles.ts lists every Default GDAP role; a missing one is a bug in it, not input to refuse.
    if (id === undefined) throw new Error(`entraRoles.ts has no template ID for the Default GDAP role ${name}`);
    return id;
  });
}

/**
 * Builds the Default GDAP relationship of a customer just created.
 * @param customer The new customer.
 * @param partnerType The emulated partner's type.
 */
export function defaultGdapRelationship(customer: Customer, partnerType: PartnerType): GdapRelationship {
  const now = new Date().toISOString();
  // [3P] integrators recognise it by the `Default_` prefix; [inferred] the domain prefix follows it.
  const domainPrefix = customer.companyProfile.domain.split(".")[0] ?? customer.companyProfile.domain;
  return {
    id: newRelationshipId(),
    etag: newGraphEtag(),
    displayName: `${DEFAULT_RELATIONSHIP_PREFIX}${domainPrefix}`.slice(0, MAX_DISPLAY_NAME_LENGTH),
    duration: DEFAULT_GDAP_DURATION,
    customer: {
      tenantId: customer.companyProfile.tenantId,
      displayName: customer.companyProfile.companyName ?? customer.billingProfile.companyName,
    },
    accessDetails: { unifiedRoles: defaultGdapRoleIds(partnerType).map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: "active",
    // [inferred] Default GDAP is not documented to auto-extend: no automatic extension, Graph's default.
    autoExtendDuration: NO_AUTO_EXTEND,
    createdDateTime: now,
    lastModifiedDateTime: now,
    activatedDateTime: now,
    endDateTime: addDays(now, DEFAULT_GDAP_DAYS),
    isDefaultGdap: true,
  };
}

/**
 * Microsoft Entra built-in roles a GDAP relationship can hold, by name and template ID [MS: "Microsoft Entra built-in
 * roles", learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference; the IDs are the same in
 * every tenant]. Users write a role's name (`Helpdesk Administrator`) or its ID; a name not listed here fails at
 * preview (an ID that is not listed is sent as written: Microsoft adds roles faster than this table).
 *
 * Not every built-in role may be granted through GDAP; Microsoft's "GDAP least-privileged roles by task" page lists
 * those partners use. The table holds the common ones and every Default GDAP role.
 */

/** Name → template ID [MS, permissions reference]. */
export const ENTRA_ROLES: Readonly<Record<string, string>> = {
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Cloud Device Administrator": "7698a772-787b-4ac8-901f-60d6b08affd2",
  "Compliance Administrator": "17315797-102d-40b4-93e0-432062caca18",
  "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  "Directory Readers": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  "Directory Writers": "9360feb5-f418-4baa-8175-e2a00bac4301",
  "Domain Name Administrator": "8329153b-31d0-4727-b945-745eb3bc5f31",
  "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "Exchange Recipient Administrator": "31392ffb-586c-42d1-9346-e59415a2cc4e",
  "External Identity Provider Administrator": "be2f45a1-457d-42af-a067-6ec1fa63bc45",
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "Groups Administrator": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
  "Intune Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
  "License Administrator": "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
  "Office Apps Administrator": "2b745bdf-0803-4d80-aa65-822c4493daac",
  "Password Administrator": "966707d0-3269-4727-9be2-8c3a10f19b9d",
  "Power Platform Administrator": "11648597-926c-4cf3-9c36-bcebb0ba8dcc",
  "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Reports Reader": "4a5d8f65-41da-4de4-8968-e035b65339cf",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Security Operator": "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
  "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
  "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
  "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "Teams Administrator": "69091246-20e8-4a56-aa4d-066075b2a7a8",
  "Teams Communications Administrator": "baf37b3a-610e-45da-9e62-d9d1e5e8914b",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Windows 365 Administrator": "11451d60-acb2-45eb-a7d6-43d0f0125c13",
};

/**
 * The Default GDAP relationship's roles for Direct Bill partners, Indirect Providers and CPVs (roles 1–11) [MS-copy:
 * Microsoft's GDAP FAQ, 2023 copy; `shared/reference/mca-attestation.md` §7].
 */
export const DEFAULT_GDAP_ROLE_NAMES = [
  "Directory Readers",
  "Directory Writers",
  "License Administrator",
  "Service Support Administrator",
  "User Administrator",
  "Privileged Role Administrator",
  "Helpdesk Administrator",
  "Privileged Authentication Administrator",
  "Cloud Application Administrator",
  "Application Administrator",
  "Global Reader",
] as const;

/** Indirect Resellers get the same set without Cloud Application Administrator and Application Administrator [MS-copy]. */
export const DEFAULT_GDAP_ROLE_NAMES_INDIRECT_RESELLER = DEFAULT_GDAP_ROLE_NAMES.filter(
  (name) => name !== "Cloud Application Administrator" && name !== "Application Administrator",
);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-cased name → template ID, for case-insensitive lookups. */
const BY_LOWER_NAME = new Map(Object.entries(ENTRA_ROLES).map(([name, id]) => [name.toLowerCase(), id]));
/** Template ID → name. */
const NAME_BY_ID = new Map(Object.entries(ENTRA_ROLES).map(([name, id]) => [id, name]));

/** The template ID of a role written by name (any case) or ID; `undefined` for a name this table does not know. */
export function roleIdOf(role: string): string | undefined {
  const trimmed = role.trim();
  if (GUID.test(trimmed)) return trimmed.toLowerCase();
  return BY_LOWER_NAME.get(trimmed.toLowerCase());
}

/** Template IDs of roles written by name or ID; a name this table does not know is kept, lower-cased. */
export function roleIdsOf(roles: readonly string[]): string[] {
  return roles.map((role) => roleIdOf(role) ?? role.toLowerCase());
}

/** The name of a role ID, or the ID itself when this table does not know it. */
export function roleNameOf(roleId: string): string {
  return NAME_BY_ID.get(roleId.toLowerCase()) ?? roleId;
}

/** The known role names closest to an unknown one (for "did you mean"): those sharing its first word. */
export function similarRoleNames(role: string): string[] {
  const first = role.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  return Object.keys(ENTRA_ROLES).filter((name) => first.length > 2 && name.toLowerCase().startsWith(first));
}

/**
 * Partner Center is inconsistent about key casing: responses are normally camelCase, but the documented
 * `PATCH /v1/customers/{id}` response is PascalCase (`"RelationshipToPartner"`, `"Attributes": {"ObjectType": …}`).
 * Every response is passed through {@link normalizeKeys} before its schema sees it.
 */

/**
 * Converts one key to camelCase by lower-casing its leading capital run: `RelationshipToPartner` →
 * `relationshipToPartner`, `ID` → `id`, `ETag` → `etag`, `ObjectType` → `objectType`. Keys that already start lower
 * case, and keys that are not identifiers (`MS-ContinuationToken`), are left alone.
 */
export function camelCaseKey(key: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(key)) return key;
  const run = /^[A-Z]+/.exec(key)?.[0] ?? "";
  if (run.length === key.length) return key.toLowerCase();
  // "ETag": the capital run is a one-letter word glued to a capitalised word; Partner Center's own spelling is "etag".
  if (key === "ETag") return "etag";
  if (run.length === 1) return key[0]!.toLowerCase() + key.slice(1);
  // "URLValue" → "urlValue": the last capital of the run starts the next word.
  return run.slice(0, -1).toLowerCase() + key.slice(run.length - 1);
}

/**
 * Returns a deep copy of `value` with every object key camelCased. When both spellings of a key are present
 * (`id` and `Id`), the camelCase one wins: it is the documented form.
 */
export function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    // JSON.parse makes "__proto__" an own key; assigning it would swap the copy's prototype.
    if (key === "__proto__") continue;
    const normalized = camelCaseKey(key);
    if (normalized !== key && Object.hasOwn(value, normalized)) continue;
    result[normalized] = normalizeKeys(child);
  }
  return result;
}

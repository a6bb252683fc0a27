import { createHash } from "node:crypto";

/**
 * Derives a GUID from the given parts, the same for equal parts in any process on any machine.
 *
 * Why: Partner Center treats `MS-RequestId` as the idempotency key of a POST. A create whose key is derived from
 * its inputs can be retried, or re-run by a second `pulumi up` after a crash, without ever making a second tenant.
 * Object keys are sorted first so equal inputs always give the same key. The GUID is an RFC 9562 version 8
 * ("custom") UUID built from SHA-256.
 */
export function stableRequestId(...parts: unknown[]): string {
  const digest = createHash("sha256").update(canonicalJson(parts)).digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with object keys sorted and `undefined` members dropped, so equal values serialize equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member) => {
    if (member && typeof member === "object" && !Array.isArray(member)) {
      return Object.fromEntries(
        Object.keys(member)
          .sort()
          .filter((key) => member[key] !== undefined)
          .map((key) => [key, member[key]]),
      );
    }
    return member;
  });
}

/**
 * Small readers for request bodies that were already folded to wire names ({@link normalizeKeys}). They throw
 * Partner Center–shaped 400s naming the property path, which is what the routes want on bad input.
 */
import { ErrorCode, invalidProperty, partnerCenterError } from "./errors";

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The body as an object, or a 400 `800002` when it is missing or not an object. */
export function readBody(body: unknown): JsonObject {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw partnerCenterError(
      400,
      ErrorCode.invalidRequestInput,
      "Invalid request input: the body must be a JSON object.",
    );
  }
  return body as JsonObject;
}

/** A nested object (undefined when absent or null); a 400 naming `path` when it is something else. */
export function readObject(parent: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidProperty(path, `${path} must be an object.`);
  return value as JsonObject;
}

/** A string (undefined when absent or null); a 400 naming `path` when it is another type. */
export function readString(parent: JsonObject, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidProperty(path, `${path} must be a string.`);
  return value;
}

/** A non-blank string, or a 400 "required" naming `path`. */
export function requireString(parent: JsonObject, key: string, path: string): string {
  const value = readString(parent, key, path);
  if (value === undefined || value.trim() === "") throw invalidProperty(path, `${path} is required.`);
  return value;
}

/** A boolean (undefined when absent or null); a 400 naming `path` otherwise. */
export function readBoolean(parent: JsonObject, key: string, path: string): boolean | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidProperty(path, `${path} must be true or false.`);
  return value;
}

/** Matches a GUID in its usual 8-4-4-4-12 hex form. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A simple e-mail shape check: something@something.tld, no spaces. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

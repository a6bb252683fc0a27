/**
 * Shared, network-free helpers for the `check` and `diff` of the dynamic resources: the preview "unknown" sentinel,
 * Pulumi `CheckFailure` construction, and a deep equality that matches how Pulumi stores properties.
 *
 * Everything here is a pure function or constant data: the module is `require()`d inside the dynamic-provider host
 * at run time, so it must hold no state of its own.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { zodOnFirstUse } from "../schemas/zodOnFirstUse";

/**
 * The value every unknown property arrives as during `pulumi preview`, whatever its declared type: an unknown string,
 * boolean, object or array is this bare string (`@pulumi/pulumi` `runtime/rpc.js` `unknownValue`; the Go engine's
 * `plugin.UnknownStringValue`). Note that it is itself a syntactically valid GUID, so test for it before any format
 * check.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A validation failure as Pulumi reports it: a dotted property path in the user's arguments and a reason. */
export type CheckFailure = pulumi.dynamic.CheckFailure;

/**
 * Which Partner Center credentials the provider is configured with, as far as `check` needs to know: app-only,
 * App+User (a refresh token), or none at all (reported elsewhere, by the provider settings).
 */
export type CredentialsKind = "app" | "app+user" | "none";

/** How to configure App+User credentials; quoted in every failure that needs them. */
export const APP_USER_HOWTO =
  "set a refresh token with `pulumi config set --secret partnercenter:refreshToken <token>` " +
  "or the PARTNERCENTER_REFRESH_TOKEN environment variable";

/** Whether `value` is the preview unknown sentinel ({@link UNKNOWN}). */
export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}

/** Whether `value` is, or contains at any depth (object members, array elements), the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Whether `value` is a non-null, non-array object, i.e. what a Pulumi object property deserializes to. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Structural equality as Pulumi sees properties: key order is irrelevant, and an object member that is `undefined`
 * or `null` equals an absent one (Pulumi drops `undefined` members when it serializes, and a `null` carries no value
 * either), so `{ a: 1, b: undefined }` equals `{ a: 1 }`. Arrays compare element by element, in order.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === undefined || b === null) {
    return (a === undefined || a === null) && (b === undefined || b === null);
  }
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!deepEqual(a[key], b[key])) return false;
    }
    return true;
  }
  return false;
}

/**
 * Appends `key` to a property path the way Pulumi writes property paths: `a.b` for names, `a[0]` for array indices.
 * An empty `prefix` yields the bare key.
 */
export function joinPath(prefix: string, key: PropertyKey): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  const name = typeof key === "symbol" ? (key.description ?? "") : key;
  return prefix === "" ? name : `${prefix}.${name}`;
}

/**
 * Records a failure for `property`, merging it into an existing failure for the same property (reasons joined with
 * "; ") so that the user sees exactly one failure per bad property, with every rule it breaks.
 */
export function addFailure(failures: CheckFailure[], property: string, reason: string): void {
  const index = failures.findIndex((f) => f.property === property);
  const existing = index === -1 ? undefined : failures[index];
  if (existing === undefined) {
    failures.push({ property, reason });
  } else if (!existing.reason.split("; ").includes(reason)) {
    failures[index] = { property, reason: `${existing.reason}; ${reason}` };
  }
}

/**
 * Maps a zod error to check failures: each issue's path (joined with {@link joinPath}, under `prefix`) becomes the
 * property and its message the reason, one failure per property. An `unrecognized_keys` issue becomes one
 * "unknown property" failure per key, on the key's own path, so a typo points at the typo.
 */
export function toCheckFailures(error: z.ZodError, prefix = ""): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of error.issues) {
    const property = issue.path.reduce<string>((path, key) => joinPath(path, key), prefix);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) addFailure(failures, joinPath(property, key), "unknown property");
    } else {
      addFailure(failures, property, issue.message);
    }
  }
  return failures;
}

/**
 * Quotes a value for a failure reason: JSON string syntax, cut to 60 characters so a pasted paragraph does not flood
 * the terminal. Only used for code-like values (country codes, domains, GUIDs, enums, dates), never for contact data
 * or free text, which users may keep in secrets (a dynamic provider receives secrets in plaintext).
 */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** Names the type of a value for a "must be a string, got …" reason, without revealing the value itself. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" || type === "undefined" ? `an ${type}` : `a ${type}`;
}

/**
 * The known property name `key` was most likely meant to be: the same name in another case (`CompanyProfile` — the
 * Partner Center documentation writes PascalCase), else the single closest name within a few edits (2, or a quarter
 * of the name's length for long names: `deletePolicy` → `deletionPolicy`). `undefined` when nothing is close or two
 * names are equally close.
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const close = known
    .map((name) => ({ name, distance: editDistance(name.toLowerCase(), lower) }))
    .filter(({ name, distance }) => distance <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.distance - b.distance);
  const [best, second] = close;
  return best !== undefined && (second === undefined || second.distance > best.distance) ? best.name : undefined;
}

/**
 * The failure reason for a property the resource does not have: names the likely intended property and lists the
 * accepted ones, because a misspelt optional input would otherwise be silently ignored.
 */
export function unknownPropertyReason(key: string, known: readonly string[]): string {
  const suggestion = suggestKey(key, known);
  const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  return `unknown property${hint}; accepted properties are ${known.join(", ")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// A small rule walker for the resources' inputs. zod alone cannot skip the unknown sentinel at any depth while
// still reporting one precise failure per property, so the structure is walked by hand and zod supplies the
// maintained formats (email, GUID).

/**
 * Validates one present, known value (never `undefined`, `null` or the unknown sentinel; {@link validateObject}
 * handles those): records failures for `path` and returns the normalised value, the value as given when it is
 * invalid (so returned inputs still show it), or `undefined` to drop the property.
 */
export type Rule = (value: unknown, path: string, failures: CheckFailure[]) => unknown;

/** A property of an object {@link Shape}: whether it is required, and its {@link Rule}. */
export interface Field {
  readonly required: boolean;
  readonly rule: Rule;
}

/** The properties an object accepts; any other property is a failure. */
export type Shape = Readonly<Record<string, Field>>;

/** A format check that runs on an already trimmed, non-empty string; returns the normalised string. */
export type Format = (s: string, path: string, failures: CheckFailure[]) => string;

/** A required property. */
export function requiredField(rule: Rule): Field {
  return { required: true, rule };
}

/** An optional property: absent, `undefined` and `null` are all accepted and leave it out. */
export function optionalField(rule: Rule): Field {
  return { required: false, rule };
}

/**
 * Validates the properties of `value` against `shape` and returns the normalised object, its keys in `shape` order.
 * Unknown values are kept and not checked; a missing required property is a failure; a property not in `shape` is
 * a failure (typo protection) and kept as given, except, when `passDunder` is set, a `__`-prefixed key (Pulumi's
 * `__provider`), which is carried over silently.
 */
export function validateObject(
  value: Record<string, unknown>,
  shape: Shape,
  path: string,
  failures: CheckFailure[],
  passDunder = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const property = joinPath(path, key);
    const v = value[key];
    if (isUnknown(v)) {
      out[key] = v;
    } else if (v === undefined || v === null) {
      if (field.required) addFailure(failures, property, "is required");
    } else {
      const normalised = field.rule(v, property, failures);
      if (normalised !== undefined) out[key] = normalised;
    }
  }
  const known = Object.keys(shape);
  for (const [key, v] of Object.entries(value)) {
    if (Object.hasOwn(shape, key)) continue;
    if (!(passDunder && key.startsWith("__"))) {
      addFailure(failures, joinPath(path, key), unknownPropertyReason(key, known));
    }
    out[key] = v;
  }
  return out;
}

/** A nested object validated against `shape`; anything but a plain object is a failure. */
export function objectRule(shape: Shape): Rule {
  return (value, path, failures) => {
    if (!isPlainObject(value)) {
      addFailure(failures, path, `must be an object, got ${describeType(value)}`);
      return value;
    }
    return validateObject(value, shape, path, failures);
  };
}

/**
 * A string, trimmed, of at most `max` UTF-16 code units (how .NET, and so Partner Center, counts length); then
 * `format`, if given, checks and normalises it further. An empty string (after trimming) fails a required property
 * and drops an optional one, exactly as if it had been left out.
 */
export function textRule(max: number, isRequired: boolean, format?: Format): Rule {
  return (value, path, failures) => {
    if (typeof value !== "string") {
      addFailure(failures, path, `must be a string, got ${describeType(value)}`);
      return value;
    }
    const s = value.trim();
    if (s === "") {
      if (isRequired) addFailure(failures, path, "is required and must not be empty");
      return isRequired ? s : undefined;
    }
    if (s.length > max) {
      addFailure(failures, path, `is too long: ${s.length} characters, at most ${max} allowed`);
      return s;
    }
    return format === undefined ? s : format(s, path, failures);
  };
}

/**
 * A {@link Rule} for a string that must be one of `allowed`, matched case-insensitively and returned in its
 * canonical spelling (`Retain` → `retain`); `noun` names the kind of value in the failure (`a deletion policy`).
 */
export function oneOfRule(allowed: readonly string[], noun: string): Rule {
  const listed = allowed.map((value) => `"${value}"`).join(", ");
  return (value, path, failures) => {
    if (typeof value !== "string") {
      addFailure(failures, path, `must be one of ${listed}, got ${describeType(value)}`);
      return value;
    }
    const match = allowed.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
    if (match === undefined) {
      addFailure(failures, path, `${quote(value)} is not ${noun}: must be one of ${listed}`);
      return value;
    }
    return match;
  };
}

/** A real boolean; the string `"true"` (a common slip when the value comes from config) is named in the failure. */
export function booleanRule(value: unknown, path: string, failures: CheckFailure[]): unknown {
  if (typeof value === "boolean") return value;
  const shown = typeof value === "string" ? `the string ${quote(value)}` : describeType(value);
  addFailure(failures, path, `must be a boolean (true or false), got ${shown}`);
  return value;
}

/**
 * The two zod formats below, built (and zod loaded) on first use: a Pulumi program loads this module through the
 * package index on every run and never checks an email or a GUID (BENCHMARKS.md, profile finding 2).
 */
const zodFormats = zodOnFirstUse(({ z }) => ({
  email: z.email({
    error: () => "is not a valid email address (expected name@example.com; check for spaces or a missing domain)",
  }),
  guid: z.guid({
    error: (issue) => `${quote(String(issue.input))} is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`,
  }),
}));

/**
 * An email address, by zod's `z.email()` pattern (ASCII, a dotted domain with a 2+ letter top level); kept in its
 * case. The value is not echoed in the failure: contact data may come from a secret.
 */
export function emailFormat(s: string, path: string, failures: CheckFailure[]): string {
  const result = zodFormats().email.safeParse(s);
  if (!result.success) for (const f of toCheckFailures(result.error, path)) addFailure(failures, f.property, f.reason);
  return s;
}

/**
 * A GUID (zod's `z.guid()`: 8-4-4-4-12 hex digits, no braces), lower-cased: the case Partner Center returns IDs in,
 * so comparisons with its answers and between runs are exact.
 */
export function guidFormat(s: string, path: string, failures: CheckFailure[]): string {
  const result = zodFormats().guid.safeParse(s);
  if (!result.success) {
    for (const f of toCheckFailures(result.error, path)) addFailure(failures, f.property, f.reason);
    return s;
  }
  return s.toLowerCase();
}

/**
 * A phone number, loosely: digits, spaces and `+ - ( ) .`, at least one digit. The exact format is Partner Center's
 * per country (`phoneNumberRegex` of the country validation rules, checked with the network); this only stops text
 * that cannot be a phone number. Not echoed in the failure (contact data).
 */
export function phoneFormat(s: string, path: string, failures: CheckFailure[]): string {
  if (!/^[0-9+()\-. ]+$/.test(s) || !/[0-9]/.test(s)) {
    addFailure(failures, path, "is not a phone number: use digits, spaces and + - ( ) . only");
  }
  return s;
}

/** Levenshtein distance between two short strings (property names). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Check failures as the Pulumi engine prints them. The engine prints a failure that names a property as
 * `property <p> value <inputs[p]> has a problem: <reason>`, looking `p` up as a *top-level* input: a nested path
 * such as `billingProfile.email`, or a top-level property left out (`preflight`), printed `value {<nil>}`. So every
 * failure goes to the engine without a property and with its path leading the reason, which the engine prints as
 * `<type> resource '<name>' has a problem: billingProfile.email: <reason>`.
 */
export function failuresForEngine(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map(({ property, reason }) => ({
    property: "",
    reason: property ? `${property}: ${reason}` : reason,
  }));
}

/** A resource implementation whose `check` answers the engine (see {@link failuresForEngine}). */
export function withEngineCheckFailures<
  T extends { check(olds: never, news: never): Promise<{ inputs: unknown; failures: CheckFailure[] }> },
>(implementation: T): T {
  return {
    ...implementation,
    async check(olds: never, news: never) {
      const result = await implementation.check(olds, news);
      return { ...result, failures: failuresForEngine(result.failures) };
    },
  };
}

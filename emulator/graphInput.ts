/**
 * Readers for Graph request input: a body checked against one of `provider/schemas/gdap.ts`'s schemas (so the
 * emulator takes exactly what the provider sends), and the `If-Match` precondition Graph's PATCH and DELETE require.
 * They throw {@link GraphHttpError}s.
 */
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { GraphErrorCode, graphError } from "./graphError";

/**
 * The body parsed by `schema`, or a 400 naming the first offending property.
 * @param schema A request schema of `provider/schemas/gdap.ts`.
 * @param body The parsed JSON body.
 */
export function readGraphBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join(".") || "body";
  throw graphError(
    400,
    GraphErrorCode.badRequest,
    `Invalid value for '${path}': ${issue?.message ?? "invalid request"}.`,
  );
}

/** The opaque part of an entity tag: `W/"x"` and `"x"` name the same version (weak comparison, RFC 9110 §8.8.3.2). */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//i, "");
}

/**
 * Checks `If-Match` against the record's current ETag [MS: "Required" on every GDAP PATCH and DELETE].
 *
 * A missing header is 400 [inferred: Graph documents the header as required, not the answer without it; 428 would be
 * as defensible]; `*` matches any version (RFC 9110) [inferred]; a list matches when one of its tags does; anything
 * else is 412 [inferred code, standard status].
 * @param request The request.
 * @param etag The record's current ETag.
 */
export function checkIfMatch(request: FastifyRequest, etag: string): void {
  const raw = request.headers["if-match"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (value === undefined || value.trim() === "") {
    throw graphError(
      400,
      GraphErrorCode.badRequest,
      "The If-Match header is required: send the @odata.etag of the object from a GET or LIST.",
    );
  }
  if (value.trim() === "*") return;
  // ETags of Graph are base64 inside quotes: no commas, so splitting the list on commas is safe.
  const tags = value.split(",").map(opaqueTag);
  if (!tags.includes(opaqueTag(etag))) {
    throw graphError(
      412,
      GraphErrorCode.preconditionFailed,
      "The If-Match ETag does not match the current version of the object: read it again and retry.",
    );
  }
}

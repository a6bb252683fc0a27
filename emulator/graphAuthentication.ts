/**
 * The bearer-token check of the emulator's Microsoft Graph routes: a token the emulator issued for the Graph audience
 * (`https://graph.microsoft.com`), valid now and for the partner tenant. Anything else, a Partner Center token
 * included, is refused with 401 `InvalidAuthenticationToken`, the code Graph answers every bad token with; the messages
 * are those Graph gives for the same faults where known (no token, bad audience, expired), else inferred.
 */
import type { EmulatorContext, RequestContext } from "./emulatorContext";
import { GraphErrorCode, GraphHttpError } from "./graphError";
import { GRAPH_APP_ID, type VerifyResult } from "./tokenService";

/** Graph's messages per failure. */
const MESSAGES: Record<Exclude<VerifyResult, { ok: true }>["reason"] | "missing", string> = {
  missing: "Access token is empty.",
  malformed: "CompactToken parsing failed with error code: 80049217",
  signature: "Access token validation failure. Invalid signature.",
  expired: "Lifetime validation failed, the token is expired.",
  not_yet_valid: "Lifetime validation failed, the token is not yet valid.",
  audience: "Access token validation failure. Invalid audience.",
  tenant: "Access token validation failure. Invalid tenant.",
};

function refused(reason: keyof typeof MESSAGES): GraphHttpError {
  return new GraphHttpError(401, GraphErrorCode.invalidAuthenticationToken, MESSAGES[reason], {
    // Graph names itself (its application id) as the resource a client must get a token for.
    "WWW-Authenticate": `Bearer realm="", client_id="${GRAPH_APP_ID}"`,
  });
}

/**
 * Checks the request's bearer token for a Graph route and records its claims and kind on the request context.
 * @param ctx The emulator.
 * @param authorization The `Authorization` header.
 * @param rc The request's bookkeeping.
 * @throws GraphHttpError 401 when the token is missing or not a valid Graph token.
 */
export async function authenticateGraph(
  ctx: EmulatorContext,
  authorization: string | undefined,
  rc: RequestContext,
): Promise<void> {
  const token = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (!token) throw refused("missing");
  const result = await ctx.tokens.verifyAccessToken(token, "graph");
  if (!result.ok) throw refused(result.reason);
  rc.claims = result.claims;
  rc.tokenKind = result.claims.idtyp;
}

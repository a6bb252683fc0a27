/**
 * The Entra ID side: token endpoint (v2.0 and v1), OpenID discovery, JWKS and instance discovery — what
 * `@azure/msal-node` calls when its authority is `{emulator url}/{tenantId}`.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { EmulatorContext } from "../emulatorContext";

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/** The OpenID configuration document of `{base}/{tenant}`, shaped like Entra's v2.0 one. */
function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const root = `${base}/${tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${root}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${root}/kerberos`,
    tenant_region_scope: "NA",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Registers the token, discovery and key routes. */
export function registerTokenRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const tokenHandler = async (
    request: FastifyRequest<{ Params: { tenant: string } }>,
    reply: import("fastify").FastifyReply,
  ) => {
    const params = (request.body ?? {}) as Record<string, string>;
    const result = await ctx.tokens.handleTokenRequest(request.params.tenant, params, baseUrl(request));
    const rc = ctx.requests.get(request);
    if (rc && result.tokenKind) rc.tokenKind = result.tokenKind;
    // Token answers must never be cached by intermediaries (RFC 6749 §5.1).
    return ctx.send(request, reply, result.status, result.body, { "Cache-Control": "no-store", Pragma: "no-cache" });
  };
  app.post("/:tenant/oauth2/v2.0/token", tokenHandler);
  app.post("/:tenant/oauth2/token", tokenHandler);

  app.get<{ Params: { tenant: string } }>("/:tenant/v2.0/.well-known/openid-configuration", (request, reply) =>
    ctx.send(request, reply, 200, openIdConfiguration(baseUrl(request), request.params.tenant)),
  );
  app.get<{ Params: { tenant: string } }>("/:tenant/.well-known/openid-configuration", (request, reply) =>
    ctx.send(request, reply, 200, openIdConfiguration(baseUrl(request), request.params.tenant)),
  );
  const keys = (request: FastifyRequest, reply: import("fastify").FastifyReply) =>
    ctx.send(request, reply, 200, ctx.tokens.jwks());
  app.get("/:tenant/discovery/v2.0/keys", keys);
  app.get("/:tenant/discovery/keys", keys);

  // Instance discovery, for MSAL configurations that do not list the emulator in knownAuthorities.
  app.get("/common/discovery/instance", (request, reply) => {
    const host = request.headers.host ?? request.hostname;
    return ctx.send(request, reply, 200, {
      tenant_discovery_endpoint: `${baseUrl(request)}/${ctx.tokens.identity.tenantId}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
}

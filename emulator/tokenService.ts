/**
 * The emulator's Microsoft Entra ID stand-in: it issues and verifies access tokens for two resources, Partner Center
 * and Microsoft Graph (the GDAP API).
 *
 * It implements just enough of the v2.0 token endpoint for unmodified `@azure/msal-node`: `client_credentials`
 * (client secret, certificate client assertion, workload-identity federated assertion) for either resource, and
 * `refresh_token` (App+User, rotating) for Partner Center. Tokens are real RS256 JWTs signed with jose; each carries
 * the audience of the resource it was asked for, and each front end accepts only its own (as the real services do:
 * a Partner Center token is not a Graph token). Error bodies copy Entra's
 * `{error, error_description: "AADSTSnnnn: …", error_codes, …}` shape.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import {
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  importX509,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";
import { certificateThumbprints } from "./certificates";

/** Audience of Partner Center access tokens (the resource). */
export const PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com";
/** Entra application id of the "Microsoft Partner Center" API, also accepted as audience. */
export const PARTNER_CENTER_APP_ID = "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd";
/** Audience of Microsoft Graph access tokens (the resource): `https://graph.microsoft.com/.default` asks for it. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Entra application id of Microsoft Graph, also accepted as audience (and as `resource` on the v1 endpoint). */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/**
 * The application permission App-only Graph tokens carry in `roles`: the one the GDAP API requires [MS, "Create
 * delegatedAdminRelationship", permissions table]. The emulator grants it to the demo app as if consented.
 */
export const GDAP_GRAPH_PERMISSION = "DelegatedAdminRelationship.ReadWrite.All";
/** Audience every workload-identity federated token must carry. */
export const FEDERATED_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
/** Issuer of the emulator's federated (workload identity) tokens. `.invalid` marks it as never resolvable. */
export const DEFAULT_FEDERATED_ISSUER = "https://oidc.partner-center-emulator.invalid";
/** Subject the demo app's federated credential trusts by default. */
export const DEFAULT_FEDERATED_SUBJECT = "system:serviceaccount:default:pulumi-partnercenter";
/** Clock tolerance when checking access tokens, as ASP.NET's default `ClockSkew` that Partner Center runs on. */
export const ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS = 300;

const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Bound on the verified-token cache; beyond it the cache starts over (tokens are re-verified, never trusted blind). */
const VERIFIED_CACHE_LIMIT = 10_000;
/** Bound on remembered refresh tokens; the oldest rotated-out ones go first. */
const REFRESH_TOKEN_LIMIT = 10_000;

/** The partner tenant, app registration and delegated user the emulator knows. */
export interface EmulatorIdentity {
  /** The partner's tenant id. */
  tenantId: string;
  /** The partner tenant's initial domain. */
  partnerDomain: string;
  /** App registration (client) id. */
  clientId: string;
  /** The app's client secret (App-only and confidential App+User). */
  clientSecret: string;
  /** Object id of the app's service principal (`oid` of app-only tokens). */
  servicePrincipalId: string;
  /** The partner user behind App+User tokens. */
  user: { objectId: string; userPrincipalName: string; displayName: string };
  /** Subject the app's workload-identity federated credential trusts. */
  federatedSubject: string;
  /** Issuer the app's workload-identity federated credential trusts. */
  federatedIssuer: string;
}

/** A refresh token the emulator issued. */
export interface RefreshTokenRecord {
  /** Client the token was issued to; only that client may redeem it. */
  clientId: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
}

/** Everything the token service needs to survive a restart (stored in the state file). */
export interface TokenServiceState {
  identity: EmulatorIdentity;
  /** Private RS256 JWK (with `kid`) signing access and ID tokens. */
  signingKey: JWK;
  /** Private RS256 JWK (with `kid`) signing federated tokens. */
  federationKey: JWK;
  /** Issued refresh tokens, by token. */
  refreshTokens: Record<string, RefreshTokenRecord>;
  /** Refresh tokens issued at or before this epoch ms are revoked. */
  revokedBefore: number;
  /** The refresh token handed out as demo credential. */
  demoRefreshToken: string;
  /** Registered client certificates (PEM). */
  clientCertificates: string[];
}

/** Claims the emulator puts in (and requires of) its access tokens. */
export interface AccessTokenClaims extends JWTPayload {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  azp: string;
  idtyp: "app" | "user";
  oid: string;
  sub: string;
  upn?: string;
  unique_name?: string;
  name?: string;
  scp?: string;
  roles?: string[];
  amr?: string[];
  ver: "1.0";
  iat: number;
  nbf: number;
  exp: number;
}

/** The resources the emulator issues tokens for: Partner Center and Microsoft Graph. */
export type TokenAudience = "partnerCenter" | "graph";

/** Outcome of checking a bearer token. */
export type VerifyResult =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: "malformed" | "signature" | "expired" | "not_yet_valid" | "audience" | "tenant" };

/** Answer of the token endpoint: an HTTP status plus the JSON body. */
export interface TokenEndpointResult {
  status: number;
  body: Record<string, unknown>;
  /** How the client authenticated, for the request log. */
  tokenKind?: "app" | "user";
}

/** Options of {@link TokenService.issueFederatedToken}. */
export interface FederatedTokenOptions {
  /** `sub` claim; default the subject the app trusts. */
  subject?: string;
  /** `aud` claim; default `api://AzureADTokenExchange`. */
  audience?: string;
  /** `iss` claim; default the emulator's federated issuer. */
  issuer?: string;
  /** Lifetime in seconds; default 3600. Negative values make an already expired token. */
  lifetimeSeconds?: number;
}

/** Mutable knobs of the token service (lifetime, skew, MFA). */
export interface TokenSettings {
  /** Access-token lifetime in seconds. */
  lifetimeSeconds: number;
  /** Shift of the issuer's clock in seconds (`iat`/`nbf`/`exp` move; `expires_in` does not). */
  clockSkewSeconds: number;
  /** Whether App+User tokens carry `amr: ["pwd","mfa"]` (true) or `["pwd"]`. */
  mfa: boolean;
  /**
   * Lifetime in seconds of the refresh tokens issued from now on (by rotation and by `issueRefreshToken`), stated in
   * every token response as `refresh_token_expires_in`, as token services that announce a lifetime do. Unset (the
   * default, and after `reset`): 90 days, not stated — what Microsoft Entra does for this flow. Zero or negative
   * values issue tokens that are already expired.
   */
  refreshTokenLifetimeSeconds?: number | undefined;
}

/** The token service: see the module comment. */
export interface TokenService {
  /** The identity (tenant, app, user). */
  readonly identity: EmulatorIdentity;
  /** Current lifetime / skew / MFA settings; assign fields to change them. */
  readonly settings: TokenSettings;
  /** Serializable state for the state file. */
  snapshot(): TokenServiceState;
  /**
   * Handles a token-endpoint POST.
   * @param tenant The tenant path segment.
   * @param params The form fields.
   * @param baseUrl The emulator's base URL as the client addressed it (issuer of ID tokens).
   */
  handleTokenRequest(tenant: string, params: Record<string, string>, baseUrl: string): Promise<TokenEndpointResult>;
  /**
   * Verifies a bearer token (signature once, then cached; times and audience every time).
   * @param token The bearer token.
   * @param audience The resource the route belongs to (default Partner Center): a token for the other one is refused
   * with reason `audience`.
   */
  verifyAccessToken(token: string, audience?: TokenAudience): Promise<VerifyResult>;
  /** Public JWKS of the access/ID-token signing key. */
  jwks(): { keys: JWK[] };
  /** Issues a workload-identity token the app can present as `client_assertion`. */
  issueFederatedToken(options?: FederatedTokenOptions): Promise<string>;
  /** Issues a fresh refresh token for the demo user (as a new interactive consent would). */
  issueRefreshToken(): string;
  /** Revokes every refresh token issued so far; redeeming one then fails with `invalid_grant`. */
  revokeRefreshTokens(): void;
  /** Registers a client certificate (PEM) whose key may sign client assertions. */
  registerClientCertificate(certificatePem: string): Promise<void>;
  /** Restores the start-up settings (refresh tokens: 90 days, not stated) and forgets revocations (keeps keys and identity). */
  reset(settings: TokenSettings): void;
}

/** Inputs of {@link createTokenService}. */
export interface TokenServiceInit {
  /** State loaded from the state file, if any. */
  state?: TokenServiceState;
  /** Identity overrides (tenant id, client id/secret) from options. */
  identity?: Partial<Pick<EmulatorIdentity, "tenantId" | "clientId" | "clientSecret" | "federatedSubject">>;
  /** Refresh token to hand out as demo credential (from options). */
  refreshToken?: string;
  /** Start-up settings. */
  settings: TokenSettings;
  /** Extra certificates to register (PEM). */
  clientCertificates?: readonly string[];
  /** Called after any change that must reach the state file. */
  onChange: () => void;
}

function newRefreshToken(): string {
  // Entra refresh tokens are opaque; the "0.A" prefix only makes them look familiar in logs.
  return `0.A${randomBytes(48).toString("base64url")}`;
}

function newSecret(): string {
  // Entra client secrets are 40 characters with a "~" in the fourth place.
  return `${randomBytes(2).toString("hex").slice(0, 3)}8Q~${randomBytes(27).toString("base64url").slice(0, 36)}`;
}

function entraError(
  status: number,
  error: string,
  aadsts: number,
  text: string,
  correlationId = randomUUID(),
): TokenEndpointResult {
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  const traceId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a).digest();
  const right = createHash("sha256").update(b).digest();
  return timingSafeEqual(left, right);
}

/** Resource identifiers (application ID URI and application id) of each audience, as scopes may name them. */
const RESOURCE_IDS: Readonly<Record<TokenAudience, readonly string[]>> = {
  partnerCenter: [PARTNER_CENTER_RESOURCE, PARTNER_CENTER_APP_ID],
  graph: [GRAPH_RESOURCE, GRAPH_APP_ID],
};

/** A requested scope split into the resource it names and the permission part (`.default`, `user_impersonation`). */
interface RequestedScope {
  audience: TokenAudience;
  permission: string;
}

/** The resource and permission a scope names, or undefined for a resource the emulator does not serve. */
function parseScope(scope: string): RequestedScope | undefined {
  for (const audience of ["partnerCenter", "graph"] as const) {
    for (const resource of RESOURCE_IDS[audience]) {
      if (scope.toLowerCase().startsWith(`${resource.toLowerCase()}/`)) {
        return { audience, permission: scope.slice(resource.length + 1) };
      }
    }
  }
  return undefined;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomBytes(12).toString("base64url"), alg: "RS256", use: "sig" };
}

function publicJwk(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use };
}

/**
 * Creates the token service, generating keys and identity on first start and reusing `init.state` afterwards.
 */
export async function createTokenService(init: TokenServiceInit): Promise<TokenService> {
  const state: TokenServiceState = init.state
    ? structuredClone(init.state)
    : await (async () => {
        const tenantId = init.identity?.tenantId ?? randomUUID();
        const demoRefreshToken = init.refreshToken ?? newRefreshToken();
        const now = Date.now();
        // Key generation runs on libuv's thread pool: both keys at once halve start-up time.
        const [signingKey, federationKey] = await Promise.all([newSigningKey(), newSigningKey()]);
        return {
          identity: {
            tenantId,
            partnerDomain: "partneremulator.onmicrosoft.com",
            clientId: init.identity?.clientId ?? randomUUID(),
            clientSecret: init.identity?.clientSecret ?? newSecret(),
            servicePrincipalId: randomUUID(),
            user: {
              objectId: randomUUID(),
              userPrincipalName: "integration@partneremulator.onmicrosoft.com",
              displayName: "Emulator Integration User",
            },
            federatedSubject: init.identity?.federatedSubject ?? DEFAULT_FEDERATED_SUBJECT,
            federatedIssuer: DEFAULT_FEDERATED_ISSUER,
          },
          signingKey,
          federationKey,
          refreshTokens: {
            [demoRefreshToken]: { clientId: "", issuedAt: now, expiresAt: now + REFRESH_TOKEN_LIFETIME_MS },
          },
          revokedBefore: 0,
          demoRefreshToken,
          clientCertificates: [],
        };
      })();
  const identity = state.identity;
  // The demo token belongs to the app; it was minted before the client id may have been known.
  const demo = state.refreshTokens[state.demoRefreshToken];
  if (demo) demo.clientId = identity.clientId;

  const settings: TokenSettings = { ...init.settings };
  const signingPrivateKey = await importJWK(state.signingKey, "RS256");
  const signingPublicKey = await importJWK(publicJwk(state.signingKey), "RS256");
  const federationPrivateKey = await importJWK(state.federationKey, "RS256");
  const federationPublicKey = await importJWK(publicJwk(state.federationKey), "RS256");
  const refreshTokens = new Map(Object.entries(state.refreshTokens));
  /** Client certificates by base64url SHA-1 and SHA-256 thumbprint. */
  const certificates = new Map<string, string>();
  const certificateKeys = new Map<string, Awaited<ReturnType<typeof importX509>>>();
  /** Signature-verified access tokens → claims. Time and audience are still checked on every use. */
  const verified = new Map<string, AccessTokenClaims>();

  async function addCertificate(pem: string): Promise<void> {
    const { x5t, x5tS256 } = await certificateThumbprints(pem);
    certificates.set(x5t, pem);
    certificates.set(x5tS256, pem);
  }
  for (const pem of [...state.clientCertificates, ...(init.clientCertificates ?? [])]) await addCertificate(pem);
  for (const pem of init.clientCertificates ?? []) {
    if (!state.clientCertificates.includes(pem)) state.clientCertificates.push(pem);
  }

  const issuerNow = (): number => Math.floor(Date.now() / 1000) + settings.clockSkewSeconds;

  /** Lifetime of a refresh token issued now: the knob when set, else Entra's 90 days. */
  function refreshTokenLifetimeMs(): number {
    const seconds = settings.refreshTokenLifetimeSeconds;
    return seconds === undefined ? REFRESH_TOKEN_LIFETIME_MS : seconds * 1000;
  }

  function rememberRefreshToken(token: string, record: RefreshTokenRecord): void {
    refreshTokens.set(token, record);
    if (refreshTokens.size > REFRESH_TOKEN_LIMIT) {
      for (const key of refreshTokens.keys()) {
        if (key !== state.demoRefreshToken) {
          refreshTokens.delete(key);
          break;
        }
      }
    }
  }

  async function signAccessToken(
    kind: "app" | "user",
    authMethod: "secret" | "certificate" | "federated",
    audience: TokenAudience = "partnerCenter",
  ) {
    const iat = issuerNow();
    const base = {
      tid: identity.tenantId,
      appid: identity.clientId,
      azp: identity.clientId,
      // appidacr: 1 = client secret, 2 = certificate or assertion (Entra's convention).
      appidacr: authMethod === "secret" ? "1" : "2",
      idtyp: kind,
      ver: "1.0",
    };
    // Graph app-only tokens list the application permissions granted to the app; Partner Center's list none.
    const roles = audience === "graph" ? [GDAP_GRAPH_PERMISSION] : [];
    const claims =
      kind === "app"
        ? { ...base, oid: identity.servicePrincipalId, sub: identity.servicePrincipalId, roles }
        : {
            ...base,
            oid: identity.user.objectId,
            sub: identity.user.objectId,
            upn: identity.user.userPrincipalName,
            unique_name: identity.user.userPrincipalName,
            name: identity.user.displayName,
            scp: "user_impersonation",
            amr: settings.mfa ? ["pwd", "mfa"] : ["pwd"],
          };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: state.signingKey.kid })
      .setIssuer(`https://sts.windows.net/${identity.tenantId}/`)
      .setAudience(audience === "graph" ? GRAPH_RESOURCE : PARTNER_CENTER_RESOURCE)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + settings.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(signingPrivateKey);
  }

  async function signIdToken(issuerBase: string): Promise<string> {
    const iat = issuerNow();
    return new SignJWT({
      tid: identity.tenantId,
      oid: identity.user.objectId,
      preferred_username: identity.user.userPrincipalName,
      name: identity.user.displayName,
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: state.signingKey.kid })
      .setIssuer(issuerBase)
      .setSubject(identity.user.objectId)
      .setAudience(identity.clientId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + settings.lifetimeSeconds)
      .sign(signingPrivateKey);
  }

  /** Checks the client's credential; returns how it authenticated or an Entra error. */
  async function authenticateClient(
    tenant: string,
    params: Record<string, string>,
  ): Promise<{ method: "secret" | "certificate" | "federated" } | TokenEndpointResult> {
    if (params.client_secret !== undefined) {
      return safeEqual(params.client_secret, identity.clientSecret)
        ? { method: "secret" }
        : entraError(401, "invalid_client", 7000215, "Invalid client secret provided.");
    }
    const assertion = params.client_assertion;
    if (assertion === undefined) {
      return entraError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    if (params.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      return entraError(400, "invalid_request", 50027, "Invalid client_assertion_type.");
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(assertion);
      payload = decodeJwt(assertion);
    } catch {
      return entraError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== "number" || payload.exp + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS < now) {
      return entraError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }
    if (payload.iss === identity.clientId) {
      // Certificate credential: iss = sub = client id, aud = this tenant's token endpoint, x5t names the cert.
      const thumbprint = (header["x5t#S256"] as string | undefined) ?? header.x5t;
      const pem = thumbprint ? certificates.get(thumbprint) : undefined;
      if (!pem || !thumbprint) {
        return entraError(
          401,
          "invalid_client",
          700027,
          "The certificate with identifier used to sign the client assertion is not registered on application.",
        );
      }
      const alg = header.alg ?? "";
      if (alg !== "RS256" && alg !== "PS256") {
        return entraError(
          401,
          "invalid_client",
          5002738,
          `Invalid JWT token. '${alg}' is not a supported signature algorithm.`,
        );
      }
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ""];
      const audienceOk = audiences.some((aud) => {
        try {
          return new RegExp(`^/${tenant}/oauth2(/v2\\.0)?/token$`, "i").test(new URL(aud).pathname);
        } catch {
          return false;
        }
      });
      if (payload.sub !== identity.clientId || !audienceOk) {
        return entraError(
          401,
          "invalid_client",
          700021,
          "Client assertion application identifier doesn't match 'client_id' parameter or the audience is wrong.",
        );
      }
      const cacheKey = `${thumbprint}:${alg}`;
      let key = certificateKeys.get(cacheKey);
      if (!key) {
        key = await importX509(pem, alg);
        certificateKeys.set(cacheKey, key);
      }
      try {
        await compactVerify(assertion, key);
      } catch {
        return entraError(401, "invalid_client", 700027, "Client assertion failed signature validation.");
      }
      return { method: "certificate" };
    }
    // Workload identity federation: a token from a trusted external issuer for the configured subject.
    try {
      await compactVerify(assertion, federationPublicKey);
    } catch {
      return entraError(
        401,
        "invalid_client",
        700211,
        "No matching federated identity record found for presented assertion issuer.",
      );
    }
    if (payload.iss !== identity.federatedIssuer) {
      return entraError(
        401,
        "invalid_client",
        700211,
        `No matching federated identity record found for presented assertion issuer '${payload.iss}'.`,
      );
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(FEDERATED_TOKEN_AUDIENCE)) {
      return entraError(
        401,
        "invalid_client",
        700212,
        "No matching federated identity record found for presented assertion audience.",
      );
    }
    if (payload.sub !== identity.federatedSubject) {
      return entraError(
        401,
        "invalid_client",
        700213,
        `No matching federated identity record found for presented assertion subject '${payload.sub}'.`,
      );
    }
    if (typeof payload.nbf === "number" && payload.nbf - ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS > now) {
      return entraError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    }
    return { method: "federated" };
  }

  /**
   * Parses the requested scopes (v2 `scope` or v1 `resource`) into the one resource and permission asked for;
   * undefined for an unknown resource or for several resources at once (Entra refuses both).
   */
  function requestedScope(params: Record<string, string>): RequestedScope | undefined {
    if (params.resource !== undefined) {
      const resource = params.resource.replace(/\/+$/, "").toLowerCase();
      for (const audience of ["partnerCenter", "graph"] as const) {
        if (RESOURCE_IDS[audience].some((id) => id.toLowerCase() === resource))
          return { audience, permission: ".default" };
      }
      return undefined;
    }
    const scopes = (params.scope ?? "")
      .split(/\s+/)
      .filter((scope) => scope && !["openid", "profile", "offline_access", "email"].includes(scope))
      .map(parseScope);
    if (scopes.length !== 1) return undefined;
    return scopes[0];
  }

  async function handleTokenRequest(
    tenant: string,
    params: Record<string, string>,
    baseUrl: string,
  ): Promise<TokenEndpointResult> {
    if (tenant.toLowerCase() !== identity.tenantId && tenant.toLowerCase() !== identity.partnerDomain) {
      return entraError(400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
    }
    const grant = params.grant_type;
    if (grant !== "client_credentials" && grant !== "refresh_token") {
      return entraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    if (params.client_id !== identity.clientId) {
      return entraError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${params.client_id ?? ""}' was not found in the directory '${identity.tenantId}'.`,
      );
    }
    const requested = requestedScope(params);
    const permission = requested?.permission;
    if (permission === undefined || (grant === "client_credentials" && permission !== ".default")) {
      return entraError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope '${params.scope ?? params.resource ?? ""}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI) of ${PARTNER_CENTER_RESOURCE}.`,
      );
    }
    if (permission !== ".default" && permission !== "user_impersonation") {
      return entraError(
        400,
        "invalid_scope",
        70011,
        `The provided value for the input parameter 'scope' is not valid.`,
      );
    }
    const audience = requested?.audience ?? "partnerCenter";
    if (audience === "graph" && grant !== "client_credentials") {
      // The emulator's Graph stands in for the GDAP API, which the provider calls App-only: it issues no delegated
      // Graph tokens (no consent for them exists in the demo tenant).
      return entraError(
        400,
        "invalid_grant",
        65001,
        `The user or administrator has not consented to use the application with ID '${identity.clientId}' for ${GRAPH_RESOURCE}. The emulator issues Microsoft Graph tokens App-only (client credentials).`,
      );
    }
    const client = await authenticateClient(tenant, params);
    if (!("method" in client)) return client;

    const expiresIn = settings.lifetimeSeconds;
    if (grant === "client_credentials") {
      return {
        status: 200,
        tokenKind: "app",
        body: {
          token_type: "Bearer",
          expires_in: expiresIn,
          ext_expires_in: expiresIn,
          access_token: await signAccessToken("app", client.method, audience),
        },
      };
    }

    const presented = params.refresh_token ?? "";
    const record = refreshTokens.get(presented);
    if (!record) {
      return entraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    }
    if (record.clientId !== identity.clientId) {
      return entraError(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
    }
    if (record.issuedAt <= state.revokedBefore) {
      return entraError(
        400,
        "invalid_grant",
        50173,
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
      );
    }
    if (record.expiresAt <= Date.now()) {
      return entraError(400, "invalid_grant", 700082, "The refresh token has expired due to inactivity.");
    }
    // Rotation: every redemption returns a new refresh token. As in Entra, the presented one stays valid.
    const rotated = newRefreshToken();
    const now = Date.now();
    const statedLifetime = settings.refreshTokenLifetimeSeconds;
    rememberRefreshToken(rotated, {
      clientId: identity.clientId,
      issuedAt: now,
      expiresAt: now + refreshTokenLifetimeMs(),
    });
    init.onChange();
    const issuerBase = `${baseUrl}/${identity.tenantId}/v2.0`;
    return {
      status: 200,
      tokenKind: "user",
      body: {
        token_type: "Bearer",
        scope: `${PARTNER_CENTER_RESOURCE}/user_impersonation`,
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: await signAccessToken("user", client.method),
        refresh_token: rotated,
        ...(statedLifetime === undefined ? {} : { refresh_token_expires_in: statedLifetime }),
        id_token: await signIdToken(issuerBase),
        // MSAL builds the account (home account id) from client_info = base64url({uid, utid}).
        client_info: Buffer.from(JSON.stringify({ uid: identity.user.objectId, utid: identity.tenantId })).toString(
          "base64url",
        ),
      },
    };
  }

  function checkTimesAndAudience(claims: AccessTokenClaims, audience: TokenAudience): VerifyResult {
    const now = Math.floor(Date.now() / 1000);
    if (!RESOURCE_IDS[audience].includes(claims.aud)) return { ok: false, reason: "audience" };
    if (claims.tid !== identity.tenantId) return { ok: false, reason: "tenant" };
    if (claims.exp + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS <= now) return { ok: false, reason: "expired" };
    if (claims.nbf - ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS > now) return { ok: false, reason: "not_yet_valid" };
    return { ok: true, claims };
  }

  async function verifyAccessToken(token: string, audience: TokenAudience = "partnerCenter"): Promise<VerifyResult> {
    const cached = verified.get(token);
    if (cached) return checkTimesAndAudience(cached, audience);
    let claims: AccessTokenClaims;
    try {
      const { payload } = await compactVerify(token, signingPublicKey);
      claims = JSON.parse(Buffer.from(payload).toString("utf8")) as AccessTokenClaims;
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { ok: false, reason: code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "signature" : "malformed" };
    }
    if (
      typeof claims.exp !== "number" ||
      typeof claims.nbf !== "number" ||
      (claims.idtyp !== "app" && claims.idtyp !== "user")
    ) {
      return { ok: false, reason: "malformed" };
    }
    if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
    verified.set(token, claims);
    return checkTimesAndAudience(claims, audience);
  }

  return {
    identity,
    settings,
    snapshot: () => ({ ...state, refreshTokens: Object.fromEntries(refreshTokens) }),
    handleTokenRequest,
    verifyAccessToken,
    jwks: () => ({ keys: [publicJwk(state.signingKey)] }),
    async issueFederatedToken(options: FederatedTokenOptions = {}): Promise<string> {
      const iat = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: state.federationKey.kid })
        .setIssuer(options.issuer ?? identity.federatedIssuer)
        .setSubject(options.subject ?? identity.federatedSubject)
        .setAudience(options.audience ?? FEDERATED_TOKEN_AUDIENCE)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + (options.lifetimeSeconds ?? 3600))
        .setJti(randomUUID())
        .sign(federationPrivateKey);
    },
    issueRefreshToken(): string {
      const token = newRefreshToken();
      const now = Date.now();
      // Strictly after any revocation point, even within the same millisecond.
      const issuedAt = Math.max(now, state.revokedBefore + 1);
      rememberRefreshToken(token, {
        clientId: identity.clientId,
        issuedAt,
        expiresAt: now + refreshTokenLifetimeMs(),
      });
      init.onChange();
      return token;
    },
    revokeRefreshTokens(): void {
      state.revokedBefore = Math.max(Date.now(), ...[...refreshTokens.values()].map((record) => record.issuedAt));
      init.onChange();
    },
    async registerClientCertificate(certificatePem: string): Promise<void> {
      await addCertificate(certificatePem);
      if (!state.clientCertificates.includes(certificatePem)) state.clientCertificates.push(certificatePem);
      init.onChange();
    },
    reset(next: TokenSettings): void {
      settings.refreshTokenLifetimeSeconds = undefined;
      Object.assign(settings, next);
      state.revokedBefore = 0;
      init.onChange();
    },
  };
}

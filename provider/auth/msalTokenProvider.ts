import type {
  AuthenticationResult,
  ConfidentialClientApplication,
  Configuration,
  IConfidentialClientApplication,
  IPublicClientApplication,
} from "@azure/msal-node";
import { isPartnerCenterError, PartnerCenterError } from "../foundation/partnerCenterError";
import { redactText, truncate } from "../foundation/redact";
import type { GetAccessTokenOptions, TokenProvider } from "../foundation/tokenProvider";
import { loadClientCertificate } from "./clientCertificate";
import { createFederatedTokenReader } from "./federatedTokenFile";
import { type CachedToken, getOrAcquireToken, tokenCacheKey } from "./tokenCache";

/** How the application proves its identity to Microsoft Entra. */
export type AppCredentialSource =
  /** A client secret. */
  | { readonly type: "clientSecret"; readonly clientSecret: string }
  /** A PEM certificate with its private key, as content or a file path, optionally password-protected. */
  | {
      readonly type: "clientCertificate";
      readonly pem?: string | undefined;
      readonly path?: string | undefined;
      readonly password?: string | undefined;
    }
  /** Workload identity federation: a JWT client assertion read from a file that is rotated underneath us. */
  | { readonly type: "federatedToken"; readonly tokenFile: string }
  /** No client credential: a public client redeeming a refresh token (native apps support App+User only). */
  | { readonly type: "none" };

/** Options of {@link createMsalTokenProvider}. */
export interface MsalTokenProviderOptions {
  /** Application (client) id. */
  readonly clientId: string;
  /** Full authority URL: `https://<authority host>/<tenant>` (or the emulator's `https://127.0.0.1:PORT/<tenant>`). */
  readonly authority: string;
  /** The one scope requested: `<endpoint>/.default` (App-only) or `<endpoint>/user_impersonation` (App+User). */
  readonly scope: string;
  /** The application's credential. */
  readonly credential: AppCredentialSource;
  /** A refresh token makes the provider App+User: it is redeemed (and rotated) instead of client credentials. */
  readonly refreshToken?: string | undefined;
  /**
   * Authority hosts MSAL may trust without instance discovery. Default: the authority's own host when it is not one
   * of Microsoft's (an emulator, a sovereign cloud MSAL does not know).
   */
  readonly knownAuthorities?: readonly string[] | undefined;
  /** Renew tokens this long before expiry. Default 5 minutes. */
  readonly expiryMarginMs?: number | undefined;
  /**
   * Called with the new refresh token whenever MSAL rotates it (every redemption), and what the token endpoint said
   * about its lifetime. Partner Center's guidance is to persist the newest one; the provider keeps it in memory either
   * way. The value is a secret. The acquisition awaits a returned promise, and fails with what it throws or rejects
   * with (a `PartnerCenterError` as is): losing a rotated token must not pass unnoticed.
   */
  readonly onRefreshTokenRotated?: ((refreshToken: string, details: RotatedRefreshTokenDetails) => unknown) | undefined;
  /**
   * How to replace a rejected refresh token, for the `invalid_grant` error message. Default: set
   * `partnercenter:refreshToken` or `PARTNERCENTER_REFRESH_TOKEN`.
   */
  readonly refreshTokenRemedy?: string | undefined;
}

/** What the token endpoint said about a rotated refresh token. */
export interface RotatedRefreshTokenDetails {
  /**
   * When the new refresh token expires, if the token endpoint stated it (`refresh_token_expires_in`). Microsoft Entra
   * states it for single-page apps only, not for this flow (its refresh tokens expire after 90 days without use), so
   * with Entra this is `undefined`: the lifetime is not known, and nothing is guessed.
   */
  readonly expiresAt?: Date | undefined;
}

/** The `invalid_grant` advice when no {@link MsalTokenProviderOptions.refreshTokenRemedy} is given. */
const DEFAULT_REFRESH_TOKEN_REMEDY =
  "set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken …) or " +
  "PARTNERCENTER_REFRESH_TOKEN";

/** Authority hosts MSAL knows by itself. Anything else gets `knownAuthorities` so that discovery is skipped. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.partner.microsoftonline.cn",
  "login.usgovcloudapi.net",
]);

// Process-wide caches (cache entries only, keyed by hashes): MSAL applications for client-credential flows, and the
// newest refresh token MSAL handed back for each configured one.
const confidentialApps = new Map<string, Promise<ConfidentialClientApplication>>();
const rotatedRefreshTokens = new Map<string, string>();

let msalModule: Promise<typeof import("@azure/msal-node")> | undefined;
function loadMsal(): Promise<typeof import("@azure/msal-node")> {
  msalModule ??= import("@azure/msal-node");
  return msalModule;
}

/**
 * A {@link TokenProvider} backed by `@azure/msal-node`.
 *
 * - App-only: client credentials (secret, certificate, or federated assertion) for `scope`.
 * - App+User: `acquireTokenByRefreshToken` with the configured refresh token; MSAL rotates refresh tokens, and the
 *   newest one is kept in memory for the next redemption and handed to `onRefreshTokenRotated` (which may persist
 *   it). A rejected refresh token (`invalid_grant`) is a {@link PartnerCenterError} kind `auth` that names the
 *   setting to fix.
 *
 * Tokens are cached per process by a hash of credential and scope, with single-flight acquisition: any number of
 * concurrent calls make one token request.
 */
export function createMsalTokenProvider(options: MsalTokenProviderOptions): TokenProvider {
  if (!options.refreshToken && options.credential.type === "none") {
    throw new PartnerCenterError({
      kind: "config",
      operation: "Creating the token provider",
      description: "App-only authentication needs a client secret, a certificate or a federated token file",
    });
  }
  const key = tokenCacheKey([
    "msal",
    options.clientId,
    options.authority.toLowerCase(),
    options.scope,
    ...credentialFingerprint(options.credential),
    options.refreshToken,
  ]);
  const identity: TokenProvider["identity"] = options.refreshToken ? "app+user" : "app";
  const secrets = (): string[] => secretsOf(options, key);
  return {
    identity,
    getAccessToken(tokenOptions: GetAccessTokenOptions = {}): Promise<string> {
      return getOrAcquireToken(
        key,
        async (forceRefresh) => {
          try {
            return options.refreshToken
              ? await acquireByRefreshToken(options, key)
              : await acquireByClientCredential(options, key, forceRefresh);
          } catch (error) {
            throw mapMsalError(error, options, secrets());
          }
        },
        { forceRefresh: tokenOptions.forceRefresh, signal: tokenOptions.signal, marginMs: options.expiryMarginMs },
      );
    },
  };
}

async function acquireByClientCredential(
  options: MsalTokenProviderOptions,
  key: string,
  forceRefresh: boolean,
): Promise<CachedToken> {
  let app = confidentialApps.get(key);
  if (!app) {
    app = buildConfiguration(options).then(async (configuration) => {
      const msal = await loadMsal();
      return new msal.ConfidentialClientApplication(configuration);
    });
    confidentialApps.set(key, app);
    app.catch(() => confidentialApps.delete(key));
  }
  const result = await (await app).acquireTokenByClientCredential({
    scopes: [options.scope],
    // Our own cache sits in front of MSAL's; a forced refresh (after a 401) must reach the token endpoint.
    skipCache: forceRefresh,
  });
  return toCachedToken(result);
}

async function acquireByRefreshToken(options: MsalTokenProviderOptions, key: string): Promise<CachedToken> {
  const msal = await loadMsal();
  const configuration = await buildConfiguration(options);
  // A fresh application per redemption: its token cache then holds exactly the refresh token this redemption
  // returned, so reading the rotated one back is unambiguous. Redemptions are rare (cached tokens last ~1 h).
  const app: IConfidentialClientApplication | IPublicClientApplication =
    options.credential.type === "none"
      ? new msal.PublicClientApplication(configuration)
      : new msal.ConfidentialClientApplication(configuration);
  const refreshToken = rotatedRefreshTokens.get(key) ?? options.refreshToken!;
  const result = await app.acquireTokenByRefreshToken({
    refreshToken,
    scopes: [options.scope],
    // Without an account in the cache MSAL would not store the response, and the rotated refresh token with it.
    forceCache: true,
  });
  const rotated = newestRefreshToken(app);
  if (rotated && rotated.secret !== refreshToken) {
    rotatedRefreshTokens.set(key, rotated.secret);
    // Awaited, and a failure fails this acquisition: a rotated token that could not be kept must not go unnoticed.
    // The token endpoint keeps the presented token valid, so the next attempt can still redeem either one.
    await options.onRefreshTokenRotated?.(rotated.secret, { expiresAt: rotated.expiresAt });
  }
  return toCachedToken(result);
}

/**
 * Reads the refresh token MSAL cached from the last response (MSAL never returns it in the result), with its expiry
 * when the response stated one (`refresh_token_expires_in`, which MSAL keeps as the entry's `expiresOn` in seconds).
 */
function newestRefreshToken(
  app: IConfidentialClientApplication | IPublicClientApplication,
): { secret: string; expiresAt?: Date } | undefined {
  try {
    const entries = Object.values(app.getTokenCache().getKVStore()) as Array<{
      credentialType?: unknown;
      secret?: unknown;
      expiresOn?: unknown;
    }>;
    const newest = entries
      .filter((entry) => entry?.credentialType === "RefreshToken")
      .filter((entry): entry is { secret: string; expiresOn?: unknown } => typeof entry.secret === "string")
      .filter((entry) => entry.secret !== "")
      .at(-1);
    if (!newest) return undefined;
    const expiresOnSeconds = Number(newest.expiresOn);
    return Number.isFinite(expiresOnSeconds) && expiresOnSeconds > 0
      ? { secret: newest.secret, expiresAt: new Date(expiresOnSeconds * 1000) }
      : { secret: newest.secret };
  } catch {
    return undefined;
  }
}

function toCachedToken(result: AuthenticationResult | null): CachedToken {
  if (!result?.accessToken) {
    throw new PartnerCenterError({ kind: "auth", description: "Microsoft Entra returned no access token" });
  }
  const expiresAtMs = result.expiresOn ? result.expiresOn.getTime() : Date.now() + 55 * 60 * 1000;
  return { token: result.accessToken, expiresAtMs };
}

async function buildConfiguration(options: MsalTokenProviderOptions): Promise<Configuration> {
  const authorityHost = new URL(options.authority).host;
  const knownAuthorities =
    options.knownAuthorities ??
    (MICROSOFT_AUTHORITY_HOSTS.has(authorityHost.toLowerCase()) ? undefined : [authorityHost]);
  const auth: Configuration["auth"] = {
    clientId: options.clientId,
    authority: options.authority,
    ...(knownAuthorities ? { knownAuthorities: [...knownAuthorities] } : {}),
  };
  const credential = options.credential;
  switch (credential.type) {
    case "clientSecret":
      auth.clientSecret = credential.clientSecret;
      break;
    case "clientCertificate": {
      const loaded = await loadClientCertificate({
        pem: credential.pem,
        path: credential.path,
        password: credential.password,
        settingName: credential.pem ? "partnercenter:clientCertificate" : "partnercenter:clientCertificatePath",
      });
      auth.clientCertificate = { thumbprintSha256: loaded.thumbprintSha256, privateKey: loaded.privateKey };
      break;
    }
    case "federatedToken": {
      const read = createFederatedTokenReader(credential.tokenFile);
      // MSAL calls this for every token request, so a rotated file is picked up without restarting.
      auth.clientAssertion = () => read();
      break;
    }
    case "none":
      break;
  }
  return { auth };
}

function credentialFingerprint(credential: AppCredentialSource): Array<string | undefined> {
  switch (credential.type) {
    case "clientSecret":
      return ["secret", credential.clientSecret];
    case "clientCertificate":
      return ["certificate", credential.pem, credential.path, credential.password];
    case "federatedToken":
      return ["federated", credential.tokenFile];
    case "none":
      return ["none"];
  }
}

function secretsOf(options: MsalTokenProviderOptions, key: string): string[] {
  const list = [options.refreshToken, rotatedRefreshTokens.get(key)];
  const credential = options.credential;
  if (credential.type === "clientSecret") list.push(credential.clientSecret);
  if (credential.type === "clientCertificate") list.push(credential.password, credential.pem);
  return list.filter((s): s is string => typeof s === "string" && s !== "");
}

/** Turns an MSAL (or our own) failure into a {@link PartnerCenterError} that names what to fix, without secrets. */
function mapMsalError(error: unknown, options: MsalTokenProviderOptions, secrets: string[]): PartnerCenterError {
  if (isPartnerCenterError(error)) return error;
  const detail = error as { errorCode?: unknown; errorMessage?: unknown; subError?: unknown; message?: unknown };
  const code = typeof detail.errorCode === "string" && detail.errorCode !== "" ? detail.errorCode : undefined;
  const raw =
    (typeof detail.errorMessage === "string" && detail.errorMessage) ||
    (typeof detail.message === "string" && detail.message) ||
    String(error);
  const serviceText = truncate(redactText(raw, secrets), 600);
  const flow = options.refreshToken ? "an App+User token" : "an App-only token";
  const operation = `Acquiring ${flow} from ${new URL(options.authority).origin}`;
  let description: string;
  let isRetryable = false;
  if (code === "invalid_grant" && options.refreshToken) {
    description =
      `the refresh token was rejected (${serviceText}); it has expired or been revoked. Obtain a new one (consent ` +
      `again with the partner user) and ${options.refreshTokenRemedy ?? DEFAULT_REFRESH_TOKEN_REMEDY}`;
  } else if (code === "invalid_client" || (code === "invalid_grant" && options.credential.type === "federatedToken")) {
    description = `the client credential was rejected (${serviceText}); check ${credentialSettingNames(options.credential)}`;
  } else if (code === "unauthorized_client") {
    description = `the application is not authorized for this tenant (${serviceText}); check partnercenter:clientId and partnercenter:tenantId`;
  } else if (
    code === "network_error" ||
    code === "endpoints_resolution_error" ||
    /ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(raw)
  ) {
    // A host that does not exist is a typo in the settings, not a passing failure: fail at once.
    isRetryable = !/ENOTFOUND/.test(raw);
    description = `the authority could not be reached (${serviceText}); check partnercenter:authority / partnercenter:cloud, and NODE_EXTRA_CA_CERTS for a private CA`;
  } else {
    description = serviceText;
  }
  return new PartnerCenterError({ kind: "auth", operation, description, code, isRetryable });
}

function credentialSettingNames(credential: AppCredentialSource): string {
  switch (credential.type) {
    case "clientSecret":
      return "partnercenter:clientSecret / PARTNERCENTER_CLIENT_SECRET / AZURE_CLIENT_SECRET";
    case "clientCertificate":
      return "partnercenter:clientCertificatePath or partnercenter:clientCertificate (and the app registration's certificates)";
    case "federatedToken":
      return "partnercenter:federatedTokenFile / AZURE_FEDERATED_TOKEN_FILE and the app registration's federated credentials";
    case "none":
      return "partnercenter:clientId";
  }
}

/** Forgets cached MSAL applications and rotated refresh tokens (tests). Tokens live in `tokenCache.ts`. */
export function clearMsalState(): void {
  confidentialApps.clear();
  rotatedRefreshTokens.clear();
}

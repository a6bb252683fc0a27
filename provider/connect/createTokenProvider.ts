import {
  type AppCredentialSource,
  createMsalTokenProvider,
  type RotatedRefreshTokenDetails,
} from "../auth/msalTokenProvider";
import { writeRefreshTokenFile } from "../auth/refreshTokenFile";
import { CLOUD_INFO } from "../foundation/clouds";
import { PartnerCenterError } from "../foundation/partnerCenterError";
import type { TokenProvider } from "../foundation/tokenProvider";
import { describeCredentials, missingCredentialsHint, type ProviderSettings } from "../settings/providerSettings";

/** Scope suffix for App+User tokens (delegated permission "Access Partner Center API"). */
export const USER_IMPERSONATION_SCOPE = "user_impersonation";
/** Scope suffix for App-only tokens (client credentials). */
export const DEFAULT_SCOPE = ".default";

/** Observers of {@link createTokenProvider}'s token provider. */
export interface TokenProviderHooks {
  /**
   * Called after each refresh-token rotation — after the new token was written to `refreshTokenFile`, if set — with
   * what the token endpoint said about its lifetime. Never receives the token itself.
   */
  readonly onRefreshTokenRotated?: ((details: RotatedRefreshTokenDetails) => void) | undefined;
}

/**
 * Builds the token provider the settings describe: App+User (refresh token) when a refresh token is set, otherwise
 * App-only with the chosen application credential. The scope is `<resource>/user_impersonation` or
 * `<resource>/.default`, where the resource is the cloud's Partner Center API (`https://api.partnercenter.microsoft.com`
 * in the public cloud) — also when `endpoint` points elsewhere, such as the emulator: the token's audience is the API.
 *
 * With `refreshTokenFile` set, every refresh token MSAL rotates is written to that file (atomically, mode 0600) before
 * the access token is used; a failed write fails the request, naming the file.
 *
 * Never throws for missing credentials: it returns a provider that fails on first use with a `config` error naming
 * what to set, so building a client at preview time (when no call may be needed) always works.
 */
export function createTokenProvider(settings: ProviderSettings, hooks: TokenProviderHooks = {}): TokenProvider {
  const identity = describeCredentials(settings);
  if (identity === "none") {
    return {
      identity: "app",
      async getAccessToken(): Promise<string> {
        throw new PartnerCenterError({
          kind: "config",
          description: `no Partner Center credentials are configured: ${missingCredentialsHint(settings)}`,
        });
      },
    };
  }
  const scopeSuffix = identity === "app+user" ? USER_IMPERSONATION_SCOPE : DEFAULT_SCOPE;
  const file = settings.refreshTokenFile;
  // App+User with an app credential too: App-only tokens for the operations Microsoft takes only App-only.
  const appOnly =
    identity === "app+user" && settings.appCredential
      ? createMsalTokenProvider({
          clientId: settings.clientId!,
          authority: settings.authority!,
          scope: `${CLOUD_INFO[settings.cloud].resource}/${DEFAULT_SCOPE}`,
          credential: appCredentialOf(settings),
          refreshToken: undefined,
          onRefreshTokenRotated: async () => {},
          refreshTokenRemedy: refreshTokenRemedy(settings),
        })
      : undefined;
  const provider = createMsalTokenProvider({
    clientId: settings.clientId!,
    authority: settings.authority!,
    scope: `${CLOUD_INFO[settings.cloud].resource}/${scopeSuffix}`,
    credential: appCredentialOf(settings),
    refreshToken: settings.refreshToken,
    onRefreshTokenRotated: async (refreshToken, details) => {
      if (file) await writeRefreshTokenFile(file, refreshToken);
      hooks.onRefreshTokenRotated?.(details);
    },
    refreshTokenRemedy: refreshTokenRemedy(settings),
  });
  return appOnly ? Object.assign(provider, { appOnly }) : provider;
}

/**
 * Tokens for Microsoft Graph (GDAP resources): always App-only, from the same application credential, for
 * `<graph resource>/.default` — the app needs the application permission `DelegatedAdminRelationship.ReadWrite.All`
 * (README, "GDAP"). A refresh token is not used: Graph's GDAP API is called as the application. Without an
 * application credential the provider fails on first use, naming what to set.
 */
export function createGraphTokenProvider(settings: ProviderSettings): TokenProvider {
  if (!settings.appCredential || !settings.clientId || !settings.authority) {
    return {
      identity: "app",
      async getAccessToken(): Promise<string> {
        throw new PartnerCenterError({
          kind: "config",
          description:
            "GDAP resources call Microsoft Graph as the application (App-only, permission " +
            "DelegatedAdminRelationship.ReadWrite.All), which a refresh token alone cannot: set partnercenter:tenantId, " +
            "partnercenter:clientId and one application credential — partnercenter:clientSecret (pulumi config set " +
            "--secret partnercenter:clientSecret …), partnercenter:clientCertificatePath or partnercenter:federatedTokenFile",
        });
      },
    };
  }
  return createMsalTokenProvider({
    clientId: settings.clientId,
    authority: settings.authority,
    scope: `${CLOUD_INFO[settings.cloud].graphResource}/${DEFAULT_SCOPE}`,
    credential: appCredentialOf(settings),
    refreshToken: undefined,
    onRefreshTokenRotated: async () => {},
    refreshTokenRemedy: refreshTokenRemedy(settings),
  });
}

/** What to do about a rejected refresh token, naming where this one came from (never its value). */
function refreshTokenRemedy(settings: ProviderSettings): string {
  const configured =
    "set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken …) or " +
    "PARTNERCENTER_REFRESH_TOKEN";
  const file = settings.refreshTokenFile;
  if (!file) return configured;
  const fileKey = settings.sources.refreshTokenFile ?? "partnercenter:refreshTokenFile";
  if (settings.sources.refreshToken === fileKey) {
    return `write it to ${file} (${fileKey}), which holds the rejected one — or delete that file and ${configured}`;
  }
  return `${configured}; it is then kept in ${file} (${fileKey})`;
}

/** The MSAL credential input for the settings' chosen application credential (`none`: a public client). */
export function appCredentialOf(settings: ProviderSettings): AppCredentialSource {
  switch (settings.appCredential) {
    case "clientSecret":
      return { type: "clientSecret", clientSecret: settings.clientSecret! };
    case "clientCertificate":
      return {
        type: "clientCertificate",
        pem: settings.clientCertificate,
        path: settings.clientCertificate ? undefined : settings.clientCertificatePath,
        password: settings.clientCertificatePassword,
      };
    case "federatedToken":
      return { type: "federatedToken", tokenFile: settings.federatedTokenFile! };
    default:
      return { type: "none" };
  }
}

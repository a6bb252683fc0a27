/** Authentication: the {@link TokenProvider} seam and its MSAL and static implementations. */

export { type ClientCertificateSource, type LoadedClientCertificate, loadClientCertificate } from "./clientCertificate";
export { appCredentialOf, createTokenProvider, DEFAULT_SCOPE, USER_IMPERSONATION_SCOPE } from "./createTokenProvider";
export { createFederatedTokenReader } from "./federatedTokenFile";
export {
  type AppCredentialSource,
  clearMsalState,
  createMsalTokenProvider,
  type MsalTokenProviderOptions,
} from "./msalTokenProvider";
export { createStaticTokenProvider } from "./staticTokenProvider";
export { type CachedToken, clearTokenCache, DEFAULT_EXPIRY_MARGIN_MS } from "./tokenCache";
export type { GetAccessTokenOptions, TokenProvider } from "./tokenProvider";

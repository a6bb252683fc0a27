/** Authentication: the {@link TokenProvider} seam and its MSAL and static implementations. */

export { type ClientCertificateSource, type LoadedClientCertificate, loadClientCertificate } from "./clientCertificate";
export { createFederatedTokenReader } from "./federatedTokenFile";
export {
  type AppCredentialSource,
  clearMsalState,
  createMsalTokenProvider,
  type MsalTokenProviderOptions,
  type RotatedRefreshTokenDetails,
} from "./msalTokenProvider";
export { REFRESH_TOKEN_FILE_MODE, readRefreshTokenFile, writeRefreshTokenFile } from "./refreshTokenFile";
export { createStaticTokenProvider } from "./staticTokenProvider";
export { type CachedToken, clearTokenCache, DEFAULT_EXPIRY_MARGIN_MS } from "./tokenCache";

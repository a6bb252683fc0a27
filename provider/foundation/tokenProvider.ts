/**
 * The seam between the Partner Center client and authentication. The client only ever asks for a bearer token; how
 * it is obtained (MSAL with a secret, a certificate, a federated token, a refresh token, or a fixed test token) is the
 * provider's business.
 */

/** Options of {@link TokenProvider.getAccessToken}. */
export interface GetAccessTokenOptions {
  /** Abandons the wait (the shared acquisition itself keeps running for other callers). */
  signal?: AbortSignal;
  /** Ignore any cached token: Partner Center has just rejected it with 401. */
  forceRefresh?: boolean;
}

/** Supplies bearer tokens for Partner Center. Implementations must be safe under concurrent calls. */
export interface TokenProvider {
  /** Whose identity the tokens carry: the application alone, or the application acting for a user. */
  readonly identity: "app" | "app+user";
  /**
   * Returns an access token for the Partner Center API. Failures are `PartnerCenterError`s of kind `auth` (or
   * `config` when credentials are missing or unreadable).
   */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  /**
   * Tokens of the application alone, from the same app credential, for the operations Microsoft takes only App-only
   * (the enhanced MCA attestation). Absent when there is no app credential; an `app` provider may leave it out and
   * serve them itself.
   */
  readonly appOnly?: TokenProvider;
}

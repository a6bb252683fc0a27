import type { GetAccessTokenOptions, TokenProvider } from "../foundation/tokenProvider";

/**
 * A {@link TokenProvider} that returns tokens from a fixed function: for tests, benchmarks and callers that manage
 * tokens themselves. With a string it always returns that token; with a function it calls it on every request (and
 * passes `forceRefresh` through, so a test can rotate tokens after a 401).
 */
export function createStaticTokenProvider(
  token: string | ((options: GetAccessTokenOptions) => string | Promise<string>),
  identity: TokenProvider["identity"] = "app",
): TokenProvider {
  const next = typeof token === "string" ? () => token : token;
  return {
    identity,
    async getAccessToken(options: GetAccessTokenOptions = {}): Promise<string> {
      return next(options);
    },
  };
}

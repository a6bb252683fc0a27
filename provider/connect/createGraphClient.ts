import { GraphClient, type GraphClientOptions } from "../graph/graphClient";
import type { ProviderSettings } from "../settings/providerSettings";
import { createGraphTokenProvider } from "./createTokenProvider";

/**
 * Builds the Microsoft Graph client the GDAP resources use from resolved {@link ProviderSettings}: the cloud's Graph
 * endpoint (or `partnercenter:graphEndpoint`), the settings' timeout and retry budget, and App-only Graph tokens from
 * the same application credential. Never calls the network.
 */
export function createGraphClient(
  settings: ProviderSettings,
  overrides: Partial<GraphClientOptions> = {},
): GraphClient {
  return new GraphClient({
    endpoint: settings.graphEndpoint,
    timeoutMs: settings.timeoutSeconds * 1000,
    ...overrides,
    retry: { maxTotalWaitSeconds: settings.maxRetryWaitSeconds, ...overrides.retry },
    tokenProvider: overrides.tokenProvider ?? createGraphTokenProvider(settings),
  });
}

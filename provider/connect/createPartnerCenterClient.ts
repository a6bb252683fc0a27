import { PartnerCenterClient } from "../client/partnerCenterClient";
import type { PartnerCenterClientOptions } from "../foundation/clientOptions";
import type { ProviderSettings } from "../settings/providerSettings";
import { createTokenProvider } from "./createTokenProvider";

/**
 * Builds the client the resources use from resolved {@link ProviderSettings}: endpoint, locale, per-attempt timeout
 * and retry-wait budget from the settings, and a token provider for their credentials (App+User when a refresh token
 * is set). `overrides` win over the settings (tests pass a logger, a CA or a static token provider).
 *
 * Never calls the network and never fails for missing credentials: the first request does, with a `config` error.
 */
export function createPartnerCenterClient(
  settings: ProviderSettings,
  overrides: Partial<PartnerCenterClientOptions> = {},
): PartnerCenterClient {
  return new PartnerCenterClient({
    endpoint: settings.endpoint,
    locale: settings.locale,
    timeoutMs: settings.timeoutSeconds * 1000,
    ...overrides,
    retry: { maxTotalWaitSeconds: settings.maxRetryWaitSeconds, ...overrides.retry },
    tokenProvider: overrides.tokenProvider ?? createTokenProvider(settings),
  });
}

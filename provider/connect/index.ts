/**
 * Composition: builds token providers and API clients from resolved provider settings. The only layer that sees
 * settings, authentication and the clients together; below it, `foundation/` is shared by all, and the Partner Center
 * and Graph clients are peers that know nothing of settings.
 */
export { createGraphClient } from "./createGraphClient";
export { createPartnerCenterClient } from "./createPartnerCenterClient";
export {
  appCredentialOf,
  createGraphTokenProvider,
  createTokenProvider,
  DEFAULT_SCOPE,
  type TokenProviderHooks,
  USER_IMPERSONATION_SCOPE,
} from "./createTokenProvider";

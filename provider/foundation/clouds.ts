/**
 * Partner Center clouds: REST endpoint and Microsoft Entra authority host of each (partner-center-api.md §1.1).
 */

/** The Partner Center clouds this package knows. */
export type PartnerCenterCloud = "public" | "china" | "usgov";

/** All values of {@link PartnerCenterCloud}, for validation and messages. */
export const PARTNER_CENTER_CLOUDS: readonly PartnerCenterCloud[] = ["public", "china", "usgov"];

/** Endpoint and authority host of one cloud. */
export interface PartnerCenterCloudInfo {
  /** REST base URL, without the `/v1` version segment and without a trailing slash. */
  readonly endpoint: string;
  /** Microsoft Entra authority host (scheme and host, no tenant, no trailing slash). */
  readonly authorityHost: string;
  /**
   * The Partner Center API's resource (application ID URI) in this cloud: tokens are requested for
   * `<resource>/.default` or `<resource>/user_impersonation`. It stays the same when requests go to another endpoint
   * (an emulator, a proxy): the token's audience is the API, not the host it is sent to.
   */
  readonly resource: string;
  /**
   * Base of the customer's MCA acceptance link, as distributors report Microsoft's
   * (`https://cdn.partner.microsoft.com/mca/?attestationid=…`); absent where Microsoft takes no enhanced
   * attestation ("only in the Microsoft public cloud").
   */
  readonly mcaAcceptanceBase?: string;
  /**
   * Microsoft Graph in this cloud [MS, "National cloud deployments"] (GDAP relationships), without the version
   * segment. Also the Graph token audience: tokens are asked for `<graphResource>/.default`.
   */
  readonly graphEndpoint: string;
  /** The Graph resource (application ID URI) of this cloud; stays the same when requests go to an emulator. */
  readonly graphResource: string;
  /**
   * Base of the customer's GDAP approval link (the Microsoft 365 admin center) where it is known: the public cloud's
   * [3P, Partner Center's UI]. Other clouds' admin centers are not confirmed, so no link is built there unless
   * `partnercenter:gdapApprovalBase` says where.
   */
  readonly gdapApprovalBase?: string;
}

/**
 * Endpoints per cloud. US Government uses the same REST host as the public cloud but its own authority host; the
 * 21Vianet values come from Microsoft's PowerShell module.
 */
export const CLOUD_INFO: Readonly<Record<PartnerCenterCloud, PartnerCenterCloudInfo>> = {
  public: {
    endpoint: "https://api.partnercenter.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    resource: "https://api.partnercenter.microsoft.com",
    mcaAcceptanceBase: "https://cdn.partner.microsoft.com",
    graphEndpoint: "https://graph.microsoft.com",
    graphResource: "https://graph.microsoft.com",
    gdapApprovalBase: "https://admin.microsoft.com",
  },
  china: {
    endpoint: "https://partner.partnercenterapi.microsoftonline.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    resource: "https://partner.partnercenterapi.microsoftonline.cn",
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
  },
  usgov: {
    endpoint: "https://api.partnercenter.microsoft.com",
    authorityHost: "https://login.microsoftonline.us",
    resource: "https://api.partnercenter.microsoft.com",
    // Graph for US Government L4 (GCC High); DoD (L5) is dod-graph.microsoft.us: set partnercenter:graphEndpoint.
    graphEndpoint: "https://graph.microsoft.us",
    graphResource: "https://graph.microsoft.us",
  },
};

/** True when `value` names a known cloud. */
export function isPartnerCenterCloud(value: unknown): value is PartnerCenterCloud {
  return typeof value === "string" && (PARTNER_CENTER_CLOUDS as readonly string[]).includes(value);
}

import { resolve } from "node:path";
import { inspect } from "node:util";
import { readRefreshTokenFile } from "../auth/refreshTokenFile";
import { normalizeEndpoint } from "../foundation/clientOptions";
import { CLOUD_INFO, PARTNER_CENTER_CLOUDS, type PartnerCenterCloud } from "../foundation/clouds";
import { PartnerCenterError } from "../foundation/partnerCenterError";
import { zodOnFirstUse } from "../schemas/zodOnFirstUse";

/** Every `partnercenter:*` key this package reads (the short form, without the namespace). */
export const PROVIDER_SETTING_KEYS = [
  "tenantId",
  "clientId",
  "clientSecret",
  "clientCertificatePath",
  "clientCertificate",
  "clientCertificatePassword",
  "refreshToken",
  "refreshTokenFile",
  "federatedTokenFile",
  "cloud",
  "endpoint",
  "authority",
  "locale",
  "timeoutSeconds",
  "maxRetryWaitSeconds",
  "sandbox",
  "mcaAcceptanceBase",
  "graphEndpoint",
  "gdapApprovalBase",
] as const;

/** A `partnercenter:*` key. */
export type ProviderSettingKey = (typeof PROVIDER_SETTING_KEYS)[number];

/** Keys whose values are secrets: never shown, never enumerable on the settings object. */
export const SECRET_SETTING_KEYS: ReadonlySet<ProviderSettingKey> = new Set([
  "clientSecret",
  "clientCertificate",
  "clientCertificatePassword",
  "refreshToken",
]);

/**
 * Environment fallbacks per key, in precedence order: ours (`PARTNERCENTER_*`) first, then the standard Azure
 * variables that `@azure/identity`, GitHub's azure/login and AKS workload identity set.
 */
export const SETTING_ENVIRONMENT_VARIABLES: Readonly<Record<ProviderSettingKey, readonly string[]>> = {
  tenantId: ["PARTNERCENTER_TENANT_ID", "AZURE_TENANT_ID"],
  clientId: ["PARTNERCENTER_CLIENT_ID", "AZURE_CLIENT_ID"],
  clientSecret: ["PARTNERCENTER_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
  clientCertificatePath: ["PARTNERCENTER_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"],
  clientCertificate: ["PARTNERCENTER_CLIENT_CERTIFICATE"],
  clientCertificatePassword: ["PARTNERCENTER_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"],
  refreshToken: ["PARTNERCENTER_REFRESH_TOKEN"],
  refreshTokenFile: ["PARTNERCENTER_REFRESH_TOKEN_FILE"],
  federatedTokenFile: ["PARTNERCENTER_FEDERATED_TOKEN_FILE", "AZURE_FEDERATED_TOKEN_FILE"],
  cloud: ["PARTNERCENTER_CLOUD"],
  endpoint: ["PARTNERCENTER_ENDPOINT"],
  authority: ["PARTNERCENTER_AUTHORITY"],
  locale: ["PARTNERCENTER_LOCALE"],
  timeoutSeconds: ["PARTNERCENTER_TIMEOUT_SECONDS"],
  maxRetryWaitSeconds: ["PARTNERCENTER_MAX_RETRY_WAIT_SECONDS"],
  sandbox: ["PARTNERCENTER_SANDBOX"],
  mcaAcceptanceBase: ["PARTNERCENTER_MCA_ACCEPTANCE_BASE"],
  graphEndpoint: ["PARTNERCENTER_GRAPH_ENDPOINT"],
  gdapApprovalBase: ["PARTNERCENTER_GDAP_APPROVAL_BASE"],
};

/** Default per-attempt timeout in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 100;
/** Default bound on the total wait between retries of one operation, in seconds. */
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 120;

/** Which application credential the settings resolved to. */
export type AppCredentialType = "clientSecret" | "clientCertificate" | "federatedToken";

/**
 * Resolved, validated provider settings. Secret fields (`clientSecret`, `clientCertificate`,
 * `clientCertificatePassword`, `refreshToken`) are non-enumerable and redacted by `toJSON`, `toString` and
 * `util.inspect`, so logging or serializing the object never reveals them.
 */
export interface ProviderSettings {
  /** Partner tenant (GUID or domain). */
  readonly tenantId: string | undefined;
  /** Application (client) id. */
  readonly clientId: string | undefined;
  /** Partner Center cloud. Default `public`. */
  readonly cloud: PartnerCenterCloud;
  /** REST base URL without `/v1`: `partnercenter:endpoint`, or the cloud's endpoint. */
  readonly endpoint: string;
  /** Full authority URL (`https://<host>/<tenant>`), or `undefined` when neither `authority` nor `tenantId` is set. */
  readonly authority: string | undefined;
  /** `X-Locale`. Default `en-US`. */
  readonly locale: string;
  /** Per-attempt timeout. Default 100. */
  readonly timeoutSeconds: number;
  /** Bound on the total wait between retries of one operation. Default 120. */
  readonly maxRetryWaitSeconds: number;
  /** The partner account is the integration sandbox (customer deletion works only there). Default false. */
  readonly sandbox: boolean;
  /**
   * Base of the customer's MCA acceptance link (`<base>/mca/?attestationid=<id>`): `partnercenter:mcaAcceptanceBase`,
   * or the cloud's (public cloud only: Microsoft takes enhanced attestations only there); `undefined` elsewhere.
   */
  readonly mcaAcceptanceBase: string | undefined;
  /**
   * Microsoft Graph base URL without `/v1.0` (GDAP resources): `partnercenter:graphEndpoint` (the emulator in tests),
   * or the cloud's Graph endpoint.
   */
  readonly graphEndpoint: string;
  /**
   * Base of the customer's GDAP approval link (`<base>/AdminPortal/Home#/partners/invitation/granularAdminRelationships/<id>`):
   * `partnercenter:gdapApprovalBase`, or the cloud's admin center where it is known (public cloud only).
   */
  readonly gdapApprovalBase: string | undefined;
  /** Path of a PEM certificate (with its private key). */
  readonly clientCertificatePath: string | undefined;
  /** Path of a workload identity federation token file. */
  readonly federatedTokenFile: string | undefined;
  /**
   * Absolute path of the file that keeps the newest App+User refresh token (`partnercenter:refreshTokenFile`,
   * relative paths resolved against the working directory — the Pulumi project). When it exists and is non-empty,
   * its content is {@link ProviderSettings.refreshToken} (it holds the newest token, so it wins over
   * `partnercenter:refreshToken`); otherwise the configured token is used. Every rotated token is written to it
   * (atomically, mode 0600).
   */
  readonly refreshTokenFile: string | undefined;
  /** The application credential used for App-only tokens and to redeem a refresh token. */
  readonly appCredential: AppCredentialType | undefined;
  /** Client secret. Secret; non-enumerable. */
  readonly clientSecret: string | undefined;
  /** PEM certificate and key content (or base64 of it). Secret; non-enumerable. */
  readonly clientCertificate: string | undefined;
  /** Password of the certificate's private key. Secret; non-enumerable. */
  readonly clientCertificatePassword: string | undefined;
  /**
   * App+User refresh token: the content of {@link ProviderSettings.refreshTokenFile} when that file exists and is
   * non-empty (then `sources.refreshToken` is the file's setting), else `partnercenter:refreshToken`. Secret;
   * non-enumerable.
   */
  readonly refreshToken: string | undefined;
  /** Where each set value came from: `partnercenter:clientSecret`, `PARTNERCENTER_CLIENT_SECRET`, `AZURE_CLIENT_SECRET`. */
  readonly sources: Readonly<Partial<Record<ProviderSettingKey, string>>>;
  /** Redacted plain view. */
  toJSON(): Record<string, unknown>;
  /** One-line redacted summary. */
  toString(): string;
}

const OPERATION = "Reading the partnercenter provider settings";

const CLOUD_ALIASES: Readonly<Record<string, PartnerCenterCloud>> = {
  public: "public",
  global: "public",
  commercial: "public",
  azurecloud: "public",
  china: "china",
  "21vianet": "china",
  azurechinacloud: "china",
  usgov: "usgov",
  usgovernment: "usgov",
  azureusgovernment: "usgov",
};

/**
 * Resolves the provider settings from Pulumi config and the environment. For each key the first non-empty value
 * wins: `getConfig(key)` (short key, e.g. `"clientSecret"`), then `PARTNERCENTER_*`, then the standard `AZURE_*`
 * variable. Nothing is required here — a stack without credentials can still preview; operations check what they
 * need with {@link requireCredentials} / {@link requireAppUser}. Invalid values fail with {@link PartnerCenterError}
 * kind `config`, naming the key and where it came from, never a secret value.
 *
 * The application credential is chosen by source first (config beats `PARTNERCENTER_*` beats `AZURE_*`, so a stray
 * `AZURE_CLIENT_SECRET` in CI cannot override a configured certificate), then secret > certificate > federated token.
 *
 * The one file read here is `refreshTokenFile`: when it exists and is non-empty its content becomes `refreshToken`
 * (the file holds the newest, rotated token, so it wins over `partnercenter:refreshToken`); a missing or empty file
 * leaves the configured token, which seeds the file at its first rotation; an unreadable one is a `config` error
 * naming the path.
 */
export function resolveProviderSettings(
  getConfig: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const raw: Partial<Record<ProviderSettingKey, string>> = {};
  const sources: Partial<Record<ProviderSettingKey, string>> = {};
  const ranks: Partial<Record<ProviderSettingKey, number>> = {};
  for (const key of PROVIDER_SETTING_KEYS) {
    const configured = nonEmpty(getConfig(key));
    if (configured !== undefined) {
      raw[key] = configured;
      sources[key] = `partnercenter:${key}`;
      ranks[key] = 0;
      continue;
    }
    for (const [index, name] of SETTING_ENVIRONMENT_VARIABLES[key].entries()) {
      const value = nonEmpty(env[name]);
      if (value !== undefined) {
        raw[key] = value;
        sources[key] = name;
        ranks[key] = name.startsWith("PARTNERCENTER_") ? 1 : 2 + index;
        break;
      }
    }
  }

  const where = (key: ProviderSettingKey) => `${sources[key] ?? `partnercenter:${key}`}`;
  const fail = (key: ProviderSettingKey, problem: string): never => {
    throw new PartnerCenterError({ kind: "config", operation: OPERATION, description: `${where(key)} ${problem}` });
  };

  const cloudText = raw.cloud?.toLowerCase().replace(/[\s_-]/g, "");
  const cloud: PartnerCenterCloud =
    cloudText === undefined
      ? "public"
      : (CLOUD_ALIASES[cloudText] ??
        fail("cloud", `must be one of ${PARTNER_CENTER_CLOUDS.join(", ")} (got ${JSON.stringify(raw.cloud)})`));

  let endpoint = CLOUD_INFO[cloud].endpoint;
  if (raw.endpoint !== undefined) {
    try {
      endpoint = normalizeEndpoint(raw.endpoint);
    } catch (error) {
      fail("endpoint", `is invalid: ${(error as PartnerCenterError).description}`);
    }
  }

  /** A configured base URL, validated like `endpoint`; `undefined` when not configured. */
  function optionalBase(key: ProviderSettingKey, value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    try {
      return normalizeEndpoint(value);
    } catch (error) {
      return fail(key, `is invalid: ${(error as PartnerCenterError).description}`);
    }
  }
  const mcaAcceptanceBase =
    optionalBase("mcaAcceptanceBase", raw.mcaAcceptanceBase) ?? CLOUD_INFO[cloud].mcaAcceptanceBase;

  const graphEndpoint = optionalBase("graphEndpoint", raw.graphEndpoint) ?? CLOUD_INFO[cloud].graphEndpoint;
  const gdapApprovalBase = optionalBase("gdapApprovalBase", raw.gdapApprovalBase) ?? CLOUD_INFO[cloud].gdapApprovalBase;

  let authority: string | undefined;
  if (raw.authority !== undefined) {
    authority =
      parseAuthority(raw.authority) ??
      fail("authority", "must be an https URL such as https://login.microsoftonline.com/<tenant>");
  } else if (raw.tenantId !== undefined) {
    authority = `${CLOUD_INFO[cloud].authorityHost}/${encodeURIComponent(raw.tenantId)}`;
  }

  const schemaResult = settingsValuesSchema().safeParse({
    tenantId: raw.tenantId,
    clientId: raw.clientId,
    locale: raw.locale,
    timeoutSeconds: raw.timeoutSeconds,
    maxRetryWaitSeconds: raw.maxRetryWaitSeconds,
    sandbox: raw.sandbox,
  });
  if (!schemaResult.success) {
    const issue = schemaResult.error.issues[0]!;
    const key = issue.path[0] as ProviderSettingKey;
    fail(key, issue.message);
  }
  const values = schemaResult.data!;

  let refreshTokenFile: string | undefined;
  if (raw.refreshTokenFile !== undefined) {
    refreshTokenFile = resolve(raw.refreshTokenFile);
    let kept: string | undefined;
    try {
      kept = readRefreshTokenFile(refreshTokenFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      fail("refreshTokenFile", `names ${refreshTokenFile}, which cannot be read (${code})`);
    }
    if (kept !== undefined) {
      // The file holds the newest token (the provider writes every rotated one there): it wins.
      raw.refreshToken = kept;
      sources.refreshToken = where("refreshTokenFile");
    }
  }

  const appCredential = chooseAppCredential(raw, ranks);
  if (
    raw.clientCertificatePassword !== undefined &&
    raw.clientCertificate === undefined &&
    raw.clientCertificatePath === undefined
  ) {
    fail(
      "clientCertificatePassword",
      "is set but no certificate is (set partnercenter:clientCertificatePath or partnercenter:clientCertificate)",
    );
  }

  const settings = {
    tenantId: values.tenantId,
    clientId: values.clientId,
    cloud,
    endpoint,
    authority,
    locale: values.locale ?? "en-US",
    timeoutSeconds: values.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    maxRetryWaitSeconds: values.maxRetryWaitSeconds ?? DEFAULT_MAX_RETRY_WAIT_SECONDS,
    sandbox: values.sandbox ?? false,
    mcaAcceptanceBase,
    graphEndpoint,
    gdapApprovalBase,
    clientCertificatePath: raw.clientCertificatePath,
    federatedTokenFile: raw.federatedTokenFile,
    refreshTokenFile,
    appCredential,
    sources: Object.freeze({ ...sources }),
  };
  return freezeWithSecrets(settings, {
    clientSecret: raw.clientSecret,
    clientCertificate: raw.clientCertificate,
    clientCertificatePassword: raw.clientCertificatePassword,
    refreshToken: raw.refreshToken,
  });
}

/**
 * The schema of the non-secret values (validation messages may quote them), built (and zod loaded) on the first
 * settings read rather than when this module is imported: a Pulumi program imports this package on every run and
 * never reads settings.
 */
const settingsValuesSchema = zodOnFirstUse(({ z }) =>
  z.object({
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "must be a tenant GUID or domain (e.g. contoso.onmicrosoft.com)")
      .optional(),
    clientId: z.string().regex(/^\S+$/, "must be an application (client) id without spaces").optional(),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a locale such as en-US")
      .optional(),
    timeoutSeconds: z.coerce
      .number({ error: "must be a number of seconds" })
      .positive("must be greater than 0")
      .max(3600, "must be at most 3600")
      .optional(),
    maxRetryWaitSeconds: z.coerce
      .number({ error: "must be a number of seconds" })
      .min(0, "must not be negative")
      .max(3600, "must be at most 3600")
      .optional(),
    sandbox: z
      .string()
      .transform((value, ctx) => {
        const text = value.trim().toLowerCase();
        if (["true", "1", "yes", "on"].includes(text)) return true;
        if (["false", "0", "no", "off"].includes(text)) return false;
        ctx.addIssue({ code: "custom", message: "must be true or false" });
        return z.NEVER;
      })
      .optional(),
  }),
);

function chooseAppCredential(
  raw: Partial<Record<ProviderSettingKey, string>>,
  ranks: Partial<Record<ProviderSettingKey, number>>,
): AppCredentialType | undefined {
  const candidates: Array<{ type: AppCredentialType; rank: number; order: number }> = [];
  const add = (type: AppCredentialType, keys: ProviderSettingKey[], order: number) => {
    const present = keys.filter((k) => raw[k] !== undefined);
    if (present.length > 0) candidates.push({ type, rank: Math.min(...present.map((k) => ranks[k] ?? 9)), order });
  };
  add("clientSecret", ["clientSecret"], 0);
  add("clientCertificate", ["clientCertificate", "clientCertificatePath"], 1);
  add("federatedToken", ["federatedTokenFile"], 2);
  candidates.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return candidates[0]?.type;
}

function parseAuthority(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== "https:" || url.username || url.password || url.search || url.hash) return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function freezeWithSecrets(
  visible: Omit<
    ProviderSettings,
    "clientSecret" | "clientCertificate" | "clientCertificatePassword" | "refreshToken" | "toJSON" | "toString"
  >,
  secrets: Pick<ProviderSettings, "clientSecret" | "clientCertificate" | "clientCertificatePassword" | "refreshToken">,
): ProviderSettings {
  const settings = { ...visible } as ProviderSettings;
  for (const [key, value] of Object.entries(secrets)) {
    Object.defineProperty(settings, key, { value, enumerable: false });
  }
  const redacted = (): Record<string, unknown> => {
    const view: Record<string, unknown> = { ...visible };
    for (const [key, value] of Object.entries(secrets)) if (value !== undefined) view[key] = "[secret]";
    return view;
  };
  Object.defineProperty(settings, "toJSON", { value: redacted, enumerable: false });
  Object.defineProperty(settings, "toString", {
    value: () =>
      `ProviderSettings(cloud=${visible.cloud}, endpoint=${visible.endpoint}, credentials=${describeCredentials(settings)})`,
    enumerable: false,
  });
  Object.defineProperty(settings, inspect.custom, { value: () => redacted(), enumerable: false });
  return Object.freeze(settings);
}

/**
 * What the settings can authenticate as, without any network call: `"app+user"` (a refresh token), `"app"` (a
 * secret, certificate or federated token), or `"none"` (client id or tenant/authority missing, or no credential).
 * Resource `check` uses it to fail at preview.
 */
export function describeCredentials(settings: ProviderSettings): "app" | "app+user" | "none" {
  if (!settings.clientId || !settings.authority) return "none";
  if (settings.refreshToken) return "app+user";
  return settings.appCredential ? "app" : "none";
}

/**
 * Throws {@link PartnerCenterError} kind `config` unless the settings hold some credential (App-only or App+User).
 * `operation` completes the message: "`<operation>` needs Partner Center credentials: set …".
 */
export function requireCredentials(settings: ProviderSettings, operation: string): void {
  if (describeCredentials(settings) !== "none") return;
  throw new PartnerCenterError({
    kind: "config",
    description: `${operation} needs Partner Center credentials: ${missingCredentialsHint(settings)}`,
  });
}

/**
 * What to set so that {@link describeCredentials} is no longer `"none"`, as "set X and Y" (empty when nothing is
 * missing). Names settings and environment variables, never values.
 */
export function missingCredentialsHint(settings: ProviderSettings): string {
  const missing = missingIdentity(settings);
  if (!settings.refreshToken && !settings.appCredential) {
    missing.push(
      "one credential: partnercenter:clientSecret (pulumi config set --secret partnercenter:clientSecret …), " +
        "partnercenter:clientCertificatePath, partnercenter:federatedTokenFile or partnercenter:refreshToken " +
        "(or PARTNERCENTER_CLIENT_SECRET / AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, " +
        `AZURE_FEDERATED_TOKEN_FILE, PARTNERCENTER_REFRESH_TOKEN)${refreshTokenFileNote(settings)}`,
    );
  }
  return missing.length > 0 ? `set ${joinMissing(missing)}` : "";
}

/**
 * Throws {@link PartnerCenterError} kind `config` unless the settings hold App+User credentials (a refresh token),
 * which indirect-reseller customers, company profiles, relationship removal and agreements require. Example message:
 * "Creating a customer for an indirect reseller needs App+User credentials: set partnercenter:refreshToken
 * (pulumi config set --secret partnercenter:refreshToken …) or PARTNERCENTER_REFRESH_TOKEN".
 */
export function requireAppUser(settings: ProviderSettings, operation: string): void {
  if (describeCredentials(settings) === "app+user") return;
  const missing = missingIdentity(settings);
  if (!settings.refreshToken) {
    missing.push(
      "partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken …) or PARTNERCENTER_REFRESH_TOKEN" +
        refreshTokenFileNote(settings),
    );
  }
  throw new PartnerCenterError({
    kind: "config",
    description: `${operation} needs App+User credentials: set ${joinMissing(missing)}`,
  });
}

/** Why a configured refresh-token file did not provide the token (empty when none is configured). */
function refreshTokenFileNote(settings: ProviderSettings): string {
  if (!settings.refreshTokenFile) return "";
  const key = settings.sources.refreshTokenFile ?? "partnercenter:refreshTokenFile";
  return ` (${key} names ${settings.refreshTokenFile}, which does not exist or is empty: the configured refresh token seeds it)`;
}

function missingIdentity(settings: ProviderSettings): string[] {
  const missing: string[] = [];
  if (!settings.clientId) missing.push("partnercenter:clientId (or PARTNERCENTER_CLIENT_ID / AZURE_CLIENT_ID)");
  if (!settings.authority) missing.push("partnercenter:tenantId (or PARTNERCENTER_TENANT_ID / AZURE_TENANT_ID)");
  return missing;
}

function joinMissing(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

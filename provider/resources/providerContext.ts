import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { RotatedRefreshTokenDetails } from "../auth/msalTokenProvider";
import type { PartnerCenterClient } from "../client";
import { createGraphClient, createPartnerCenterClient } from "../connect";
import { createTokenProvider } from "../connect/createTokenProvider";
import type { GraphClient } from "../graph";
import {
  describeCredentials,
  PROVIDER_SETTING_KEYS,
  type ProviderSettings,
  resolveProviderSettings,
} from "../settings/providerSettings";
import { logProviderMessage } from "./providerOutput";

/** What the resource implementations need: resolved settings and a client built from them. */
export interface ProviderContext {
  readonly settings: ProviderSettings;
  readonly credentials: "app" | "app+user" | "none";
  client(): PartnerCenterClient;
  /** The Microsoft Graph client (GDAP resources), App-only. */
  graph(): GraphClient;
}

type ConfigGetter = (key: string) => string | undefined;

let readConfig: ConfigGetter = () => undefined;
let configFingerprint = "";
let current: ProviderContext | undefined;

/**
 * The providers' `configure`: called by the Pulumi provider host once per serialized provider, with the whole stack
 * configuration (secrets already decrypted). Only `partnercenter:*` keys are read, and nothing is resolved yet, so a
 * stack without credentials can still run `preview` of resources that need none.
 */
export async function configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const config = request.config;
  const getter: ConfigGetter = (key) => config.get(`partnercenter:${key}`);
  // Both resource kinds configure the same settings; rebuild the client (and lose its caches) only on a real change.
  const fingerprint = fingerprintConfig(getter);
  if (fingerprint === configFingerprint && current) return;
  readConfig = getter;
  configFingerprint = fingerprint;
  current = undefined;
}

/**
 * The settings and (lazily) the client for this process. Throws `PartnerCenterError` kind `config` when invalid.
 * The client's token provider keeps rotated refresh tokens in `partnercenter:refreshTokenFile` when set, and warns
 * once (see {@link refreshTokenExpiryWarning}) when a rotated token's stated lifetime is nearly over.
 */
export function providerContext(): ProviderContext {
  if (current) return current;
  const settings = resolveProviderSettings(readConfig, process.env);
  let client: PartnerCenterClient | undefined;
  let graph: GraphClient | undefined;
  let warned = false;
  const onRefreshTokenRotated = (details: RotatedRefreshTokenDetails): void => {
    const warning = warned ? undefined : refreshTokenExpiryWarning(settings, details);
    if (!warning) return;
    warned = true;
    logProviderMessage(warning);
  };
  current = {
    settings,
    credentials: describeCredentials(settings),
    client: () => {
      client ??= createPartnerCenterClient(settings, {
        tokenProvider: createTokenProvider(settings, { onRefreshTokenRotated }),
      });
      return client;
    },
    graph: () => {
      graph ??= createGraphClient(settings);
      return graph;
    },
  };
  return current;
}

/** Days before a refresh token's stated expiry from which the provider warns. */
export const REFRESH_TOKEN_WARNING_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The warning for a rotated refresh token whose lifetime, as the token endpoint stated it, ends within
 * {@link REFRESH_TOKEN_WARNING_DAYS} days; `undefined` when it ends later or was not stated. Microsoft Entra does not
 * state it for this flow, so with Entra there is no warning: the lifetime is not known and nothing is guessed.
 * Because rotation happens when the provider first calls Partner Center, `pulumi preview` shows it during the checks
 * that call Partner Center (preflight). Names settings and the file, never a token.
 */
export function refreshTokenExpiryWarning(
  settings: ProviderSettings,
  details: RotatedRefreshTokenDetails,
  now: number = Date.now(),
): string | undefined {
  if (!details.expiresAt) return undefined;
  const remainingMs = details.expiresAt.getTime() - now;
  if (remainingMs > REFRESH_TOKEN_WARNING_DAYS * DAY_MS) return undefined;
  const days = Math.round(remainingMs / DAY_MS);
  const when =
    remainingMs <= 0
      ? "has expired"
      : remainingMs < DAY_MS
        ? "expires in less than a day"
        : `expires in ${days} day${days === 1 ? "" : "s"}`;
  const store = settings.refreshTokenFile
    ? `write it to ${settings.refreshTokenFile} (${settings.sources.refreshTokenFile ?? "partnercenter:refreshTokenFile"})`
    : "set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken …) or PARTNERCENTER_REFRESH_TOKEN";
  const authority = settings.authority ? ` ${new URL(settings.authority).origin}` : "";
  return (
    `warning: the App+User refresh token ${when} (on ${details.expiresAt.toISOString()}, as the token endpoint` +
    `${authority} stated when the provider last redeemed it). Before then, obtain a new one — consent again with ` +
    `the partner user, with MFA (Secure Application Model) — and ${store}`
  );
}

/** A hash of the config values we read: compares configurations without keeping secret values around. */
function fingerprintConfig(getter: ConfigGetter): string {
  const hash = createHash("sha256");
  for (const key of PROVIDER_SETTING_KEYS) hash.update(`${key}=${getter(key) ?? ""}\n`);
  return hash.digest("hex");
}

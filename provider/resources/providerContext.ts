import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { createPartnerCenterClient, type PartnerCenterClient } from "../client";
import {
  describeCredentials,
  PROVIDER_SETTING_KEYS,
  type ProviderSettings,
  resolveProviderSettings,
} from "../settings/providerSettings";

/** What the resource implementations need: resolved settings and a client built from them. */
export interface ProviderContext {
  readonly settings: ProviderSettings;
  readonly credentials: "app" | "app+user" | "none";
  client(): PartnerCenterClient;
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

/** The settings and (lazily) the client for this process. Throws `PartnerCenterError` kind `config` when invalid. */
export function providerContext(): ProviderContext {
  if (current) return current;
  const settings = resolveProviderSettings(readConfig, process.env);
  let client: PartnerCenterClient | undefined;
  current = {
    settings,
    credentials: describeCredentials(settings),
    client: () => {
      client ??= createPartnerCenterClient(settings);
      return client;
    },
  };
  return current;
}

/** A hash of the config values we read: compares configurations without keeping secret values around. */
function fingerprintConfig(getter: ConfigGetter): string {
  const hash = createHash("sha256");
  for (const key of PROVIDER_SETTING_KEYS) hash.update(`${key}=${getter(key) ?? ""}\n`);
  return hash.digest("hex");
}

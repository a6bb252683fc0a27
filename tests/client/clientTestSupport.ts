/**
 * Shared wiring for the client suites: settings and clients pointed at the emulator, a unique US customer body,
 * request-log helpers, and a leak detector for the redaction assertions.
 */
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import type { EmulatorHandle } from "../../emulator";
import { clearMsalState } from "../../provider/auth/msalTokenProvider";
import { clearTokenCache } from "../../provider/auth/tokenCache";
import type { PartnerCenterClient } from "../../provider/client/partnerCenterClient";
import { createPartnerCenterClient } from "../../provider/connect/createPartnerCenterClient";
import type { PartnerCenterClientOptions } from "../../provider/foundation/clientOptions";
import type { CreateCustomerRequest } from "../../provider/schemas/customer";
import { type ProviderSettings, resolveProviderSettings } from "../../provider/settings/providerSettings";

/** Which emulator credential a test client uses. */
export type CredentialChoice = "app" | "app+user";

/** Settings for the emulator: endpoint, authority and the demo app's secret (plus refresh token for App+User). */
export function emulatorSettings(
  emulator: EmulatorHandle,
  credential: CredentialChoice = "app",
  extra: Record<string, string | undefined> = {},
): ProviderSettings {
  const values: Record<string, string | undefined> = {
    tenantId: emulator.tenantId,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    endpoint: emulator.url,
    authority: emulator.authority,
    ...(credential === "app+user" ? { refreshToken: emulator.credentials.refreshToken } : {}),
    ...extra,
  };
  return resolveProviderSettings((key) => values[key], {});
}

/** A client with real MSAL against the emulator; fast retries unless the test says otherwise. */
export function emulatorClient(
  emulator: EmulatorHandle,
  options: {
    credential?: CredentialChoice;
    settings?: Record<string, string | undefined>;
    lines?: string[];
    overrides?: Partial<PartnerCenterClientOptions>;
  } = {},
): PartnerCenterClient {
  const settings = emulatorSettings(emulator, options.credential ?? "app", options.settings);
  return createPartnerCenterClient(settings, {
    logger: options.lines ? (line) => options.lines?.push(line) : undefined,
    ...options.overrides,
    retry: { baseDelayMs: 20, maxDelayMs: 200, ...options.overrides?.retry },
  });
}

/** Forgets every token and MSAL application of this process, so a test counts its own token requests. */
export function resetAuthCaches(): void {
  clearTokenCache();
  clearMsalState();
}

/** A valid US direct-customer request with a unique domain (and unique, recognisable personal data). */
export function usCustomerRequest(prefix = "cli"): CreateCustomerRequest {
  const unique = randomUUID().replace(/-/g, "").slice(0, 12);
  return {
    companyProfile: { domain: `${prefix}${unique}.onmicrosoft.com` },
    billingProfile: {
      email: `billing-${unique}@wingtiptoys.example`,
      culture: "en-US",
      language: "en",
      companyName: `Wingtip Toys ${unique}`,
      defaultAddress: {
        firstName: "Gena",
        lastName: "Soto",
        addressLine1: "One Microsoft Way",
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
        phoneNumber: "4255550101",
      },
    },
  };
}

/**
 * The emulator's request log once it has settled: the log entry of a request is written after its response is sent,
 * so a client can see the answer a moment before the log shows it.
 */
export async function settledRequests(emulator: EmulatorHandle) {
  let previous = -1;
  let entries = emulator.requests();
  while (entries.length !== previous) {
    previous = entries.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    entries = emulator.requests();
  }
  return entries;
}

/** Partner Center requests (`/v1/...`) in the settled emulator log. */
export async function apiRequests(emulator: EmulatorHandle) {
  return (await settledRequests(emulator)).filter((entry) => entry.path.startsWith("/v1/"));
}

/** Token-endpoint requests (`POST /{tenant}/oauth2/v2.0/token`) in the settled emulator log. */
export async function tokenRequests(emulator: EmulatorHandle) {
  return (await settledRequests(emulator)).filter(
    (entry) => entry.method === "POST" && /\/oauth2\/(v2\.0\/)?token/.test(entry.path),
  );
}

/** Every way an error can be shown: message, stack, JSON, util.inspect, String. */
export function renderings(error: unknown): string[] {
  const views = [String(error), inspect(error, { depth: 8, showHidden: true })];
  if (error instanceof Error) views.push(error.message, error.stack ?? "");
  try {
    views.push(JSON.stringify(error));
  } catch {
    // not serializable: the other views still count
  }
  return views;
}

/** Fails when any of `secrets` (ignoring empty/short ones) appears in any of `texts`. */
export function assertNoLeak(texts: readonly string[], secrets: ReadonlyArray<string | undefined>): void {
  for (const secret of secrets) {
    if (!secret || secret.length < 6) continue;
    for (const text of texts) {
      if (text.includes(secret)) {
        throw new Error(`secret ${secret.slice(0, 4)}… leaked in: ${text.slice(0, 300)}`);
      }
    }
  }
}

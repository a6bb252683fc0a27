/**
 * A minimal HTTPS client for tests that talk to the emulator directly: Node's `https.request` with the emulator CA
 * as `ca` (TLS verification stays on), a keep-alive agent per emulator, JSON in and out (BOM tolerated), and raw
 * token-endpoint helpers for App-only and App+User tokens.
 */

import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { AGREEMENT_TEMPLATES, type EmulatorHandle } from "../../emulator";

/** Loosely typed JSON: test assertions read arbitrary paths of Partner Center bodies. */
// biome-ignore lint/suspicious/noExplicitAny: deliberate, for assertions on arbitrary JSON paths.
export type LooseJson = any;

/** An answer from the emulator. */
export interface EmulatorResponse<T = LooseJson> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw body text (BOM included if sent). */
  text: string;
  /** Parsed JSON body (BOM stripped), or undefined when the body is empty or not JSON. */
  body: T;
}

/** Options of {@link emulatorRequest}. */
export interface EmulatorRequestOptions {
  /** Bearer token. */
  token?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** JSON body. */
  json?: unknown;
  /** Form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Raw body with its content type. */
  raw?: { contentType: string; body: string };
}

/**
 * Where an emulator listens and the CA to trust: a handle, or the same facts printed by the CLI in another process.
 */
export type EmulatorEndpoint = Pick<EmulatorHandle, "url" | "caCertificatePem">;

/** What the token helpers need besides the endpoint. */
export type EmulatorTokenEndpoint = EmulatorEndpoint & Pick<EmulatorHandle, "tenantId" | "credentials" | "scopes">;

const agents = new WeakMap<EmulatorEndpoint, https.Agent>();

/** The keep-alive agent trusting the emulator's CA. */
export function emulatorAgent(emulator: EmulatorEndpoint): https.Agent {
  let agent = agents.get(emulator);
  if (!agent) {
    agent = new https.Agent({ keepAlive: true, ca: emulator.caCertificatePem });
    agents.set(emulator, agent);
  }
  return agent;
}

/**
 * Sends one request to the emulator.
 * @param emulator The running emulator (or its URL and CA).
 * @param method HTTP method.
 * @param path Path plus query, e.g. `/v1/customers?size=10`.
 * @param options Token, headers, body.
 */
export function emulatorRequest<T = LooseJson>(
  emulator: EmulatorEndpoint,
  method: string,
  path: string,
  options: EmulatorRequestOptions = {},
): Promise<EmulatorResponse<T>> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  } else if (options.form) {
    payload = new URLSearchParams(options.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (options.raw) {
    payload = options.raw.body;
    headers["content-type"] = options.raw.contentType;
  }
  const url = new URL(path, emulator.url);
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, headers, agent: emulatorAgent(emulator) }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: LooseJson;
        try {
          body = text ? JSON.parse(text.replace(/^\uFEFF/, "")) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(payload);
  });
}

/** Raw client-credentials request: an App-only access token. */
export async function getAppToken(emulator: EmulatorTokenEndpoint): Promise<string> {
  const response = await emulatorRequest(emulator, "POST", `/${emulator.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: "client_credentials",
      client_id: emulator.credentials.clientId,
      client_secret: emulator.credentials.clientSecret,
      scope: emulator.scopes.appOnly,
    },
  });
  if (response.status !== 200) throw new Error(`App token request failed: ${response.status} ${response.text}`);
  return response.body.access_token as string;
}

/** Raw refresh-token request with the demo refresh token: an App+User access token. */
export async function getUserToken(emulator: EmulatorTokenEndpoint): Promise<string> {
  const response = await emulatorRequest(emulator, "POST", `/${emulator.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: "refresh_token",
      client_id: emulator.credentials.clientId,
      client_secret: emulator.credentials.clientSecret,
      refresh_token: emulator.credentials.refreshToken,
      scope: `${emulator.scopes.appUser} offline_access`,
    },
  });
  if (response.status !== 200) throw new Error(`User token request failed: ${response.status} ${response.text}`);
  return response.body.access_token as string;
}

/** Fresh `MS-RequestId` / `MS-CorrelationId` headers. */
export function partnerCenterHeaders(requestId: string = randomUUID()): Record<string, string> {
  return { "MS-RequestId": requestId, "MS-CorrelationId": randomUUID() };
}

/** A valid US direct-customer body (camelCase) with a unique domain. */
export function usCustomerBody(prefix = "emu"): Record<string, LooseJson> {
  const domain = `${prefix}${randomUUID().replace(/-/g, "").slice(0, 12)}.onmicrosoft.com`;
  return {
    companyProfile: { domain },
    billingProfile: {
      email: "gena@wingtiptoys.com",
      culture: "en-US",
      language: "en",
      companyName: "Wingtip Toys",
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

/** The contact and date of {@link recordAgreementOutsidePulumi}. */
export const OUTSIDE_AGREEMENT = {
  primaryContact: { firstName: "Grace", lastName: "Hopper", email: "grace@outside.example" },
  dateAgreed: "2024-05-01T00:00:00Z",
} as const;

/**
 * Records an agreement acceptance for `customerId` as a tool other than Pulumi would: a plain
 * `POST /v1/customers/{id}/agreements` with an App+User token, with the current template of `agreementType`.
 * Returns the template id.
 */
export async function recordAgreementOutsidePulumi(
  emulator: EmulatorTokenEndpoint,
  customerId: string,
  agreementType: "MicrosoftCustomerAgreement" | "MicrosoftCloudAgreement" = "MicrosoftCustomerAgreement",
): Promise<string> {
  const template = AGREEMENT_TEMPLATES.find((t) => t.agreementType === agreementType);
  if (!template) throw new Error(`the emulator has no ${agreementType} template`);
  const response = await emulatorRequest(emulator, "POST", `/v1/customers/${customerId}/agreements`, {
    token: await getUserToken(emulator),
    headers: partnerCenterHeaders(),
    json: { ...OUTSIDE_AGREEMENT, templateId: template.templateId, type: agreementType },
  });
  if (response.status !== 201) throw new Error(`recording an agreement failed: ${response.status} ${response.text}`);
  return template.templateId;
}

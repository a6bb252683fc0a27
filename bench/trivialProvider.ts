/**
 * A dynamic provider that does nothing (its check returns the inputs): the baseline for figures about the provider
 * host itself (cold start, memory), so they show what our provider adds to Pulumi's own host. And a networked one
 * whose create only sends a POST it is handed, with got: what any provider that calls an API pays in this host.
 */
import { randomUUID } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { EmulatorHandle } from "../emulator";
import { toCreateCustomerRequest } from "../provider/resources/partnerCustomerMapping";
import type { PartnerCustomerInputs } from "../provider/resources/partnerCustomerTypes";
import { getApplicationName } from "../provider/version";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "../tests/support/programRegistrations";
import { type ProviderHost, startProviderHost, urnFor } from "../tests/support/providerHost";

/** Serialized providers already captured, by resource name. */
const captured = new Map<string, string>();

/** What {@link networkedProviderText}'s create sends: a prepared request, and where got is to load from. */
export interface NetworkedCreateInputs {
  /** `require.resolve("got")` in the bench: the host loads the same got from there. */
  gotPath: string;
  url: string;
  caPem: string;
  body: string;
  headers: Record<string, string>;
}

/** The `__provider` text Pulumi serializes for `provider`, captured from a resource registered as `name`. */
async function serializedProviderText(name: string, provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const known = captured.get(name);
  if (known) return known;
  await installRegistrationRecorder();
  class Bench extends pulumi.dynamic.Resource {}
  const resource = new Bench(provider, name, { label: name });
  await outputValue(resource.urn);
  const text = String((await waitForRegistration(name)).inputs.__provider);
  captured.set(name, text);
  return text;
}

/** The serialized `__provider` of the trivial provider, captured as the engine would receive it. */
export function trivialProviderText(): Promise<string> {
  return serializedProviderText("bench-trivial", {
    async check(_olds, news) {
      return { inputs: news };
    },
    async create(inputs) {
      return { id: "trivial", outs: inputs };
    },
  });
}

/**
 * The serialized `__provider` of a provider whose create sends the POST its inputs describe with got (no retry, body
 * parsed as JSON) and returns: the same request as ours, from the same host, without our client, MSAL or zod.
 */
export function networkedProviderText(): Promise<string> {
  return serializedProviderText("bench-networked", {
    async check(_olds, news) {
      return { inputs: news };
    },
    async create(inputs) {
      const request = inputs as NetworkedCreateInputs;
      const got = require(request.gotPath).default;
      const response = await got.post(request.url, {
        body: request.body,
        headers: request.headers,
        https: { certificateAuthority: request.caPem },
        responseType: "text",
        retry: { limit: 0 },
      });
      return { id: String(JSON.parse(response.body).id), outs: {} };
    },
  });
}

/** An App-only token straight from the emulator's token endpoint, as the bearer of requests sent without our client. */
export async function appToken(emulator: EmulatorHandle): Promise<string> {
  const { default: got } = await import("got");
  const response = await got.post(`${emulator.authority}/oauth2/v2.0/token`, {
    form: {
      grant_type: "client_credentials",
      client_id: emulator.credentials.clientId,
      client_secret: emulator.credentials.clientSecret,
      scope: `${emulator.scopes.appOnly}`,
    },
    https: { certificateAuthority: emulator.caCertificatePem },
    responseType: "json",
  });
  return (response.body as { access_token: string }).access_token;
}

/**
 * The create-customer POST our client would send for `inputs` (checked inputs, `__`-keys removed), with the headers
 * it sends and a fresh request id: what the raw side and the send-only provider send.
 */
export function createCustomerPost(
  emulator: EmulatorHandle,
  token: string,
  inputs: Record<string, unknown>,
): NetworkedCreateInputs {
  const application = getApplicationName();
  return {
    gotPath: require.resolve("got"),
    url: `${emulator.url}/v1/customers`,
    caPem: emulator.caCertificatePem,
    body: JSON.stringify(toCreateCustomerRequest(inputs as unknown as PartnerCustomerInputs)),
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "content-type": "application/json",
      "ms-requestid": randomUUID(),
      "ms-correlationid": randomUUID(),
      "x-locale": "en-US",
      "ms-partnercenter-application": application,
      "user-agent": application,
    },
  };
}

/** The URN of a bench resource `name` of a plain dynamic provider (the trivial and send-only ones). */
export function dynamicResourceUrn(name: string): string {
  return urnFor("pulumi-nodejs:dynamic:Resource", name);
}

/** Starts a provider host and configures it as the engine would, with no config of ours. */
export async function startTrivialHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  await host.configure({ "proj:unrelated": "value" });
  return host;
}

/** One check of the trivial provider; throws unless it passes. */
export async function checkTrivial(host: ProviderHost, text: string): Promise<void> {
  const checked = await host.check(dynamicResourceUrn("trivial"), {}, { label: "x", __provider: text });
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
}

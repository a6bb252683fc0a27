/**
 * The real provider host wired to an emulator, with the exact `__provider` text the resource classes produce.
 */
import {
  CustomerAgreement,
  GdapAccessAssignment,
  GdapRelationship,
  McaAcceptance,
  PartnerCustomer,
} from "pulumi-partnercenter";
import type { EmulatorHandle } from "../../emulator";
import { validCustomerArgs } from "./customerFixtures";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "./programRegistrations";
import { type ProviderHost, secretValue, startProviderHost, urnFor } from "./providerHost";

export const CUSTOMER_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";
export const AGREEMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement";
export const ACCEPTANCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:McaAcceptance";
export const RELATIONSHIP_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapRelationship";
export const ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment";

/** The resource classes whose serialized provider the tests capture. */
export type ResourceClassName =
  | "PartnerCustomer"
  | "CustomerAgreement"
  | "McaAcceptance"
  | "GdapRelationship"
  | "GdapAccessAssignment";

/** A resource of each class with valid placeholder inputs, for capturing its serialized provider. */
function captureResource(kind: ResourceClassName, name: string) {
  const customerId = "00000000-0000-0000-0000-000000000001";
  switch (kind) {
    case "PartnerCustomer":
      return new PartnerCustomer(name, validCustomerArgs({ domain: "capture.onmicrosoft.com" }));
    case "McaAcceptance":
      return new McaAcceptance(name, {
        customerId,
        signatory: { firstName: "A", lastName: "B", email: "a@example.com" },
      });
    case "GdapRelationship":
      return new GdapRelationship(name, { customerTenantId: customerId, roles: ["Global Reader"] });
    case "GdapAccessAssignment":
      return new GdapAccessAssignment(name, {
        relationshipId: "rel",
        securityGroupId: customerId,
        roles: ["Global Reader"],
      });
    default:
      return new CustomerAgreement(name, {
        customerId,
        primaryContact: { firstName: "A", lastName: "B", email: "a@example.com" },
      });
  }
}

const providerTexts = new Map<string, string>();

/**
 * The serialized provider of a resource class, captured as the engine receives it (`inputs.__provider` of a
 * `RegisterResource` under Pulumi's runtime mocks): what the tests send to the host is exactly what ships.
 */
export async function providerTextOf(kind: ResourceClassName): Promise<string> {
  const known = providerTexts.get(kind);
  if (known) return known;
  await installRegistrationRecorder();
  const name = `capture-${kind}`;
  const resource = captureResource(kind, name);
  await outputValue(resource.urn);
  const text = String((await waitForRegistration(name)).inputs.__provider);
  providerTexts.set(kind, text);
  return text;
}

/** Which credentials the host gets from stack config. */
export type HostCredentials = "app" | "app+user" | "none";

export interface HostOptions {
  credentials?: HostCredentials;
  /** `partnercenter:sandbox`. */
  sandbox?: boolean;
  /** More `partnercenter:*` keys (short form). */
  config?: Record<string, string>;
}

/**
 * Starts a provider host that trusts the emulator's CA (`NODE_EXTRA_CA_CERTS`, as users do) and configures it the
 * way the engine would from stack config: `partnercenter:*` keys, secrets wrapped as secrets. The environment's own
 * PARTNERCENTER_* / AZURE_* variables are removed so only this config counts.
 */
export async function startHostFor(emulator: EmulatorHandle, options: HostOptions = {}): Promise<ProviderHost> {
  const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) env[key] = "";
  }
  const host = await startProviderHost({ env });
  const credentials = options.credentials ?? "app+user";
  const config: Record<string, unknown> = {
    "partnercenter:endpoint": emulator.url,
    "partnercenter:authority": emulator.authority,
  };
  if (credentials !== "none") {
    config["partnercenter:tenantId"] = emulator.tenantId;
    config["partnercenter:clientId"] = emulator.credentials.clientId;
    config["partnercenter:clientSecret"] = secretValue(emulator.credentials.clientSecret);
  }
  if (credentials === "app+user") config["partnercenter:refreshToken"] = secretValue(emulator.credentials.refreshToken);
  if (options.sandbox) config["partnercenter:sandbox"] = "true";
  // The customer's MCA acceptance link points at the emulator's stand-in page.
  config["partnercenter:mcaAcceptanceBase"] = emulator.url;
  // Microsoft Graph (GDAP) is served by the same emulator, and so is the customer's approval page.
  config["partnercenter:graphEndpoint"] = emulator.url;
  config["partnercenter:gdapApprovalBase"] = emulator.url;
  for (const [key, value] of Object.entries(options.config ?? {})) config[`partnercenter:${key}`] = value;
  // The engine sends every stack config key, not only ours.
  config["proj:unrelated"] = "value";
  await host.configure(config);
  return host;
}

/** A URN for a customer resource. */
export const customerUrn = (name: string) => urnFor(CUSTOMER_TYPE, name);
/** A URN for an agreement resource. */
export const agreementUrn = (name: string) => urnFor(AGREEMENT_TYPE, name);

let counter = 0;

/** Valid customer inputs with a unique domain (US, passes the emulator's preflight). */
export function customerInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}`.slice(-12);
  return {
    ...validCustomerArgs({
      domain: `test${unique}.onmicrosoft.com`,
      companyName: "Contoso Test Ltd",
      phoneNumber: "4255550100",
    }),
    ...overrides,
  };
}

/**
 * Marks the emulator's request log now; the returned function lists the requests that arrived since, token-endpoint
 * requests included (so "zero requests" means nothing at all reached the emulator).
 */
export function requestsFrom(emulator: EmulatorHandle): () => ReturnType<EmulatorHandle["requests"]> {
  const mark = emulator.requests().length;
  return () => emulator.requests().slice(mark);
}

/** A deep copy of `value` with `next` set at the dotted `path` (e.g. `billingProfile.defaultAddress.city`). */
export function withChange(value: Record<string, unknown>, path: string, next: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  const keys = path.split(".");
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1] as string] = next;
  return copy;
}

/** The domain of customer inputs. */
export const domainOf = (inputs: Record<string, unknown>) => (inputs.companyProfile as { domain: string }).domain;

/** The admin password in customer outputs (wrapped as a secret on the wire, or plain as old state), if any. */
export function passwordOf(properties: Record<string, unknown> | undefined): string | undefined {
  const credentials = properties?.userCredentials as { value?: { password?: string }; password?: string } | undefined;
  return credentials?.value?.password ?? credentials?.password;
}

/** The create route itself (not the listing `/v1/customers?…`, not `/v1/customers/{id}`). */
export const CREATE_ROUTE = /^\/v1\/customers$/;
/** `GET /v1/customers/{id}`: the read-back of one customer. */
export const CUSTOMER_READ = /^\/v1\/customers\/[^/?]+$/;

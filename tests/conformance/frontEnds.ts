/**
 * The two front ends of the same implementation, behind one small interface for the conformance suite: the dynamic
 * resources under Pulumi's dynamic-provider host (types `pulumi-nodejs:dynamic/partnercenter:*`, with `__provider`
 * in every input and, for customers and GDAP relationships, the class's `__createKey`) and the native plugin
 * `pulumi-resource-partnercenter` (types `partnercenter:index:*`; the plugin derives `__createKey` from the URN). Both
 * are separate processes driven over gRPC as the engine drives them, configured from the same emulator settings.
 *
 * Both go through the one client of resourceProviderClient.ts, so results already compare in form: check failures
 * carry their property path (the dynamic host sends it inside the reason), diff changes are "none" | "some" |
 * "unknown". The dynamic front end drops `__provider`.
 */
import type { EmulatorHandle } from "../../emulator";
import { startNativePlugin } from "../support/nativePlugin";
import {
  ACCEPTANCE_TYPE,
  AGREEMENT_TYPE,
  ASSIGNMENT_TYPE,
  CUSTOMER_TYPE,
  providerTextOf,
  RELATIONSHIP_TYPE,
  type ResourceClassName,
  startHostFor,
} from "../support/providerHarness";
import { type ProviderHost, secretValue, urnFor } from "../support/providerHost";

export type Props = Record<string, unknown>;
export type Failure = { property: string; reason: string };
export type Changes = "none" | "some" | "unknown";

/** One resource type of a front end. Names are resource names; the adapter builds the URN. */
export interface ResourceFrontEnd {
  check(name: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Failure[] }>;
  diff(
    name: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: Changes; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(name: string, inputs: Props): Promise<{ id: string; properties: Props }>;
  read(name: string, id: string, properties: Props, inputs?: Props): Promise<{ id: string; properties: Props }>;
  update(name: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(name: string, id: string, properties: Props): Promise<void>;
}

/** One front end, as the conformance cases see it: every resource type and a way to stop. */
export interface FrontEnd {
  readonly label: string;
  readonly customer: ResourceFrontEnd;
  readonly agreement: ResourceFrontEnd;
  readonly acceptance: ResourceFrontEnd;
  readonly relationship: ResourceFrontEnd;
  readonly assignment: ResourceFrontEnd;
  stop(): Promise<void>;
}

/** Drops what only the dynamic front end carries. */
export function withoutProvider(props: Props): Props {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** The dynamic resources under the real dynamic-provider host. */
export async function dynamicFrontEnd(emulator: EmulatorHandle): Promise<FrontEnd> {
  const host: ProviderHost = await startHostFor(emulator);
  const kind = async (
    type: string,
    className: ResourceClassName,
    // What the class adds to a top-level resource's inputs (project "proj", stack "test").
    fromProgram: (name: string) => Props,
  ): Promise<ResourceFrontEnd> => {
    const provider = await providerTextOf(className);
    const urn = (name: string) => urnFor(type, name);
    const withProvider = (props: Props) => ({ ...props, __provider: provider });
    return {
      async check(name, olds, news) {
        const result = await host.check(urn(name), olds, { ...news, ...fromProgram(name), __provider: provider });
        return { inputs: withoutProvider(result.inputs), failures: result.failures };
      },
      diff: (name, id, olds, news) => host.diff(urn(name), id, withProvider(olds), withProvider(news)),
      async create(name, inputs) {
        const created = await host.create(urn(name), withProvider(inputs));
        return { id: created.id, properties: withoutProvider(created.properties) };
      },
      async read(name, id, properties, inputs) {
        const read = await host.read(urn(name), id, withProvider(properties), inputs && withProvider(inputs));
        return { id: read.id, properties: withoutProvider(read.properties) };
      },
      async update(name, id, olds, news) {
        const updated = await host.update(urn(name), id, withProvider(olds), withProvider(news));
        return { properties: withoutProvider(updated.properties) };
      },
      delete: (name, id, properties) => host.delete(urn(name), id, withProvider(properties)),
    };
  };
  return {
    label: "dynamic",
    customer: await kind(CUSTOMER_TYPE, "PartnerCustomer", (name) => ({ __createKey: `proj/test/${name}` })),
    agreement: await kind(AGREEMENT_TYPE, "CustomerAgreement", () => ({})),
    acceptance: await kind(ACCEPTANCE_TYPE, "McaAcceptance", () => ({})),
    // The class's `__createKey`, as for a customer: it derives the relationship's display name.
    relationship: await kind(RELATIONSHIP_TYPE, "GdapRelationship", (name) => ({ __createKey: `proj/test/${name}` })),
    assignment: await kind(ASSIGNMENT_TYPE, "GdapAccessAssignment", () => ({})),
    stop: () => host.stop(),
  };
}

/**
 * The native plugin through its launcher, configured as the engine does from the same stack config (variables
 * `partnercenter:config:*`, secrets as secrets in args), with none of this process's Partner Center or Azure settings.
 */
export async function nativeFrontEnd(emulator: EmulatorHandle): Promise<FrontEnd> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
  for (const key of Object.keys(env)) {
    if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) delete env[key];
  }
  const plugin = await startNativePlugin(env, { inheritEnv: false });

  const variables: Record<string, string> = {
    endpoint: emulator.url,
    authority: emulator.authority,
    tenantId: emulator.tenantId,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    refreshToken: emulator.credentials.refreshToken,
    mcaAcceptanceBase: emulator.url,
    // Microsoft Graph (GDAP) and the customer's approval page, as startHostFor gives the dynamic front end.
    graphEndpoint: emulator.url,
    gdapApprovalBase: emulator.url,
  };
  await plugin.configure(
    Object.fromEntries(Object.entries(variables).map(([key, value]) => [`partnercenter:config:${key}`, value])),
    {
      ...variables,
      clientSecret: secretValue(variables.clientSecret),
      refreshToken: secretValue(variables.refreshToken),
    },
  );

  const kind = (type: string): ResourceFrontEnd => {
    const urn = (name: string) => urnFor(type, name);
    return {
      async check(name, olds, news) {
        const result = await plugin.check(urn(name), olds, news);
        return { inputs: result.inputs, failures: result.failures };
      },
      diff: (name, id, olds, news) => plugin.diff(urn(name), id, olds, news),
      async create(name, inputs) {
        const created = await plugin.create(urn(name), inputs);
        return { id: created.id, properties: created.properties };
      },
      async read(name, id, properties, inputs) {
        const read = await plugin.read(urn(name), id, properties, inputs);
        return { id: read.id, properties: read.properties };
      },
      update: (name, id, olds, news) => plugin.update(urn(name), id, olds, news),
      delete: (name, id, properties) => plugin.delete(urn(name), id, properties),
    };
  };
  return {
    label: "native",
    customer: kind("partnercenter:index:PartnerCustomer"),
    agreement: kind("partnercenter:index:CustomerAgreement"),
    acceptance: kind("partnercenter:index:McaAcceptance"),
    relationship: kind("partnercenter:index:GdapRelationship"),
    assignment: kind("partnercenter:index:GdapAccessAssignment"),
    stop: () => plugin.stop(),
  };
}

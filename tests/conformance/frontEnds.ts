/**
 * The two front ends of the same implementation, behind one small interface for the conformance suite: the dynamic
 * resource under Pulumi's dynamic-provider host (type `pulumi-nodejs:dynamic/partnercenter:PartnerCustomer`, with
 * `__provider` and the class's `__createKey` in every input) and the native plugin `pulumi-resource-partnercenter`
 * (type `partnercenter:index:PartnerCustomer`; the plugin derives `__createKey` from the URN). Both are separate
 * processes driven over gRPC as the engine drives them, configured from the same emulator settings.
 *
 * Both go through the one client of resourceProviderClient.ts, so results already compare in form: check failures
 * carry their property path (the dynamic host sends it inside the reason), diff changes are "none" | "some" |
 * "unknown". The dynamic front end drops `__provider`.
 */
import type { EmulatorHandle } from "../../emulator";
import { startNativePlugin } from "../support/nativePlugin";
import { CUSTOMER_TYPE, providerTextOf, startHostFor } from "../support/providerHarness";
import { type ProviderHost, secretValue, urnFor } from "../support/providerHost";

export type Props = Record<string, unknown>;
export type Failure = { property: string; reason: string };
export type Changes = "none" | "some" | "unknown";

/** One front end, as the conformance cases see it. Names are resource names; the adapter builds the URN. */
export interface FrontEnd {
  readonly label: string;
  check(name: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Failure[] }>;
  diff(
    name: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: Changes; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(name: string, inputs: Props): Promise<{ id: string; properties: Props }>;
  read(name: string, id: string, properties: Props, inputs?: Props): Promise<{ id: string; properties: Props }>;
  delete(name: string, id: string, properties: Props): Promise<void>;
  stop(): Promise<void>;
}

/** Drops what only the dynamic front end carries. */
export function withoutProvider(props: Props): Props {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** The dynamic resource under the real dynamic-provider host. */
export async function dynamicFrontEnd(emulator: EmulatorHandle): Promise<FrontEnd> {
  const host: ProviderHost = await startHostFor(emulator);
  const provider = await providerTextOf("PartnerCustomer");
  const urn = (name: string) => urnFor(CUSTOMER_TYPE, name);
  // What the PartnerCustomer class adds to a top-level resource's inputs (project "proj", stack "test").
  const program = (name: string, props: Props) => ({
    ...props,
    __createKey: `proj/test/${name}`,
    __provider: provider,
  });
  return {
    label: "dynamic",
    async check(name, olds, news) {
      const result = await host.check(urn(name), olds, program(name, news));
      return { inputs: withoutProvider(result.inputs), failures: result.failures };
    },
    async diff(name, id, olds, news) {
      return host.diff(urn(name), id, { ...olds, __provider: provider }, { ...news, __provider: provider });
    },
    async create(name, inputs) {
      const created = await host.create(urn(name), { ...inputs, __provider: provider });
      return { id: created.id, properties: withoutProvider(created.properties) };
    },
    async read(name, id, properties, inputs) {
      const read = await host.read(
        urn(name),
        id,
        { ...properties, __provider: provider },
        inputs && { ...inputs, __provider: provider },
      );
      return { id: read.id, properties: withoutProvider(read.properties) };
    },
    async delete(name, id, properties) {
      await host.delete(urn(name), id, { ...properties, __provider: provider });
    },
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
  const urn = (name: string) => urnFor("partnercenter:index:PartnerCustomer", name);

  const variables: Record<string, string> = {
    endpoint: emulator.url,
    authority: emulator.authority,
    tenantId: emulator.tenantId,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    refreshToken: emulator.credentials.refreshToken,
  };
  await plugin.configure(
    Object.fromEntries(Object.entries(variables).map(([key, value]) => [`partnercenter:config:${key}`, value])),
    {
      ...variables,
      clientSecret: secretValue(variables.clientSecret),
      refreshToken: secretValue(variables.refreshToken),
    },
  );

  return {
    label: "native",
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
    delete: (name, id, properties) => plugin.delete(urn(name), id, properties),
    stop: () => plugin.stop(),
  };
}

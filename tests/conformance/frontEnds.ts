/**
 * The two front ends of the same implementation, behind one small interface for the conformance suite: the dynamic
 * resource under Pulumi's dynamic-provider host (type `pulumi-nodejs:dynamic/partnercenter:PartnerCustomer`, with
 * `__provider` and the class's `__createKey` in every input) and the native plugin `pulumi-resource-partnercenter`
 * (type `partnercenter:index:PartnerCustomer`; the plugin derives `__createKey` from the URN). Both are separate
 * processes driven over gRPC as the engine drives them, configured from the same emulator settings.
 *
 * Results are normalised so they compare: `__provider` is dropped, check failures carry their property path (the
 * dynamic host sends it inside the reason, see providerHost.ts), diff changes are "none" | "some" | "unknown".
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { EmulatorHandle } from "../../emulator";
import { loadProtoModules } from "../../provider/native/nativeServer";
import { nativePluginLauncher } from "../support/nativePlugin";
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

/** A failure's property path when the wire form puts it at the head of the reason (the dynamic host). */
const NESTED_FAILURE = /^([^\s:.[\]]+(?:\.[^\s:.[\]]+|\[\d+\])*): ([\s\S]*)$/;
function withPath(failure: Failure): Failure {
  const nested = failure.property === "" ? NESTED_FAILURE.exec(failure.reason) : null;
  return nested ? { property: nested[1] as string, reason: nested[2] as string } : failure;
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
 * `partnercenter:config:*`, secrets as secrets in args). Its own client, because the diff must show
 * deleteBeforeReplace too.
 */
export async function nativeFrontEnd(emulator: EmulatorHandle): Promise<FrontEnd> {
  const { grpc, Struct, provrpc, pb } = loadProtoModules();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
  for (const key of Object.keys(env)) {
    if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) delete env[key];
  }
  const child: ChildProcess = spawn(nativePluginLauncher(), ["127.0.0.1:1"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const port = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout?.on("data", (chunk) => {
      buffered += String(chunk);
      const newline = buffered.indexOf("\n");
      if (newline >= 0) resolve(buffered.slice(0, newline).trim());
    });
    child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before listening:\n${output}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  // biome-ignore lint/suspicious/noExplicitAny: generated protobuf messages have no types
  const call = (method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      client[method](request, (error: Error | null, response: unknown) => (error ? reject(error) : resolve(response)));
    });
  const struct = (value: Props) => Struct.fromJavaScript(value);
  const urn = (name: string) => urnFor("partnercenter:index:PartnerCustomer", name);

  const configure = new pb.ConfigureRequest();
  const variables: Record<string, string> = {
    endpoint: emulator.url,
    authority: emulator.authority,
    tenantId: emulator.tenantId,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
    refreshToken: emulator.credentials.refreshToken,
  };
  for (const [key, value] of Object.entries(variables)) {
    configure.getVariablesMap().set(`partnercenter:config:${key}`, value);
  }
  configure.setArgs(
    struct({
      ...variables,
      clientSecret: secretValue(variables.clientSecret),
      refreshToken: secretValue(variables.refreshToken),
    }),
  );
  configure.setAcceptsecrets(true);
  await call("configure", configure);

  return {
    label: "native",
    async check(name, olds, news) {
      const request = new pb.CheckRequest();
      request.setUrn(urn(name));
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call("check", request);
      return {
        inputs: response.getInputs().toJavaScript(),
        failures: response
          .getFailuresList()
          .map((f: { getProperty(): string; getReason(): string }) =>
            withPath({ property: f.getProperty(), reason: f.getReason() }),
          ),
      };
    },
    async diff(name, id, olds, news) {
      const request = new pb.DiffRequest();
      request.setUrn(urn(name));
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call("diff", request);
      const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[response.getChanges() as 0 | 1 | 2];
      return {
        changes,
        replaces: response.getReplacesList(),
        deleteBeforeReplace: response.getDeletebeforereplace(),
      };
    },
    async create(name, inputs) {
      const request = new pb.CreateRequest();
      request.setUrn(urn(name));
      request.setProperties(struct(inputs));
      const response = await call("create", request);
      return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    },
    async read(name, id, properties, inputs) {
      const request = new pb.ReadRequest();
      request.setUrn(urn(name));
      request.setId(id);
      request.setProperties(struct(properties));
      if (inputs) request.setInputs(struct(inputs));
      const response = await call("read", request);
      return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} };
    },
    async delete(name, id, properties) {
      const request = new pb.DeleteRequest();
      request.setUrn(urn(name));
      request.setId(id);
      request.setProperties(struct(properties));
      await call("delete", request);
    },
    async stop() {
      client.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

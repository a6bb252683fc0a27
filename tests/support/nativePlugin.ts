/**
 * The native provider plugin `pulumi-resource-partnercenter` in tests: {@link nativePluginEnv} puts its launcher
 * (`bin/`) first on PATH for the Pulumi CLI, and {@link startNativePlugin} drives it over gRPC as the engine does
 * (Configure with `variables` and `args`, then check/diff/create/read/update/delete). Needs `npm run build`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadProtoModules } from "../../provider/native/nativeServer";

/** The repository's `bin/`, holding the launcher. */
export const NATIVE_PLUGIN_BIN = join(__dirname, "..", "..", "bin");

/** The launcher; fails loudly when the build it runs is missing. */
export function nativePluginLauncher(): string {
  const launcher = join(NATIVE_PLUGIN_BIN, "pulumi-resource-partnercenter");
  if (!existsSync(join(__dirname, "..", "..", "dist", "provider", "native", "pluginMain.js"))) {
    throw new Error("dist/provider/native/pluginMain.js is missing: run npm run build first");
  }
  return launcher;
}

/** Environment with the launcher first on PATH (the engine finds `pulumi-resource-partnercenter` there). */
export function nativePluginEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  nativePluginLauncher();
  return { PATH: `${NATIVE_PLUGIN_BIN}:${env.PATH ?? ""}` };
}

type Props = Record<string, unknown>;

export interface NativePlugin {
  readonly process: ChildProcess;
  output(): string;
  getSchema(): Promise<Props>;
  configure(variables: Record<string, string>, args?: Props): Promise<{ acceptSecrets: boolean }>;
  check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(urn: string, id: string, properties: Props): Promise<{ id: string; properties?: Props; inputs?: Props }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(urn: string, id: string, properties: Props): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the plugin through its launcher and connects to it. */
export async function startNativePlugin(env: NodeJS.ProcessEnv = {}): Promise<NativePlugin> {
  const { grpc, Struct, provrpc, pb } = loadProtoModules();
  const child = spawn(nativePluginLauncher(), ["127.0.0.1:1"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const port = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += String(chunk);
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      child.stdout?.off("data", onData);
      output += buffered.slice(newline + 1);
      child.stdout?.on("data", (more) => {
        output += String(more);
      });
      resolve(buffered.slice(0, newline).trim());
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before listening:\n${output}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  // biome-ignore lint/suspicious/noExplicitAny: generated protobuf messages have no types
  const call = (method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      client[method](request, (error: Error | null, response: unknown) => (error ? reject(error) : resolve(response)));
    });
  const struct = (value: Props) => Struct.fromJavaScript(value);
  return {
    process: child,
    output: () => output,
    async getSchema() {
      const request = new pb.GetSchemaRequest();
      return JSON.parse((await call("getSchema", request)).getSchema());
    },
    async configure(variables, args = {}) {
      const request = new pb.ConfigureRequest();
      for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
      request.setArgs(struct(args));
      request.setAcceptsecrets(true);
      const response = await call("configure", request);
      return { acceptSecrets: response.getAcceptsecrets() };
    },
    async check(urn, olds, news) {
      const request = new pb.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call("check", request);
      return {
        inputs: response.getInputs().toJavaScript(),
        failures: response.getFailuresList().map((f: { getProperty(): string; getReason(): string }) => ({
          property: f.getProperty(),
          reason: f.getReason(),
        })),
      };
    },
    async diff(urn, id, olds, news) {
      const request = new pb.DiffRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call("diff", request);
      return { changes: response.getChanges(), replaces: response.getReplacesList() };
    },
    async create(urn, properties) {
      const request = new pb.CreateRequest();
      request.setUrn(urn);
      request.setProperties(struct(properties));
      const response = await call("create", request);
      return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    },
    async read(urn, id, properties) {
      const request = new pb.ReadRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      const response = await call("read", request);
      return {
        id: response.getId(),
        properties: response.getProperties()?.toJavaScript(),
        inputs: response.getInputs()?.toJavaScript(),
      };
    },
    async update(urn, id, olds, news) {
      const request = new pb.UpdateRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call("update", request);
      return { properties: response.getProperties().toJavaScript() };
    },
    async delete(urn, id, properties) {
      const request = new pb.DeleteRequest();
      request.setUrn(urn);
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

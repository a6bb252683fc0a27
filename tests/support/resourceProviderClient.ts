/**
 * One client for a Pulumi ResourceProvider gRPC server, whichever process serves it: the dynamic-provider host
 * (providerHost.ts) or the native plugin `pulumi-resource-partnercenter` (nativePlugin.ts). {@link spawnProviderServer}
 * starts such a process and reads its port line, as the engine does; {@link connectResourceProvider} talks to it with
 * `google.protobuf.Struct` messages and gives typed results.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** What `require` gives for the generated protobuf modules, which have no types. */
type Untyped = ReturnType<NodeJS.Require>;
type Props = Record<string, unknown>;

/** The gRPC/protobuf modules of one @pulumi/pulumi installation, and its dynamic-provider host entry. */
export interface PulumiModules {
  /** `cmd/dynamic-provider/index.js`: the dynamic-provider host. */
  entry: string;
  grpc: typeof import("@grpc/grpc-js");
  Struct: Untyped;
  ResourceProviderClient: Untyped;
  pb: Untyped;
  statusPb: Untyped;
}

const loadedModules = new Map<string, PulumiModules>();

/** The repository's @pulumi/pulumi package directory. */
export function defaultPulumiPackageDir(): string {
  return dirname(require.resolve("@pulumi/pulumi/package.json"));
}

/**
 * Loads the host entry, `proto/*` and the grpc-js and google-protobuf that `pulumiDir` (an @pulumi/pulumi package
 * directory) itself resolves, once per directory.
 */
export function pulumiModules(pulumiDir: string = defaultPulumiPackageDir()): PulumiModules {
  const known = loadedModules.get(pulumiDir);
  if (known) return known;
  const load = createRequire(join(pulumiDir, "package.json"));
  const modules: PulumiModules = {
    entry: load.resolve("./cmd/dynamic-provider/index.js"),
    grpc: load("@grpc/grpc-js"),
    Struct: load("google-protobuf/google/protobuf/struct_pb").Struct,
    ResourceProviderClient: load("./proto/provider_grpc_pb").ResourceProviderClient,
    pb: load("./proto/provider_pb"),
    statusPb: load("./proto/status_pb"),
  };
  loadedModules.set(pulumiDir, modules);
  return modules;
}

/** A gRPC error from the server, with what a partial create failure packed into its details. */
export interface HostError extends Error {
  code?: number;
  details?: string;
  /** Set when create/update threw an error carrying `id`/`properties` (ErrorResourceInitFailed). */
  initFailure?: { id: string; properties: Record<string, unknown>; reasons: string[] };
}

export interface CheckResult {
  inputs: Record<string, unknown>;
  /**
   * The failures with their property path, as the user reads them in `pulumi preview`: the dynamic host sends a
   * failure to the engine without a property and with its path leading the reason (see
   * {@link CheckResult.wireFailures}); this reads the path back out of the reason.
   */
  failures: { property: string; reason: string }[];
  /** The failures exactly as the engine receives them. */
  wireFailures: { property: string; reason: string }[];
}

/** A property path leading a reason: `preflight: ...`, `billingProfile.defaultAddress.country: ...`, `a[0].b: ...`. */
const NESTED_FAILURE = /^([^\s:.[\]]+(?:\.[^\s:.[\]]+|\[\d+\])*): ([\s\S]*)$/;

/** {@link CheckResult.failures} from the wire form. */
function withPaths(failure: { property: string; reason: string }): { property: string; reason: string } {
  const nested = failure.property === "" ? NESTED_FAILURE.exec(failure.reason) : null;
  return nested ? { property: nested[1] as string, reason: nested[2] as string } : failure;
}

export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ConfigureArgs {
  /** `ConfigureRequest.variables`: fully qualified keys (`partnercenter:config:endpoint`), string values. */
  variables?: Record<string, string>;
  /** `ConfigureRequest.args`: the same settings by bare name, secrets possibly wrapped. */
  args: Props;
}

/** The ResourceProvider methods the tests use, with plain-object requests and results. */
export interface ResourceProviderClient {
  /** Configures with `acceptSecrets: true`, as the engine does; resolves with what the server answered. */
  configure(request: ConfigureArgs): Promise<{ acceptSecrets: boolean }>;
  getSchema(): Promise<Props>;
  check(urn: string, olds: Props, news: Props): Promise<CheckResult>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffResult>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(
    urn: string,
    id: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs?: Props }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(urn: string, id: string, properties: Props): Promise<void>;
  close(): void;
}

export interface ConnectOptions {
  /** The @pulumi/pulumi package directory whose proto modules, grpc-js and google-protobuf to use. */
  pulumiPackageDir?: string;
}

/** Connects to the ResourceProvider server at `address` (`host:port`). */
export function connectResourceProvider(address: string, options: ConnectOptions = {}): ResourceProviderClient {
  const modules = pulumiModules(options.pulumiPackageDir);
  const { grpc, Struct, ResourceProviderClient, pb } = modules;
  const client = new ResourceProviderClient(address, grpc.credentials.createInsecure());

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      client[method](request, (error: HostError | null, response: T) => {
        if (error) reject(decorateError(error, modules));
        else resolve(response);
      });
    });

  const struct = (value: Props) => Struct.fromJavaScript(value);

  return {
    async configure({ variables = {}, args }) {
      const request = new pb.ConfigureRequest();
      for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
      request.setArgs(struct(args));
      request.setAcceptsecrets(true);
      const response = await call<{ getAcceptsecrets(): boolean }>("configure", request);
      return { acceptSecrets: response.getAcceptsecrets() };
    },
    async getSchema() {
      const response = await call<{ getSchema(): string }>("getSchema", new pb.GetSchemaRequest());
      return JSON.parse(response.getSchema());
    },
    async check(urn, olds, news) {
      const request = new pb.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<{
        getInputs(): { toJavaScript(): Props };
        getFailuresList(): { getProperty(): string; getReason(): string }[];
      }>("check", request);
      const wireFailures = response
        .getFailuresList()
        .map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
      return { inputs: response.getInputs().toJavaScript(), failures: wireFailures.map(withPaths), wireFailures };
    },
    async diff(urn, id, olds, news) {
      const request = new pb.DiffRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<{
        getChanges(): number;
        getReplacesList(): string[];
        getDeletebeforereplace(): boolean;
      }>("diff", request);
      const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[response.getChanges() as 0 | 1 | 2];
      return {
        changes,
        replaces: response.getReplacesList(),
        deleteBeforeReplace: response.getDeletebeforereplace(),
      };
    },
    async create(urn, properties) {
      const request = new pb.CreateRequest();
      request.setUrn(urn);
      request.setProperties(struct(properties));
      const response = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("create", request);
      return { id: response.getId(), properties: response.getProperties().toJavaScript() };
    },
    async read(urn, id, properties, inputs) {
      const request = new pb.ReadRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      if (inputs) request.setInputs(struct(inputs));
      const response = await call<{
        getId(): string;
        getProperties(): { toJavaScript(): Props } | undefined;
        getInputs(): { toJavaScript(): Props } | undefined;
      }>("read", request);
      return {
        id: response.getId(),
        properties: response.getProperties()?.toJavaScript() ?? {},
        inputs: response.getInputs()?.toJavaScript(),
      };
    },
    async update(urn, id, olds, news) {
      const request = new pb.UpdateRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<{ getProperties(): { toJavaScript(): Props } }>("update", request);
      return { properties: response.getProperties().toJavaScript() };
    },
    async delete(urn, id, properties) {
      const request = new pb.DeleteRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      await call("delete", request);
    },
    close: () => client.close(),
  };
}

/** The resource methods of `client`: what a started provider exposes besides its own Configure. */
export function resourceMethods(
  client: ResourceProviderClient,
): Pick<ResourceProviderClient, "check" | "diff" | "create" | "read" | "update" | "delete"> {
  const { check, diff, create, read, update, delete: remove } = client;
  return { check, diff, create, read, update, delete: remove };
}

/** Unpacks ErrorResourceInitFailed from `grpc-status-details-bin`, as the engine does. */
function decorateError(
  error: HostError & { metadata?: { get(key: string): (string | Buffer)[] } },
  { pb, statusPb }: PulumiModules,
): HostError {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (raw && Buffer.isBuffer(raw)) {
    const status = statusPb.Status.deserializeBinary(new Uint8Array(raw));
    for (const any of status.getDetailsList()) {
      if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      error.initFailure = {
        id: detail.getId(),
        properties: detail.getProperties()?.toJavaScript() ?? {},
        reasons: detail.getReasonsList(),
      };
    }
  }
  return error;
}

/** A provider process serving ResourceProvider, with the client connected to it. */
export interface ProviderServer {
  readonly process: ChildProcess;
  readonly client: ResourceProviderClient;
  /** Everything the process wrote to stdout after its port line, and to stderr. */
  output(): string;
  /** Resolves once the process's output matches `pattern` (its stdout arrives after the gRPC answer). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): void;
  /** Closes the client and stops the process. */
  stop(): Promise<void>;
}

export interface SpawnProviderServerOptions extends ConnectOptions {
  /** What the process is, for the error when it exits before listening ("provider host", "plugin"). */
  label: string;
  cwd?: string;
  /** The complete environment of the process. */
  env: NodeJS.ProcessEnv;
}

/**
 * Spawns `command args`, waits for the port it prints on its first stdout line (as a Pulumi plugin does) and
 * connects {@link connectResourceProvider} to it.
 */
export async function spawnProviderServer(
  command: string,
  args: string[],
  options: SpawnProviderServerOptions,
): Promise<ProviderServer> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
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
    child.once("exit", (code) =>
      reject(new Error(`${options.label} exited with ${code} before listening:\n${output}`)),
    );
  });
  const client = connectResourceProvider(`127.0.0.1:${port}`, { pulumiPackageDir: options.pulumiPackageDir });
  return {
    process: child,
    client,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`host output did not match ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return output;
    },
    kill() {
      client.close();
      child.kill("SIGKILL");
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

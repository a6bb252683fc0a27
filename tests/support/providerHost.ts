/**
 * Drives the real Pulumi dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, exactly as the
 * Pulumi engine does: a separate Node process, `configure` first, then check/diff/create/read/update/delete with
 * `google.protobuf.Struct` messages that carry the serialized `__provider`.
 *
 * What this cannot show is engine logic (secret annotation, additionalSecretOutputs, preview skipping create);
 * the e2e suites cover those with the real CLI.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** What `require` gives for the generated protobuf modules, which have no types. */
type Untyped = ReturnType<NodeJS.Require>;

/** The host's entry and the gRPC/protobuf modules that talk to it, all from one @pulumi/pulumi installation. */
interface PulumiModules {
  entry: string;
  grpc: typeof import("@grpc/grpc-js");
  Struct: Untyped;
  ResourceProviderClient: Untyped;
  pb: Untyped;
  statusPb: Untyped;
}

const loadedModules = new Map<string, PulumiModules>();

/**
 * Loads the host entry, `proto/*` and the grpc-js and google-protobuf that `pulumiDir` (an @pulumi/pulumi package
 * directory) itself resolves, once per directory.
 */
function pulumiModules(pulumiDir: string): PulumiModules {
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

/** The repository root: the host's working directory, from where `pulumi-partnercenter/runtime` resolves. */
export const repositoryRoot = join(__dirname, "..", "..");

/** Pulumi's sentinel for a value unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Pulumi's wire wrapper for a secret value. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function secretValue(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** A gRPC error from the host, with what a partial create failure packed into its details. */
export interface HostError extends Error {
  code?: number;
  details?: string;
  /** Set when create/update threw an error carrying `id`/`properties` (ErrorResourceInitFailed). */
  initFailure?: { id: string; properties: Record<string, unknown>; reasons: string[] };
}

export interface CheckResult {
  inputs: Record<string, unknown>;
  /**
   * The failures with their property path, as the user reads them in `pulumi preview`: a failure goes to the engine
   * without a property and with its path leading the reason (see {@link CheckResult.wireFailures}); this reads the
   * path back out of the reason.
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

export interface ProviderHost {
  readonly process: ChildProcess;
  /** Everything the host wrote to stdout after its port line, and to stderr. */
  output(): string;
  configure(config: Record<string, unknown>): Promise<void>;
  check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
  diff(urn: string, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
  create(
    urn: string,
    properties: Record<string, unknown>,
  ): Promise<{ id: string; properties: Record<string, unknown> }>;
  read(
    urn: string,
    id: string,
    properties: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<{ id: string; properties: Record<string, unknown>; inputs?: Record<string, unknown> }>;
  update(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ properties: Record<string, unknown> }>;
  delete(urn: string, id: string, properties: Record<string, unknown>): Promise<void>;
  /** Resolves once the host's output matches `pattern` (its stdout arrives after the gRPC answer). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kills the host at once (SIGKILL), as a crash would. */
  kill(): void;
  /** Closes the client and stops the host. */
  stop(): Promise<void>;
}

export interface StartProviderHostOptions {
  /** Working directory of the host (the Pulumi project directory). Default: the repository root. */
  cwd?: string;
  /** Extra environment; NODE_EXTRA_CA_CERTS belongs here when talking to the emulator. */
  env?: NodeJS.ProcessEnv;
  /** PULUMI_NODEJS_PROJECT: the project un-namespaced config keys resolve against. */
  project?: string;
  /**
   * The @pulumi/pulumi package directory whose host, proto modules, grpc-js and google-protobuf to use (the pack
   * proof's temporary project has its own). Default: the repository's.
   */
  pulumiPackageDir?: string;
}

/** A URN for a resource of the given type token and name, in a stack "test" of project "proj". */
export function urnFor(type: string, name: string, project = "proj"): string {
  return `urn:pulumi:test::${project}::${type}::${name}`;
}

/** Starts the host and connects to it. */
export async function startProviderHost(options: StartProviderHostOptions = {}): Promise<ProviderHost> {
  const modules = pulumiModules(options.pulumiPackageDir ?? dirname(require.resolve("@pulumi/pulumi/package.json")));
  const { entry, grpc, Struct, ResourceProviderClient, pb } = modules;
  // The engine address argument is mandatory but the Node host never dials it.
  const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
    cwd: options.cwd ?? repositoryRoot,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project ?? "proj", ...options.env },
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
    child.once("exit", (code) => reject(new Error(`provider host exited with ${code} before listening:\n${output}`)));
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      client[method](request, (error: HostError | null, response: T) => {
        if (error) reject(decorateError(error, modules));
        else resolve(response);
      });
    });

  const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value);

  return {
    process: child,
    output: () => output,
    async configure(config) {
      const request = new pb.ConfigureRequest();
      request.setArgs(struct(config));
      request.setAcceptsecrets(true);
      await call("configure", request);
    },
    async check(urn, olds, news) {
      const request = new pb.CheckRequest();
      request.setUrn(urn);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      const response = await call<{
        getInputs(): { toJavaScript(): Record<string, unknown> };
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
      const response = await call<{ getId(): string; getProperties(): { toJavaScript(): Record<string, unknown> } }>(
        "create",
        request,
      );
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
        getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
        getInputs(): { toJavaScript(): Record<string, unknown> } | undefined;
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
      const response = await call<{ getProperties(): { toJavaScript(): Record<string, unknown> } }>("update", request);
      return { properties: response.getProperties().toJavaScript() };
    },
    async delete(urn, id, properties) {
      const request = new pb.DeleteRequest();
      request.setUrn(urn);
      request.setId(id);
      request.setProperties(struct(properties));
      await call("delete", request);
    },
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

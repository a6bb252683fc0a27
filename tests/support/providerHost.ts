/**
 * Drives the real Pulumi dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, exactly as the
 * Pulumi engine does: a separate Node process, `configure` first, then check/diff/create/read/update/delete with
 * `google.protobuf.Struct` messages that carry the serialized `__provider`. The client is the shared one of
 * resourceProviderClient.ts, which drives the native plugin too.
 *
 * What this cannot show is engine logic (secret annotation, additionalSecretOutputs, preview skipping create);
 * the e2e suites cover those with the real CLI.
 */
import { join } from "node:path";
import {
  defaultPulumiPackageDir,
  type ProviderServer,
  pulumiModules,
  type ResourceProviderClient,
  resourceMethods,
  spawnProviderServer,
} from "./resourceProviderClient";

export type { CheckResult, DiffResult, HostError } from "./resourceProviderClient";

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

/** The host: its process and the shared client's methods, with the dynamic host's Configure (args only). */
export interface ProviderHost
  extends Omit<ResourceProviderClient, "configure" | "getSchema" | "close">,
    Omit<ProviderServer, "client"> {
  configure(config: Record<string, unknown>): Promise<void>;
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
  const pulumiPackageDir = options.pulumiPackageDir ?? defaultPulumiPackageDir();
  // The engine address argument is mandatory but the Node host never dials it.
  const server = await spawnProviderServer(process.execPath, [pulumiModules(pulumiPackageDir).entry, "127.0.0.1:1"], {
    label: "provider host",
    cwd: options.cwd ?? repositoryRoot,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project ?? "proj", ...options.env },
    pulumiPackageDir,
  });
  const { client } = server;
  return {
    process: server.process,
    output: server.output,
    async configure(config) {
      await client.configure({ args: config });
    },
    ...resourceMethods(client),
    waitForOutput: server.waitForOutput,
    kill: server.kill,
    stop: server.stop,
  };
}

/**
 * The native provider plugin `pulumi-resource-partnercenter` in tests: {@link nativePluginEnv} puts its launcher
 * (`bin/`) first on PATH for the Pulumi CLI, and {@link startNativePlugin} drives it over gRPC as the engine does
 * (Configure with `variables` and `args`, then check/diff/create/read/update/delete), with the client the
 * dynamic-provider host's tests use too (resourceProviderClient.ts). Needs `npm run build`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type ProviderServer,
  type ResourceProviderClient,
  resourceMethods,
  spawnProviderServer,
} from "./resourceProviderClient";

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

/**
 * Environment for the Pulumi CLI to find the plugin: the launcher first on PATH (the engine finds
 * `pulumi-resource-partnercenter` there). With `PARTNERCENTER_PLUGIN_HOME` set — a `PULUMI_HOME` into which
 * `pulumi plugin install --file` put the packaged binary (scripts/package-plugin.sh) — that home instead, and no
 * launcher on PATH: the installed binary is then the only partnercenter plugin the engine can find.
 */
export function nativePluginEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const installedHome = env.PARTNERCENTER_PLUGIN_HOME;
  if (installedHome) {
    if (!existsSync(join(installedHome, "plugins"))) {
      throw new Error(`PARTNERCENTER_PLUGIN_HOME=${installedHome} has no installed plugins`);
    }
    return { PULUMI_HOME: installedHome };
  }
  nativePluginLauncher();
  return { PATH: `${NATIVE_PLUGIN_BIN}:${env.PATH ?? ""}` };
}

type Props = Record<string, unknown>;

/**
 * The plugin: its process and the shared client's methods. Its Configure carries `variables` (fully qualified keys)
 * besides `args`, and answers whether the plugin accepts secrets.
 */
export interface NativePlugin
  extends Omit<ResourceProviderClient, "configure" | "close">,
    Omit<ProviderServer, "client" | "kill" | "waitForOutput"> {
  configure(variables: Record<string, string>, args?: Props): Promise<{ acceptSecrets: boolean }>;
}

export interface StartNativePluginOptions {
  /**
   * Whether the plugin inherits this process's environment under `env` (the default). With `false`, `env` is its
   * whole environment.
   */
  inheritEnv?: boolean;
}

/** Starts the plugin through its launcher and connects to it. */
export async function startNativePlugin(
  env: NodeJS.ProcessEnv = {},
  { inheritEnv = true }: StartNativePluginOptions = {},
): Promise<NativePlugin> {
  const server = await spawnProviderServer(nativePluginLauncher(), ["127.0.0.1:1"], {
    label: "plugin",
    env: inheritEnv ? { ...process.env, ...env } : env,
  });
  const { client } = server;
  return {
    process: server.process,
    output: server.output,
    getSchema: client.getSchema,
    configure: (variables, args = {}) => client.configure({ variables, args }),
    ...resourceMethods(client),
    stop: server.stop,
  };
}

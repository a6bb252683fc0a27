/**
 * The native plugin's provider configuration: turns the engine's `Configure` request into the
 * `pulumi.dynamic.ConfigureRequest` shape that `configure` of `provider/resources/providerContext.ts` reads, so the
 * same `partnercenter:*` keys (and, where a key is absent, the same environment variables) configure both front ends.
 */
import type * as pulumi from "@pulumi/pulumi";
import { revealSecret } from "../resources/providerOutput";

/** The package name: config keys are `partnercenter:<key>`, and `partnercenter:config:<key>` in `variables`. */
export const PACKAGE = "partnercenter";

/**
 * A `Configure` request's settings as `partnercenter:<key>` → string. `args` (the provider's inputs: stack config
 * of a default provider, or an explicit provider's arguments) wins; `variables` (`partnercenter:config:<key>`, always
 * strings) fills the rest. Secret wrappers are removed (the plugin answers `acceptSecrets: false`); non-string values
 * (`sandbox: true` in YAML) become the string the stack config would hold.
 */
export function settingsFromConfigure(
  args: Record<string, unknown> | undefined,
  variables: ReadonlyMap<string, string> | Record<string, string> | undefined,
): Map<string, string> {
  const settings = new Map<string, string>();
  const entries = variables instanceof Map ? [...variables.entries()] : Object.entries(variables ?? {});
  for (const [key, value] of entries) {
    const match = /^([^:]+):config:(.+)$/.exec(key);
    if (match?.[1] === PACKAGE && match[2]) settings.set(`${PACKAGE}:${match[2]}`, value);
  }
  for (const [key, raw] of Object.entries(args ?? {})) {
    if (key.startsWith("__") || key === "version" || key === "pluginDownloadURL") continue;
    const value = asConfigString(revealSecret(raw));
    if (value !== undefined) settings.set(`${PACKAGE}:${key}`, value);
  }
  return settings;
}

/** The `ConfigureRequest` that `configure` of providerContext.ts expects, over {@link settingsFromConfigure}. */
export function configureRequestOf(settings: ReadonlyMap<string, string>): pulumi.dynamic.ConfigureRequest {
  const config = {
    get: (key: string) => settings.get(key.includes(":") ? key : `${PACKAGE}:${key}`),
    require: (key: string) => {
      const value = config.get(key);
      if (value === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return value;
    },
  };
  return { config } as unknown as pulumi.dynamic.ConfigureRequest;
}

/** A config value as stack config stores it: strings as they are, other JSON values as JSON text. */
function asConfigString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

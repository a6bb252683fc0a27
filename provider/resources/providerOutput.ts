/**
 * Small helpers shared by the resource implementations for what they hand back to the Pulumi provider host.
 */

/** Pulumi's wire signature key and value of a secret (`@pulumi/pulumi` `runtime/rpc.js`). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Wraps a value as a Pulumi secret on the wire. The engine unmarshals provider outputs with secrets kept, so this
 * makes the value secret in state even if a program forgot `additionalSecretOutputs` (defence in depth: the
 * resource classes set that option too). Never return `pulumi.secret()` from a provider: it cannot be serialized.
 */
export function secretOutput<T>(value: T): T {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value } as unknown as T;
}

/** Unwraps {@link secretOutput}'s wrapper where a value comes back in it; other values pass through. */
export function revealSecret<T>(value: T): T {
  if (value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) {
    return (value as unknown as { value: T }).value;
  }
  return value;
}

/** `props` with the values under `keys` wrapped as secrets (once), whatever the engine or an implementation handed over. */
export function withSecretKeys<T extends Record<string, unknown>>(props: T, keys: readonly string[]): T {
  const wrapped: Record<string, unknown> = { ...props };
  for (const key of keys) {
    if (wrapped[key] !== undefined) wrapped[key] = secretOutput(revealSecret(wrapped[key]));
  }
  return wrapped as T;
}

/**
 * Old outputs as the implementations read them: without Pulumi's `__` keys, the values under `keys` unwrapped (the
 * inverse of {@link withSecretKeys}: the host may hand a secret back wrapped or plain).
 */
export function plainOutputsOf(props: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const outputs = withoutInternalKeys(props);
  for (const key of keys) outputs[key] = revealSecret(outputs[key]);
  return outputs;
}

/**
 * The error of a create that made its resource but could not finish: the provider hosts pack `id`/`properties`/
 * `reasons` as a partial create, so Pulumi keeps the resource in state. The dynamic host adds `__provider` only to
 * successful answers; it is carried over from the create's `props` here, or the kept state could neither be
 * refreshed nor destroyed.
 */
export function partialCreateError(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  props: Record<string, unknown>,
): Error {
  const provider = props.__provider;
  return Object.assign(new Error(message), {
    id,
    properties: provider === undefined ? properties : { ...properties, __provider: provider },
    reasons: [message],
  });
}

/** Copies `props` without Pulumi's internal `__`-prefixed keys (the host re-attaches `__provider` itself). */
export function withoutInternalKeys<T extends Record<string, unknown>>(props: T): T {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith("__"))) as T;
}

/** Where provider messages go when not to stdout: the native plugin sends them to the engine's log. */
export type ProviderMessageSink = (message: string, severity: "info" | "warning") => void;

let messageSink: ProviderMessageSink | undefined;

/**
 * Sends provider messages to `sink` from now on (`undefined`: back to stdout). The native plugin sets it: the engine
 * shows a native plugin's stdout only at debug level, unlike the dynamic provider host's.
 */
export function setProviderMessageSink(sink: ProviderMessageSink | undefined): void {
  messageSink = sink;
}

/**
 * Writes a line the Pulumi CLI shows as a message of the update: on stdout under the dynamic provider host (which the
 * engine shows as info), through the engine's log from the native plugin. A line starting `warning:` is a warning.
 * Never pass secrets.
 */
export function logProviderMessage(message: string): void {
  if (messageSink) {
    const warning = message.startsWith("warning: ");
    messageSink(warning ? message.slice("warning: ".length) : message, warning ? "warning" : "info");
    return;
  }
  console.log(`partnercenter: ${message}`);
}

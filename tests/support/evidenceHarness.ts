/**
 * Helpers shared by the evidence suites (`tests/evidence`) and the benchmarks: driving the real provider host the way
 * the engine does (check, then create, many resources at once), starting hosts with any credential kind, and reading
 * the emulator's request log.
 */
import type { EmulatorHandle, RequestLogEntry } from "../../emulator";
import { customerUrn } from "./providerHarness";
import { type HostError, type ProviderHost, startProviderHost } from "./providerHost";

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms; rejects naming `what` when it stays false for `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Runs `worker` over `items` with at most `limit` in flight, like the engine's bounded parallelism (`--parallel`).
 * Results keep the order of `items`; a rejected worker rejects the whole run.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The domain of customer inputs built by `customerInputs()`. */
export function domainOf(inputs: Record<string, unknown>): string {
  return (inputs.companyProfile as { domain: string }).domain;
}

/** What one engine-like `check` + `create` of a resource ended with. */
export type CreateOutcome =
  | { kind: "created"; id: string; properties: Record<string, unknown> }
  | { kind: "checkFailed"; failures: { property: string; reason: string }[] }
  | { kind: "createFailed"; error: HostError };

/**
 * Does what `pulumi up` does for a new resource: `check` with the serialized provider, and `create` with the checked
 * inputs when check found nothing wrong. Errors of the host (a failed create) are returned, not thrown.
 */
export async function checkThenCreate(
  host: ProviderHost,
  provider: string,
  name: string,
  inputs: Record<string, unknown>,
): Promise<CreateOutcome> {
  const urn = customerUrn(name);
  const checked = await host.check(urn, {}, { ...inputs, __provider: provider });
  if (checked.failures.length > 0) return { kind: "checkFailed", failures: checked.failures };
  try {
    const created = await host.create(urn, checked.inputs);
    return { kind: "created", ...created };
  } catch (error) {
    return { kind: "createFailed", error: error as HostError };
  }
}

/** The emulator's customers whose domain is `domain`. */
export function customersWithDomain(emulator: EmulatorHandle, domain: string) {
  return emulator.state().customers.filter((customer) => customer.companyProfile?.domain === domain);
}

/** Whether a log entry is a request to the token endpoint (`/{tenant}/oauth2/v2.0/token`). */
export function isTokenRequest(entry: RequestLogEntry): boolean {
  return /\/oauth2\/(v2\.0\/)?token$/i.test(entry.path.split("?")[0] ?? "");
}

/** Whether a log entry is a Partner Center API request (`/v1/...`). */
export function isApiRequest(entry: RequestLogEntry): boolean {
  return entry.path.startsWith("/v1/");
}

/**
 * Retries visible in a request log: attempts beyond the first of each logical operation, an operation being one
 * method, path and `MS-RequestId` (the client reuses the id across the retries of an operation).
 */
export function retriesIn(entries: readonly RequestLogEntry[]): number {
  const operations = new Set<string>();
  let withId = 0;
  for (const entry of entries) {
    if (!isApiRequest(entry) || entry.requestId === undefined) continue;
    withId += 1;
    operations.add(`${entry.method} ${entry.path.split("?")[0]} ${entry.requestId}`);
  }
  return withId - operations.size;
}

/** Options of {@link startConfiguredHost}. */
export interface ConfiguredHostOptions {
  /** Extra environment of the host process. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a provider host that trusts the emulator's CA and configures it with exactly `config` (full
 * `partnercenter:*` keys; wrap secrets with `secretValue` as the engine does). Unlike `startHostFor`, nothing is
 * added: the suites choose every credential kind themselves. The environment's PARTNERCENTER_* / AZURE_* variables
 * are blanked so only this config counts.
 */
export async function startConfiguredHost(
  emulator: EmulatorHandle,
  config: Record<string, unknown>,
  options: ConfiguredHostOptions = {},
): Promise<ProviderHost> {
  const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath, ...options.env };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) env[key] = "";
  }
  const host = await startProviderHost({ env });
  try {
    await host.configure({
      "partnercenter:endpoint": emulator.url,
      "partnercenter:authority": emulator.authority,
      ...config,
    });
  } catch (error) {
    host.kill();
    throw error;
  }
  return host;
}

#!/usr/bin/env node
/**
 * `partner-center-emulator`: runs the emulator until interrupted and prints where it listens, the CA file to
 * trust and the demo credentials (never the admin token). Every {@link EmulatorOptions} field has a flag.
 */
import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import type { EmulatorHandle } from "./emulatorHandle";
import { type EmulatorOptions, PARTNER_TYPES, type PartnerType } from "./emulatorOptions";
import { startEmulator } from "./startEmulator";

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError("Not an integer.");
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Flags as commander parses them. */
interface CliFlags {
  port: number;
  host?: string;
  adminToken?: string;
  mode: "sandbox" | "production";
  partnerType: PartnerType;
  latencyMs?: number;
  rateLimitPerMinute?: number;
  bom?: boolean;
  stateFile?: string;
  http?: boolean;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  caCertificatePath?: string;
  tokenLifetimeSeconds?: number;
  clockSkewSeconds?: number;
  mfa: boolean;
  takenDomain?: string[];
  clientCertificate?: string[];
  federatedSubject?: string;
  json?: boolean;
}

/** Builds the commander program (exported for tests and for embedding). */
export function createCliProgram(): Command {
  return new Command("partner-center-emulator")
    .description("Local Microsoft Partner Center emulator (HTTPS, Entra-like token endpoint, customers, agreements).")
    .option("-p, --port <port>", "TCP port (0 = any free port)", integer, 0)
    .option("--host <host>", "interface to listen on (other than loopback only with --admin-token)", "127.0.0.1")
    .addOption(
      new Option(
        "--admin-token <token>",
        "bearer token the /_emulator admin routes require (Authorization: Bearer <token>)",
      ).env("PARTNERCENTER_EMULATOR_ADMIN_TOKEN"),
    )
    .addOption(
      new Option("--mode <mode>", "integration sandbox or production behaviour")
        .choices(["sandbox", "production"])
        .default("sandbox"),
    )
    .addOption(
      new Option("--partner-type <type>", "CSP type of the partner (decides the Default GDAP roles)")
        .choices(PARTNER_TYPES)
        .default("direct"),
    )
    .option("--latency-ms <ms>", "latency added to every request", integer)
    .option("--rate-limit-per-minute <n>", "requests per minute before 429", integer)
    .option("--bom", "prefix JSON bodies with a UTF-8 BOM")
    .option("--state-file <path>", "persist state (and the CA) in this file")
    .option("--http", "plain HTTP instead of HTTPS (debugging only)")
    .option("--tenant-id <guid>", "partner tenant id")
    .option("--client-id <guid>", "demo app client id")
    .option("--client-secret <secret>", "demo app client secret")
    .option("--refresh-token <token>", "demo user refresh token")
    .option("--ca-certificate-path <path>", "where to write the CA certificate")
    .option("--token-lifetime-seconds <s>", "access-token lifetime", integer)
    .option("--clock-skew-seconds <s>", "shift of the token issuer's clock", integer)
    .option("--no-mfa", "App+User tokens without the mfa claim")
    .option("--taken-domain <domain>", "a domain that exists elsewhere (repeatable)", collect)
    .option("--client-certificate <pem-file>", "a client certificate for certificate credentials (repeatable)", collect)
    .option("--federated-subject <subject>", "subject the workload-identity credential trusts")
    .option("--json", "print the connection details as one JSON line instead of text");
}

/** Maps parsed flags to emulator options. */
export function cliOptions(flags: CliFlags): EmulatorOptions {
  const credentials = {
    ...(flags.clientId ? { clientId: flags.clientId } : {}),
    ...(flags.clientSecret ? { clientSecret: flags.clientSecret } : {}),
    ...(flags.refreshToken ? { refreshToken: flags.refreshToken } : {}),
  };
  return {
    port: flags.port,
    host: flags.host,
    // An empty value (e.g. the variable set to "") means no token.
    adminToken: flags.adminToken || undefined,
    mode: flags.mode,
    partnerType: flags.partnerType,
    latencyMs: flags.latencyMs,
    rateLimitPerMinute: flags.rateLimitPerMinute,
    bom: flags.bom,
    stateFile: flags.stateFile,
    http: flags.http,
    tenantId: flags.tenantId,
    credentials,
    caCertificatePath: flags.caCertificatePath,
    tokenLifetimeSeconds: flags.tokenLifetimeSeconds,
    clockSkewSeconds: flags.clockSkewSeconds,
    mfa: flags.mfa,
    takenDomains: flags.takenDomain,
    clientCertificates: flags.clientCertificate?.map((path) => readFileSync(path, "utf8")),
    federatedSubject: flags.federatedSubject,
  };
}

/**
 * The text the CLI prints once listening.
 * @param emulator The running emulator.
 * @param adminTokenRequired Whether the admin routes require the admin token (which is never printed).
 */
export function describeEmulator(emulator: EmulatorHandle, adminTokenRequired = false): string {
  return [
    "Partner Center emulator is listening.",
    `  URL:            ${emulator.url}`,
    `  Authority:      ${emulator.authority}`,
    `  Tenant id:      ${emulator.tenantId}`,
    `  Mode:           ${emulator.mode}`,
    `  CA certificate: ${emulator.caCertificatePath}`,
    `                  (export NODE_EXTRA_CA_CERTS=${emulator.caCertificatePath})`,
    `  Client id:      ${emulator.credentials.clientId}`,
    `  Client secret:  ${emulator.credentials.clientSecret}`,
    `  Refresh token:  ${emulator.credentials.refreshToken}`,
    `  App-only scope: ${emulator.scopes.appOnly}`,
    `  App+User scope: ${emulator.scopes.appUser}`,
    `  Graph scope:    ${emulator.graphScope} (GDAP at ${emulator.url}/v1.0/tenantRelationships/delegatedAdminRelationships)`,
    `  Admin routes:   ${emulator.url}/_emulator${adminTokenRequired ? " (Authorization: Bearer <admin token>)" : ""}`,
    "Press Ctrl+C to stop.",
  ].join("\n");
}

/** Runs the CLI with `argv` (as `process.argv`). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = createCliProgram();
  program.parse(argv as string[]);
  const flags = program.opts<CliFlags>();
  // Handlers go in before anything is printed: a supervisor may send SIGTERM as soon as it reads the banner.
  let emulator: EmulatorHandle | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    (emulator ? emulator.close() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const options = cliOptions(flags);
  emulator = await startEmulator(options);
  if (stopping) {
    await emulator.close();
    return;
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        url: emulator.url,
        authority: emulator.authority,
        tenantId: emulator.tenantId,
        mode: emulator.mode,
        caCertificatePath: emulator.caCertificatePath,
        credentials: emulator.credentials,
        scopes: emulator.scopes,
        graphScope: emulator.graphScope,
      })}\n`,
    );
  } else {
    process.stdout.write(`${describeEmulator(emulator, options.adminToken !== undefined)}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`partner-center-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

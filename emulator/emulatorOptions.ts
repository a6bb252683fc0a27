/**
 * Options of {@link startEmulator} and their defaults. Every field is optional; `resolveEmulatorOptions` spreads
 * the caller's options over the `DEFAULT_*` values, so the rest of the emulator only sees the resolved form.
 */
import { BlockList, isIPv6 } from "node:net";
import type { AddressRule } from "./addressValidation";
import type { CertificateAuthorityPem } from "./certificates";

/** Ready-made credentials of the emulator's demo app registration and user. */
export interface EmulatorCredentials {
  /** App registration (client) id. */
  clientId: string;
  /** Client secret: client-credentials flow gives App-only tokens. */
  clientSecret: string;
  /** Refresh token of the demo partner user: the refresh-token flow gives App+User tokens. */
  refreshToken: string;
}

/**
 * The emulated partner's CSP type [MS, GDAP FAQ]: Direct Bill partners and Indirect Providers get the same Default GDAP
 * roles; Indirect Resellers get them without Cloud Application Administrator and Application Administrator.
 */
export type PartnerType = "direct" | "indirectProvider" | "indirectReseller";

/** Every {@link PartnerType}, for validation and the CLI. */
export const PARTNER_TYPES: readonly PartnerType[] = ["direct", "indirectProvider", "indirectReseller"];

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Interface to listen on; default `127.0.0.1`. Anything but loopback (127.0.0.0/8, `::1`, `localhost`), such as
   * `0.0.0.0`, is refused unless `adminToken` is set.
   */
  host?: string;
  /**
   * Bearer token the admin routes (`/_emulator`) then require: `Authorization: Bearer <adminToken>`, compared in
   * constant time; a request without it, or with another, gets 401 and does nothing. Required to listen on a
   * non-loopback `host`, since the admin routes hand out credentials and control the emulator. Without it the admin
   * routes are open to every client, which loopback limits to this machine. Visible ASCII without spaces (it travels
   * in a header). Never logged, printed by the CLI or returned by `/_emulator/info`. CLI: `--admin-token <token>` or
   * `PARTNERCENTER_EMULATOR_ADMIN_TOKEN`; default none.
   */
  adminToken?: string;
  /**
   * `sandbox` (default) behaves like the integration sandbox (DELETE customer works, TiP domains accepted);
   * `production` refuses deletes.
   */
  mode?: "sandbox" | "production";
  /**
   * The partner's CSP type, which decides the roles of the Default GDAP relationship a customer create makes; default
   * `direct`. CLI: `--partner-type`.
   */
  partnerType?: PartnerType;
  /** Extra latency added to every request (not admin routes), in milliseconds; default 0. */
  latencyMs?: number;
  /**
   * Requests per minute allowed on `/v1` (Partner Center) routes before 429, and separately on `/v1.0` (Microsoft
   * Graph) routes; default unlimited.
   */
  rateLimitPerMinute?: number;
  /** Prefix every JSON body with a UTF-8 byte-order mark, as real Partner Center sometimes does; default false. */
  bom?: boolean;
  /**
   * JSON file that keeps customers, agreements, the CA and the auth material across restarts; written atomically
   * on every change. The CA certificate is also written next to it (`<stateFile>.ca.pem`) unless
   * `caCertificatePath` says otherwise.
   */
  stateFile?: string;
  /** Serve plain HTTP instead of HTTPS (debugging only: MSAL refuses non-https authorities); default false. */
  http?: boolean;
  /** Partner tenant id; default random (or the persisted one). */
  tenantId?: string;
  /** Fix some demo credentials instead of generating them (ignored when a state file already has them). */
  credentials?: Partial<EmulatorCredentials>;
  /** Reuse this CA instead of generating one (wins over a CA in the state file). */
  ca?: CertificateAuthorityPem;
  /** Where to write the CA certificate (PEM); default next to the state file, else a fresh temporary directory. */
  caCertificatePath?: string;
  /** Access-token lifetime in seconds; default 3600. */
  tokenLifetimeSeconds?: number;
  /** Shift of the token issuer's clock in seconds (iat/nbf/exp move, `expires_in` does not); default 0. */
  clockSkewSeconds?: number;
  /** Whether App+User tokens claim MFA (`amr` contains `mfa`); default true. */
  mfa?: boolean;
  /** Client certificates (PEM) whose keys may sign client assertions for the demo app. */
  clientCertificates?: string[];
  /** Subject the demo app's workload-identity federated credential trusts. */
  federatedSubject?: string;
  /** Domains that already exist elsewhere (HEAD /v1/domains answers 200, creates fail with 409). */
  takenDomains?: string[];
  /** Addresses that address validation reports with a given (default: invalid) status. */
  invalidAddresses?: AddressRule[];
  /** How long a POST's `MS-RequestId` is remembered for replay, in seconds; default 900 (15 minutes). */
  idempotencyWindowSeconds?: number;
  /** Maximum entries kept in the request log (oldest dropped first); default 10,000. */
  requestLogLimit?: number;
}

/** {@link EmulatorOptions} with defaults applied. */
export type ResolvedEmulatorOptions = Required<
  Pick<
    EmulatorOptions,
    | "port"
    | "host"
    | "mode"
    | "partnerType"
    | "latencyMs"
    | "bom"
    | "http"
    | "tokenLifetimeSeconds"
    | "clockSkewSeconds"
    | "mfa"
    | "clientCertificates"
    | "takenDomains"
    | "invalidAddresses"
    | "idempotencyWindowSeconds"
    | "requestLogLimit"
  >
> &
  Omit<EmulatorOptions, "port" | "host" | "mode" | "partnerType">;

/** Default port: 0, any free port. */
export const DEFAULT_PORT = 0;
/** Default interface: loopback only, so the admin routes (unauthenticated without `adminToken`) stay on this machine. */
export const DEFAULT_HOST = "127.0.0.1";
/** Default access-token lifetime, as Entra's usual ~1 hour. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Default idempotency window. */
export const DEFAULT_IDEMPOTENCY_WINDOW_SECONDS = 900;
/** Default request-log capacity. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

/** Applies defaults. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  return {
    ...options,
    port: options.port ?? DEFAULT_PORT,
    host: options.host ?? DEFAULT_HOST,
    mode: options.mode ?? "sandbox",
    partnerType: options.partnerType ?? "direct",
    latencyMs: options.latencyMs ?? 0,
    bom: options.bom ?? false,
    http: options.http ?? false,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    clockSkewSeconds: options.clockSkewSeconds ?? 0,
    mfa: options.mfa ?? true,
    clientCertificates: options.clientCertificates ?? [],
    takenDomains: options.takenDomains ?? [],
    invalidAddresses: options.invalidAddresses ?? [],
    idempotencyWindowSeconds: options.idempotencyWindowSeconds ?? DEFAULT_IDEMPOTENCY_WINDOW_SECONDS,
    requestLogLimit: options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT,
  };
}

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK_ADDRESSES.addAddress("::1", "ipv6");

/**
 * Whether `host` is a loopback interface: an address in 127.0.0.0/8, `::1` (any spelling, IPv4-mapped loopback
 * too) or `localhost`. Wildcards (`0.0.0.0`, `::`), other addresses and other names are not.
 * @param host The interface to listen on.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === "localhost") return true;
  try {
    return LOOPBACK_ADDRESSES.check(host, isIPv6(host) ? "ipv6" : "ipv4");
  } catch {
    return false; // not an IP address: a host name other than localhost
  }
}

/**
 * Refuses options that would expose the admin routes without authentication (a non-loopback `host` without
 * `adminToken`) or set an admin token no client could send. The messages never contain the token.
 * @param options Resolved options.
 * @throws Error naming the option to set.
 */
export function checkAdminExposure(options: ResolvedEmulatorOptions): void {
  const token = options.adminToken;
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      "The admin token (adminToken, --admin-token, PARTNERCENTER_EMULATOR_ADMIN_TOKEN) must be non-empty visible ASCII without spaces.",
    );
  }
  if (token === undefined && !isLoopbackHost(options.host)) {
    throw new Error(
      `Refusing to listen on ${options.host} without an admin token: the admin routes (/_emulator) hand out credentials and control the emulator. ` +
        "Set one (option adminToken, CLI --admin-token <token> or PARTNERCENTER_EMULATOR_ADMIN_TOKEN), which /_emulator then requires as " +
        '"Authorization: Bearer <token>", or listen on loopback (127.0.0.1, ::1, localhost).',
    );
  }
}

/**
 * Starts a local Partner Center emulator: HTTPS server, Entra-like token endpoint, Partner Center routes, Microsoft
 * Graph's GDAP routes and the customer's approval page, admin routes, optional persistence. See {@link EmulatorOptions} and {@link EmulatorHandle}.
 */
import { randomInt } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildServer } from "./buildServer";
import { createCertificateAuthority, issueServerCertificate } from "./certificates";
import { defaultGdapRelationship } from "./defaultGdapRelationship";
import type { EmulatorContext } from "./emulatorContext";
import { createEmulatorControls } from "./emulatorControls";
import type { EmulatorHandle } from "./emulatorHandle";
import { checkAdminExposure, type EmulatorOptions, resolveEmulatorOptions } from "./emulatorOptions";
import { createFaultController } from "./faults";
import { createIdempotencyCache } from "./idempotencyCache";
import { createRateLimiter } from "./rateLimiter";
import { createRequestLog } from "./requestLog";
import type { EmulatorInfo } from "./routes/admin";
import { createStateFileWriter, loadStateFile, STATE_FILE_VERSION, type StateFileWriter } from "./stateFile";
import { createStore } from "./store";
import { createTokenService, GRAPH_RESOURCE, PARTNER_CENTER_RESOURCE } from "./tokenService";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** The host to put in URLs: wildcard binds are reached through loopback; IPv6 literals need brackets. */
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts an emulator and resolves once it listens.
 *
 * With `stateFile`, customers, agreements, the CA, keys and demo credentials are loaded from it when it exists and
 * written to it (atomically) after every change, so a restart with the same file keeps clients working: same CA
 * file, same credentials, still-valid tokens.
 *
 * A non-loopback `host` (e.g. `0.0.0.0`) is refused unless `adminToken` is set, which the admin routes then require.
 *
 * @param options See {@link EmulatorOptions}; every field is optional.
 * @returns The running emulator's {@link EmulatorHandle}. Call `close()` when done.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const resolved = resolveEmulatorOptions(options);
  checkAdminExposure(resolved);
  const persisted = resolved.stateFile ? await loadStateFile(resolved.stateFile) : undefined;
  // TLS material and token keys are independent: generate them concurrently.
  const tlsMaterial = (async () => {
    const ca = resolved.ca ?? persisted?.ca ?? (await createCertificateAuthority());
    const extraNames =
      LOOPBACK.has(resolved.host) || resolved.host === "0.0.0.0" || resolved.host === "::" ? [] : [resolved.host];
    return { ca, serverCertificate: resolved.http ? undefined : await issueServerCertificate(ca, extraNames) };
  })();
  // Awaited below; this only keeps a failure from surfacing as unhandled while token keys are generated.
  tlsMaterial.catch(() => undefined);

  let writer: StateFileWriter | undefined;
  const persist = (): Promise<void> => writer?.save() ?? Promise.resolve();
  const persistInBackground = (): void => {
    persist().catch((error: unknown) => {
      process.emitWarning(`Partner Center emulator could not write its state file: ${String(error)}`);
    });
  };

  const tokens = await createTokenService({
    state: persisted?.auth,
    identity: {
      ...(resolved.tenantId ? { tenantId: resolved.tenantId.toLowerCase() } : {}),
      ...(resolved.credentials?.clientId ? { clientId: resolved.credentials.clientId } : {}),
      ...(resolved.credentials?.clientSecret ? { clientSecret: resolved.credentials.clientSecret } : {}),
      ...(resolved.federatedSubject ? { federatedSubject: resolved.federatedSubject } : {}),
    },
    refreshToken: resolved.credentials?.refreshToken,
    settings: {
      lifetimeSeconds: resolved.tokenLifetimeSeconds,
      clockSkewSeconds: resolved.clockSkewSeconds,
      mfa: resolved.mfa,
    },
    clientCertificates: resolved.clientCertificates,
    onChange: persistInBackground,
  });
  const { ca, serverCertificate } = await tlsMaterial;
  const store = createStore({
    customers: persisted?.customers,
    agreements: persisted?.agreements,
    retainedDomains: persisted?.retainedDomains,
    attestations: persisted?.attestations,
    gdap: persisted?.gdap ?? gdapOfOlderState(persisted?.customers, resolved.partnerType),
    externalDomains: resolved.takenDomains,
  });

  const ctx: EmulatorContext = {
    mode: resolved.mode,
    bom: resolved.bom,
    latencyMs: resolved.latencyMs,
    serverId: String(randomInt(100_000_000, 999_999_999)),
    partnerType: resolved.partnerType,
    store,
    tokens,
    faults: createFaultController(),
    log: createRequestLog(resolved.requestLogLimit),
    idempotency: createIdempotencyCache(resolved.idempotencyWindowSeconds * 1000),
    rateLimiter: createRateLimiter(resolved.rateLimitPerMinute),
    graphRateLimiter: createRateLimiter(resolved.rateLimitPerMinute),
    addressRules: [...resolved.invalidAddresses],
    requests: new WeakMap(),
    persist,
    send: () => {
      throw new Error("send is installed by buildServer");
    },
  };
  if (resolved.stateFile) {
    writer = createStateFileWriter(resolved.stateFile, () => ({
      version: STATE_FILE_VERSION,
      ...store.snapshot(),
      ca,
      auth: tokens.snapshot(),
    }));
    await writer.save();
  }

  let temporaryDirectory: string | undefined;
  let caCertificatePath = resolved.caCertificatePath;
  if (!caCertificatePath) {
    if (resolved.stateFile) caCertificatePath = `${resolved.stateFile}.ca.pem`;
    else {
      temporaryDirectory = await mkdtemp(join(tmpdir(), "partner-center-emulator-"));
      caCertificatePath = join(temporaryDirectory, "ca.pem");
    }
  }
  await mkdir(dirname(caCertificatePath), { recursive: true });
  await writeFile(caCertificatePath, ca.certificatePem);

  const controls = createEmulatorControls(ctx, resolved);
  const identity = tokens.identity;
  let info: EmulatorInfo | undefined;
  const app = buildServer(ctx, {
    tls: serverCertificate
      ? { cert: serverCertificate.certificatePem, key: serverCertificate.privateKeyPem }
      : undefined,
    controls,
    info: () => info as EmulatorInfo,
    adminToken: resolved.adminToken,
  });
  await app.listen({ port: resolved.port, host: resolved.host });
  const port = (app.server.address() as AddressInfo).port;
  const knownAuthority = `${urlHost(resolved.host)}:${port}`;
  const url = `${resolved.http ? "http" : "https"}://${knownAuthority}`;
  const authority = `${url}/${identity.tenantId}`;
  const credentials = {
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    refreshToken: tokens.snapshot().demoRefreshToken,
  };
  info = {
    url,
    authority,
    tenantId: identity.tenantId,
    caCertificatePath,
    credentials,
    mode: resolved.mode,
    federatedIssuer: identity.federatedIssuer,
    federatedSubject: identity.federatedSubject,
  };

  let closing: Promise<void> | undefined;
  return {
    ...controls,
    url,
    authority,
    knownAuthority,
    tenantId: identity.tenantId,
    mode: resolved.mode,
    caCertificatePem: ca.certificatePem,
    caCertificatePath,
    credentials,
    scopes: {
      appOnly: `${PARTNER_CENTER_RESOURCE}/.default`,
      appUser: `${PARTNER_CENTER_RESOURCE}/user_impersonation`,
    },
    graphScope: `${GRAPH_RESOURCE}/.default`,
    federatedIssuer: identity.federatedIssuer,
    federatedSubject: identity.federatedSubject,
    faults: ctx.faults,
    requests: () => ctx.log.entries(),
    state: () => store.state(),
    close(): Promise<void> {
      closing ??= (async () => {
        await app.close();
        await persist();
        if (temporaryDirectory) await rm(temporaryDirectory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/**
 * The GDAP state of a state file written before the emulator served Graph: the Default GDAP relationship each of its
 * customers would have been given at creation (unless it was created with `enableGDAPByDefault: false`: no flag set),
 * so `npm start` on an existing `.emulator/` behaves like a fresh one. `undefined` when there is no such file.
 */
function gdapOfOlderState(
  customers: PersistedCustomers | undefined,
  partnerType: Parameters<typeof defaultGdapRelationship>[1],
):
  | { relationships: ReturnType<typeof defaultGdapRelationship>[]; requests: []; accessAssignments: []; operations: [] }
  | undefined {
  if (!customers) return undefined;
  const relationships = customers
    .filter((customer) => customer.enableGDAPByDefault || customer.allowDelegatedAccess)
    .map((customer) => defaultGdapRelationship(customer, partnerType));
  return { relationships, requests: [], accessAssignments: [], operations: [] };
}

type PersistedCustomers = NonNullable<Awaited<ReturnType<typeof loadStateFile>>>["customers"];

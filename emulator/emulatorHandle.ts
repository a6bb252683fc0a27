/**
 * The handle {@link startEmulator} resolves to: where the emulator listens, how to trust and authenticate to it,
 * and how to inspect and steer it from a test.
 */
import type { EmulatorControls } from "./emulatorControls";
import type { EmulatorCredentials } from "./emulatorOptions";
import type { FaultController } from "./faults";
import type { RequestLogEntry } from "./requestLog";
import type { EmulatorState } from "./store";

/** A running emulator. */
export interface EmulatorHandle extends EmulatorControls {
  /**
   * Base URL, e.g. `https://127.0.0.1:PORT`: Partner Center at `{url}/v1/...`, Microsoft Graph at `{url}/v1.0/...`,
   * and the customer's GDAP approval page at `approvalLink(url, id)` (`provider/schemas/gdap.ts`).
   */
  readonly url: string;
  /** Entra authority for MSAL: `{url}/{tenantId}`. */
  readonly authority: string;
  /** `host:port` to put in MSAL's `knownAuthorities` so it skips Microsoft's instance discovery. */
  readonly knownAuthority: string;
  /** The partner tenant id. */
  readonly tenantId: string;
  /** `sandbox` or `production`. */
  readonly mode: "sandbox" | "production";
  /** The emulator CA certificate (PEM). Trust it (`ca` option, `tls.setDefaultCACertificates`) — never disable TLS checks. */
  readonly caCertificatePem: string;
  /** File holding {@link EmulatorHandle.caCertificatePem}; `NODE_EXTRA_CA_CERTS=<path>` makes any Node client trust it. */
  readonly caCertificatePath: string;
  /** Demo credentials: client secret (App-only) and refresh token (App+User). */
  readonly credentials: EmulatorCredentials;
  /** Partner Center scopes to request: `appOnly` for client credentials, `appUser` for the refresh-token flow. */
  readonly scopes: { readonly appOnly: string; readonly appUser: string };
  /**
   * The scope of App-only Microsoft Graph tokens (client credentials, same app and credentials), which the GDAP routes
   * under `{url}/v1.0/` take: `https://graph.microsoft.com/.default`.
   */
  readonly graphScope: string;
  /** Issuer of {@link EmulatorControls.issueFederatedToken} tokens (what the app's federated credential trusts). */
  readonly federatedIssuer: string;
  /** Subject the app's federated credential trusts. */
  readonly federatedSubject: string;
  /** Fault injection. */
  readonly faults: FaultController;
  /** The request log, oldest first (token-endpoint requests included; admin routes excluded). */
  requests(): RequestLogEntry[];
  /** Customers, agreements, attestations and GDAP records (deep copies; reading them moves no lifecycle on). */
  state(): EmulatorState;
  /** Stops listening, drops open connections and waits for the last state-file write. */
  close(): Promise<void>;
}

/**
 * What every route and hook of one running emulator shares: its store, token service, faults, log and settings.
 * One context per `startEmulator` call; nothing is module-global, so several emulators can run in one process.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AddressRule } from "./addressValidation";
import type { PartnerType } from "./emulatorOptions";
import type { FaultController } from "./faults";
import type { IdempotencyCache } from "./idempotencyCache";
import type { RateLimiter } from "./rateLimiter";
import type { RequestLog } from "./requestLog";
import type { Store } from "./store";
import type { AccessTokenClaims, TokenService } from "./tokenService";

/** Per-request bookkeeping, kept in a WeakMap keyed by the request. */
export interface RequestContext {
  /** Epoch ms at arrival. */
  time: number;
  /** Client-sent request id (MS-RequestId, or client-request-id on the token endpoint). */
  requestId?: string;
  /** Client-sent MS-CorrelationId. */
  correlationId?: string;
  /** Verified token claims (Partner Center routes). */
  claims?: AccessTokenClaims;
  /** Token kind for the log. */
  tokenKind?: "app" | "user";
  /** Fault mode applied. */
  fault?: string;
  /** Act, then drop the connection instead of answering. */
  dropAfterCommit?: boolean;
  /** Idempotency key when this POST's answer must be remembered. */
  idempotencyKey?: string;
  /** Releases concurrent duplicates waiting on this request. */
  release?: () => void;
  /** The answer was replayed. */
  replayed?: boolean;
  /** The log entry was written (guards against writing it twice). */
  logged?: boolean;
  /**
   * Set on Microsoft Graph routes (`/v1.0/…`): the `request-id` the answer carries and the client's
   * `client-request-id`. Errors then get Graph's body, and no BOM is added.
   */
  graph?: { requestId: string; clientRequestId?: string };
}

/** The shared context. */
export interface EmulatorContext {
  /** `sandbox` or `production`. */
  mode: "sandbox" | "production";
  /** Prefix JSON with a BOM. */
  bom: boolean;
  /** Latency added to each request (ms). */
  latencyMs: number;
  /** Identifies this emulator in `MS-ServerId`. */
  serverId: string;
  /** The emulated partner's CSP type: decides the roles of the Default GDAP relationship. */
  partnerType: PartnerType;
  store: Store;
  tokens: TokenService;
  faults: FaultController;
  log: RequestLog;
  idempotency: IdempotencyCache;
  /** Partner Center's rate limit (`/v1`). */
  rateLimiter: RateLimiter;
  /** Microsoft Graph's (`/v1.0`): a separate budget with the same limit, as the two services throttle separately. */
  graphRateLimiter: RateLimiter;
  /** Address rules (start-up ones plus those added at run time). */
  addressRules: AddressRule[];
  /** Per-request bookkeeping. */
  requests: WeakMap<FastifyRequest, RequestContext>;
  /** Persists the current state (no-op without a state file); resolves when durable. */
  persist(): Promise<void>;
  /** Sends a JSON answer through the emulator's single exit (BOM, idempotency, drop faults). */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): FastifyReply;
}

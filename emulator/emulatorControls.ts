/**
 * Out-of-band controls of a running emulator: reset, drift helpers (change or remove a customer behind the
 * client's back), auth knobs (token lifetime, clock skew, revocation, federated tokens, certificates), traffic
 * knobs (rate limit, latency), and the steps people take outside the API (a customer approving a GDAP relationship,
 * an attestation or relationship expiring). The in-process handle and the `/_emulator` admin routes both call these, so the two
 * surfaces cannot drift apart.
 */
import type { AddressRule } from "./addressValidation";
import type { EmulatorContext } from "./emulatorContext";
import type { ResolvedEmulatorOptions } from "./emulatorOptions";
import { approveRelationship, expireRelationship } from "./gdapLifecycle";
import type { Customer } from "./model";
import { createCustomer, customerView, newEtag } from "./routes/customers";
import type { FederatedTokenOptions } from "./tokenService";

/** A deep partial, for customer patches. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The controls (see the module comment). */
export interface EmulatorControls {
  /**
   * Forgets customers, agreements, attestations, GDAP relationships, faults, the request log and idempotency;
   * restores start-up settings.
   */
  reset(): Promise<void>;
  /** Creates a customer as `POST /v1/customers` would (same validation), returning it with `userCredentials`. */
  createCustomer(body: unknown, options?: { tokenKind?: "app" | "user" }): Promise<Customer>;
  /**
   * Deep-merges `patch` into a stored customer (drift). A changed billing profile gets a new ETag unless the patch
   * sets one. Returns the customer as GET returns it, or `undefined` when there is no such customer.
   */
  updateCustomer(id: string, patch: DeepPartial<Customer>): Promise<Customer | undefined>;
  /** Removes a customer as if it vanished (tenant gone, domain freed). Returns whether it existed. */
  removeCustomer(id: string): Promise<boolean>;
  /** Makes a domain exist elsewhere (HEAD /v1/domains → 200, create → 409). */
  addTakenDomain(domain: string): void;
  /** Adds an address rule (default status `None`, i.e. invalid). */
  markAddressInvalid(rule: AddressRule): void;
  /** Sets the access-token lifetime (seconds) for tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /** Shifts the issuer clock (seconds) for tokens issued from now on. */
  setClockSkew(seconds: number): void;
  /** Whether new App+User tokens claim MFA. */
  setMfa(enabled: boolean): void;
  /**
   * Sets the lifetime (seconds) of refresh tokens issued from now on, stated as `refresh_token_expires_in` in token
   * responses; `undefined` restores Entra's behaviour (90 days, not stated). `reset()` restores it too.
   */
  setRefreshTokenLifetime(seconds: number | undefined): void;
  /**
   * Sets the per-minute rate limit (0 or undefined: unlimited) and starts a fresh window; Partner Center and Graph
   * routes each get that many.
   */
  setRateLimit(perMinute: number | undefined): void;
  /** Sets the latency added to every request (ms). */
  setLatency(ms: number): void;
  /** Revokes every refresh token issued so far (`invalid_grant`, AADSTS50173, from now on). */
  revokeRefreshTokens(): void;
  /** Mints a new refresh token for the demo user, as a fresh consent would. */
  issueRefreshToken(): string;
  /** Issues a workload-identity token for `client_assertion`. */
  issueFederatedToken(options?: FederatedTokenOptions): Promise<string>;
  /** Registers a client certificate (PEM) for certificate credentials. */
  registerClientCertificate(certificatePem: string): Promise<void>;
  /** Lets an enhanced attestation expire (nobody documents when real ones do). Returns whether it existed. */
  expireAttestation(id: string): Promise<boolean>;
  /**
   * Approves a GDAP relationship as the customer's admin would on the approval page (for scripts without a browser):
   * `approvalPending` → `active`. Returns whether it was awaiting approval (false for an unknown id too).
   */
  approveGdapRelationship(id: string): Promise<boolean>;
  /**
   * Lets a GDAP relationship expire now, as the end of its duration (`active`) or of the 90-day invitation window
   * (`approvalPending`) would; its access assignments go with it. Returns whether it could (false for an unknown id,
   * or another status).
   */
  expireGdapRelationship(id: string): Promise<boolean>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) deepMerge(current, value);
    else target[key] = structuredClone(value);
  }
}

/**
 * Creates the controls of one emulator.
 * @param ctx Its context.
 * @param options Its resolved start-up options (what `reset` restores).
 */
export function createEmulatorControls(ctx: EmulatorContext, options: ResolvedEmulatorOptions): EmulatorControls {
  return {
    async reset(): Promise<void> {
      ctx.store.clear();
      ctx.faults.clear();
      ctx.log.clear();
      ctx.idempotency.clear();
      for (const limiter of [ctx.rateLimiter, ctx.graphRateLimiter]) {
        limiter.limitPerMinute = options.rateLimitPerMinute;
        limiter.reset();
      }
      ctx.latencyMs = options.latencyMs;
      ctx.addressRules.splice(0, ctx.addressRules.length, ...options.invalidAddresses);
      ctx.tokens.reset({
        lifetimeSeconds: options.tokenLifetimeSeconds,
        clockSkewSeconds: options.clockSkewSeconds,
        mfa: options.mfa,
      });
      await ctx.persist();
    },
    createCustomer: (body, createOptions = {}) => createCustomer(ctx, body, createOptions.tokenKind ?? "user"),
    async updateCustomer(id, patch): Promise<Customer | undefined> {
      const current = ctx.store.getCustomer(id);
      if (!current) return undefined;
      const next = structuredClone(current);
      deepMerge(next as unknown as Record<string, unknown>, patch as Record<string, unknown>);
      next.id = current.id;
      if (patch.billingProfile && patch.billingProfile.attributes?.etag === undefined) {
        next.billingProfile.attributes.etag = newEtag();
      }
      ctx.store.replaceCustomer(next);
      await ctx.persist();
      return customerView(structuredClone(next));
    },
    async removeCustomer(id): Promise<boolean> {
      const removed = ctx.store.removeCustomer(id, false);
      if (removed) await ctx.persist();
      return removed;
    },
    addTakenDomain(domain): void {
      ctx.store.addTakenDomain(domain);
    },
    markAddressInvalid(rule): void {
      ctx.addressRules.push({ ...rule });
    },
    setTokenLifetime(seconds): void {
      ctx.tokens.settings.lifetimeSeconds = seconds;
    },
    setClockSkew(seconds): void {
      ctx.tokens.settings.clockSkewSeconds = seconds;
    },
    setMfa(enabled): void {
      ctx.tokens.settings.mfa = enabled;
    },
    setRefreshTokenLifetime(seconds): void {
      ctx.tokens.settings.refreshTokenLifetimeSeconds = seconds;
    },
    setRateLimit(perMinute): void {
      for (const limiter of [ctx.rateLimiter, ctx.graphRateLimiter]) {
        limiter.limitPerMinute = perMinute;
        limiter.reset();
      }
    },
    setLatency(ms): void {
      ctx.latencyMs = ms;
    },
    revokeRefreshTokens: () => ctx.tokens.revokeRefreshTokens(),
    issueRefreshToken: () => ctx.tokens.issueRefreshToken(),
    issueFederatedToken: (federatedOptions) => ctx.tokens.issueFederatedToken(federatedOptions),
    registerClientCertificate: (certificatePem) => ctx.tokens.registerClientCertificate(certificatePem),
    async expireAttestation(id): Promise<boolean> {
      const attestation = ctx.store.getAttestation(id);
      if (!attestation) return false;
      attestation.status = "expired";
      await ctx.persist();
      return true;
    },
    async approveGdapRelationship(id): Promise<boolean> {
      const relationship = ctx.store.getRelationship(id);
      if (!relationship) return false;
      const approved = approveRelationship(ctx, relationship);
      await ctx.persist();
      return approved;
    },
    async expireGdapRelationship(id): Promise<boolean> {
      const relationship = ctx.store.getRelationship(id);
      if (!relationship) return false;
      const expired = expireRelationship(ctx, relationship);
      await ctx.persist();
      return expired;
    },
  };
}

/**
 * Admin routes under `/_emulator`: the handle's controls for other processes (a Pulumi program, the provider host,
 * a shell with curl). They are not Partner Center routes: no Partner Center token, no faults, no rate limit, not
 * logged. With an admin token configured every one of them requires `Authorization: Bearer <admin token>`; without
 * one they are open, and only loopback (the sole host the emulator accepts then) keeps them private.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { AddressRule } from "../addressValidation";
import type { EmulatorContext } from "../emulatorContext";
import type { DeepPartial, EmulatorControls } from "../emulatorControls";
import { PartnerCenterHttpError } from "../errors";
import type { FaultMode, FaultSpec } from "../faults";
import type { Customer } from "../model";
import type { FederatedTokenOptions } from "../tokenService";

/** What `GET /_emulator/info` returns (the same facts the CLI prints). */
export interface EmulatorInfo {
  url: string;
  authority: string;
  tenantId: string;
  caCertificatePath: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  mode: "sandbox" | "production";
  federatedIssuer: string;
  federatedSubject: string;
}

/** The JSON form of a fault for `POST /_emulator/faults`: a RegExp travels as `pathPattern`, `count: null` = forever. */
export interface FaultSpecJson extends Omit<FaultSpec, "path" | "count"> {
  /** String prefix of the request target. */
  path?: string;
  /** Regular expression (source) tested against the request target; wins over `path`. */
  pathPattern?: string;
  /** Uses; `null` or absent-with-`forever` = until cleared. */
  count?: number | null;
  mode?: FaultMode;
}

/** Settings `PUT /_emulator/settings` accepts (all optional). */
export interface EmulatorSettingsJson {
  tokenLifetimeSeconds?: number;
  clockSkewSeconds?: number;
  mfa?: boolean;
  /** Per minute, for Partner Center and (separately) Graph routes; `null` = unlimited. */
  rateLimitPerMinute?: number | null;
  latencyMs?: number;
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message });
}

/**
 * Returns a check of an `Authorization` header value against `Bearer <token>`. Both tokens are hashed first, so
 * `timingSafeEqual` compares equal-length buffers and the time taken reveals neither the token nor its length.
 * @param token The configured admin token.
 */
export function adminAuthorization(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (authorization) => {
    const presented = authorization ? /^Bearer +(\S+) *$/i.exec(authorization)?.[1] : undefined;
    const digest = createHash("sha256")
      .update(presented ?? "")
      .digest();
    return timingSafeEqual(digest, expected) && presented !== undefined;
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * Registers the admin routes.
 * @param app The server.
 * @param ctx Emulator context.
 * @param controls The shared controls.
 * @param info Returns the facts for `/_emulator/info` (known only once listening).
 * @param adminToken When set, every admin route (and unknown path under `/_emulator`) answers 401 unless the
 * request carries `Authorization: Bearer <adminToken>`.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: EmulatorContext,
  controls: EmulatorControls,
  info: () => EmulatorInfo,
  adminToken?: string,
): void {
  app.register(
    async (admin) => {
      if (adminToken !== undefined) {
        const authorized = adminAuthorization(adminToken);
        // Registered on the plugin, so it guards the routes however their path was spelled (`/%5Femulator/...`
        // reaches them too), and runs before the body is read: a refused request changes nothing.
        admin.addHook("onRequest", async (request, reply) => {
          if (authorized(request.headers.authorization)) return;
          return reply
            .code(401)
            .header("WWW-Authenticate", 'Bearer realm="partner-center-emulator-admin"')
            .send({ error: "The admin routes require Authorization: Bearer <admin token>." });
        });
      }
      admin.setNotFoundHandler((request, reply) =>
        reply.code(404).send({ error: `No admin route for ${request.method} ${request.url.split("?")[0]}.` }),
      );
      // Admin answers are plain JSON errors, never Partner Center bodies.
      admin.setErrorHandler((error, _request, reply) => {
        if (error instanceof PartnerCenterHttpError) return reply.code(error.statusCode).send(error.body);
        return badRequest(reply, error instanceof Error ? error.message : String(error));
      });

      admin.get("/info", async () => info());
      admin.get("/requests", async () => ctx.log.entries());
      admin.get("/state", async () => ctx.store.state());
      admin.post("/reset", async (_request, reply) => {
        await controls.reset();
        return reply.code(204).send();
      });

      admin.get("/faults", async () =>
        ctx.faults.list().map((fault) => ({
          ...fault,
          path: fault.path instanceof RegExp ? undefined : fault.path,
          pathPattern: fault.path instanceof RegExp ? fault.path.source : undefined,
          remaining: Number.isFinite(fault.remaining) ? fault.remaining : null,
        })),
      );
      admin.post("/faults", async (request, reply) => {
        const { pathPattern, path, count, ...rest } = objectBody(request.body) as FaultSpecJson;
        let pattern: RegExp | undefined;
        try {
          pattern = pathPattern === undefined ? undefined : new RegExp(pathPattern);
        } catch {
          return badRequest(reply, `pathPattern is not a valid regular expression: ${pathPattern}`);
        }
        const spec: FaultSpec = {
          ...rest,
          path: pattern ?? path,
          count: count === null ? Number.POSITIVE_INFINITY : count,
        };
        const fault = ctx.faults.inject(spec);
        return reply
          .code(201)
          .send({ ...fault, path, pathPattern, remaining: count === null ? null : fault.remaining });
      });
      admin.delete("/faults", async (_request, reply) => {
        ctx.faults.clear();
        return reply.code(204).send();
      });

      admin.post("/customers", async (request, reply) =>
        reply.code(201).send(await controls.createCustomer(request.body)),
      );
      admin.patch<{ Params: { id: string } }>("/customers/:id", async (request, reply) => {
        const customer = await controls.updateCustomer(
          request.params.id,
          objectBody(request.body) as DeepPartial<Customer>,
        );
        return customer ? reply.send(customer) : reply.code(404).send({ error: `No customer ${request.params.id}.` });
      });
      admin.delete<{ Params: { id: string } }>("/customers/:id", async (request, reply) =>
        (await controls.removeCustomer(request.params.id))
          ? reply.code(204).send()
          : reply.code(404).send({ error: `No customer ${request.params.id}.` }),
      );

      // The customer's side of GDAP, for scripts without a browser: 204 done, 404 unknown, 409 wrong status.
      for (const [step, act, allowed] of [
        ["approve", controls.approveGdapRelationship, "approvalPending"],
        ["expire", controls.expireGdapRelationship, "active or approvalPending"],
      ] as const) {
        admin.post<{ Params: { id: string } }>(`/gdap-relationships/:id/${step}`, async (request, reply) => {
          const relationship = ctx.store.getRelationship(request.params.id);
          if (!relationship) return reply.code(404).send({ error: `No GDAP relationship ${request.params.id}.` });
          if (await act(request.params.id)) return reply.code(204).send();
          return reply.code(409).send({
            error: `The relationship is ${relationship.status}; it can ${step} only when ${allowed}.`,
            status: relationship.status,
          });
        });
      }
      admin.get("/gdap-relationships", async () => ctx.store.state().gdap);

      admin.post("/domains", async (request, reply) => {
        const domain = objectBody(request.body).domain;
        if (typeof domain !== "string" || domain === "") return badRequest(reply, "domain is required.");
        controls.addTakenDomain(domain);
        return reply.code(204).send();
      });
      admin.post("/addresses", async (request, reply) => {
        controls.markAddressInvalid(objectBody(request.body) as AddressRule);
        return reply.code(204).send();
      });

      admin.put("/settings", async (request) => {
        const settings = objectBody(request.body) as EmulatorSettingsJson;
        if (settings.tokenLifetimeSeconds !== undefined) controls.setTokenLifetime(settings.tokenLifetimeSeconds);
        if (settings.clockSkewSeconds !== undefined) controls.setClockSkew(settings.clockSkewSeconds);
        if (settings.mfa !== undefined) controls.setMfa(settings.mfa);
        if (settings.rateLimitPerMinute !== undefined) controls.setRateLimit(settings.rateLimitPerMinute ?? undefined);
        if (settings.latencyMs !== undefined) controls.setLatency(settings.latencyMs);
        return {
          tokenLifetimeSeconds: ctx.tokens.settings.lifetimeSeconds,
          clockSkewSeconds: ctx.tokens.settings.clockSkewSeconds,
          mfa: ctx.tokens.settings.mfa,
          rateLimitPerMinute: ctx.rateLimiter.limitPerMinute ?? null,
          latencyMs: ctx.latencyMs,
        } satisfies EmulatorSettingsJson;
      });

      admin.post("/refresh-tokens", async (_request, reply) =>
        reply.code(201).send({ refreshToken: controls.issueRefreshToken() }),
      );
      admin.post("/refresh-tokens/revoke", async (_request, reply) => {
        controls.revokeRefreshTokens();
        return reply.code(204).send();
      });
      admin.post("/federated-tokens", async (request, reply) =>
        reply
          .code(201)
          .send({ token: await controls.issueFederatedToken(objectBody(request.body) as FederatedTokenOptions) }),
      );
      admin.post("/client-certificates", async (request, reply) => {
        const pem = objectBody(request.body).certificatePem;
        if (typeof pem !== "string" || !pem.includes("BEGIN CERTIFICATE")) {
          return badRequest(reply, "certificatePem (PEM) is required.");
        }
        await controls.registerClientCertificate(pem);
        return reply.code(204).send();
      });
    },
    { prefix: "/_emulator" },
  );
}

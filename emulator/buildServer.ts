/**
 * Builds the fastify server: the request pipeline every route shares, then the routes.
 *
 * Pipeline (one `onRequest` hook, in this order): request bookkeeping and response ids (`MS-*` headers; Graph's
 * `request-id`/`client-request-id` on `/v1.0`) → configured latency → injected fault → (on `/v1`) rate limit → bearer
 * token → App+User check → `MS-RequestId` replay; (on `/v1.0`, Microsoft Graph) its own rate limit → Graph bearer
 * token, and no replay (Graph has no request-id idempotency). Admin routes (`/_emulator`) skip all of it; they check
 * the admin token, when one is configured, themselves. Every answer leaves through {@link EmulatorContext.send},
 * which adds the BOM (never on Graph), remembers idempotent answers and applies `commitThenDrop`; errors on Graph
 * routes leave with Graph's error body.
 */
import { randomBytes, randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { EmulatorContext, RequestContext } from "./emulatorContext";
import type { EmulatorControls } from "./emulatorControls";
import { appUserOnly, ErrorCode, errorBody, PartnerCenterHttpError, partnerCenterError, throttled } from "./errors";
import type { ActiveFault } from "./faults";
import { GRAPH_ROOT } from "./gdapViews";
import { authenticateGraph } from "./graphAuthentication";
import { GraphHttpError, graphCodeForStatus, graphErrorBody } from "./graphError";
import { type EmulatorInfo, registerAdminRoutes } from "./routes/admin";
import { registerAgreementRoutes } from "./routes/agreements";
import { registerAttestationRoutes } from "./routes/attestations";
import { registerCustomerRoutes } from "./routes/customers";
import { registerGdapAccessAssignmentRoutes } from "./routes/gdapAccessAssignments";
import { registerGdapApprovalRoutes } from "./routes/gdapApproval";
import { registerGdapRelationshipRoutes } from "./routes/gdapRelationships";
import { registerProfileRoutes } from "./routes/profiles";
import { registerTokenRoutes } from "./routes/token";
import { registerValidationRoutes } from "./routes/validation";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Partner Center routes: which bearer token they accept (`any`, `user` for App+User only, `app` for App-only). */
    pcAuth?: "any" | "user" | "app";
    /** POST routes whose answers are replayed for a repeated `MS-RequestId`. */
    pcIdempotent?: boolean;
    /** Microsoft Graph routes: they take a Graph token (`any` kind; the emulator issues App-only ones). */
    graphAuth?: "any";
  }
}

/** What {@link buildServer} needs besides the context. */
export interface BuildServerOptions {
  /** Certificate and key for HTTPS; undefined for plain HTTP. */
  tls?: { cert: string; key: string };
  /** The controls the admin routes expose. */
  controls: EmulatorControls;
  /** Facts for `GET /_emulator/info`. */
  info: () => EmulatorInfo;
  /** Bearer token the admin routes require; undefined leaves them open (loopback only). */
  adminToken?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Graph's content type [MS: what Graph answers JSON with]. */
const GRAPH_CONTENT_TYPE =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Statuses worth replaying for a repeated MS-RequestId: real outcomes, not transient refusals. */
function isReplayable(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500 && ![401, 408, 429].includes(status));
}

function faultError(fault: ActiveFault): PartnerCenterHttpError {
  if (fault.status === 429) return throttled(fault.retryAfterSeconds ?? 1);
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["Retry-After"] = String(fault.retryAfterSeconds);
  const description = fault.status >= 500 ? "The service is temporarily unavailable. Please retry." : "Injected fault.";
  return new PartnerCenterHttpError(fault.status, errorBody(fault.code ?? fault.status, description), headers);
}

/**
 * Returns a generator of correlation vectors shaped like Partner Center's `MS-CV: Yy/YaA0gYEmfQyR/.0`: a random
 * per-server prefix plus a counter, so no per-request randomness (a syscall on the hot path) is needed.
 */
function correlationVectors(): () => string {
  const prefix = randomBytes(6).toString("base64");
  let counter = 0;
  return () => `${prefix}${(counter++ % 0x1000000).toString(36).padStart(8, "0")}.0`;
}

/**
 * The request's path, percent-decoded, without query or fragment (as the router cuts them), and with the raw query.
 * Every decision (admin or Partner Center route, faults, the idempotency key) is taken on it: taken on the raw URL,
 * `/%761/customers` would reach a Partner Center route while skipping the token check and the rate limit, and
 * `POST /v%31/customers` would escape the `MS-RequestId` replay. It decodes more than the router (`%2F` too), which
 * can only make a request count as Partner Center's where the router would not route it at all.
 */
export function routedTarget(request: FastifyRequest): { path: string; target: string } {
  const url = request.url;
  const hashAt = url.indexOf("#");
  const raw = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = raw.indexOf("?");
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath; // malformed escapes: the router refuses them with 400 anyway
  }
  return { path, target: queryAt === -1 ? path : `${path}${raw.slice(queryAt)}` };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Creates the server with every route registered (not yet listening).
 * @param ctx The shared context; `ctx.send` is installed here.
 * @param options TLS material, controls and info for the admin routes.
 */
export function buildServer(ctx: EmulatorContext, options: BuildServerOptions): FastifyInstance {
  const { tls } = options;
  // forceCloseConnections: close() must not wait for clients' idle keep-alive sockets.
  const app = (
    tls
      ? Fastify({ https: { cert: tls.cert, key: tls.key }, logger: false, forceCloseConnections: true })
      : Fastify({ logger: false, forceCloseConnections: true })
  ) as FastifyInstance;

  function writeLog(request: FastifyRequest, rc: RequestContext, status: number): void {
    if (rc.logged) return;
    rc.logged = true;
    ctx.log.push({
      method: request.method,
      path: request.url,
      requestId: rc.requestId,
      correlationId: rc.correlationId,
      status,
      tokenKind: rc.tokenKind,
      time: rc.time,
      ...(rc.fault ? { fault: rc.fault } : {}),
      ...(rc.replayed ? { replayed: true } : {}),
    });
  }

  function drop(request: FastifyRequest, reply: FastifyReply, rc: RequestContext): FastifyReply {
    reply.hijack();
    request.raw.socket.destroy();
    writeLog(request, rc, 0);
    return reply;
  }

  function writePayload(
    reply: FastifyReply,
    status: number,
    payload: string | undefined,
    bom: boolean,
    contentType = "application/json; charset=utf-8",
  ): FastifyReply {
    reply.code(status);
    if (payload === undefined) return reply.send();
    reply.header("content-type", contentType);
    return reply.send(bom ? `\uFEFF${payload}` : payload);
  }

  const correlationVector = correlationVectors();

  ctx.send = (request, reply, status, body, headers = {}) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const rc = ctx.requests.get(request);
    if (rc?.idempotencyKey && isReplayable(status)) {
      ctx.idempotency.set(rc.idempotencyKey, { status, payload: payload ?? "", headers });
    }
    rc?.release?.();
    if (rc?.dropAfterCommit) return drop(request, reply, rc);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // Graph answers in its own content type and never with a BOM (the option mimics Partner Center only).
    if (rc?.graph) return writePayload(reply, status, payload, false, GRAPH_CONTENT_TYPE);
    // Only emulated routes get the BOM; admin answers stay plain for scripts.
    return writePayload(reply, status, payload, ctx.bom && rc !== undefined);
  };

  async function authenticate(
    request: FastifyRequest,
    rc: RequestContext,
    required: "any" | "user" | "app",
  ): Promise<void> {
    const authorization = header(request, "authorization");
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      throw new PartnerCenterHttpError(
        401,
        errorBody(ErrorCode.partnerTokenMissing, "Partner token missing in request context."),
        { "WWW-Authenticate": 'Bearer error="invalid_request"' },
      );
    }
    const result = await ctx.tokens.verifyAccessToken(match[1] as string);
    if (!result.ok) {
      const description = {
        malformed: "The access token is malformed.",
        signature: "The access token signature is invalid.",
        expired: "The access token has expired.",
        not_yet_valid: "The access token is not valid yet.",
        audience: "The access token audience is not Partner Center.",
        tenant: "The access token was issued for another tenant.",
      }[result.reason];
      throw new PartnerCenterHttpError(401, errorBody(ErrorCode.accessDenied401, `Access denied. ${description}`), {
        "WWW-Authenticate": `Bearer error="invalid_token", error_description="${description}"`,
      });
    }
    rc.claims = result.claims;
    rc.tokenKind = result.claims.idtyp;
    if (result.claims.idtyp === "user" && !result.claims.amr?.includes("mfa")) {
      // [MS] "Any app+user API calls made without a valid MFA claim are blocked and return a 401 response with error
      // code 900421" (enforced since 1 April 2026).
      throw new PartnerCenterHttpError(
        401,
        errorBody(900421, "App+User calls require a valid multi-factor authentication (MFA) claim."),
        { "WWW-Authenticate": 'Bearer error="insufficient_claims"' },
      );
    }
    if (required === "user" && result.claims.idtyp !== "user") throw appUserOnly();
    if (required === "app" && result.claims.idtyp !== "app") {
      // Undocumented: Microsoft says the enhanced attestation "only supports AppOnly authentication", not what an
      // App+User token gets. The emulator refuses it like the opposite case.
      throw partnerCenterError(
        403,
        ErrorCode.accessDenied,
        "Access denied. This operation supports App-only credentials only; App+User tokens are not allowed.",
      );
    }
  }

  app.addHook("onRequest", async (request, reply) => {
    const { path, target } = routedTarget(request);
    if (path.startsWith("/_emulator") || request.routeOptions.url?.startsWith("/_emulator")) return;
    // A route that takes a Partner Center token is Partner Center's, whatever spelling reached it; likewise Graph's.
    const config = request.routeOptions.config;
    const lowerPath = path.toLowerCase();
    const isPartnerCenter = config?.pcAuth !== undefined || lowerPath.startsWith("/v1/");
    const isGraph =
      !isPartnerCenter && (config?.graphAuth !== undefined || lowerPath.startsWith(`${GRAPH_ROOT.toLowerCase()}/`));
    const clientRequestId = header(request, "client-request-id");
    const rc: RequestContext = {
      time: Date.now(),
      // Graph clients name a request with client-request-id (faults bind to it, the log shows it).
      requestId: isGraph
        ? clientRequestId
        : (header(request, "ms-requestid") ?? (isPartnerCenter ? undefined : clientRequestId)),
      correlationId: header(request, "ms-correlationid"),
    };
    ctx.requests.set(request, rc);
    if (isGraph) {
      // [MS] Graph answers every request with a request-id and echoes the client's client-request-id; it sends none
      // of Partner Center's MS-* headers.
      rc.graph = { requestId: randomUUID(), ...(clientRequestId === undefined ? {} : { clientRequestId }) };
      reply.header("request-id", rc.graph.requestId);
      if (clientRequestId !== undefined) reply.header("client-request-id", clientRequestId);
    } else {
      reply.header("MS-RequestId", rc.requestId ?? randomUUID());
      reply.header("MS-CorrelationId", rc.correlationId ?? randomUUID());
      reply.header("MS-CV", correlationVector());
      reply.header("MS-ServerId", ctx.serverId);
    }

    if (ctx.latencyMs > 0) await sleep(ctx.latencyMs);
    const fault = ctx.faults.take(request.method, target, rc.requestId);
    if (fault) {
      rc.fault = fault.mode;
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.mode === "reset") return drop(request, reply, rc);
      if (fault.mode === "respond") throw faultError(fault);
      if (fault.mode === "commitThenDrop") rc.dropAfterCommit = true;
    }
    if (isGraph) {
      const wait = ctx.graphRateLimiter.hit();
      if (wait !== undefined) throw throttled(wait);
      if (config?.graphAuth) await authenticateGraph(ctx, header(request, "authorization"), rc);
      return;
    }
    if (!isPartnerCenter) return;

    const wait = ctx.rateLimiter.hit();
    if (wait !== undefined) throw throttled(wait);
    if (config?.pcAuth) await authenticate(request, rc, config.pcAuth);
  });

  // The MS-RequestId lease is taken only once the body has been read: from here the handler always runs and its
  // answer releases the lease. Taken earlier, a client that disconnects while its request is delayed (latency,
  // fault delay) would leave a lease no handler ever releases, and every later request with that id would hang.
  app.addHook("preHandler", async (request, reply) => {
    const rc = ctx.requests.get(request);
    const config = request.routeOptions.config;
    if (rc && config.pcIdempotent && rc.requestId) {
      // IDs in paths are GUIDs that Partner Center (and the store) match in any case: so does the replay key.
      const key = `${request.method} ${routedTarget(request).path.toLowerCase()} ${rc.requestId.toLowerCase()}`;
      for (;;) {
        const stored = ctx.idempotency.get(key);
        if (stored) {
          rc.replayed = true;
          for (const [name, value] of Object.entries(stored.headers)) reply.header(name, value);
          if (rc.dropAfterCommit) return drop(request, reply, rc);
          return writePayload(reply, stored.status, stored.payload === "" ? undefined : stored.payload, ctx.bom);
        }
        const lease = ctx.idempotency.begin(key);
        if (lease) {
          rc.idempotencyKey = key;
          rc.release = lease.done;
          return;
        }
        // The same request id is being handled right now: wait for its answer rather than act twice.
        await ctx.idempotency.waitFor(key);
      }
    }
  });

  // Callback-style hooks: no promise per request on the hot path.
  // Logged as the answer is sent, before the client can read it: a client that has its answer finds the request in
  // the log (logging only at onResponse raced clients that look at the log right after an answer).
  app.addHook("onSend", (request, reply, payload, done) => {
    const rc = ctx.requests.get(request);
    if (rc) writeLog(request, rc, reply.statusCode);
    done(null, payload);
  });
  app.addHook("onResponse", (request, reply, done) => {
    const rc = ctx.requests.get(request);
    if (rc) {
      // Normally released by send(); this covers any path that answered without it.
      rc.release?.();
      writeLog(request, rc, reply.statusCode);
    }
    done();
  });
  // A client that gives up does not release its MS-RequestId: the handler is still acting, and a retry with the
  // same id must wait for that outcome rather than act a second time.
  app.addHook("onRequestAbort", (request, done) => {
    const rc = ctx.requests.get(request);
    if (rc) writeLog(request, rc, 0);
    done();
  });

  /** Answers an error on a Graph route with Graph's body, whatever raised it (route, fault, throttling, parser). */
  function sendGraphError(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    graph: { requestId: string; clientRequestId?: string },
  ): FastifyReply {
    let status: number;
    let code: string;
    let message: string;
    let headers: Record<string, string> = {};
    if (error instanceof GraphHttpError) {
      ({ statusCode: status, code, message, headers } = error);
    } else if (error instanceof PartnerCenterHttpError) {
      // Injected faults and throttling are built Partner Center–shaped; Graph callers get the same status and headers.
      status = error.statusCode;
      code = graphCodeForStatus(status);
      message = error.message;
      headers = error.headers;
    } else {
      const raw = (error as { statusCode?: number }).statusCode;
      status = raw !== undefined && raw >= 400 && raw < 500 ? 400 : 500;
      code = graphCodeForStatus(status);
      message = status === 400 ? "Invalid request body." : "An internal error occurred in the emulator.";
    }
    return ctx.send(
      request,
      reply,
      status,
      graphErrorBody(code, message, graph.requestId, graph.clientRequestId),
      headers,
    );
  }

  app.setErrorHandler((error, request, reply) => {
    const graph = ctx.requests.get(request)?.graph;
    if (graph) return sendGraphError(request, reply, error, graph);
    if (error instanceof PartnerCenterHttpError) {
      return ctx.send(request, reply, error.statusCode, error.body, error.headers);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Unreadable bodies (bad JSON, wrong content type, too large) are Partner Center's "invalid request input".
      return ctx.send(request, reply, 400, errorBody(ErrorCode.invalidRequestInput, "Invalid request input."));
    }
    return ctx.send(request, reply, 500, errorBody(500, "An internal error occurred in the emulator."));
  });
  app.setNotFoundHandler((request, reply) => {
    const description = `No route for ${request.method} ${request.url.split("?")[0]}.`;
    const graph = ctx.requests.get(request)?.graph;
    if (graph)
      return sendGraphError(request, reply, new GraphHttpError(404, graphCodeForStatus(404), description), graph);
    return ctx.send(request, reply, 404, errorBody(ErrorCode.notFound, description));
  });

  // Partner Center accepts text/json as well; the token endpoint takes form posts.
  app.addContentTypeParser("text/json", { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      (error as { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  registerTokenRoutes(app, ctx);
  registerCustomerRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerValidationRoutes(app, ctx);
  registerAgreementRoutes(app, ctx);
  registerAttestationRoutes(app, ctx);
  registerGdapRelationshipRoutes(app, ctx);
  registerGdapAccessAssignmentRoutes(app, ctx);
  registerGdapApprovalRoutes(app, ctx);
  registerAdminRoutes(app, ctx, options.controls, options.info, options.adminToken);
  return app;
}

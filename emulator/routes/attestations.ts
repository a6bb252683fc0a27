/**
 * The enhanced MCA attestation flow: `POST /v1/attestations/enhanced` (App-only), `GET /v1/attestations/{id}`
 * (inferred), and the acceptance page a customer opens (`/mca/?attestationid=…`, no sign-in, as distributors report
 * Microsoft's). The request and answer shapes are `provider/schemas/attestation.ts`'s, so the emulator cannot drift
 * from what the provider sends; that module says which fields Microsoft documents and which are inferred.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  ACCEPTANCE_LINK_PARAMETER,
  ACCEPTANCE_LINK_PATH,
  ATTESTATION_ERROR_CODES,
  CreateEnhancedAttestationRequestSchema,
} from "../../provider/schemas/attestation";
import type { EmulatorContext } from "../emulatorContext";
import { invalidProperty, partnerCenterError } from "../errors";
import type { Attestation } from "../model";
import { normalizeKeys } from "../normalizeKeys";
import { findCustomer } from "./customers";

/** The answer body for an attestation: what `EnhancedAttestationSchema` reads. */
export function attestationView(attestation: Attestation): Record<string, unknown> {
  return {
    id: attestation.id,
    status: attestation.status,
    createdAt: attestation.createdAt,
    ...(attestation.acceptedAt && { acceptedAt: attestation.acceptedAt }),
  };
}

/** The attestation of an id, or the inferred "unknown attestation" error. */
export function findAttestation(ctx: EmulatorContext, id: string): Attestation {
  const attestation = ctx.store.getAttestation(id);
  if (!attestation) {
    throw partnerCenterError(404, ATTESTATION_ERROR_CODES.unknown, `Attestation ${id} was not found.`, [
      "attestationId",
    ]);
  }
  return attestation;
}

/** Escapes text for HTML. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One page of the emulator's stand-in for Microsoft's acceptance component. */
function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  reply.code(status).header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store");
  return reply.send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${html(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5}
.note{background:#fff4ce;padding:.5rem 1rem;border-radius:4px}button{font-size:1rem;padding:.5rem 1.5rem}</style></head>
<body>
<p class="note">Partner Center emulator: this page stands in for Microsoft's Customer Agreement acceptance component.</p>
<h1>${html(title)}</h1>
${body}
</body></html>`);
}

/** Registers the attestation routes and the acceptance page. */
export function registerAttestationRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post("/v1/attestations/enhanced", { config: { pcAuth: "app", pcIdempotent: true } }, async (request, reply) => {
    const parsed = CreateEnhancedAttestationRequestSchema.safeParse(normalizeKeys(request.body ?? {}));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join(".") || "body";
      throw invalidProperty(path, `Invalid ${path}: ${issue?.message ?? "invalid request"}.`);
    }
    const input = parsed.data;
    const customer = findCustomer(ctx, input.customerTenantId);
    const attestation: Attestation = {
      id: randomUUID(),
      customerTenantId: customer.id,
      country: input.country.toUpperCase(),
      language: input.language,
      companyName: input.companyName,
      signatoryFirstName: input.signatoryFirstName,
      signatoryLastName: input.signatoryLastName,
      signatoryEmail: input.signatoryEmail,
      ...(input.signatoryPhoneNumber && { signatoryPhoneNumber: input.signatoryPhoneNumber }),
      status: "pending",
      createdAt: new Date().toISOString(),
    };
    ctx.store.addAttestation(attestation);
    await ctx.persist();
    return ctx.send(request, reply, 201, attestationView(attestation));
  });

  app.get<{ Params: { id: string } }>("/v1/attestations/:id", { config: { pcAuth: "app" } }, (request, reply) =>
    ctx.send(request, reply, 200, attestationView(findAttestation(ctx, request.params.id))),
  );

  // The page a person uses: no sign-in, as distributors report Microsoft's link needs none.
  app.get<{ Querystring: Record<string, string | undefined> }>(ACCEPTANCE_LINK_PATH, (request, reply) => {
    const id = request.query[ACCEPTANCE_LINK_PARAMETER] ?? "";
    const attestation = ctx.store.getAttestation(id);
    if (!attestation) {
      return page(reply, 404, "Attestation not found", "<p>This acceptance link is not valid.</p>");
    }
    const who = `${attestation.signatoryFirstName} ${attestation.signatoryLastName} (${attestation.signatoryEmail})`;
    if (attestation.status !== "pending") {
      return page(
        reply,
        200,
        "Microsoft Customer Agreement",
        `<p id="status">This agreement was ${html(attestation.status)}${attestation.acceptedAt ? ` on ${html(attestation.acceptedAt)}` : ""}.</p>`,
      );
    }
    return page(
      reply,
      200,
      "Microsoft Customer Agreement",
      `<p>${html(attestation.companyName)} (${html(attestation.country)}) is asked to accept the
<a href="https://aka.ms/customeragreement">Microsoft Customer Agreement</a>, signed by ${html(who)}.</p>
<form method="post" action="${ACCEPTANCE_LINK_PATH}accept">
<input type="hidden" name="${ACCEPTANCE_LINK_PARAMETER}" value="${html(attestation.id)}">
<p><label><input type="checkbox" id="agree" name="agree" value="yes" required>
I have read and accept the Microsoft Customer Agreement on behalf of ${html(attestation.companyName)}.</label></p>
<p><button type="submit" id="accept">Accept</button></p>
</form>`,
    );
  });

  app.post<{ Body: Record<string, string | undefined> }>(`${ACCEPTANCE_LINK_PATH}accept`, async (request, reply) => {
    const body = request.body ?? {};
    const attestation = ctx.store.getAttestation(body[ACCEPTANCE_LINK_PARAMETER] ?? "");
    if (!attestation) return page(reply, 404, "Attestation not found", "<p>This acceptance link is not valid.</p>");
    if (body.agree !== "yes") {
      return page(reply, 400, "Not accepted", "<p>Tick the box to accept the agreement.</p>");
    }
    if (attestation.status === "pending") {
      attestation.status = "accepted";
      attestation.acceptedAt = new Date().toISOString();
      await ctx.persist();
    }
    return page(
      reply,
      200,
      "Thank you",
      `<p id="status">The Microsoft Customer Agreement was ${html(attestation.status)}.</p>`,
    );
  });
}

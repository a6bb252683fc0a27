/**
 * The page a customer's admin approves a GDAP relationship on, standing in for Microsoft 365 admin center's
 * `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{id}` [MS, GDAP API
 * overview]. The relationship id travels in the fragment, which browsers never send: as on Microsoft's page, a script
 * reads it and fetches the request's details, here from an emulator-only JSON endpoint.
 *
 * Neither the page nor its endpoints take a bearer token: they stand in for the customer's signed-in admin, whom the
 * emulator does not model (like the MCA acceptance page, which needs no sign-in at all).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { roleNameOf } from "../../provider/schemas/entraRoles";
import { APPROVAL_LINK_FRAGMENT, APPROVAL_LINK_PATH } from "../../provider/schemas/gdap";
import type { EmulatorContext } from "../emulatorContext";
import {
  addDays,
  approveRelationship,
  durationDays,
  INVITATION_LIFETIME_DAYS,
  settleRelationship,
} from "../gdapLifecycle";
import type { GdapRelationship } from "../model";

/** Where the page's script reads a relationship's summary: `GET {prefix}/{id}`; `POST {prefix}/{id}/approve` approves. */
export const GDAP_APPROVAL_API_PATH = "/AdminPortal/api/gdap";

/** What the page shows of a relationship request (the JSON of `GET /AdminPortal/api/gdap/{id}`). */
export interface GdapApprovalSummary {
  id: string;
  displayName: string;
  status: string;
  partner: { tenantId: string; displayName: string };
  customer: { tenantId: string; displayName: string };
  duration: string;
  durationDays?: number;
  autoExtendDuration: string;
  /** The roles by template ID and by name (the ID when the emulator's table does not know it). */
  roles: Array<{ roleDefinitionId: string; name: string }>;
  /** When an unanswered invitation expires (approvalPending only). */
  invitationExpiresDateTime?: string;
  activatedDateTime?: string;
  endDateTime?: string;
}

function summaryOf(ctx: EmulatorContext, relationship: GdapRelationship): GdapApprovalSummary {
  const days = durationDays(relationship.duration);
  return {
    id: relationship.id,
    displayName: relationship.displayName,
    status: relationship.status,
    partner: { tenantId: ctx.tokens.identity.tenantId, displayName: ctx.tokens.identity.partnerDomain },
    customer: { ...relationship.customer },
    duration: relationship.duration,
    ...(days === undefined ? {} : { durationDays: days }),
    autoExtendDuration: relationship.autoExtendDuration,
    roles: relationship.accessDetails.unifiedRoles.map((role) => ({
      roleDefinitionId: role.roleDefinitionId,
      name: roleNameOf(role.roleDefinitionId),
    })),
    ...(relationship.status === "approvalPending" && relationship.lockedDateTime
      ? { invitationExpiresDateTime: addDays(relationship.lockedDateTime, INVITATION_LIFETIME_DAYS) }
      : {}),
    ...(relationship.activatedDateTime ? { activatedDateTime: relationship.activatedDateTime } : {}),
    ...(relationship.endDateTime ? { endDateTime: relationship.endDateTime } : {}),
  };
}

/** JSON for `<script>`: `<` escaped so no value can close the script element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * The page's script. Everything it renders goes through `textContent`, never `innerHTML`: names come from the partner
 * and the customer, and must not become markup.
 */
const PAGE_SCRIPT = `
(async () => {
  const prefix = ${scriptJson(APPROVAL_LINK_FRAGMENT)};
  const api = ${scriptJson(GDAP_APPROVAL_API_PATH)};
  const content = document.getElementById("content");
  content.textContent = "";
  const add = (tag, text, id) => {
    const element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (id) element.id = id;
    content.append(element);
    return element;
  };
  const hash = location.hash;
  let id = "";
  try { id = hash.startsWith(prefix) ? decodeURIComponent(hash.slice(prefix.length)) : ""; } catch { id = ""; }
  if (!id) { add("p", "This link names no partner relationship request.", "status"); return; }
  const response = await fetch(api + "/" + encodeURIComponent(id), { headers: { accept: "application/json" } });
  const summary = await response.json().catch(() => ({}));
  if (!response.ok) { add("p", summary.error || "This partner relationship request could not be loaded.", "status"); return; }
  const details = add("dl", undefined, "details");
  const row = (label, value) => {
    const term = document.createElement("dt"); term.textContent = label;
    const definition = document.createElement("dd");
    if (typeof value === "string") definition.textContent = value; else definition.append(value);
    details.append(term, definition);
  };
  row("Partner", summary.partner.displayName + " (tenant " + summary.partner.tenantId + ")");
  row("Customer", summary.customer.displayName + " (tenant " + summary.customer.tenantId + ")");
  row("Relationship", summary.displayName);
  row("Duration", summary.durationDays === undefined ? summary.duration : summary.durationDays + " days");
  row("Automatic extension", summary.autoExtendDuration === "P180D" ? "every 180 days" : "none");
  const roles = document.createElement("ul");
  roles.id = "roles";
  for (const role of summary.roles) { const item = document.createElement("li"); item.textContent = role.name; roles.append(item); }
  row("Microsoft Entra roles", roles);
  const messages = {
    created: "The partner has not sent this request for approval yet.",
    active: "This relationship is already active: there is nothing to approve.",
    expired: "This request has expired. Ask the partner for a new one.",
    terminationRequested: "This relationship is being terminated.",
    terminated: "This relationship was terminated.",
  };
  if (summary.status !== "approvalPending") {
    add("p", messages[summary.status] || "This relationship is " + summary.status + ": there is nothing to approve.", "status");
    return;
  }
  if (summary.invitationExpiresDateTime) add("p", "The request expires on " + summary.invitationExpiresDateTime + ".");
  const button = add("button", "Approve", "approve");
  button.type = "button";
  button.addEventListener("click", async () => {
    button.disabled = true;
    const answer = await fetch(api + "/" + encodeURIComponent(id) + "/approve", { method: "POST" });
    const result = await answer.json().catch(() => ({}));
    if (answer.ok) button.remove(); else button.disabled = false;
    add("p", answer.ok ? "Approved: the relationship is " + result.status + " until " + result.endDateTime + "." : (result.error || "The approval failed."), "status");
  });
})();
`;

function page(reply: FastifyReply): FastifyReply {
  reply.code(200).header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store");
  return reply.send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Partner relationship request</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;line-height:1.5}
.note{background:#fff4ce;padding:.5rem 1rem;border-radius:4px}button{font-size:1rem;padding:.5rem 1.5rem}
dt{font-weight:600}dd{margin:0 0 .5rem 0}</style></head>
<body>
<p class="note">Partner Center emulator: this page stands in for the Microsoft 365 admin center, where a customer's
Global Administrator approves a partner's granular delegated admin (GDAP) relationship request.</p>
<h1>Partner relationship request</h1>
<div id="content"><p>Loading…</p></div>
<script>${PAGE_SCRIPT}</script>
</body></html>`);
}

/** Registers the approval page and its JSON endpoints. */
export function registerGdapApprovalRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get(APPROVAL_LINK_PATH, (_request, reply) => page(reply));

  const json = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).header("cache-control", "no-store").send(body);
  const unknown = (reply: FastifyReply) =>
    json(reply, 404, {
      error: "There is no partner relationship request with this ID. Check the link with the partner.",
    });

  app.get<{ Params: { id: string } }>(`${GDAP_APPROVAL_API_PATH}/:id`, async (request, reply) => {
    const relationship = ctx.store.getRelationship(request.params.id);
    if (!relationship) return unknown(reply);
    if (settleRelationship(ctx, relationship)) await ctx.persist();
    return json(reply, 200, summaryOf(ctx, relationship));
  });

  app.post<{ Params: { id: string } }>(`${GDAP_APPROVAL_API_PATH}/:id/approve`, async (request, reply) => {
    const relationship = ctx.store.getRelationship(request.params.id);
    if (!relationship) return unknown(reply);
    const approved = approveRelationship(ctx, relationship);
    await ctx.persist();
    if (!approved) {
      return json(reply, 409, {
        error: `This relationship is ${relationship.status}: only a request awaiting approval can be approved.`,
        status: relationship.status,
      });
    }
    return json(reply, 200, summaryOf(ctx, relationship));
  });
}

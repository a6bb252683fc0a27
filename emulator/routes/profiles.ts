/**
 * Customer profile routes: billing profile GET / PUT (ETag concurrency) and company profile GET (App+User only).
 */
import type { FastifyInstance } from "fastify";
import { readBillingProfile } from "../customerInput";
import type { EmulatorContext } from "../emulatorContext";
import { ErrorCode, partnerCenterError } from "../errors";
import { normalizeKeys } from "../normalizeKeys";
import { readBody, readObject, readString } from "../readInput";
import { findCustomer, newEtag } from "./customers";

/** `"123"`, `W/"123"` or `123` → `123`. */
function unquoteEtag(value: string): string {
  return value
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
}

/** Registers the profile routes. */
export function registerProfileRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get<{ Params: { id: string } }>(
    "/v1/customers/:id/profiles/billing",
    { config: { pcAuth: "any" } },
    (request, reply) => {
      const profile = findCustomer(ctx, request.params.id).billingProfile;
      return ctx.send(request, reply, 200, profile, { ETag: `"${profile.attributes.etag}"` });
    },
  );

  app.put<{ Params: { id: string } }>(
    "/v1/customers/:id/profiles/billing",
    { config: { pcAuth: "any" } },
    async (request, reply) => {
      const customer = findCustomer(ctx, request.params.id);
      const body = readBody(normalizeKeys(request.body));
      // The docs send the ETag in If-Match; the .NET SDK sends it only in attributes.etag. Accept either, need one.
      const ifMatch = request.headers["if-match"];
      const bodyEtag = readString(readObject(body, "attributes", "attributes") ?? {}, "etag", "attributes.etag");
      const presented = typeof ifMatch === "string" && ifMatch !== "" ? unquoteEtag(ifMatch) : bodyEtag;
      if (presented === undefined) {
        throw partnerCenterError(400, ErrorCode.invalidProperty, "An ETag is required: send it in If-Match.", [
          "If-Match",
        ]);
      }
      if (presented !== "*" && presented !== customer.billingProfile.attributes.etag) {
        throw partnerCenterError(400, ErrorCode.etagInvalid, "Etag is no longer valid.", [presented]);
      }
      const input = readBillingProfile(body, "billingProfile", ctx.addressRules);
      const profile = customer.billingProfile;
      customer.billingProfile = {
        id: profile.id,
        ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
        ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
        email: input.email,
        culture: input.culture,
        language: input.language,
        companyName: input.companyName,
        defaultAddress: input.defaultAddress,
        ...(profile.links ? { links: profile.links } : {}),
        attributes: { etag: newEtag(), objectType: "CustomerBillingProfile" },
      };
      await ctx.persist();
      return ctx.send(request, reply, 200, customer.billingProfile, {
        ETag: `"${customer.billingProfile.attributes.etag}"`,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/customers/:id/profiles/company",
    { config: { pcAuth: "user" } },
    (request, reply) => ctx.send(request, reply, 200, findCustomer(ctx, request.params.id).companyProfile),
  );
}

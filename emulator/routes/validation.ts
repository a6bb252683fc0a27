/**
 * Pre-create validation routes: domain availability (`HEAD /v1/domains/{domain}`), address validation and
 * market validation rules. See `partner-center-api.md` §4.
 */
import type { FastifyInstance } from "fastify";
import { validateAddress } from "../addressValidation";
import { getCountryRules } from "../countryRules";
import type { EmulatorContext } from "../emulatorContext";
import { ErrorCode, partnerCenterError } from "../errors";
import { ADDRESS_FIELDS, type Address } from "../model";
import { normalizeKeys } from "../normalizeKeys";
import { readBody, readString } from "../readInput";

/** Registers the validation routes. */
export function registerValidationRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  // 200 = the domain exists (taken), 404 = available; both with an empty body.
  app.head<{ Params: { domain: string } }>("/v1/domains/:domain", { config: { pcAuth: "any" } }, (request, reply) =>
    ctx.send(request, reply, ctx.store.isDomainTaken(request.params.domain) ? 200 : 404),
  );

  app.post("/v1/validations/address", { config: { pcAuth: "any" } }, (request, reply) => {
    const body = readBody(normalizeKeys(request.body));
    const address: Address = {};
    for (const field of ADDRESS_FIELDS) {
      const value = readString(body, field, field);
      if (value !== undefined) address[field] = value;
    }
    return ctx.send(request, reply, 200, validateAddress(address, ctx.addressRules));
  });

  app.get<{ Params: { iso2: string } }>(
    "/v1/countryvalidationrules/:iso2",
    { config: { pcAuth: "any" } },
    (request, reply) => {
      const rules = getCountryRules(request.params.iso2);
      if (!rules) {
        // Partner Center's message for an unknown market, e.g. "UK" instead of the ISO code "GB".
        throw partnerCenterError(
          404,
          ErrorCode.notFound,
          `No validation rules were found for the country/region ${request.params.iso2}.`,
        );
      }
      return ctx.send(request, reply, 200, rules);
    },
  );
}

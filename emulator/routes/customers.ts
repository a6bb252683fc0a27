/**
 * Customer routes: create, get by id, list (paging, filter), delete (sandbox only) and PATCH to remove the reseller
 * relationship (App+User only). See `partner-center-api.md` §3.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type CreateCustomerInput, readCreateCustomer } from "../customerInput";
import { defaultGdapRelationship } from "../defaultGdapRelationship";
import type { EmulatorContext } from "../emulatorContext";
import { ErrorCode, invalidProperty, partnerCenterError } from "../errors";
import type { Collection, Customer, Link } from "../model";
import { selfLink } from "../model";
import { normalizeKeys } from "../normalizeKeys";
import { GUID_PATTERN, readBody, readString } from "../readInput";

/** Sixteen characters drawn from letters, digits and symbols, with at least one of each class. */
function generatePassword(): string {
  const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!@#$%*+=?."];
  const all = classes.join("");
  const chars = classes.map((set) => set[randomInt(set.length)] as string);
  while (chars.length < 16) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}

/** An ETag like Partner Center's: a signed 64-bit decimal. */
export function newEtag(): string {
  return randomBytes(8).readBigInt64BE().toString();
}

/** Throws 400 `900118` unless `id` is a GUID. */
export function requireCustomerId(id: string): void {
  if (!GUID_PATTERN.test(id))
    throw partnerCenterError(400, ErrorCode.invalidCustomerId, `Invalid Customer Id '${id}'.`);
}

/** The customer, or a 404 `1000`. */
export function findCustomer(ctx: EmulatorContext, id: string): Customer {
  requireCustomerId(id);
  const customer = ctx.store.getCustomer(id);
  if (!customer) throw partnerCenterError(404, ErrorCode.notFound, `Customer ${id} was not found.`);
  return customer;
}

/**
 * Builds the stored Customer for a validated create body.
 * @param input The validated body.
 * @param mode Decides the legacy-DAP default (see below).
 */
export function buildCustomer(input: CreateCustomerInput, mode: "sandbox" | "production"): Customer {
  const id = randomUUID();
  const billing = input.billingProfile;
  // Default GDAP is on when the field is omitted (production since Nov 2023). Legacy DAP (allowDelegatedAccess)
  // is no longer granted, except in the sandbox when the field is omitted (the GDAP FAQ's sandbox row).
  const enableGDAPByDefault = input.enableGDAPByDefault ?? mode === "production";
  const allowDelegatedAccess = mode === "sandbox" && input.enableGDAPByDefault === undefined;
  const customer: Customer = {
    id,
    commerceId: randomUUID(),
    companyProfile: {
      tenantId: id,
      domain: input.domain,
      companyName: input.companyName ?? billing.companyName,
      ...(input.organizationRegistrationNumber
        ? { organizationRegistrationNumber: input.organizationRegistrationNumber }
        : {}),
      address: { ...billing.defaultAddress },
      email: billing.email,
      links: selfLink(`/customers/${id}/profiles/company`),
      attributes: { objectType: "CustomerCompanyProfile" },
    },
    billingProfile: {
      id: randomUUID(),
      ...(billing.firstName !== undefined ? { firstName: billing.firstName } : {}),
      ...(billing.lastName !== undefined ? { lastName: billing.lastName } : {}),
      email: billing.email,
      culture: billing.culture,
      language: billing.language,
      companyName: billing.companyName,
      defaultAddress: { ...billing.defaultAddress },
      links: selfLink(`/customers/${id}/profiles/billing`),
      attributes: { etag: newEtag(), objectType: "CustomerBillingProfile" },
    },
    // The documented samples: a direct create answers "none", a create for an indirect reseller "reseller".
    relationshipToPartner: input.associatedPartnerId ? "reseller" : "none",
    allowDelegatedAccess,
    enableGDAPByDefault,
    ...(input.associatedPartnerId ? { associatedPartnerId: input.associatedPartnerId } : {}),
    links: selfLink(`/customers/${id}`),
    attributes: { objectType: "Customer" },
  };
  return customer;
}

/** GET-by-id view: everything except the credentials (they exist only in the create answer). */
export function customerView(customer: Customer): Customer {
  const { userCredentials: _credentials, ...rest } = customer;
  return rest;
}

/**
 * List view, key for key as every documented list sample shows an item (get-a-list-of-customers,
 * get-a-customer-by-name, get-customers-of-an-indirect-reseller): id, company profile basics, relationship, links,
 * attributes — no commerceId, billing profile, associatedPartnerId or allowDelegatedAccess.
 */
function listItem(customer: Customer): Record<string, unknown> {
  const { tenantId, domain, companyName, links, attributes } = customer.companyProfile;
  return {
    id: customer.id,
    companyProfile: { tenantId, domain, companyName, links, attributes },
    relationshipToPartner: customer.relationshipToPartner,
    links: customer.links,
    attributes: customer.attributes,
  };
}

interface ListFilter {
  field: "Domain" | "CompanyName" | "IndirectReseller" | "IndirectCloudSolutionProvider";
  value: string;
}

function parseFilter(raw: string): ListFilter {
  let parsed: unknown;
  try {
    parsed = normalizeKeys(JSON.parse(raw));
  } catch {
    throw invalidProperty("filter", "The filter is not valid JSON.");
  }
  const object = readBody(parsed);
  const field = readString(object, "field", "filter.Field");
  const value = readString(object, "value", "filter.Value") ?? "";
  const operator = readString(object, "operator", "filter.Operator");
  const fields = ["Domain", "CompanyName", "IndirectReseller", "IndirectCloudSolutionProvider"];
  const canonical = fields.find((candidate) => candidate.toLowerCase() === field?.toLowerCase());
  if (!canonical) throw invalidProperty("filter.Field", `Unsupported filter field '${field ?? ""}'.`);
  // starts_with is the only operator Partner Center supports.
  if (operator?.toLowerCase() !== "starts_with") {
    throw invalidProperty("filter.Operator", `Unsupported filter operator '${operator ?? ""}'.`);
  }
  return { field: canonical as ListFilter["field"], value };
}

function matches(customer: Customer, filter: ListFilter): boolean {
  const prefix = filter.value.toLowerCase();
  switch (filter.field) {
    case "Domain":
      return customer.companyProfile.domain.toLowerCase().startsWith(prefix);
    case "CompanyName":
      return (customer.companyProfile.companyName ?? "").toLowerCase().startsWith(prefix);
    case "IndirectReseller":
      return (customer.associatedPartnerId ?? "").startsWith(prefix);
    case "IndirectCloudSolutionProvider":
      return false;
  }
}

/** Continuation token: opaque to clients, here the position after which the next page starts. */
function encodeToken(afterId: string): string {
  return Buffer.from(JSON.stringify({ after: afterId, nonce: randomBytes(6).toString("base64url") })).toString(
    "base64url",
  );
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // fall through
  }
  throw invalidProperty("MS-ContinuationToken", "The continuation token is not valid.");
}

interface ListQuery {
  size?: string;
  filter?: string;
  seekOperation?: string;
}

function listCustomers(ctx: EmulatorContext, request: FastifyRequest<{ Querystring: ListQuery }>): Collection<unknown> {
  const { size: sizeText, filter: filterText, seekOperation } = request.query;
  const size = sizeText === undefined ? 0 : Number(sizeText);
  if (!Number.isInteger(size) || size < 0) throw invalidProperty("size", "size must be a non-negative integer.");
  const filter = filterText ? parseFilter(filterText) : undefined;
  let customers = ctx.store.listCustomers();
  if (filter) customers = customers.filter((customer) => matches(customer, filter));

  const token = request.headers["ms-continuationtoken"];
  if (seekOperation !== undefined && seekOperation.toLowerCase() === "next") {
    if (typeof token !== "string" || token === "") {
      throw invalidProperty("MS-ContinuationToken", "seekOperation=Next needs an MS-ContinuationToken header.");
    }
    const after = decodeToken(token);
    const index = customers.findIndex((customer) => customer.id === after);
    // A cursor whose customer disappeared restarts nowhere: the rest of the list is what follows it in order.
    customers = index >= 0 ? customers.slice(index + 1) : [];
  }
  // size=0 (the .NET SDK's "unpaged") or no size: everything in one page.
  const page = size === 0 ? customers : customers.slice(0, size);
  const query = new URLSearchParams();
  if (size) query.set("size", String(size));
  if (filterText) query.set("filter", filterText);
  const selfQuery = query.toString();
  const links: Collection<unknown>["links"] = {
    self: { uri: `/customers${selfQuery ? `?${selfQuery}` : ""}`, method: "GET", headers: [] },
  };
  const collection: Collection<unknown> = {
    // Partner Center's totalCount is the number of items in this page.
    totalCount: page.length,
    items: page.map(listItem),
    links,
    attributes: { objectType: "Collection" },
  };
  const last = page[page.length - 1];
  if (last && page.length < customers.length) {
    const continuationToken = encodeToken(last.id);
    query.set("seekOperation", "Next");
    const next: Link = {
      uri: `/customers?${query.toString()}`,
      method: "GET",
      headers: [{ key: "MS-ContinuationToken", value: continuationToken }],
    };
    links.next = next;
    collection.continuationToken = continuationToken;
  }
  return collection;
}

/**
 * Creates a customer from a raw body (any key casing): validation, domain uniqueness, store, persist. Shared by the
 * route and the out-of-band `handle.createCustomer`.
 * @param ctx Emulator context.
 * @param body The parsed request body.
 * @param tokenKind Kind of token the caller holds; indirect-reseller creates need `user`.
 * @returns The full customer including `userCredentials`.
 */
export async function createCustomer(
  ctx: EmulatorContext,
  body: unknown,
  tokenKind: "app" | "user",
): Promise<Customer> {
  const input = readCreateCustomer(readBody(normalizeKeys(body)), ctx.mode, ctx.addressRules);
  if (input.associatedPartnerId && tokenKind !== "user") {
    throw partnerCenterError(
      403,
      ErrorCode.accessDenied,
      "Access denied. Creating a customer for an indirect reseller supports App+User credentials only.",
    );
  }
  if (ctx.store.isDomainTaken(input.domain)) {
    // Undocumented on Partner Center: 409 Conflict (the SDK's AlreadyExists) with the generic 3000.
    throw partnerCenterError(409, ErrorCode.domainExists, `The domain ${input.domain} already exists.`, [
      "companyProfile.domain",
    ]);
  }
  const customer = buildCustomer(input, ctx.mode);
  ctx.store.addCustomer(customer);
  // Partner Center makes the Default GDAP relationship with the customer, in the same create, unless the create says
  // `enableGDAPByDefault: false` [MS, GDAP FAQ, production since 1 November 2023: omitted → "Default GDAP = Yes"].
  // [inferred] The emulator does so in both modes: the FAQ's sandbox row (September 2023: omitted → legacy DAP, no
  // Default GDAP), which the flags above still report, predates DAP's end with reseller relationships (9 October
  // 2023). A create replayed under its MS-RequestId never reaches this handler, so it never makes a second one.
  if (input.enableGDAPByDefault !== false) {
    ctx.store.addRelationship(defaultGdapRelationship(customer, ctx.partnerType));
  }
  await ctx.persist();
  return {
    ...structuredClone(customer),
    userCredentials: { userName: `admin@${input.domain}`, password: generatePassword() },
  };
}

/**
 * The answer to `PATCH /v1/customers/{id}` with `relationshipToPartner: "none"`, exactly as Microsoft documents it:
 * HTTP 200, PascalCase keys (unlike every other answer), and every profile field null — `"Id": null` included, so the
 * customer's id is not echoed back. Source: "Remove a reseller relationship with a customer", REST response example
 * (https://learn.microsoft.com/en-us/partner-center/developer/remove-a-reseller-relationship-with-a-customer;
 * MicrosoftDocs/partner-center-sdk `develop/remove-a-reseller-relationship-with-a-customer.md` at de1e685). Keys
 * in the documented order.
 */
export function relationshipRemovedAnswer(): Record<string, unknown> {
  return {
    Id: null,
    CommerceId: null,
    CompanyProfile: null,
    BillingProfile: null,
    RelationshipToPartner: "none",
    AllowDelegatedAccess: null,
    UserCredentials: null,
    CustomDomains: null,
    AssociatedPartnerId: null,
    Attributes: { ObjectType: "Customer" },
  };
}

/** Registers the customer routes. */
export function registerCustomerRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post("/v1/customers", { config: { pcAuth: "any", pcIdempotent: true } }, async (request, reply) => {
    const tokenKind = ctx.requests.get(request)?.tokenKind ?? "app";
    const customer = await createCustomer(ctx, request.body, tokenKind);
    return ctx.send(request, reply, 201, customer);
  });

  app.get<{ Querystring: ListQuery }>("/v1/customers", { config: { pcAuth: "any" } }, (request, reply) =>
    ctx.send(request, reply, 200, listCustomers(ctx, request)),
  );

  app.get<{ Params: { id: string } }>("/v1/customers/:id", { config: { pcAuth: "any" } }, (request, reply) =>
    ctx.send(request, reply, 200, customerView(findCustomer(ctx, request.params.id))),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/customers/:id",
    { config: { pcAuth: "any" } },
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const customer = findCustomer(ctx, request.params.id);
      if (ctx.mode !== "sandbox") {
        throw partnerCenterError(
          403,
          ErrorCode.actionNotAllowed,
          "The requested action is not allowed. Customers can be deleted only in the integration sandbox.",
        );
      }
      ctx.store.removeCustomer(customer.id, false);
      await ctx.persist();
      return ctx.send(request, reply, 204);
    },
  );

  app.patch<{ Params: { id: string } }>("/v1/customers/:id", { config: { pcAuth: "user" } }, async (request, reply) => {
    const customer = findCustomer(ctx, request.params.id);
    const body = readBody(normalizeKeys(request.body));
    const relationship = readString(body, "relationshipToPartner", "relationshipToPartner");
    if (relationship?.toLowerCase() !== "none") {
      throw invalidProperty("relationshipToPartner", 'Only relationshipToPartner "none" can be set.');
    }
    // The customer leaves the partner's view. In the sandbox this deletes the tenant (domain freed); in
    // production the tenant lives on, so its domain stays taken.
    ctx.store.removeCustomer(customer.id, ctx.mode === "production");
    await ctx.persist();
    return ctx.send(request, reply, 200, relationshipRemovedAnswer());
  });
}

import type { z } from "zod";
import {
  type PartnerCenterClientOptions,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "../foundation/clientOptions";
import { createGotTransport, type HttpTransport } from "../foundation/httpTransport";
import { parseResponse, validateRequest } from "../foundation/parseWire";
import { PartnerCenterError } from "../foundation/partnerCenterError";
import { pathSegment } from "../foundation/pathSegment";
import {
  executeRequest,
  type OperationOptions,
  type RawResult,
  type RefreshState,
  type RequestSpec,
} from "../foundation/requestPipeline";
import type * as WireSchemas from "../schemas";
import type { Agreement, AgreementMetadata, AgreementType, CreateAgreementRequest } from "../schemas/agreement";
import type {
  AttestedAgreement,
  CreateAgreementFromAttestationRequest,
  CreateEnhancedAttestationRequest,
  EnhancedAttestation,
} from "../schemas/attestation";
import type { Collection } from "../schemas/collection";
import type { AddressRequest, Link } from "../schemas/common";
import type {
  CreateCustomerRequest,
  Customer,
  CustomerBillingProfile,
  CustomerCompanyProfile,
  CustomerFilter,
  CustomerSearchField,
  RemovedRelationship,
  UpdateBillingProfileRequest,
} from "../schemas/customer";
import type { AddressValidationResponse, CountryValidationRules } from "../schemas/validation";

/**
 * zod and the wire schemas, loaded by the first call that validates something, not when the client module is
 * imported: a Pulumi program imports this package on every run but only the provider host, and only when it talks
 * to Partner Center, needs them (zod alone takes ~90 ms to load; BENCHMARKS.md, profile finding 2).
 */
function wire(): typeof WireSchemas {
  return require("../schemas");
}
function zod(): typeof import("zod") {
  return require("zod");
}

/** Options of {@link PartnerCenterClient.listCustomers}. */
export interface ListCustomersOptions extends OperationOptions {
  /** Only customers whose `field` starts with `value` (case-insensitive; `starts_with` is the only operator). */
  filter?: { field: CustomerSearchField; value: string };
  /** Items per page (`size`). Default 100. */
  pageSize?: number;
}

/** One page of a collection. */
export interface Page<T> {
  /** The items of this page. */
  readonly items: T[];
  /** `totalCount` as Partner Center reports it (for this page or the whole collection, depending on the route). */
  readonly totalCount: number | undefined;
}

/** Options of {@link PartnerCenterClient.updateBillingProfile}. */
export interface UpdateBillingProfileOptions extends OperationOptions {
  /**
   * ETag for `If-Match`. Default: `profile.attributes.etag`; if neither is given the profile is read first (ETags are
   * short-lived, and Partner Center's guidance is to re-read right before updating anyway).
   */
  etag?: string;
}

/** Result of {@link PartnerCenterClient.checkDomainAvailability}. */
export interface DomainAvailability {
  /** True when no tenant uses the domain (HEAD answered 404); false when it is taken (HEAD answered 200). */
  readonly available: boolean;
}

/** The page size used when a caller does not choose one. */
export const DEFAULT_PAGE_SIZE = 100;

// Country rules change rarely; one lookup per country per endpoint and locale per process is plenty. Promises are
// cached so concurrent checks share one request; failures are evicted.
const countryRulesCache = new Map<string, Promise<CountryValidationRules>>();

/**
 * A typed client for the Partner Center REST API operations the `PartnerCustomer` and `CustomerAgreement` resources
 * need. It knows nothing of Pulumi.
 *
 * Every method takes a final {@link OperationOptions} bag (`requestId`, `correlationId`, `signal`). Every response is
 * validated by a zod wire schema; every failure is a {@link PartnerCenterError}. Retries (429 with `Retry-After`,
 * 5xx, 408, network errors, timeouts) reuse the operation's `MS-RequestId`, Partner Center's idempotency key — which is
 * why POSTs are retried too.
 */
export class PartnerCenterClient {
  /** The resolved options (defaults applied). */
  readonly options: ResolvedClientOptions;
  private readonly transport: HttpTransport;
  private readonly refreshState: RefreshState = {};

  /** Creates a client; nothing is loaded or sent until the first call. */
  constructor(options: PartnerCenterClientOptions) {
    this.options = resolveClientOptions(options);
    this.transport = createGotTransport({
      prefixUrl: this.options.apiRoot,
      certificateAuthority: this.options.https?.certificateAuthority,
    });
  }

  /** The endpoint requests go to (without `/v1`). */
  get endpoint(): string {
    return this.options.endpoint;
  }

  /**
   * Creates a customer: a new Entra tenant, the reseller relationship and an admin user (`userCredentials`, returned
   * only here). `POST /v1/customers`. Pass a stable `requestId` so that a retried or repeated create returns the
   * first customer instead of creating a second tenant. Setting `associatedPartnerId` needs App+User credentials.
   */
  async createCustomer(request: CreateCustomerRequest, options: OperationOptions = {}): Promise<Customer> {
    const operation = `Creating customer ${request?.companyProfile?.domain ?? "(no domain)"}`;
    const body = validateRequest(wire().CreateCustomerRequestSchema, request, operation);
    const result = await this.send({ operation, method: "POST", path: "customers", body }, options);
    return this.parse(wire().CustomerSchema, result, operation);
  }

  /**
   * Reads a customer by id (its tenant id), with billing and company profile. `GET /v1/customers/{id}`. The id asked
   * for is the id read: an answer that leaves `id` out or null (as Partner Center's PATCH answer does) is still
   * this customer.
   */
  async getCustomer(customerId: string, options: OperationOptions = {}): Promise<Customer> {
    const operation = `Getting customer ${customerId}`;
    const result = await this.send(
      { operation, method: "GET", path: `customers/${pathSegment(customerId, operation)}` },
      options,
    );
    const known = customerId.trim();
    const schema = zod().preprocess(
      (raw) => (isRecord(raw) && raw.id == null ? { ...raw, id: known } : raw),
      wire().CustomerSchema,
    );
    return this.parse(schema, result, operation);
  }

  /**
   * Lists customers page by page, following `links.next` (and its `MS-ContinuationToken` header) until there is none.
   * List items carry only `id`, `companyProfile`, `relationshipToPartner`, `links` and `attributes`.
   *
   * @example
   * for await (const page of client.listCustomers({ filter: { field: "Domain", value: "contoso" } })) { … }
   */
  async *listCustomers(options: ListCustomersOptions = {}): AsyncGenerator<Page<Customer>, void, undefined> {
    const operation = options.filter ? `Listing customers by ${options.filter.field}` : "Listing customers";
    const query = new URLSearchParams({ size: String(options.pageSize ?? DEFAULT_PAGE_SIZE) });
    if (options.filter) {
      const filter: CustomerFilter = validateRequest(
        wire().CustomerFilterSchema,
        { Field: options.filter.field, Value: options.filter.value, Operator: "starts_with" },
        operation,
      );
      query.set("filter", JSON.stringify(filter));
    }
    yield* this.pages(operation, `customers?${query}`, wire().CustomerSchema, options);
  }

  /**
   * Finds the customer whose initial domain is exactly `domain` (case-insensitive). Partner Center can only filter
   * with `starts_with`, so this lists by prefix and compares exactly. Returns `undefined` when there is none.
   */
  async findCustomerByDomain(domain: string, options: OperationOptions = {}): Promise<Customer | undefined> {
    const wanted = domain.trim().toLowerCase();
    for await (const page of this.listCustomers({ ...options, filter: { field: "Domain", value: wanted } })) {
      const match = page.items.find((c) => c.companyProfile?.domain?.toLowerCase() === wanted);
      if (match) return match;
    }
    return undefined;
  }

  /**
   * Deletes a customer and its tenant. Works **only in the integration sandbox**; production answers with an error.
   * `DELETE /v1/customers/{id}`.
   */
  async deleteCustomer(customerId: string, options: OperationOptions = {}): Promise<void> {
    const operation = `Deleting customer ${customerId}`;
    await this.send({ operation, method: "DELETE", path: `customers/${pathSegment(customerId, operation)}` }, options);
  }

  /**
   * Removes the reseller relationship with a customer (the production alternative to deleting). App+User only.
   * `PATCH /v1/customers/{id}`. Microsoft documents the answer as HTTP 200 with PascalCase keys (normalised like every
   * other response) and every profile field null, `"Id"` included; the 200 is the success, so the body is read with
   * {@link WireSchemas.RemovedRelationshipSchema}, where nothing is required.
   */
  async removeResellerRelationship(customerId: string, options: OperationOptions = {}): Promise<RemovedRelationship> {
    const operation = `Removing the reseller relationship with customer ${customerId}`;
    const body = validateRequest(
      wire().RemoveResellerRelationshipRequestSchema,
      { relationshipToPartner: "none", attributes: { objectType: "Customer" } },
      operation,
    );
    const result = await this.send(
      { operation, method: "PATCH", path: `customers/${pathSegment(customerId, operation)}`, body },
      options,
    );
    return this.parse(wire().RemovedRelationshipSchema, result, operation);
  }

  /** Reads a customer's billing profile, including `attributes.etag`. `GET /v1/customers/{id}/profiles/billing`. */
  async getBillingProfile(customerId: string, options: OperationOptions = {}): Promise<CustomerBillingProfile> {
    const operation = `Getting the billing profile of customer ${customerId}`;
    const result = await this.send(
      { operation, method: "GET", path: `customers/${pathSegment(customerId, operation)}/profiles/billing` },
      options,
    );
    return this.parse(wire().CustomerBillingProfileSchema, result, operation);
  }

  /**
   * Replaces a customer's billing profile (the full resource, not a patch) under optimistic concurrency: the ETag goes
   * in `If-Match` (quoted) and in `attributes.etag`. A stale ETag fails with code 2055 (HTTP 400) or HTTP 412.
   * `PUT /v1/customers/{id}/profiles/billing`.
   */
  async updateBillingProfile(
    customerId: string,
    profile: UpdateBillingProfileRequest,
    options: UpdateBillingProfileOptions = {},
  ): Promise<CustomerBillingProfile> {
    const operation = `Updating the billing profile of customer ${customerId}`;
    const validated = validateRequest(wire().UpdateBillingProfileRequestSchema, profile, operation);
    let etag = options.etag ?? validated.attributes?.etag;
    if (!etag) {
      const current = await this.getBillingProfile(customerId, {
        correlationId: options.correlationId,
        signal: options.signal,
      });
      etag = current.attributes?.etag ?? undefined;
      if (!etag) {
        throw new PartnerCenterError({
          kind: "invalid_response",
          operation,
          description: "the billing profile came back without attributes.etag, which the update needs",
        });
      }
    }
    const body = { ...validated, attributes: { ...validated.attributes, etag } };
    const result = await this.send(
      {
        operation,
        method: "PUT",
        path: `customers/${pathSegment(customerId, operation)}/profiles/billing`,
        body,
        headers: { "if-match": quoteEtag(etag) },
      },
      options,
    );
    return this.parse(wire().CustomerBillingProfileSchema, result, operation);
  }

  /**
   * Reads a customer's company profile. App+User only; address, email and custom domains need suitable GDAP roles.
   * `GET /v1/customers/{id}/profiles/company`.
   */
  async getCompanyProfile(customerId: string, options: OperationOptions = {}): Promise<CustomerCompanyProfile> {
    const operation = `Getting the company profile of customer ${customerId}`;
    const result = await this.send(
      { operation, method: "GET", path: `customers/${pathSegment(customerId, operation)}/profiles/company` },
      options,
    );
    return this.parse(wire().CustomerCompanyProfileSchema, result, operation);
  }

  /**
   * Checks whether a domain (`<prefix>.onmicrosoft.com`) is free. `HEAD /v1/domains/{domain}` answers 404 when it is
   * available and 200 when it is taken — this method translates, so callers never reason about HEAD statuses. A
   * pre-check only: the create can still race and fail.
   */
  async checkDomainAvailability(domain: string, options: OperationOptions = {}): Promise<DomainAvailability> {
    const operation = `Checking the availability of domain ${domain}`;
    const result = await this.send(
      { operation, method: "HEAD", path: `domains/${pathSegment(domain.trim(), operation)}`, acceptStatuses: [404] },
      options,
    );
    return { available: result.statusCode === 404 };
  }

  /**
   * Validates a postal address. `status` is an open string (`VerifiedShippable`, `Verified`, `StreetPartial`, …);
   * `suggestedAddresses` is always an array. `POST /v1/validations/address`.
   */
  async validateAddress(address: AddressRequest, options: OperationOptions = {}): Promise<AddressValidationResponse> {
    const operation = `Validating an address in ${address?.country ?? "(no country)"}`;
    const body = validateRequest(wire().AddressRequestSchema, address, operation);
    const result = await this.send({ operation, method: "POST", path: "validations/address", body }, options);
    return this.parse(wire().AddressValidationResponseSchema, result, operation);
  }

  /**
   * Reads market-specific validation rules (required fields, state list, postal code and phone patterns) for an ISO
   * 3166-1 alpha-2 country. Cached per country, endpoint and locale for the life of the process.
   * `GET /v1/countryvalidationrules/{iso2}`.
   */
  async getCountryValidationRules(
    countryCode: string,
    options: OperationOptions = {},
  ): Promise<CountryValidationRules> {
    const country = countryCode.trim().toUpperCase();
    const operation = `Getting the validation rules of country ${country}`;
    const key = `${this.options.endpoint}|${this.options.locale}|${country}`;
    let rules = countryRulesCache.get(key);
    if (!rules) {
      rules = this.send(
        { operation, method: "GET", path: `countryvalidationrules/${pathSegment(country, operation)}` },
        options,
      ).then((result) => this.parse(wire().CountryValidationRulesSchema, result, operation));
      countryRulesCache.set(key, rules);
      rules.catch(() => {
        if (countryRulesCache.get(key) === rules) countryRulesCache.delete(key);
      });
    }
    return rules;
  }

  /**
   * Lists agreement metadata (templates) of one type. The type is always sent: Partner Center falls back to
   * `MicrosoftCloudAgreement` when it is left out. `"*"` asks for every type. `GET /v1/agreements?agreementType=…`.
   */
  async getAgreementMetadata(
    agreementType: AgreementType | "*",
    options: OperationOptions = {},
  ): Promise<AgreementMetadata[]> {
    const operation = `Getting agreement metadata for ${agreementType}`;
    const query = new URLSearchParams({ agreementType });
    return this.collectAll(operation, `agreements?${query}`, wire().AgreementMetadataSchema, options);
  }

  /**
   * The current template of an agreement type: among the metadata items of that type that name a template, the one
   * with the lowest `versionRank` (a missing rank counts as 0). Throws kind `invalid_response` when Partner Center
   * lists none.
   */
  async getCurrentAgreementTemplate(
    agreementType: AgreementType,
    options: OperationOptions = {},
  ): Promise<AgreementMetadata & { templateId: string }> {
    const items = await this.getAgreementMetadata(agreementType, options);
    const ofType = items.filter(
      (m): m is AgreementMetadata & { templateId: string } =>
        Boolean(m.templateId) && (m.agreementType ?? m.type ?? agreementType) === agreementType,
    );
    const current = ofType.reduce<(AgreementMetadata & { templateId: string }) | undefined>(
      (best, m) => (best === undefined || (m.versionRank ?? 0) < (best.versionRank ?? 0) ? m : best),
      undefined,
    );
    if (!current) {
      throw new PartnerCenterError({
        kind: "invalid_response",
        operation: `Getting the current ${agreementType} template`,
        description: `Partner Center listed no agreement metadata of type ${agreementType}`,
      });
    }
    return current;
  }

  /**
   * Records that a customer accepted an agreement (MCA confirmation). App+User only. A confirmation repeating the
   * same contact fails with code 600061 (`PartnerConfirmedAgreementAlreadyExists`).
   * `POST /v1/customers/{id}/agreements`.
   */
  async createCustomerAgreement(
    customerId: string,
    agreement: CreateAgreementRequest,
    options: OperationOptions = {},
  ): Promise<Agreement> {
    const operation = `Confirming the ${agreement?.type ?? "agreement"} of customer ${customerId}`;
    const body = validateRequest(wire().CreateAgreementRequestSchema, agreement, operation);
    const result = await this.send(
      { operation, method: "POST", path: `customers/${pathSegment(customerId, operation)}/agreements`, body },
      options,
    );
    return this.parse(wire().AgreementSchema, result, operation);
  }

  /**
   * Creates an enhanced MCA attestation for a customer: the customer then accepts the agreement through the link
   * built from its ID. App-only. `POST /v1/attestations/enhanced` (shapes: `schemas/attestation.ts`, partly inferred).
   */
  async createEnhancedAttestation(
    request: CreateEnhancedAttestationRequest,
    options: OperationOptions = {},
  ): Promise<EnhancedAttestation> {
    const operation = `Creating an MCA attestation for customer ${request?.customerTenantId}`;
    const body = validateRequest(wire().CreateEnhancedAttestationRequestSchema, request, operation);
    const result = await this.send(
      { operation, method: "POST", path: wire().ENHANCED_ATTESTATION_PATH, body, appOnly: true },
      options,
    );
    return this.parse(wire().EnhancedAttestationSchema, result, operation);
  }

  /**
   * Reads an enhanced attestation's status. `GET /v1/attestations/{id}` (inferred: see `schemas/attestation.ts`).
   * The ID is all an acceptance link needs, so it is redacted from every message (`customerId` names it instead).
   */
  async getEnhancedAttestation(
    attestationId: string,
    options: OperationOptions & { customerId?: string } = {},
  ): Promise<EnhancedAttestation> {
    const operation = `Reading the MCA attestation of customer ${options.customerId ?? "(unknown)"}`;
    const path = wire().ATTESTATION_STATUS_PATH(pathSegment(attestationId, operation));
    const result = await this.send(
      { operation, method: "GET", path, secrets: spellingsOf(attestationId), appOnly: true },
      options,
    );
    return this.parse(wire().EnhancedAttestationSchema, result, operation);
  }

  /**
   * Records the Microsoft Customer Agreement from an attestation the customer accepted. App-only.
   * `POST /v1/customers/{id}/agreements` with the attestation ID (body inferred: see `schemas/attestation.ts`).
   */
  async createAgreementFromAttestation(
    customerId: string,
    request: CreateAgreementFromAttestationRequest,
    options: OperationOptions = {},
  ): Promise<AttestedAgreement> {
    const operation = `Recording the MicrosoftCustomerAgreement of customer ${customerId} from its attestation`;
    const body = validateRequest(wire().CreateAgreementFromAttestationRequestSchema, request, operation);
    const result = await this.send(
      {
        operation,
        method: "POST",
        path: `customers/${pathSegment(customerId, operation)}/agreements`,
        body,
        secrets: spellingsOf(body.attestationId),
        appOnly: true,
      },
      options,
    );
    return this.parse(wire().AttestedAgreementSchema, result, operation);
  }

  /**
   * Lists a customer's agreements of one type (always sent explicitly; see {@link getAgreementMetadata}). Items have
   * no id: identify one by `templateId`, `dateAgreed` and contact email. `GET /v1/customers/{id}/agreements`.
   */
  async listCustomerAgreements(
    customerId: string,
    agreementType: AgreementType,
    options: OperationOptions = {},
  ): Promise<Agreement[]> {
    const operation = `Listing the ${agreementType} agreements of customer ${customerId}`;
    const query = new URLSearchParams({ agreementType });
    return this.collectAll(
      operation,
      `customers/${pathSegment(customerId, operation)}/agreements?${query}`,
      wire().AgreementSchema,
      options,
    );
  }

  private send(spec: RequestSpec, options: OperationOptions): Promise<RawResult> {
    return executeRequest(spec, options, this.options, this.transport, this.refreshState);
  }

  private parse<T extends z.ZodType>(schema: T, result: RawResult, operation: string): z.output<T> {
    return parseResponse(schema, result.json, { operation, ...result });
  }

  /**
   * Follows a collection's `links.next` chain. Each page is its own logical operation (its own `MS-RequestId`; the
   * caller's, if any, goes to the first page only), all under one correlation id.
   */
  private async *pages<T extends z.ZodType>(
    operation: string,
    firstPath: string,
    item: T,
    options: OperationOptions,
  ): AsyncGenerator<Page<z.output<T>>, void, undefined> {
    const schema = wire().collectionSchema(item);
    const correlationId = options.correlationId ?? crypto.randomUUID();
    let path = firstPath;
    let headers: Record<string, string> | undefined;
    let requestId = options.requestId;
    const followed = new Set<string>();
    for (let pageNumber = 1; ; pageNumber++) {
      const pageOperation = pageNumber === 1 ? operation : `${operation} (page ${pageNumber})`;
      const result = await this.send(
        { operation: pageOperation, method: "GET", path, ...(headers ? { headers } : {}) },
        { correlationId, signal: options.signal, ...(requestId ? { requestId } : {}) },
      );
      requestId = undefined;
      const page = this.parse(schema, result, pageOperation) as Collection<z.output<T>>;
      yield { items: page.items, totalCount: page.totalCount ?? undefined };
      const next = page.links?.next;
      if (!next?.uri) return;
      const target = this.resolveLink(next, pageOperation, result);
      // A server that hands back the same link forever would make this loop endless.
      const fingerprint = `${target.path}|${JSON.stringify(target.headers)}`;
      if (followed.has(fingerprint)) {
        throw new PartnerCenterError({
          kind: "invalid_response",
          operation: pageOperation,
          description: "Partner Center returned the same next-page link twice",
          requestId: result.requestId,
          correlationId,
        });
      }
      followed.add(fingerprint);
      path = target.path;
      headers = target.headers;
    }
  }

  private async collectAll<T extends z.ZodType>(
    operation: string,
    path: string,
    item: T,
    options: OperationOptions,
  ): Promise<z.output<T>[]> {
    const all: z.output<T>[] = [];
    for await (const page of this.pages(operation, path, item, options)) all.push(...page.items);
    return all;
  }

  /**
   * Turns a `links.next` into a request: a relative `uri` is relative to `/v1` (with or without a leading `/` or
   * `/v1/`); an absolute one must stay on our endpoint's origin — the bearer token must never follow a link elsewhere.
   */
  private resolveLink(
    link: Link,
    operation: string,
    result: RawResult,
  ): { path: string; headers: Record<string, string> | undefined } {
    const headers: Record<string, string> = {};
    for (const { key, value } of link.headers ?? []) {
      // A header without a name or value has nothing to copy.
      if (!key || value == null) continue;
      // Only continuation-style headers are copied; a link must not be able to override our auth or ids.
      if (!/^(authorization|ms-requestid|ms-correlationid)$/i.test(key)) headers[key] = value;
    }
    const uri = (link.uri ?? "").trim();
    let path: string;
    if (/^https?:\/\//i.test(uri)) {
      const target = new URL(uri);
      if (target.origin !== new URL(this.options.endpoint).origin) {
        throw new PartnerCenterError({
          kind: "invalid_response",
          operation,
          description: `the next-page link points to another origin (${target.origin})`,
          requestId: result.requestId,
          correlationId: result.correlationId,
        });
      }
      path = target.toString();
    } else {
      path = uri.replace(/^\/+/, "").replace(/^v1\//i, "");
    }
    return { path, headers: Object.keys(headers).length > 0 ? headers : undefined };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function quoteEtag(etag: string): string {
  return /^(W\/)?".*"$/.test(etag) ? etag : `"${etag}"`;
}

/** The spellings of a secret a message may echo: as sent, in either case, and percent-encoded in a path. */
function spellingsOf(secret: string): string[] {
  return [...new Set([secret, secret.toLowerCase(), secret.toUpperCase(), encodeURIComponent(secret)])];
}

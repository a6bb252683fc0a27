/**
 * Agreement routes: metadata (`GET /v1/agreements`), confirming a customer's acceptance
 * (`POST /v1/customers/{id}/agreements`) and reading confirmations back. All App+User only
 * (`partner-center-api.md` §5), except recording an agreement from an accepted enhanced attestation (App-only, as
 * Microsoft says of that flow).
 */
import type { FastifyInstance } from "fastify";
import { ATTESTATION_ERROR_CODES } from "../../provider/schemas/attestation";
import type { EmulatorContext } from "../emulatorContext";
import { agreementAlreadyExists, appUserOnly, ErrorCode, invalidProperty, partnerCenterError } from "../errors";
import type { Agreement, AgreementMetadata, Collection, Contact } from "../model";
import { selfLink } from "../model";
import { normalizeKeys } from "../normalizeKeys";
import { EMAIL_PATTERN, GUID_PATTERN, readBody, readObject, readString, requireString } from "../readInput";
import { findCustomer } from "./customers";

/**
 * The agreement templates the emulator knows. The template ids are the ones in Microsoft's samples; the
 * MicrosoftCloudAgreement link is illustrative (the samples do not show one).
 */
export const AGREEMENT_TEMPLATES: readonly AgreementMetadata[] = [
  {
    templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
    agreementType: "MicrosoftCustomerAgreement",
    agreementLink: "https://aka.ms/customeragreement",
    versionRank: 0,
  },
  {
    templateId: "998b88de-aa99-4388-a42c-1b3517d49490",
    agreementType: "MicrosoftCloudAgreement",
    agreementLink: "https://aka.ms/microsoftcloudagreement",
    versionRank: 0,
  },
];

const AGREEMENT_TYPES = ["MicrosoftCloudAgreement", "MicrosoftCustomerAgreement"];

/**
 * Resolves the `agreementType` query: absent → MicrosoftCloudAgreement (Partner Center's backward-compatible
 * default), `*` → all types, otherwise one known type (any case).
 */
function typesFor(agreementType: string | undefined): string[] {
  if (agreementType === undefined || agreementType === "") return ["MicrosoftCloudAgreement"];
  if (agreementType === "*") return AGREEMENT_TYPES;
  const type = AGREEMENT_TYPES.find((candidate) => candidate.toLowerCase() === agreementType.toLowerCase());
  if (!type) throw invalidProperty("agreementType", `Unsupported agreementType '${agreementType}'.`);
  return [type];
}

function collection<T>(items: T[], uri: string): Collection<T> {
  return { totalCount: items.length, items, links: selfLink(uri), attributes: { objectType: "Collection" } };
}

function sameContact(a: Contact, b: Contact): boolean {
  const norm = (value: string | undefined) => (value ?? "").trim().toLowerCase();
  return (
    norm(a.firstName) === norm(b.firstName) &&
    norm(a.lastName) === norm(b.lastName) &&
    norm(a.email) === norm(b.email) &&
    norm(a.phoneNumber) === norm(b.phoneNumber)
  );
}

/** A body's `primaryContact` (required fields, e-mail format), or undefined when the body has none. */
function readContact(body: Record<string, unknown>): Contact | undefined {
  const contactRaw = readObject(body, "primaryContact", "primaryContact");
  if (!contactRaw) return undefined;
  const primaryContact: Contact = {
    firstName: requireString(contactRaw, "firstName", "primaryContact.firstName"),
    lastName: requireString(contactRaw, "lastName", "primaryContact.lastName"),
    email: requireString(contactRaw, "email", "primaryContact.email"),
  };
  if (!EMAIL_PATTERN.test(primaryContact.email)) {
    throw invalidProperty("primaryContact.email", "primaryContact.email is not a valid e-mail address.");
  }
  const phoneNumber = readString(contactRaw, "phoneNumber", "primaryContact.phoneNumber");
  if (phoneNumber) primaryContact.phoneNumber = phoneNumber;
  const middleName = readString(contactRaw, "middleName", "primaryContact.middleName");
  if (middleName) primaryContact.middleName = middleName;
  return primaryContact;
}

function readAgreement(raw: unknown, userId: string): Agreement {
  const body = readBody(normalizeKeys(raw));
  const primaryContact = readContact(body);
  if (!primaryContact) throw invalidProperty("primaryContact", "primaryContact is required.");

  const dateAgreed = requireString(body, "dateAgreed", "dateAgreed");
  const agreedAt = Date.parse(dateAgreed);
  if (Number.isNaN(agreedAt)) throw invalidProperty("dateAgreed", `dateAgreed '${dateAgreed}' is not a valid date.`);
  if (agreedAt > Date.now()) throw invalidProperty("dateAgreed", "dateAgreed cannot be in the future.");

  const templateId = requireString(body, "templateId", "templateId");
  const type = requireString(body, "type", "type");
  const canonicalType = AGREEMENT_TYPES.find((candidate) => candidate.toLowerCase() === type.toLowerCase());
  if (!canonicalType) throw invalidProperty("type", `Unsupported agreement type '${type}'.`);
  // Undocumented on Partner Center: an unknown template (or one of another type) answers 400 with code 3000.
  const template = AGREEMENT_TEMPLATES.find(
    (candidate) => GUID_PATTERN.test(templateId) && candidate.templateId === templateId.toLowerCase(),
  );
  if (!template) throw invalidProperty("templateId", `Agreement template '${templateId}' does not exist.`);
  if (template.agreementType !== canonicalType) {
    throw invalidProperty("templateId", `Agreement template '${templateId}' is not a ${canonicalType} template.`);
  }
  return {
    primaryContact,
    templateId: template.templateId,
    dateAgreed,
    type: canonicalType,
    agreementLink: readString(body, "agreementLink", "agreementLink") ?? template.agreementLink,
    userId,
  };
}

/**
 * The agreement a body with an `attestationId` records (the enhanced flow), or undefined for a legacy body. The
 * attestation must be this customer's, accepted and not used yet; the codes for each refusal are inferred
 * (`ATTESTATION_ERROR_CODES`), as is the body itself (`CreateAgreementFromAttestationRequestSchema`).
 */
function attestedAgreement(ctx: EmulatorContext, customerId: string, raw: unknown): Agreement | undefined {
  const body = readBody(normalizeKeys(raw));
  const attestationId = readString(body, "attestationId", "attestationId");
  if (attestationId === undefined) return undefined;
  const attestation = ctx.store.getAttestation(attestationId);
  if (!attestation || attestation.customerTenantId !== customerId) {
    throw partnerCenterError(
      404,
      ATTESTATION_ERROR_CODES.unknown,
      `Attestation ${attestationId} was not found for this customer.`,
      ["attestationId"],
    );
  }
  if (attestation.used) {
    throw partnerCenterError(
      409,
      ATTESTATION_ERROR_CODES.alreadyUsed,
      `Attestation ${attestationId} was already used to create an agreement.`,
      ["attestationId"],
    );
  }
  if (attestation.status === "expired") {
    throw partnerCenterError(
      400,
      ATTESTATION_ERROR_CODES.expired,
      `Attestation ${attestationId} has expired; create a new one.`,
      ["attestationId"],
    );
  }
  if (attestation.status !== "accepted") {
    throw partnerCenterError(
      400,
      ATTESTATION_ERROR_CODES.notAccepted,
      `The customer has not accepted the Microsoft Customer Agreement of attestation ${attestationId} yet.`,
      ["attestationId"],
    );
  }
  const template = AGREEMENT_TEMPLATES[0] as AgreementMetadata;
  // The body's primaryContact (inferred: the signatory) is what 600061's duplicate rule compares; without one, the
  // attestation's signatory stands in.
  const primaryContact: Contact = readContact(body) ?? {
    firstName: attestation.signatoryFirstName,
    lastName: attestation.signatoryLastName,
    email: attestation.signatoryEmail,
    ...(attestation.signatoryPhoneNumber && { phoneNumber: attestation.signatoryPhoneNumber }),
  };
  return {
    attestationId: attestation.id,
    primaryContact,
    templateId: template.templateId,
    dateAgreed: attestation.acceptedAt ?? new Date().toISOString(),
    type: "MicrosoftCustomerAgreement",
    agreementLink: template.agreementLink,
    userId: "",
  };
}

/** Registers the agreement routes. */
export function registerAgreementRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get<{ Querystring: { agreementType?: string } }>(
    "/v1/agreements",
    { config: { pcAuth: "user" } },
    (request, reply) => {
      const types = typesFor(request.query.agreementType);
      const items = AGREEMENT_TEMPLATES.filter((template) => types.includes(template.agreementType));
      return ctx.send(request, reply, 200, collection(items, request.url.replace(/^\/v1/, "")));
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/customers/:id/agreements",
    // App+User for the legacy body; App-only (or App+User) for one that names an accepted attestation.
    { config: { pcAuth: "any", pcIdempotent: true } },
    async (request, reply) => {
      const customer = findCustomer(ctx, request.params.id);
      const claims = ctx.requests.get(request)?.claims;
      const attested = attestedAgreement(ctx, customer.id, request.body);
      if (!attested && claims?.idtyp !== "user") throw appUserOnly();
      // The enhanced flow "only supports AppOnly authentication" (Microsoft): an App+User token is refused as for the
      // attestation itself.
      if (attested && claims?.idtyp !== "app") {
        throw partnerCenterError(
          403,
          ErrorCode.accessDenied,
          "Access denied. This operation supports App-only credentials only; App+User tokens are not allowed.",
        );
      }
      const agreement = attested ?? readAgreement(request.body, claims?.oid ?? "");
      const existing = ctx.store.listAgreements(customer.id);
      if (
        existing.some(
          (other) => other.type === agreement.type && sameContact(other.primaryContact, agreement.primaryContact),
        )
      ) {
        throw agreementAlreadyExists();
      }
      ctx.store.addAgreement(customer.id, agreement);
      if (agreement.attestationId) {
        const used = ctx.store.getAttestation(agreement.attestationId);
        if (used) used.used = true;
      }
      await ctx.persist();
      return ctx.send(request, reply, 201, agreement);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { agreementType?: string } }>(
    "/v1/customers/:id/agreements",
    { config: { pcAuth: "user" } },
    (request, reply) => {
      const customer = findCustomer(ctx, request.params.id);
      const types = typesFor(request.query.agreementType);
      const items = ctx.store.listAgreements(customer.id).filter((agreement) => types.includes(agreement.type));
      return ctx.send(request, reply, 200, collection(items, request.url.replace(/^\/v1/, "")));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/customers/:id/directSignedMicrosoftCustomerAgreementStatus",
    { config: { pcAuth: "user" } },
    (request, reply) => {
      findCustomer(ctx, request.params.id);
      // Direct signing happens outside Partner Center (e.g. the Microsoft 365 admin center): never in the emulator.
      return ctx.send(request, reply, 200, { isSigned: false });
    },
  );
}

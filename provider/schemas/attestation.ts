/**
 * The wire shapes of the Microsoft Customer Agreement's *enhanced attestation* flow: create an attestation
 * (App-only), the customer accepts through Microsoft's link, record the agreement with the attestation ID.
 *
 * Microsoft's page ("Confirm customer acceptance and create agreement for MCA using APIs",
 * `/partner-center/customers/integrate-sandbox-confirm-customer-accept`) could only be read up to the fifth row of its
 * request-body table. Everything past that is inferred or reported by third parties, and **this module is the one
 * place that says so**: every field carries its source —
 * - `[MS]` Microsoft's own text;
 * - `[3P]` a distributor or integrator (CloudBlue, Cloudmore, CloudFactory, KPN's wrapper), not Microsoft;
 * - `[inferred]` our reading, stated by nobody.
 * A partner who can read the whole page corrects the shapes here; the emulator serves the same shapes
 * (`emulator/routes/attestations.ts` imports this module), so the tests follow. `shared/reference/mca-attestation.md`
 * §3 has the quotes.
 */
import { z } from "zod";
import { ContactRequestSchema, ContactSchema } from "./common";

/** `POST /v1/attestations/enhanced` [MS: method and path, App-only]. */
export const ENHANCED_ATTESTATION_PATH = "attestations/enhanced";

/**
 * `GET /v1/attestations/{id}` [inferred]: Microsoft's captured text shows no status endpoint; Cloudmore's wrapper
 * offers "Get status of an attestation" [3P], which implies one. The path is our guess.
 */
export const ATTESTATION_STATUS_PATH = (id: string) => `attestations/${id}`;

/**
 * The customer's acceptance link, from the public cloud's base: `https://cdn.partner.microsoft.com/mca/?attestationid=`
 * [3P: CloudFactory RFC, KPN fixture]. Other query parameters are unknown.
 */
export const ACCEPTANCE_LINK_PATH = "/mca/";
/** The acceptance link's query parameter [3P]. */
export const ACCEPTANCE_LINK_PARAMETER = "attestationid";

/** Builds the acceptance link of an attestation on a base such as `https://cdn.partner.microsoft.com`. */
export function acceptanceLink(base: string, attestationId: string): string {
  const url = new URL(ACCEPTANCE_LINK_PATH, base.endsWith("/") ? base : `${base}/`);
  url.searchParams.set(ACCEPTANCE_LINK_PARAMETER, attestationId);
  return url.toString();
}

/** Body of `POST /v1/attestations/enhanced`. */
export const CreateEnhancedAttestationRequestSchema = z.strictObject({
  /** [MS] "the customer's country/region code (ISO 3166-1 alpha-2)", required. */
  country: z.string().length(2),
  /** [MS, name inferred: the zh table shows a translated cell] "preferred language for the agreement", required. */
  language: z.string().min(2),
  /** [MS, name inferred as above] "name of the company accepting the agreement", required. */
  companyName: z.string().min(1),
  /** [MS] "first name of the individual signing the agreement", required. */
  signatoryFirstName: z.string().min(1),
  /** [MS] "last name of the individual signing", required. */
  signatoryLastName: z.string().min(1),
  /**
   * [inferred] The prerequisites list "Email address" and Appxite's UI collects it [3P]; the field name is our
   * guess. Required here because 600061's duplicate rule compares it.
   */
  signatoryEmail: z.string().min(3),
  /** [inferred] "Phone number (optional)" in the prerequisites; name guessed. */
  signatoryPhoneNumber: z.string().optional(),
  /**
   * [inferred] The path has no customer ID and nothing captured says how the attestation is tied to a customer; we
   * send the customer's tenant ID so an attestation belongs to one customer.
   */
  customerTenantId: z.string().min(1),
});
/** Body of an enhanced attestation. */
export type CreateEnhancedAttestationRequest = z.infer<typeof CreateEnhancedAttestationRequestSchema>;

/**
 * Statuses of an attestation. [3P] KPN's wrapper uses `Pending`, `unverified` and `accepted`; a marketplace vendor
 * shows REQUIRED / PENDING / EXPIRED for agreements. We read `pending` (also `unverified`, `required`), `accepted` and
 * `expired` in any case; any other value is kept (an open enum), taken as not accepted, and reported in a warning.
 */
export const ATTESTATION_STATUSES = ["pending", "accepted", "expired"] as const;
/** A known attestation status (lower case). */
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];

/** An attestation as `POST /v1/attestations/enhanced` and `GET /v1/attestations/{id}` answer [inferred shape]. */
export const EnhancedAttestationSchema = z.looseObject({
  /** [3P] "an attestation ID, a GUID" (KPN fixture); the field name `id` is [inferred]. */
  id: z.string(),
  /** [3P] a status string (see {@link ATTESTATION_STATUSES}); lower-cased on read. */
  status: z
    .string()
    .nullish()
    .transform((value) => value?.toLowerCase() ?? undefined),
  /** [3P] wrappers surface "a ready-made URL"; the field name is [inferred]. Never logged: it grants acceptance. */
  acceptanceUrl: z.string().nullish(),
  /** [inferred] When the attestation was created (ISO 8601). */
  createdAt: z.string().nullish(),
  /** [inferred] When the customer accepted (ISO 8601), once accepted. */
  acceptedAt: z.string().nullish(),
  /** [inferred] When an unaccepted attestation stops being usable; an EXPIRED status exists [3P], no duration known. */
  expiresAt: z.string().nullish(),
});
/** An enhanced attestation. */
export type EnhancedAttestation = z.infer<typeof EnhancedAttestationSchema>;

/**
 * Body of `POST /v1/customers/{id}/agreements` with an attestation ID [MS: "create the agreement with the attestation
 * ID through the create agreement API"; the body is not captured]. The REST reference's `Agreement` has no
 * `attestationId` [MS]; the field name and which other fields stay required are [inferred]: we send the attestation
 * ID, the type, and the signatory as `primaryContact` (the duplicate rule behind 600061 compares those fields [MS]).
 * App-only [MS: "This scenario only supports AppOnly authentication"], though the same endpoint is App+User only in
 * the legacy flow [MS]: a contradiction in Microsoft's text.
 */
export const CreateAgreementFromAttestationRequestSchema = z.strictObject({
  /** [inferred] The attestation the customer accepted. */
  attestationId: z.string().min(1),
  /** [MS] `MicrosoftCustomerAgreement`. */
  type: z.literal("MicrosoftCustomerAgreement"),
  /** [inferred] The signatory, as the legacy body's `primaryContact` [MS]. */
  primaryContact: ContactRequestSchema,
});
/** Body of an agreement recorded from an attestation. */
export type CreateAgreementFromAttestationRequest = z.infer<typeof CreateAgreementFromAttestationRequestSchema>;

/** The agreement recorded from an attestation [inferred: the legacy answer plus the attestation ID]. */
export const AttestedAgreementSchema = z.looseObject({
  attestationId: z.string().nullish(),
  primaryContact: ContactSchema.nullish(),
  templateId: z.string().nullish(),
  dateAgreed: z.string().nullish(),
  type: z.string().nullish(),
  agreementLink: z.string().nullish(),
});
/** An agreement recorded from an attestation. */
export type AttestedAgreement = z.infer<typeof AttestedAgreementSchema>;

/**
 * Partner Center codes of the flow. [MS] 600061 (already confirmed); [inferred] the emulator's answers for an
 * attestation that is not accepted, unknown, expired or already used, since Microsoft documents none: a partner with
 * the real codes changes them here.
 */
export const ATTESTATION_ERROR_CODES = {
  /** [MS] "A partner confirmed agreement already exists for the customer." (HTTP 409 in the emulator). */
  agreementAlreadyExists: 600061,
  /** [inferred] Recording an agreement from an attestation nobody accepted yet (HTTP 400). */
  notAccepted: 600070,
  /** [inferred] An attestation that does not exist or belongs to another customer (HTTP 404). */
  unknown: 600071,
  /** [inferred] An attestation already used for an agreement (HTTP 409). */
  alreadyUsed: 600072,
  /** [inferred] An attestation past its expiry (HTTP 400). */
  expired: 600073,
} as const;

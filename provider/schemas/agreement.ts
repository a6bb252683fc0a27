import { z } from "zod";
import { ContactRequestSchema, ContactSchema, LinksSchema, openEnum, ResourceAttributesSchema } from "./common";

/** Agreement types (PascalCase on the wire). `*` asks the metadata endpoint for every type. */
export const AGREEMENT_TYPES = ["MicrosoftCustomerAgreement", "MicrosoftCloudAgreement"] as const;
/** A known agreement type. */
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

/**
 * Agreement metadata (`GET /v1/agreements`): which template to confirm for a type. The metadata table calls the type
 * field `type`, while samples and the SDK use `agreementType`; both are accepted. Every field may be null or missing:
 * an item without `templateId` (of another type under `*`, say) must not fail the whole listing;
 * `getCurrentAgreementTemplate` only picks among items that name one.
 */
export const AgreementMetadataSchema = z.looseObject({
  templateId: z.string().nullish(),
  agreementType: openEnum(AGREEMENT_TYPES).nullish(),
  type: openEnum(AGREEMENT_TYPES).nullish(),
  agreementLink: z.string().nullish(),
  versionRank: z.number().nullish(),
  attributes: ResourceAttributesSchema.nullish(),
});
/** Agreement metadata. */
export type AgreementMetadata = z.infer<typeof AgreementMetadataSchema>;

/** A customer agreement as returned (confirmation and read-back). Items have no id of their own. */
export const AgreementSchema = z.looseObject({
  primaryContact: ContactSchema.nullish(),
  templateId: z.string().nullish(),
  dateAgreed: z.string().nullish(),
  type: openEnum(AGREEMENT_TYPES).nullish(),
  agreementLink: z.string().nullish(),
  userId: z.string().nullish(),
  links: LinksSchema.nullish(),
  attributes: ResourceAttributesSchema.nullish(),
});
/** A customer agreement. */
export type Agreement = z.infer<typeof AgreementSchema>;

/** Body of `POST /v1/customers/{id}/agreements`. `userId` is filled in by Partner Center from the App+User token. */
export const CreateAgreementRequestSchema = z.strictObject({
  primaryContact: ContactRequestSchema,
  dateAgreed: z.iso.datetime({ offset: true }),
  templateId: z.string().min(1),
  type: z.enum(AGREEMENT_TYPES),
  agreementLink: z.string().optional(),
});
/** Body of an agreement confirmation. */
export type CreateAgreementRequest = z.infer<typeof CreateAgreementRequestSchema>;

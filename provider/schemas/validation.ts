import { z } from "zod";
import { AddressSchema, openEnum, ResourceAttributesSchema } from "./common";

/** Documented address validation statuses; the service may add more, which are kept as they come. */
export const ADDRESS_VALIDATION_STATUSES = [
  "VerifiedShippable",
  "Verified",
  "InteractionRequired",
  "StreetPartial",
  "PremisesPartial",
  "Multiple",
  "None",
  "NotValidated",
] as const;

/** Response of `POST /v1/validations/address`. */
export const AddressValidationResponseSchema = z.looseObject({
  originalAddress: AddressSchema.nullish(),
  suggestedAddresses: z
    .array(AddressSchema)
    .nullish()
    .transform((list) => list ?? []),
  status: openEnum(ADDRESS_VALIDATION_STATUSES).nullish(),
  validationMessage: z.string().nullish(),
});
/** An address validation result. */
export type AddressValidationResponse = z.infer<typeof AddressValidationResponseSchema>;

// The documented model uses `xxxList: string[]`; the doc's sample uses `xxx: { value: string[] }`. Accept both.
const StringListSchema = z
  .union([z.array(z.string()), z.looseObject({ value: z.array(z.string()).nullish() })])
  .nullish()
  .transform((v) => (v == null ? undefined : Array.isArray(v) ? v : (v.value ?? [])));

/** Response of `GET /v1/countryvalidationrules/{iso2}` (CountryValidationRules). */
export const CountryValidationRulesSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
    // Fold the doc-sample spellings into the model spellings, without overriding a model field that is present.
    const input = raw as Record<string, unknown>;
    const aliases: Record<string, string> = {
      states: "supportedStatesList",
      supportedStates: "supportedStatesList",
      supportedLanguages: "supportedLanguagesList",
      supportedCultures: "supportedCulturesList",
      countryCallingCodes: "countryCallingCodesList",
    };
    const output: Record<string, unknown> = { ...input };
    for (const [alias, name] of Object.entries(aliases)) {
      if (output[name] === undefined && input[alias] !== undefined) output[name] = input[alias];
    }
    return output;
  },
  z.looseObject({
    // The country asked for is known to the caller; nothing needs it echoed.
    iso2Code: z.string().nullish(),
    defaultCulture: z.string().nullish(),
    isStateRequired: z.boolean().nullish(),
    supportedStatesList: StringListSchema,
    supportedLanguagesList: StringListSchema,
    supportedCulturesList: StringListSchema,
    isPostalCodeRequired: z.boolean().nullish(),
    postalCodeRegex: z.string().nullish(),
    isCityRequired: z.boolean().nullish(),
    isVatIdSupported: z.boolean().nullish(),
    taxIdFormat: z.string().nullish(),
    taxIdSample: z.string().nullish(),
    vatIdRegex: z.string().nullish(),
    phoneNumberRegex: z.string().nullish(),
    isTaxIdSupported: z.boolean().nullish(),
    isTaxIdOptional: z.boolean().nullish(),
    countryCallingCodesList: StringListSchema,
    attributes: ResourceAttributesSchema.nullish(),
  }),
);
/** Market-specific validation data for one country. */
export type CountryValidationRules = z.infer<typeof CountryValidationRulesSchema>;

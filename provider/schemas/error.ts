import { z } from "zod";

/**
 * A Partner Center error body. Documented: `code`, `description`, `data`, `source`; newer payloads add `message`,
 * `errorName`, `isRetryable`, `parameters`, `errorMessageExtended`; 429 bodies are `{ statusCode, message }`. `code` is
 * usually a number but sometimes a string. Everything is optional: an error body must never fail to parse.
 */
export const PartnerCenterErrorBodySchema = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish(),
  description: z.string().nullish(),
  message: z.string().nullish(),
  errorName: z.string().nullish(),
  isRetryable: z.boolean().nullish(),
  data: z.unknown().optional(),
  parameters: z.unknown().optional(),
  source: z.string().nullish(),
  statusCode: z.number().nullish(),
  errorMessageExtended: z.string().nullish(),
});
/** A Partner Center error body. */
export type PartnerCenterErrorBody = z.infer<typeof PartnerCenterErrorBodySchema>;

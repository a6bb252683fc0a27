import { z } from "zod";
import { LinksSchema, ResourceAttributesSchema } from "./common";

/**
 * Builds the schema of a Partner Center collection envelope:
 * `{ totalCount, items, links: { self, next?, previous? }, attributes: { objectType: "Collection" }, continuationToken? }`.
 * `items` defaults to `[]` because an empty page may leave it out.
 */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    totalCount: z.number().nullish(),
    items: z
      .array(item)
      .nullish()
      .transform((items) => items ?? []),
    links: LinksSchema.nullish(),
    attributes: ResourceAttributesSchema.nullish(),
    continuationToken: z.string().nullish(),
  });
}

/** A parsed collection envelope of `T`. */
export type Collection<T> = {
  totalCount?: number | null | undefined;
  items: T[];
  links?: z.infer<typeof LinksSchema> | null | undefined;
  attributes?: z.infer<typeof ResourceAttributesSchema> | null | undefined;
  continuationToken?: string | null | undefined;
};

/**
 * Graph's documented limits on GDAP relationships, apart from the zod schemas so that input validation (loaded by
 * every Pulumi program through the customers file) does not load zod (`tests/program/packageLoad.test.ts`).
 */

/** [MS] "Must be a value between P1D and P2Y inclusive": we send whole days, `P1D` to `P730D`. */
export const MAX_DURATION_DAYS = 730;
/** [MS] `displayName` "Maximum length is 50 characters", unique across the partner's relationships. */
export const MAX_DISPLAY_NAME_LENGTH = 50;
/** Global Administrator's role template ID [MS]: a relationship holding it cannot auto-extend [MS]. */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = "62e90394-69f5-4237-9190-012177145e10";

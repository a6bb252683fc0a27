/**
 * `CustomerAgreement.diff`: a pure comparison of the old outputs in state with the new (checked) inputs. Pure
 * functions and constant data only (the dynamic-provider host `require()`s this module at run time).
 */
import { deepEqual, isUnknown } from "./checkFailures";
import { AGREEMENT_TYPES } from "./customerAgreementValidation";

/** The inputs of a `CustomerAgreement`, all replace-triggering: Partner Center has no update for an agreement. */
export const CUSTOMER_AGREEMENT_INPUT_KEYS = [
  "customerId",
  "primaryContact",
  "agreementType",
  "templateId",
  "dateAgreed",
] as const;

/** What {@link diffCustomerAgreement} returns; assignable to `pulumi.dynamic.DiffResult`. */
export interface CustomerAgreementDiff {
  /** Whether anything changes; always set (an absent `changes` would make the engine diff the inputs itself). */
  changes: boolean;
  /** The changed top-level input names (engine `resource.PropertyKey`s), in {@link CUSTOMER_AGREEMENT_INPUT_KEYS} order. */
  replaces: string[];
}

/**
 * Diffs a `CustomerAgreement`: `olds` are the old **outputs** (the inputs echoed, with `templateId` and `dateAgreed`
 * holding the recorded values, plus `agreementLink`, `userId` and `__provider`), `news` the new inputs as `check`
 * returned them, possibly holding the preview unknown sentinel.
 *
 * Every input is replace-triggering, and an unknown one is a replacement. `templateId` and `dateAgreed` left out of
 * `news` equal whatever was recorded; given, they compare by meaning rather than spelling: GUIDs (and `customerId`)
 * case-insensitively, dates as instants (`2024-05-01T00:00:00Z` equals `2024-05-01T00:00:00.000Z`, the form Partner
 * Center may echo). An absent `agreementType` is `MicrosoftCustomerAgreement` on either side. Outputs that are not
 * inputs and `__`-prefixed keys are ignored; any other key of `news` (none, after `check`) replaces when it differs.
 * Nothing changed gives `{ changes: false, replaces: [] }`. No `deleteBeforeReplace`: deleting an agreement only
 * forgets it, so the order does not matter.
 */
export function diffCustomerAgreement(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): CustomerAgreementDiff {
  const keys = [
    ...CUSTOMER_AGREEMENT_INPUT_KEYS,
    ...Object.keys(news).filter(
      (key) => !key.startsWith("__") && !(CUSTOMER_AGREEMENT_INPUT_KEYS as readonly string[]).includes(key),
    ),
  ];
  const replaces = keys.filter((key) => !sameInput(key, olds[key], news[key]));
  return { changes: replaces.length > 0, replaces };
}

/** Whether the old output and the new input of `key` mean the same. */
function sameInput(key: string, before: unknown, after: unknown): boolean {
  if (isUnknown(after)) return false;
  switch (key) {
    case "customerId":
      return sameGuid(before, after);
    case "templateId":
      return after === undefined || sameGuid(before, after);
    case "dateAgreed":
      return after === undefined || sameInstant(before, after);
    case "agreementType":
      return (before ?? AGREEMENT_TYPES[0]) === (after ?? AGREEMENT_TYPES[0]);
    default:
      return deepEqual(before, after);
  }
}

/** Whether two GUID strings are the same, ignoring case. */
function sameGuid(before: unknown, after: unknown): boolean {
  return typeof before === "string" && typeof after === "string"
    ? before.toLowerCase() === after.toLowerCase()
    : deepEqual(before, after);
}

/** Whether two date strings are the same instant; falls back to string equality when either does not parse. */
function sameInstant(before: unknown, after: unknown): boolean {
  if (typeof before !== "string" || typeof after !== "string") return deepEqual(before, after);
  const a = Date.parse(before);
  const b = Date.parse(after);
  return Number.isNaN(a) || Number.isNaN(b) ? before === after : a === b;
}

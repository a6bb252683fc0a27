/**
 * `PartnerCustomer.diff`: a pure comparison of the old outputs in state with the new (checked) inputs. Pure
 * functions and constant data only (the dynamic-provider host `require()`s this module at run time).
 */
import { deepEqual, isUnknown } from "./checkFailures";
import {
  PARTNER_CUSTOMER_IN_PLACE_KEYS,
  PARTNER_CUSTOMER_REPLACE_KEYS,
  replaceTriggeringPaths,
} from "./partnerCustomerValidation";

/**
 * Output keys Partner Center computes (see `PartnerCustomerOutputs`). They are never inputs, so `diff` ignores them;
 * it also ignores every other key that is only in the old outputs, so an output added later never causes a diff.
 */
export const PARTNER_CUSTOMER_COMPUTED_KEYS = [
  "customerId",
  "tenantId",
  "commerceId",
  "relationshipToPartner",
  "allowDelegatedAccess",
  "billingProfileId",
  "userCredentials",
  "createdAt",
] as const;

/**
 * What {@link diffPartnerCustomer} returns; assignable to `pulumi.dynamic.DiffResult`. `changes` is always set,
 * because the host turns an absent `changes` into `DIFF_UNKNOWN`, which makes the engine diff the inputs itself.
 */
export interface PartnerCustomerDiff {
  /** Whether anything changes (an update or a replacement). */
  changes: boolean;
  /**
   * The top-level input names whose change replaces the customer, in {@link PARTNER_CUSTOMER_REPLACE_KEYS} order.
   * Top-level names because the engine reads each entry as a `resource.PropertyKey` (`provider_plugin.go` `Diff`:
   * `resource.PropertyKey(replace)`), i.e. a key of the inputs map, and shows it as a replace reason; a dotted path
   * would name no property.
   */
  replaces: string[];
  /** `true` when the replacement must delete the old customer first; absent otherwise. */
  deleteBeforeReplace?: boolean;
}

/** Defaults `check` leaves implicit: an absent in-place input behaves as its default, so writing it is no change. */
const IN_PLACE_DEFAULTS: Readonly<Record<(typeof PARTNER_CUSTOMER_IN_PLACE_KEYS)[number], unknown>> = {
  deletionPolicy: "retain",
  preflight: true,
};

/**
 * Diffs a `PartnerCustomer`: `olds` are the old **outputs** (the inputs echoed verbatim plus computed keys and
 * `__provider`), `news` the new inputs as `check` returned them, possibly holding the preview unknown sentinel.
 *
 * - Every `__`-prefixed key and every key only present in `olds` that is not an input (the computed outputs) is
 *   ignored, so a change of provider code alone is no change.
 * - A change of a {@link PARTNER_CUSTOMER_REPLACE_KEYS} input (deep comparison: key order irrelevant, absent equals
 *   `undefined`; codes and GUIDs case-insensitive, see `replaceTriggeringPaths`) replaces the customer; an unknown
 *   value there, at any depth, counts as a replacement.
 * - `deletionPolicy` and `preflight` change in place; absent equals their defaults (`"retain"`, `true`).
 * - Any other key in `news` (none, after `check`) changes in place when it differs.
 * - `existingCustomerId` set to the customer the resource already manages ({@link pinsOwnCustomer}) is no change;
 *   combined with another replace-triggering change it is an error, never a replacement.
 * - `deleteBeforeReplace` is set when replacing, the **old** `deletionPolicy` is `"delete"` (the engine runs
 *   `delete` with the old outputs, so the recorded policy decides), and the new customer needs the old one's
 *   domain; with a new domain or an adoption the new customer is created first, so a failed create leaves the old
 *   one in place.
 */
export function diffPartnerCustomer(olds: Record<string, unknown>, news: Record<string, unknown>): PartnerCustomerDiff {
  const pinned = pinsOwnCustomer(olds, news);
  const changedPaths = replaceTriggeringPaths(olds, news).filter((path) => !(pinned && path === "existingCustomerId"));
  if (pinned && changedPaths.length > 0) {
    // The replacement would "adopt" the very customer this resource manages, then delete the old resource with its
    // recorded policy: the customer would be deleted or unlinked, or its password dropped. Never plan that.
    throw new Error(
      `${changedPaths.join(", ")}: changing ${changedPaths.length === 1 ? "this" : "these"} replaces the customer, but ` +
        `existingCustomerId names ${olds.customerId}, the customer this resource already manages, so the replacement ` +
        "would take the same customer again and then remove the old resource; revert the change, or drop existingCustomerId",
    );
  }
  const changedKeys = new Set(changedPaths.map((path) => path.split(/[.[]/, 1)[0] ?? path));
  const replaces = PARTNER_CUSTOMER_REPLACE_KEYS.filter((key) => changedKeys.has(key));

  let changes = replaces.length > 0;
  for (const key of PARTNER_CUSTOMER_IN_PLACE_KEYS) {
    const before = olds[key] ?? IN_PLACE_DEFAULTS[key];
    const after = news[key] ?? IN_PLACE_DEFAULTS[key];
    if (isUnknown(after) || !deepEqual(before, after)) changes = true;
  }
  const handled = new Set<string>([
    ...PARTNER_CUSTOMER_REPLACE_KEYS,
    ...PARTNER_CUSTOMER_IN_PLACE_KEYS,
    ...PARTNER_CUSTOMER_COMPUTED_KEYS,
  ]);
  for (const key of Object.keys(news)) {
    if (key.startsWith("__") || handled.has(key)) continue;
    if (isUnknown(news[key]) || !deepEqual(olds[key], news[key])) changes = true;
  }

  const deleteFirst = replaces.length > 0 && olds["deletionPolicy"] === "delete" && needsOldDomain(olds, news);
  return deleteFirst ? { changes, replaces, deleteBeforeReplace: true } : { changes, replaces };
}

/**
 * Whether `news` sets `existingCustomerId` to the customer `olds` already manages (a stack pinning its own customer,
 * e.g. in customers.yaml, after creating it): not a change at all — no replacement, no call, credentials kept.
 */
export function pinsOwnCustomer(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const pinned = news["existingCustomerId"];
  const managed = olds["customerId"];
  return (
    typeof pinned === "string" &&
    typeof managed === "string" &&
    olds["existingCustomerId"] === undefined &&
    pinned.toLowerCase() === managed.toLowerCase()
  );
}

/**
 * Whether the replacement creates a customer with the old one's domain, so that the old one must be deleted first
 * (a domain stays taken while its customer exists). A replacement that adopts a customer, or moves to another
 * domain, creates first and deletes after: if the create then fails, the old customer is still there.
 */
function needsOldDomain(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (news["existingCustomerId"] !== undefined) return false;
  const domainOf = (props: Record<string, unknown>) =>
    (props["companyProfile"] as { domain?: unknown } | undefined)?.domain;
  const before = domainOf(olds);
  const after = domainOf(news);
  // An unknown new domain may turn out to be the old one: delete first, as the old policy asks.
  if (isUnknown(after) || isUnknown(news["companyProfile"])) return true;
  return typeof before === "string" && typeof after === "string" && before.toLowerCase() === after.toLowerCase();
}

/**
 * How a recorded agreement is identified: its resource id, and the date arithmetic that id and the comparisons rest
 * on. Shared by the dynamic resource and the native plugin's import, so both compute the same id.
 */
import { createHash } from "node:crypto";
import type { CustomerAgreementOutputs } from "./customerAgreementTypes";

/**
 * Agreements have no ID in Partner Center: ours is `customer/template/hash(date, contact)`, stable for the record.
 */
export function agreementId(outs: CustomerAgreementOutputs): string {
  const contact = outs.primaryContact;
  const digest = createHash("sha256")
    .update(
      JSON.stringify([
        outs.dateAgreed,
        contact.firstName,
        contact.lastName,
        contact.email.toLowerCase(),
        contact.phoneNumber ?? "",
      ]),
    )
    .digest("hex")
    .slice(0, 16);
  return `${outs.customerId}/${outs.templateId}/${digest}`;
}

/** An ISO date as `toISOString()` writes it, or undefined when absent or unreadable. */
export function canonicalDate(value: string | null | undefined): string | undefined {
  const time = parseUtc(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * Milliseconds of an ISO date-time read as UTC. Partner Center's dates are UTC, but a .NET service may echo them
 * without the `Z`; `Date.parse` would read those as this machine's local time, and state would drift by its offset.
 */
export function parseUtc(value: string | null | undefined): number {
  if (!value) return Number.NaN;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
  return Date.parse(hasZone || !value.includes("T") ? value : `${value.trim()}Z`);
}

/** Dates compare as instants: Partner Center may echo `2024-05-01T00:00:00Z` as `2024-05-01T00:00:00.000Z`. */
export function sameInstant(a: string | null | undefined, b: string | undefined): boolean {
  const [first, second] = [parseUtc(a), parseUtc(b)];
  return !Number.isNaN(first) && first === second;
}

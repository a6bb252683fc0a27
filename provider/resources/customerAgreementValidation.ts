/**
 * The network-free part of `CustomerAgreement.check`: shape, types, formats and normalisation of the inputs, and the
 * App+User requirement. Pure functions and constant data only (the dynamic-provider host `require()`s this module at
 * run time).
 */
import {
  APP_USER_HOWTO,
  addFailure,
  type CheckFailure,
  type CredentialsKind,
  emailFormat,
  guidFormat,
  objectRule,
  oneOfRule,
  optionalField,
  phoneFormat,
  quote,
  requiredField,
  type Shape,
  textRule,
  validateObject,
} from "./checkFailures";
import type { AgreementType, CustomerAgreementInputs } from "./customerAgreementTypes";

/** The agreement types Partner Center records acceptance of (`partner-center-api.md` §5.1); the first is the default. */
export const AGREEMENT_TYPES: readonly AgreementType[] = ["MicrosoftCustomerAgreement", "MicrosoftCloudAgreement"];

/**
 * How far `dateAgreed` may lie ahead of this machine's clock: 5 minutes, the clock skew Microsoft Entra ID tolerates
 * on tokens, so a time taken "now" on another machine passes while a real future date does not. (Partner Center's own
 * rule for future dates is undocumented; an acceptance cannot have happened in the future.)
 */
export const DATE_AGREED_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Maximum lengths of the contact fields. Undocumented for the agreement's Contact, so ours: the names mirror the
 * documented 50 of the Address names (the same Partner Center person model), `email` is RFC 5321's 254, and the phone
 * number gets the same 30 as a customer's.
 */
export const AGREEMENT_CONTACT_LIMITS = { personName: 50, email: 254, phoneNumber: 30 } as const;

/** Result of {@link validateCustomerAgreementInputs}. */
export interface CustomerAgreementValidation {
  /**
   * The normalised inputs: `agreementType` defaulted, GUIDs lower-cased, `dateAgreed` in `toISOString()` form.
   * Unknown values are kept as the sentinel and invalid values as given, so the object only matches its type when
   * `failures` is empty and no unknowns remain. `__`-prefixed keys are carried over untouched.
   */
  inputs: CustomerAgreementInputs;
  /** One failure per bad property. Empty when the inputs are valid. */
  failures: CheckFailure[];
}

/**
 * Validates and normalises the raw `news` of `CustomerAgreement.check`.
 *
 * - `customerId`: required GUID (unknown during preview when it comes from a new `PartnerCustomer`: skipped).
 * - `primaryContact`: required; `firstName`, `lastName`, `email` required, `email` an address, `phoneNumber`
 *   optional (digits, spaces and `+ - ( ) .`). Lengths: {@link AGREEMENT_CONTACT_LIMITS}.
 * - `agreementType`: absent means `MicrosoftCustomerAgreement`; otherwise one of {@link AGREEMENT_TYPES}, matched
 *   case-insensitively and stored in canonical spelling.
 * - `templateId`: optional GUID.
 * - `dateAgreed`: optional ISO-8601 date-time in **UTC** (`Z`, `+00:00` or `-00:00`); a time without offset is local
 *   time and refused, another offset is refused with the UTC equivalent to use, a date without time is refused. It
 *   must be a real calendar date and not later than `now` plus {@link DATE_AGREED_CLOCK_SKEW_MS}. Normalised to
 *   `Date.prototype.toISOString()` (`2024-05-01T00:00:00.000Z`; precision beyond milliseconds is dropped) so that
 *   spellings of the same instant never diff.
 * - Credentials: agreements are App+User only in Partner Center, so app-only credentials fail. The failure is
 *   reported on `customerId`, the property that names what the agreement is recorded on (and where the
 *   implementation reports missing credentials). "none" is not reported here.
 * - Any other property is refused (typo protection), except top-level `__`-prefixed keys.
 *
 * Strings are trimmed and empty optional strings dropped, as for `PartnerCustomer`.
 */
export function validateCustomerAgreementInputs(
  news: Record<string, unknown>,
  context: { credentials: CredentialsKind; now?: Date },
): CustomerAgreementValidation {
  const failures: CheckFailure[] = [];
  const now = context.now ?? new Date();
  const shape: Shape = { ...TOP_LEVEL, dateAgreed: optionalField(textRule(100, false, dateAgreedFormat(now))) };
  const inputs = validateObject(news, shape, "", failures, true);
  if (inputs["agreementType"] === undefined) inputs["agreementType"] = AGREEMENT_TYPES[0];

  if (context.credentials === "app") {
    addFailure(
      failures,
      "customerId",
      "needs App+User credentials: Partner Center records agreement acceptance only for App+User callers, and the " +
        `provider is configured with app-only credentials; ${APP_USER_HOWTO}`,
    );
  }
  return { inputs: inputs as unknown as CustomerAgreementInputs, failures };
}

/**
 * Parses an ISO-8601 date-time in UTC to a `Date`, or explains why it is not one: the reason (without the value) for
 * a check failure. Accepts `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z`, `+00:00` or `-00:00` (`T` or a space,
 * any case).
 */
export function parseUtcDateTime(value: string): { date: Date } | { reason: string } {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/.exec(
      value,
    );
  if (match === null) return { reason: "is not an ISO-8601 date-time; write it in UTC, e.g. 2024-05-01T00:00:00Z" };
  const [, y, mo, d, h, mi, s = "0", fraction = "", zulu, sign, offH = "0", offM = "0"] = match;
  if (h === undefined) {
    return { reason: `has no time; write the moment of acceptance in UTC, e.g. ${y}-${mo}-${d}T00:00:00Z` };
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(local);
  const real =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    date.getUTCHours() === Number(h) &&
    date.getUTCMinutes() === Number(mi) &&
    date.getUTCSeconds() === Number(s);
  if (!real) return { reason: "is not a real date and time (check the month, day and hours)" };
  if (zulu === undefined && sign === undefined) {
    return {
      reason:
        "has no time zone, so it is a local time; Partner Center needs UTC: add Z, e.g. " +
        `${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, "0")}Z`,
    };
  }
  const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(offH) * 60 + Number(offM));
  if (offsetMinutes !== 0) {
    const utc = new Date(local - offsetMinutes * 60_000).toISOString();
    return { reason: `is not in UTC (offset ${sign}${offH}:${offM}); Partner Center needs UTC: use ${utc}` };
  }
  return { date };
}

/** `dateAgreed`: UTC, real, not in the future (relative to `now`), normalised to `toISOString()`. */
function dateAgreedFormat(now: Date) {
  return (s: string, path: string, failures: CheckFailure[]): string => {
    const parsed = parseUtcDateTime(s);
    if ("reason" in parsed) {
      addFailure(failures, path, `${quote(s)} ${parsed.reason}`);
      return s;
    }
    if (parsed.date.getTime() > now.getTime() + DATE_AGREED_CLOCK_SKEW_MS) {
      addFailure(
        failures,
        path,
        `${quote(s)} is in the future; dateAgreed is when the customer accepted the agreement ` +
          `(now is ${now.toISOString()}); leave it out to record the moment of creation`,
      );
      return s;
    }
    return parsed.date.toISOString();
  };
}

const C = AGREEMENT_CONTACT_LIMITS;

const CONTACT: Shape = {
  firstName: requiredField(textRule(C.personName, true)),
  lastName: requiredField(textRule(C.personName, true)),
  email: requiredField(textRule(C.email, true, emailFormat)),
  phoneNumber: optionalField(textRule(C.phoneNumber, false, phoneFormat)),
};

const TOP_LEVEL: Shape = {
  customerId: requiredField(textRule(Number.POSITIVE_INFINITY, true, guidFormat)),
  primaryContact: requiredField(objectRule(CONTACT)),
  agreementType: optionalField(oneOfRule(AGREEMENT_TYPES, "an agreement type")),
  templateId: optionalField(textRule(Number.POSITIVE_INFINITY, false, guidFormat)),
  // dateAgreed is added per call: its rule depends on `now`.
};

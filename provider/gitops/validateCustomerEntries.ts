/**
 * The rules every customer entry must pass before any resource exists: the same network-free rules the resources
 * run in `check` (so a file that loads cleanly previews cleanly), plus the rules only visible across entries
 * (unique domains, unique adopted customers). Shared by the customers-file loader and {@link provisionCustomers}.
 */
import {
  booleanRule,
  type CheckFailure,
  describeType,
  isPlainObject,
  joinPath,
  quote,
  unknownPropertyReason,
} from "../resources/checkFailures";
import { validateCustomerAgreementInputs } from "../resources/customerAgreementValidation";
import { validateMcaAcceptanceInputs } from "../resources/mcaAcceptanceValidation";
import {
  PARTNER_CUSTOMER_IN_PLACE_KEYS,
  PARTNER_CUSTOMER_REPLACE_KEYS,
  validatePartnerCustomerInputs,
} from "../resources/partnerCustomerValidation";
import {
  CUSTOMER_NAME_PATTERN,
  type CustomerAgreementSpec,
  type CustomerSpec,
  type McaAcceptanceSpec,
  PROTECT_KEY,
} from "./customerSpec";
import { type CustomersFileIssue, mappingOf, nestedReport, type Report } from "./customersFileError";
import { GDAP_KEY, validateGdapBlock } from "./validateGdapBlock";

/** Where the entries live in a customers file; every issue path starts here. */
export const CUSTOMERS_KEY = "customers";

/**
 * A syntactically valid customer ID for validating an `agreement:` block on its own. The real ID only exists once
 * the customer is created (at preview it is unknown, and `check` skips it), so any GUID exercises the same rules.
 */
export const AGREEMENT_CUSTOMER_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

/** The `PartnerCustomer` inputs an entry may set (every one the resource accepts). */
const CUSTOMER_KEYS: readonly string[] = [...PARTNER_CUSTOMER_REPLACE_KEYS, ...PARTNER_CUSTOMER_IN_PLACE_KEYS];

/** The key of an entry's agreement block. */
const AGREEMENT_KEY = "agreement";

/** Every key an entry accepts. */
const ENTRY_KEYS: readonly string[] = [...CUSTOMER_KEYS, AGREEMENT_KEY, GDAP_KEY, PROTECT_KEY];

// A Record over the spec's keys, so adding an input to CustomerAgreementInputs fails to compile until it is listed.
const AGREEMENT_KEY_SET: Readonly<Record<keyof CustomerAgreementSpec, true>> = {
  primaryContact: true,
  agreementType: true,
  templateId: true,
  dateAgreed: true,
};

/** Every key an `agreement:` block accepts. */
const AGREEMENT_KEYS: readonly string[] = Object.keys(AGREEMENT_KEY_SET);

const ACCEPTANCE_KEY_SET: Readonly<Record<keyof McaAcceptanceSpec, true>> = {
  signatory: true,
  country: true,
  language: true,
  companyName: true,
  waitForAcceptanceSeconds: true,
};

/** Every key an `agreement:` block with a `signatory` (the enhanced attestation) accepts. */
const ACCEPTANCE_KEYS: readonly string[] = Object.keys(ACCEPTANCE_KEY_SET);

/** Result of {@link validateCustomerEntries}. */
export interface CustomerEntriesValidation {
  /** One spec per entry, in entry order; only meaningful when `issues` is empty. */
  specs: CustomerSpec[];
  /** Every problem of every entry, paths from the top of the file (`customers.<name>.…`), without lines. */
  issues: CustomersFileIssue[];
}

/** Options of {@link validateCustomerEntries}. */
export interface ValidateCustomerEntriesOptions {
  /** The clock `dateAgreed` must not be ahead of. Default: now. */
  now?: Date;
}

/**
 * Validates customer entries (name → raw entry, as read from a file) and normalises them into {@link CustomerSpec}s.
 *
 * Per entry: the name matches {@link CUSTOMER_NAME_PATTERN}; the entry is an object whose keys are
 * `PartnerCustomer` inputs, `agreement`, `gdap` or `protect` (a boolean); the inputs pass `validatePartnerCustomerInputs`, and the agreement
 * block (without `customerId`) passes `validateCustomerAgreementInputs`, both as if App+User credentials were
 * configured: which credentials the stack has is the provider's business at preview, and a file must be checkable
 * without any. The `gdap` block passes the GDAP resources' rules ({@link validateGdapBlock}).
 * Across entries: no two entries share a domain or an `existingCustomerId`.
 */
export function validateCustomerEntries(
  entries: ReadonlyArray<readonly [string, unknown]>,
  options: ValidateCustomerEntriesOptions = {},
): CustomerEntriesValidation {
  const issues: CustomersFileIssue[] = [];
  const specs: CustomerSpec[] = [];
  const domains = new Map<string, string>();
  const adopted = new Map<string, string>();

  for (const [name, raw] of entries) {
    const entryPath = joinPath(CUSTOMERS_KEY, name);
    const add = (property: string, message: string) => issues.push({ path: joinPath(entryPath, property), message });

    if (!CUSTOMER_NAME_PATTERN.test(name)) {
      issues.push({
        path: entryPath,
        message:
          `${quote(name)} is not a valid customer name: use lowercase letters, digits and hyphens, starting and ` +
          `ending with a letter or digit (e.g. ${quote(suggestName(name))}); the name becomes the Pulumi resource name`,
      });
    }
    if (!isPlainObject(raw)) {
      issues.push({
        path: entryPath,
        message: `must be a mapping of PartnerCustomer inputs, got ${describeType(raw)}`,
      });
      continue;
    }

    const customerInputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (CUSTOMER_KEYS.includes(key)) customerInputs[key] = value;
      else if (key !== AGREEMENT_KEY && key !== GDAP_KEY && key !== PROTECT_KEY) {
        add(key, unknownPropertyReason(key, ENTRY_KEYS));
      }
    }
    const protect = Object.hasOwn(raw, PROTECT_KEY) ? validateProtect(raw[PROTECT_KEY], add) : undefined;
    const customer = validatePartnerCustomerInputs(customerInputs, { credentials: "app+user" });
    for (const failure of customer.failures) add(failure.property, failure.reason);

    const reportAgreement = nestedReport(add, AGREEMENT_KEY);
    const block = raw[AGREEMENT_KEY];
    const enhanced = isPlainObject(block) && Object.hasOwn(block, "signatory");
    const agreement =
      Object.hasOwn(raw, AGREEMENT_KEY) && !enhanced
        ? validateAgreement(block, options.now, reportAgreement)
        : undefined;
    const acceptance = enhanced ? validateAcceptance(block, reportAgreement) : undefined;
    const gdap = Object.hasOwn(raw, GDAP_KEY)
      ? validateGdapBlock(raw[GDAP_KEY], customer.inputs, nestedReport(add, GDAP_KEY))
      : undefined;

    const domain = customer.inputs.companyProfile?.domain;
    if (customer.failures.every((f) => f.property !== "companyProfile.domain") && typeof domain === "string") {
      const first = domains.get(domain);
      if (first === undefined) domains.set(domain, name);
      else {
        add(
          "companyProfile.domain",
          `${quote(domain)} is also the domain of ${joinPath(CUSTOMERS_KEY, first)}: every customer needs its own ` +
            "domain (Partner Center refuses a second customer with a taken domain)",
        );
      }
    }
    const existing = customer.inputs.existingCustomerId;
    if (customer.failures.every((f) => f.property !== "existingCustomerId") && typeof existing === "string") {
      const first = adopted.get(existing);
      if (first === undefined) adopted.set(existing, name);
      else {
        add(
          "existingCustomerId",
          `${quote(existing)} is also adopted by ${joinPath(CUSTOMERS_KEY, first)}: two resources managing one ` +
            "customer would undo each other's changes",
        );
      }
    }

    specs.push({
      name,
      customer: customer.inputs,
      ...(agreement === undefined ? {} : { agreement }),
      ...(acceptance === undefined ? {} : { acceptance }),
      ...(gdap === undefined ? {} : { gdap }),
      ...(protect === undefined ? {} : { protect }),
    });
  }
  return { specs, issues };
}

/**
 * An entry's `protect:`: `true` or `false`. YAML 1.2 reads `yes`, `no`, `on` and `off` as strings, and a quoted
 * `"false"` is one too: each is refused by name rather than taken for a boolean, since guessing wrong here either
 * lets a merge delete a customer or blocks the change that was meant to.
 */
function validateProtect(raw: unknown, add: (property: string, message: string) => void): boolean | undefined {
  const failures: CheckFailure[] = [];
  booleanRule(raw, PROTECT_KEY, failures);
  for (const failure of failures) {
    add(
      failure.property,
      `${failure.reason}: true keeps pulumi up and pulumi destroy from deleting or replacing the customer, false lifts that for the change that needs it`,
    );
  }
  return typeof raw === "boolean" ? raw : undefined;
}

/**
 * Validates an `agreement:` block; reports through `report` (paths relative to the block, `""` for the block
 * itself) and returns the normalised spec, or `undefined` when the block is not even an object.
 */
function validateAgreement(raw: unknown, now: Date | undefined, report: Report): CustomerAgreementSpec | undefined {
  // An empty `agreement:` is almost always a half-written block: say so rather than silently recording nothing.
  const block = mappingOf(
    raw,
    AGREEMENT_KEYS,
    "is empty: give at least primaryContact (firstName, lastName, email), or remove the agreement block",
    report,
  );
  if (block === undefined) return undefined;
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) {
    if (AGREEMENT_KEYS.includes(key)) inputs[key] = value;
    else if (key === "customerId") {
      report(key, "is not set in the file: the agreement is recorded for the customer this entry creates");
    } else report(key, unknownPropertyReason(key, AGREEMENT_KEYS));
  }
  const result = validateCustomerAgreementInputs(
    { ...inputs, customerId: AGREEMENT_CUSTOMER_ID_PLACEHOLDER },
    { credentials: "app+user", ...(now === undefined ? {} : { now }) },
  );
  for (const failure of result.failures) report(failure.property, failure.reason);
  const { customerId: _placeholder, ...spec } = result.inputs;
  return spec;
}

/**
 * Validates an `agreement:` block with a `signatory` — the MCA as Partner Center takes it today (an `McaAcceptance`).
 * Mixing it with the seed's `primaryContact` form is an error naming both.
 */
function validateAcceptance(raw: Record<string, unknown>, report: Report): McaAcceptanceSpec {
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (ACCEPTANCE_KEYS.includes(key)) inputs[key] = value;
    else if (AGREEMENT_KEYS.includes(key)) {
      report(
        key,
        "belongs to the seed's agreement form (primaryContact), not to one with a signatory: give signatory (the customer accepts through Microsoft's link; App-only) or primaryContact (App+User), not both",
      );
    } else if (key === "customerId") {
      report(key, "is not set in the file: the acceptance is taken for the customer this entry creates");
    } else report(key, unknownPropertyReason(key, ACCEPTANCE_KEYS));
  }
  const result = validateMcaAcceptanceInputs({ ...inputs, customerId: AGREEMENT_CUSTOMER_ID_PLACEHOLDER });
  for (const failure of result.failures) report(failure.property, failure.reason);
  const { customerId: _placeholder, ...spec } = result.inputs;
  return spec;
}

/** A valid name close to `name`, for the error message: lower-cased, other characters turned into hyphens. */
function suggestName(name: string): string {
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return suggestion === "" ? "contoso" : suggestion;
}

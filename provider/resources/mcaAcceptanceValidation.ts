/**
 * The network-free rules of `McaAcceptance` inputs, shared by the resource's `check` and the customers-file loader
 * (an `agreement:` block with a `signatory`), so a file that loads cleanly previews cleanly.
 */
import { type CheckFailure, isUnknown } from "./checkFailures";
import type { McaAcceptanceInputs } from "./mcaAcceptanceTypes";
import { waitSecondsProblem } from "./waitingOnPerson";

type Props = Record<string, unknown>;

/** Inputs whose change makes a new attestation (a replacement). `waitForAcceptanceSeconds` changes in place. */
export const MCA_ACCEPTANCE_REPLACE_KEYS = ["customerId", "signatory", "country", "language", "companyName"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates and normalises inputs; every failure names its property path. Unknown values (preview) are skipped. */
export function validateMcaAcceptanceInputs(news: Props): { inputs: McaAcceptanceInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const known = (value: unknown) => value !== undefined && !isUnknown(value);
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : value);
  const inputs = { ...news } as Props;

  const customerId = text(news.customerId);
  if (!known(news.customerId) && news.customerId === undefined) fail("customerId", "is required: the customer's ID");
  else if (known(customerId) && !(typeof customerId === "string" && GUID.test(customerId))) {
    fail("customerId", "must be the customer's ID, a GUID");
  } else if (typeof customerId === "string") inputs.customerId = customerId.toLowerCase();

  const signatory = news.signatory;
  if (signatory === undefined)
    fail("signatory", "is required: who signs for the customer (firstName, lastName, email)");
  else if (known(signatory)) {
    if (typeof signatory !== "object" || signatory === null || Array.isArray(signatory)) {
      fail("signatory", "must be an object with firstName, lastName and email");
    } else {
      const person = signatory as Props;
      const cleaned: Props = {};
      for (const key of Object.keys(person)) {
        if (!["firstName", "lastName", "email", "phoneNumber"].includes(key)) {
          fail(`signatory.${key}`, "is not a signatory field (firstName, lastName, email, phoneNumber)");
        }
      }
      for (const key of ["firstName", "lastName", "email"] as const) {
        const value = text(person[key]);
        if (isUnknown(value)) cleaned[key] = value;
        else if (typeof value !== "string" || value === "") fail(`signatory.${key}`, "is required");
        else if (value.length > 100) fail(`signatory.${key}`, "must be at most 100 characters");
        else if (key === "email" && !EMAIL.test(value)) fail("signatory.email", "must be an e-mail address");
        else cleaned[key] = value;
      }
      const phone = text(person.phoneNumber);
      if (phone !== undefined) {
        if (isUnknown(phone) || (typeof phone === "string" && /^[+\d][\d\s()-]{2,29}$/.test(phone))) {
          cleaned.phoneNumber = phone;
        } else fail("signatory.phoneNumber", "must be a phone number (digits, spaces, + ( ) -)");
      }
      inputs.signatory = cleaned;
    }
  }

  const country = text(news.country);
  if (known(country)) {
    if (typeof country !== "string" || !/^[a-z]{2}$/i.test(country)) {
      fail("country", "must be an ISO 3166-1 alpha-2 code such as US");
    } else inputs.country = country.toUpperCase();
  }
  const language = text(news.language);
  if (known(language)) {
    if (typeof language !== "string" || !/^[a-z]{2}$/i.test(language)) {
      fail("language", "must be a two-letter language such as en");
    } else inputs.language = language.toLowerCase();
  }
  const companyName = text(news.companyName);
  if (known(companyName)) {
    if (typeof companyName !== "string" || companyName === "" || companyName.length > 255) {
      fail("companyName", "must be 1–255 characters");
    } else inputs.companyName = companyName;
  }
  const waitProblem = waitSecondsProblem(news.waitForAcceptanceSeconds);
  if (waitProblem) fail("waitForAcceptanceSeconds", waitProblem);
  for (const key of Object.keys(news)) {
    if (key.startsWith("__")) continue;
    if (![...MCA_ACCEPTANCE_REPLACE_KEYS, "waitForAcceptanceSeconds"].includes(key)) {
      fail(key, "is not an McaAcceptance input");
    }
  }
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return { inputs: inputs as unknown as McaAcceptanceInputs, failures };
}

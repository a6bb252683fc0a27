import type { WaitingStatus } from "./waitingOnPerson";

/** The person who signs the Microsoft Customer Agreement for the customer. */
export interface SignatoryInputs {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
}

/** Inputs of an `McaAcceptance` after `check`. */
export interface McaAcceptanceInputs {
  customerId: string;
  signatory: SignatoryInputs;
  /** ISO 3166-1 alpha-2, upper case; from the customer's billing address when left out. */
  country?: string;
  /** Two letters, lower case; from the customer's billing profile when left out. */
  language?: string;
  /** From the customer's billing profile when left out. */
  companyName?: string;
  /** Seconds `pulumi up` waits for the customer's acceptance after creating the attestation; default 0. */
  waitForAcceptanceSeconds?: number;
}

/** Outputs of an `McaAcceptance` in state: the inputs echoed, what was resolved, and the progress. */
export interface McaAcceptanceOutputs extends McaAcceptanceInputs {
  /** Secret: with it anyone can build the acceptance link. */
  attestationId: string;
  /** Secret: the link the customer accepts the agreement through. */
  acceptanceUrl: string;
  /** The country, language and company name sent (resolved from the customer where the inputs left them out). */
  attestedCountry: string;
  attestedLanguage: string;
  attestedCompanyName: string;
  /** Where the acceptance stands (the waiting-on-a-person statuses; `completed` = the agreement is recorded). */
  status: WaitingStatus;
  /** When the customer accepted, once known. */
  acceptedAt?: string;
  /** When the agreement was recorded. */
  recordedAt?: string;
}

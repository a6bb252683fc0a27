/**
 * Types of the `CustomerAgreement` resource as the provider sees them: resolved inputs (after `check`) and the
 * outputs stored in Pulumi state. The `pulumi.Input`-wrapped arguments users write are in `customerAgreement.ts`.
 */

/** Agreement types Partner Center records acceptance of. */
export type AgreementType = "MicrosoftCustomerAgreement" | "MicrosoftCloudAgreement";

/** The person at the customer who accepted the agreement. Changing any field replaces the resource. */
export interface AgreementContactInputs {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
}

/** Resolved inputs of a `CustomerAgreement`. Every input is replace-triggering. */
export interface CustomerAgreementInputs {
  customerId: string;
  primaryContact: AgreementContactInputs;
  /** Defaults to `MicrosoftCustomerAgreement` in `check`. */
  agreementType: AgreementType;
  /** When absent, looked up from the agreement metadata of `agreementType` at creation. */
  templateId?: string;
  /** ISO-8601 UTC (`2024-05-01T00:00:00Z`); when absent, the moment of creation. */
  dateAgreed?: string;
}

/**
 * Outputs of a `CustomerAgreement` stored in state: the inputs echoed, except that `templateId` and `dateAgreed`
 * hold the values actually recorded (looked up / the creation time when the inputs left them out). An input left
 * out therefore never diffs against the recorded value.
 */
export interface CustomerAgreementOutputs extends CustomerAgreementInputs {
  templateId: string;
  dateAgreed: string;
  agreementLink?: string;
  /** The partner user Partner Center recorded as confirming (from the App+User token). */
  userId?: string;
}

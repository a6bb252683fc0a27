import * as pulumi from "@pulumi/pulumi";
import { skipPromiseLeakStacks } from "./skipPromiseLeakStacks";
import { createThinProvider } from "./thinProvider";
import type { WaitingStatus } from "./waitingOnPerson";

/** Type token of {@link McaAcceptance}: `pulumi-nodejs:dynamic/partnercenter:McaAcceptance`. */
export const MCA_ACCEPTANCE_TYPE = "pulumi-nodejs:dynamic/partnercenter:McaAcceptance";

/** The person at the customer who signs the Microsoft Customer Agreement. Changing any field replaces the resource. */
export interface SignatoryArgs {
  /** Required. */
  firstName: pulumi.Input<string>;
  /** Required. */
  lastName: pulumi.Input<string>;
  /** Required: the signatory's business e-mail. */
  email: pulumi.Input<string>;
  /** Optional. */
  phoneNumber?: pulumi.Input<string>;
}

/** Arguments of {@link McaAcceptance}. Credentials come from `partnercenter:*` config (App-only is enough). */
export interface McaAcceptanceArgs {
  /** Required. The customer (GUID), e.g. a `PartnerCustomer`'s `customerId`. Changing it replaces the resource. */
  customerId: pulumi.Input<string>;
  /** Required. Who signs for the customer. Changing it replaces the resource (a new attestation). */
  signatory: pulumi.Input<SignatoryArgs>;
  /**
   * Optional ISO 3166-1 alpha-2 country of the customer; default: its billing address's. Changing it replaces the
   * resource.
   */
  country?: pulumi.Input<string>;
  /**
   * Optional two-letter language the agreement is shown in; default: the customer's billing language. Changing it
   * replaces the resource.
   */
  language?: pulumi.Input<string>;
  /** Optional company name; default: the customer's billing company name. Changing it replaces the resource. */
  companyName?: pulumi.Input<string>;
  /**
   * Optional. How long a `pulumi up` of a waiting acceptance waits for the customer to accept, in seconds (0–3600;
   * default 0: do not wait; the next `pulumi up` after they accepted records the agreement). Never applies to the
   * create: the customer cannot have the link before it returns. Changes in place.
   */
  waitForAcceptanceSeconds?: pulumi.Input<number>;
}

/**
 * The customer's acceptance of the Microsoft Customer Agreement, the way Partner Center takes it since October 2025:
 * an *enhanced attestation* (App-only), the customer's own acceptance through Microsoft's link, then the agreement
 * recorded with the attestation ID.
 *
 * It waits on a person (README, "Waiting on a person"): `pulumi up` creates the attestation and ends with `status`
 * `waitingForCustomer` and the link in the secret output `acceptanceUrl` — hand it to the customer; every later
 * preview asks once whether they accepted, and the next `pulumi up` after they did records the agreement
 * (`status` `completed`). Creates are idempotent: a re-run or a crash replays the attestation and the agreement
 * (Partner Center's replay of the same request ID) instead of making a second one.
 * Destroying it only forgets it: Partner Center cannot withdraw an agreement.
 */
export class McaAcceptance extends pulumi.dynamic.Resource {
  /** Secret. The attestation's ID (anyone holding it can build the acceptance link). */
  declare readonly attestationId: pulumi.Output<string>;
  /** Secret. The link the customer accepts the agreement through; it needs no sign-in, so hand it over privately. */
  declare readonly acceptanceUrl: pulumi.Output<string>;
  /** `waitingForCustomer`, `accepted` (the next `pulumi up` records it), `completed` (recorded) or `expired`. */
  declare readonly status: pulumi.Output<WaitingStatus>;
  /** The country sent with the attestation (the input, or the customer's). */
  declare readonly attestedCountry: pulumi.Output<string>;
  /** The language sent with the attestation (the input, or the customer's). */
  declare readonly attestedLanguage: pulumi.Output<string>;
  /** The company name sent with the attestation (the input, or the customer's). */
  declare readonly attestedCompanyName: pulumi.Output<string>;
  /** When the customer accepted, once known. */
  declare readonly acceptedAt: pulumi.Output<string | undefined>;
  /** When the agreement was recorded. */
  declare readonly recordedAt: pulumi.Output<string | undefined>;
  declare readonly customerId: pulumi.Output<string>;
  declare readonly signatory: pulumi.Output<SignatoryArgs>;
  declare readonly country: pulumi.Output<string | undefined>;
  declare readonly language: pulumi.Output<string | undefined>;
  declare readonly companyName: pulumi.Output<string | undefined>;
  declare readonly waitForAcceptanceSeconds: pulumi.Output<number | undefined>;

  constructor(name: string, args: McaAcceptanceArgs, opts?: pulumi.CustomResourceOptions) {
    const restoreStacks = skipPromiseLeakStacks();
    try {
      super(
        createThinProvider("mcaAcceptance"),
        name,
        {
          country: undefined,
          language: undefined,
          companyName: undefined,
          waitForAcceptanceSeconds: undefined,
          ...args,
          attestationId: undefined,
          acceptanceUrl: undefined,
          status: undefined,
          attestedCountry: undefined,
          attestedLanguage: undefined,
          attestedCompanyName: undefined,
          acceptedAt: undefined,
          recordedAt: undefined,
        },
        {
          ...opts,
          additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "attestationId", "acceptanceUrl"],
        },
        "partnercenter",
        "McaAcceptance",
      );
    } finally {
      restoreStacks();
    }
  }
}

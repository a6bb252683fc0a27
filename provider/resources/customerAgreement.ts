import * as pulumi from "@pulumi/pulumi";
import type { AgreementType } from "./customerAgreementTypes";
import { skipPromiseLeakStacks } from "./skipPromiseLeakStacks";
import { createThinProvider } from "./thinProvider";

/** Type token of {@link CustomerAgreement}: `pulumi-nodejs:dynamic/partnercenter:CustomerAgreement`. */
export const CUSTOMER_AGREEMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement";

/** The person at the customer who accepted the agreement. Changing any field replaces the resource. */
export interface AgreementContactArgs {
  /** Required. */
  firstName: pulumi.Input<string>;
  /** Required. */
  lastName: pulumi.Input<string>;
  /** Required e-mail address. */
  email: pulumi.Input<string>;
  /** Optional. */
  phoneNumber?: pulumi.Input<string>;
}

/** Arguments of {@link CustomerAgreement}. Every input is replace-triggering: Partner Center cannot edit one. */
export interface CustomerAgreementArgs {
  /** Required customer ID, typically `customer.customerId`. Changing it replaces the resource. */
  customerId: pulumi.Input<string>;
  /** Required. Changing it replaces the resource (a new confirmation is recorded). */
  primaryContact: pulumi.Input<AgreementContactArgs>;
  /**
   * Optional, default `MicrosoftCustomerAgreement`; `MicrosoftCloudAgreement` is allowed. Changing it replaces
   * the resource.
   */
  agreementType?: pulumi.Input<AgreementType>;
  /**
   * Optional template ID. Default: the current template of `agreementType`, looked up from Partner Center's
   * agreement metadata at creation (never hard-coded). Changing it replaces the resource.
   */
  templateId?: pulumi.Input<string>;
  /**
   * Optional ISO-8601 UTC date-time of acceptance, e.g. `2024-05-01T00:00:00Z`; never in the future. Default: the
   * moment of creation. Changing it replaces the resource.
   */
  dateAgreed?: pulumi.Input<string>;
}

/**
 * A customer's acceptance of the Microsoft Customer Agreement, recorded with
 * `POST /v1/customers/{id}/agreements`. Needs App+User credentials (`partnercenter:refreshToken`).
 *
 * Partner Center has no API to withdraw an agreement: destroying the resource only removes it from state.
 */
export class CustomerAgreement extends pulumi.dynamic.Resource {
  declare readonly customerId: pulumi.Output<string>;
  declare readonly primaryContact: pulumi.Output<AgreementContactArgs>;
  declare readonly agreementType: pulumi.Output<AgreementType>;
  /** The template recorded (looked up when not given). */
  declare readonly templateId: pulumi.Output<string>;
  /** The acceptance date recorded (the creation time when not given). */
  declare readonly dateAgreed: pulumi.Output<string>;
  /** Link to the agreement text. */
  declare readonly agreementLink: pulumi.Output<string | undefined>;
  /** The partner user Partner Center recorded as confirming. */
  declare readonly userId: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomerAgreementArgs, opts?: pulumi.CustomResourceOptions) {
    // Registration formats a stack per output promise that only PULUMI_DEBUG_PROMISE_LEAKS reads (skipPromiseLeakStacks.ts).
    const restoreStacks = skipPromiseLeakStacks();
    try {
      super(
        createThinProvider("customerAgreement"),
        name,
        // Every output property must be present (even undefined) to exist on the resource object.
        {
          agreementType: undefined,
          templateId: undefined,
          dateAgreed: undefined,
          ...args,
          agreementLink: undefined,
          userId: undefined,
        },
        opts,
        "partnercenter",
        "CustomerAgreement",
      );
    } finally {
      restoreStacks();
    }
  }
}

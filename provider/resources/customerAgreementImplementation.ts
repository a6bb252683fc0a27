import { randomUUID } from "node:crypto";
import { isPartnerCenterError, PartnerCenterError } from "../foundation";
import type { Agreement } from "../schemas/agreement";
import { agreementId, canonicalDate, sameInstant } from "./agreementIdentity";
import { APP_USER_HOWTO, type CheckFailure, containsUnknown } from "./checkFailures";
import { classifyCreateFailure } from "./createFailure";
import { diffCustomerAgreement } from "./customerAgreementDiff";
import type {
  AgreementContactInputs,
  CustomerAgreementInputs,
  CustomerAgreementOutputs,
} from "./customerAgreementTypes";
import { validateCustomerAgreementInputs } from "./customerAgreementValidation";
import { dropUndefined } from "./partnerCustomerMapping";
import { providerContext } from "./providerContext";
import { logProviderMessage, withoutInternalKeys } from "./providerOutput";
import { stableRequestId } from "./stableRequestId";

type Props = Record<string, unknown>;

/** Partner Center's code for "this contact already confirmed this agreement" (PartnerConfirmedAgreementAlreadyExists). */
const AGREEMENT_ALREADY_EXISTS = 600061;

/**
 * The `CustomerAgreement` provider methods, called by the thin serialized provider through
 * `require("pulumi-partnercenter/runtime").customerAgreement`.
 */
export const customerAgreement = {
  /** Validates inputs (contact, type, UTC date not in the future) and requires App+User credentials, at preview. */
  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const { credentials } = providerContext();
    const { inputs, failures } = validateCustomerAgreementInputs(news, { credentials });
    if (credentials === "none") {
      failures.push({
        property: "customerId",
        reason: `no Partner Center credentials are configured; recording an agreement needs App+User credentials: ${APP_USER_HOWTO}`,
      });
    }
    if (failures.length === 0) failures.push(...unrecordableReplacement(olds, inputs));
    return { inputs: inputs as unknown as Props, failures };
  },

  /** Every input is replace-triggering: Partner Center cannot change a recorded agreement. */
  async diff(_id: string, olds: Props, news: Props) {
    const result = diffCustomerAgreement(olds, news);
    // `olds` here are outputs, holding the recorded date and template even when the inputs left them out, so this
    // catches the date-only replacements that check (which sees old inputs) could not.
    const unrecordable =
      result.replaces.length > 0 ? unrecordableReplacement(olds, news as unknown as CustomerAgreementInputs) : [];
    if (unrecordable.length > 0) {
      throw new PartnerCenterError({
        kind: "config",
        operation: `Replacing the agreement of customer ${String(olds.customerId)}`,
        description: unrecordable.map((failure) => `${failure.property}: ${failure.reason}`).join("; "),
      });
    }
    return result;
  },

  /**
   * Records the acceptance. The template is looked up from the agreement metadata of the type when not given (never
   * hard-coded); the request ID is derived from customer, template, date and contact, so a retry replays. Partner
   * Center's 600061 (this contact already confirmed) adopts the existing record instead of failing.
   */
  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const inputs = withoutInternalKeys(props) as unknown as CustomerAgreementInputs;
    const client = providerContext().client();
    const operation = `Recording the ${inputs.agreementType} of customer ${inputs.customerId}`;
    const template = inputs.templateId
      ? { templateId: inputs.templateId, agreementLink: undefined }
      : await client.getCurrentAgreementTemplate(inputs.agreementType);
    // Whole seconds in UTC: Partner Center rejects dates "in the future", so never round up.
    const dateAgreed = inputs.dateAgreed ?? `${new Date().toISOString().slice(0, 19)}Z`;
    const request = dropUndefined({
      primaryContact: dropUndefined({ ...inputs.primaryContact }),
      templateId: template.templateId,
      dateAgreed,
      type: inputs.agreementType,
      agreementLink: template.agreementLink ?? undefined,
    });
    const requestId = stableRequestId("CustomerAgreement/create", inputs.customerId, request);
    let recorded: Agreement;
    try {
      recorded = await client
        .createCustomerAgreement(inputs.customerId, request, { requestId })
        .catch((error: unknown) => {
          // A refusal may be Partner Center's replay of an earlier run's answer (fixed since): Microsoft's rule is a
          // new request ID once an answer was received, so ask once more under a fresh one (as customer creates do).
          const refused =
            classifyCreateFailure(error).case === "refused" &&
            Number((error as { code?: unknown }).code) !== AGREEMENT_ALREADY_EXISTS;
          if (!refused) throw error;
          return client.createCustomerAgreement(inputs.customerId, request, { requestId: randomUUID() });
        });
    } catch (error) {
      if (!(isPartnerCenterError(error) && Number(error.code) === AGREEMENT_ALREADY_EXISTS)) throw error;
      const existing = (await client.listCustomerAgreements(inputs.customerId, inputs.agreementType)).find(
        (agreement) => agreement.templateId === template.templateId && sameContact(agreement, inputs.primaryContact),
      );
      if (!existing) {
        throw new PartnerCenterError({
          kind: "http",
          operation,
          statusCode: error.statusCode,
          code: error.code,
          description:
            "Partner Center says this contact already confirmed the agreement, but the record could not be read back",
          requestId: error.requestId,
          correlationId: error.correlationId,
        });
      }
      // Partner Center keeps one confirmation per contact. Adopting a record with another date than the one asked
      // for would leave the program and state disagreeing forever (every run would plan a replacement that can
      // never be recorded), so only a matching or unspecified date is adopted.
      if (inputs.dateAgreed && !sameInstant(existing.dateAgreed, inputs.dateAgreed)) {
        throw new PartnerCenterError({
          kind: "http",
          operation,
          statusCode: error.statusCode,
          code: error.code,
          description: `this contact already confirmed the agreement on ${existing.dateAgreed}, and Partner Center keeps one confirmation per contact: set dateAgreed to "${existing.dateAgreed}" (or leave it out) to adopt that record, or change a contact field (name, e-mail or phone) to record a new confirmation`,
          requestId: error.requestId,
          correlationId: error.correlationId,
        });
      }
      logProviderMessage(
        `customer ${inputs.customerId}: the contact had already confirmed this agreement on ${existing.dateAgreed}; adopted that record`,
      );
      recorded = existing;
    }
    const outs = toOutputs(inputs, recorded, template.templateId, dateAgreed);
    return { id: agreementId(outs), outs: outs as unknown as Props };
  },

  /** Refresh: finds our record among the customer's agreements of this type; missing → gone. */
  async read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const old = withoutInternalKeys(props) as unknown as CustomerAgreementOutputs;
    const client = providerContext().client();
    let agreements: Agreement[];
    try {
      agreements = await client.listCustomerAgreements(
        old.customerId,
        old.agreementType ?? "MicrosoftCustomerAgreement",
      );
    } catch (error) {
      if (isPartnerCenterError(error) && error.statusCode === 404) return { id: "" };
      throw error;
    }
    const ours = agreements.find(
      (agreement) =>
        agreement.templateId === old.templateId &&
        sameInstant(agreement.dateAgreed, old.dateAgreed) &&
        sameContact(agreement, old.primaryContact),
    );
    if (!ours) return { id: "" };
    const outs = toOutputs(old, ours, old.templateId, old.dateAgreed);
    const { agreementLink: _link, userId: _user, ...inputs } = outs;
    return { id, props: outs as unknown as Props, inputs: inputs as unknown as Props };
  },

  /** Never reached with a real change (every input replaces); keeps the outputs as they are. */
  async update(_id: string, olds: Props, _news: Props): Promise<{ outs: Props }> {
    return { outs: withoutInternalKeys(olds) };
  },

  /** Partner Center has no API to withdraw an agreement: forget it and say so; never fail. */
  async delete(id: string, props: Props): Promise<void> {
    const old = withoutInternalKeys(props) as unknown as CustomerAgreementOutputs;
    logProviderMessage(
      `the ${old.agreementType ?? "agreement"} record ${id} of customer ${old.customerId} was removed from the Pulumi stack; Partner Center has no API to withdraw an agreement, so the acceptance stays recorded`,
    );
  },
};

/**
 * Partner Center keeps one confirmation per contact: a replacement that changes only `dateAgreed` or `templateId`
 * for the same customer, type and contact would be refused (600061), so it fails at preview instead.
 */
function unrecordableReplacement(olds: Props, news: CustomerAgreementInputs): CheckFailure[] {
  const old = withoutInternalKeys(olds ?? {}) as unknown as Partial<CustomerAgreementInputs>;
  if (!old.customerId || !old.primaryContact || containsUnknown(news as unknown as Props)) return [];
  const sameRecordKey =
    old.customerId.toLowerCase() === news.customerId.toLowerCase() &&
    (old.agreementType ?? "MicrosoftCustomerAgreement") === news.agreementType &&
    sameContact({ primaryContact: { ...old.primaryContact } }, news.primaryContact);
  if (!sameRecordKey) return [];
  const reason = (what: string) =>
    `changing only ${what} cannot record a new confirmation: Partner Center keeps one per contact (a second one fails with code 600061). Revert it, or change a primaryContact field (name, e-mail or phone) to record a new confirmation`;
  const failures: CheckFailure[] = [];
  if (old.dateAgreed && news.dateAgreed && !sameInstant(old.dateAgreed, news.dateAgreed)) {
    failures.push({ property: "dateAgreed", reason: reason("dateAgreed") });
  }
  if (old.templateId && news.templateId && old.templateId !== news.templateId) {
    failures.push({ property: "templateId", reason: reason("templateId") });
  }
  return failures;
}

function toOutputs(
  inputs: CustomerAgreementInputs,
  recorded: Agreement,
  templateId: string,
  dateAgreed: string,
): CustomerAgreementOutputs {
  return dropUndefined({
    ...inputs,
    templateId: recorded.templateId ?? templateId,
    // The date Partner Center recorded (an adopted record keeps its own), in one canonical form.
    dateAgreed: canonicalDate(recorded.dateAgreed) ?? inputs.dateAgreed ?? dateAgreed,
    agreementLink: recorded.agreementLink ?? undefined,
    userId: recorded.userId ?? undefined,
  }) as CustomerAgreementOutputs;
}

/**
 * Partner Center tells confirmations apart by the contact's first and last name, e-mail and phone, ignoring case
 * and surrounding spaces (so must we, or a duplicate it refuses could not be found again).
 */
function sameContact(agreement: Agreement, contact: AgreementContactInputs): boolean {
  const recorded = agreement.primaryContact;
  const same = (a: string | null | undefined, b: string | undefined) =>
    (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();
  return (
    same(recorded?.firstName, contact.firstName) &&
    same(recorded?.lastName, contact.lastName) &&
    same(recorded?.email, contact.email) &&
    same(recorded?.phoneNumber, contact.phoneNumber)
  );
}

/**
 * `Read` with no old state: what `pulumi import` and the `import:` resource option ask for. The engine then calls
 * `Check` on the inputs returned here, so they must be inputs the resource accepts and that describe the live
 * object. A missing object is an error here, never "gone": an empty id would make the engine print the misleading
 * "provider does not support importing resources".
 *
 * Refresh (old state present) never comes here: it goes to the resources' own `read`, where a 404 is "gone".
 */
import { isPartnerCenterError, PartnerCenterError } from "../foundation";
import { agreementId, canonicalDate } from "../resources/agreementIdentity";
import type { CustomerAgreementOutputs } from "../resources/customerAgreementTypes";
import { dropUndefined } from "../resources/partnerCustomerMapping";
import { providerContext } from "../resources/providerContext";
import type { Agreement } from "../schemas/agreement";
import type { Customer } from "../schemas/customer";

type Props = Record<string, unknown>;

/** The resources' read, as `require("../runtime")` exports it. */
export type ReadMethod = (id: string, props: Props) => Promise<{ id: string; props?: Props; inputs?: Props }>;

/** The agreement types, in the order an import looks for a record. */
const AGREEMENT_TYPES = ["MicrosoftCustomerAgreement", "MicrosoftCloudAgreement"] as const;

/**
 * The import id of a `CustomerAgreement`: the full id its create makes (the `id` output), or a prefix of it — the
 * customer alone, or customer and template — for an acceptance recorded outside Pulumi, whose hash nobody has.
 */
export const AGREEMENT_ID_FORMAT = "<customerId GUID>[/<templateId>[/<16 hex digits>]]";

/**
 * Inputs of a `PartnerCustomer` rebuilt from the live customer. `existingCustomerId` is set: the stack did not
 * create the customer, so it is adopted (preflight, which would find the customer's own domain taken, is skipped)
 * and `deletionPolicy` stays unset, i.e. `retain`: destroy only forgets it unless the user asks otherwise.
 */
export function importedCustomerInputs(id: string, live: Customer): Props {
  const company = live.companyProfile;
  const billing = live.billingProfile;
  const address = billing?.defaultAddress;
  const value = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);
  return dropUndefined({
    companyProfile: dropUndefined({
      domain: value(company?.domain?.toLowerCase()),
      companyName: value(company?.companyName),
      organizationRegistrationNumber: value(company?.organizationRegistrationNumber),
    }),
    billingProfile: dropUndefined({
      email: value(billing?.email),
      culture: value(billing?.culture),
      language: value(billing?.language),
      companyName: value(billing?.companyName),
      firstName: value(billing?.firstName),
      lastName: value(billing?.lastName),
      defaultAddress: address
        ? dropUndefined({
            firstName: value(address.firstName),
            lastName: value(address.lastName),
            addressLine1: value(address.addressLine1),
            addressLine2: value(address.addressLine2),
            addressLine3: value(address.addressLine3),
            city: value(address.city),
            state: value(address.state),
            postalCode: value(address.postalCode),
            country: value(address.country?.toUpperCase()),
            region: value(address.region),
            phoneNumber: value(address.phoneNumber),
          })
        : undefined,
    }),
    existingCustomerId: id.toLowerCase(),
  });
}

/** Import of a `PartnerCustomer` by its customer id; the implementation's read then computes the outputs. */
export async function importCustomer(
  id: string,
  read: ReadMethod,
): Promise<{ id: string; props: Props; inputs: Props }> {
  const client = providerContext().client();
  let live: Customer;
  try {
    live = await client.getCustomer(id);
  } catch (error) {
    if (isPartnerCenterError(error) && error.statusCode === 404) throw notFound(`customer ${id}`, "a customer id");
    throw error;
  }
  const inputs = importedCustomerInputs(id, live);
  const result = await read(live.id ?? id, inputs);
  if (!result.id || !result.props) throw notFound(`customer ${id}`, "a customer id");
  return { id: result.id, props: result.props, inputs: result.inputs ?? inputs };
}

/** A recorded acceptance an agreement import id matches. */
interface AgreementCandidate {
  id: string;
  agreementType: (typeof AGREEMENT_TYPES)[number];
  agreement: Agreement;
}

/**
 * Import of a `CustomerAgreement` ({@link AGREEMENT_ID_FORMAT}). The customer's records of both agreement types are
 * listed and those the id matches are kept: exactly one is imported, under its full id (the one its create would
 * have given it); several are an error that lists their full ids, so the user picks; none is "not found". The
 * implementation's read then computes outputs and inputs.
 */
export async function importAgreement(
  id: string,
  read: ReadMethod,
): Promise<{ id: string; props: Props; inputs: Props }> {
  // Customer ids are GUIDs; anything else is a mistyped id, not a customer Partner Center lacks.
  const match =
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/([^/]+)(?:\/([0-9a-f]{16}))?)?$/i.exec(id);
  if (!match) {
    throw new PartnerCenterError({
      kind: "config",
      operation: `Importing agreement ${id}`,
      description: `the id must be ${AGREEMENT_ID_FORMAT}: the customer, optionally its template, optionally the hash the CustomerAgreement's id output shows`,
    });
  }
  const [, customerId = "", templateId, digest] = match;
  const client = providerContext().client();
  const candidates: AgreementCandidate[] = [];
  for (const agreementType of AGREEMENT_TYPES) {
    let agreements: Agreement[];
    try {
      agreements = await client.listCustomerAgreements(customerId, agreementType);
    } catch (error) {
      if (isPartnerCenterError(error) && error.statusCode === 404) throw notFound(`customer ${customerId}`, "an id");
      throw error;
    }
    for (const agreement of agreements) {
      if (!agreement.templateId || !agreement.dateAgreed || !agreement.primaryContact) continue;
      if (templateId !== undefined && agreement.templateId !== templateId) continue;
      const full = recordedId(customerId, agreement.templateId, agreement);
      if (digest !== undefined && full !== `${customerId}/${templateId}/${digest.toLowerCase()}`) continue;
      candidates.push({ id: full, agreementType, agreement });
    }
  }
  const [only, ...others] = candidates;
  if (!only) throw notFound(`agreement ${id}`, `an id of the form ${AGREEMENT_ID_FORMAT}`);
  if (others.length > 0) {
    throw new PartnerCenterError({
      kind: "config",
      operation: `Importing agreement ${id}`,
      description: `${candidates.length} acceptances are recorded for it; import one by its full id: ${candidates
        .map((c) => `${c.id} (${c.agreementType}, ${canonicalDate(c.agreement.dateAgreed)})`)
        .join(", ")}`,
    });
  }
  const contact = only.agreement.primaryContact ?? {};
  const old = dropUndefined({
    customerId,
    agreementType: only.agreementType,
    templateId: only.agreement.templateId,
    dateAgreed: canonicalDate(only.agreement.dateAgreed),
    primaryContact: dropUndefined({
      firstName: contact.firstName ?? undefined,
      lastName: contact.lastName ?? undefined,
      email: contact.email ?? undefined,
      phoneNumber: contact.phoneNumber ?? undefined,
    }),
  });
  const result = await read(only.id, old);
  if (!result.id || !result.props) throw notFound(`agreement ${id}`, `an id of the form ${AGREEMENT_ID_FORMAT}`);
  return { id: result.id, props: result.props, inputs: result.inputs ?? old };
}

/** The error for an import of something Partner Center does not have. */
function notFound(what: string, expected: string): PartnerCenterError {
  return new PartnerCenterError({
    kind: "config",
    operation: `Importing ${what}`,
    description: `Partner Center has no ${what} (404): check that the import id is ${expected} of this partner account, and the provider's endpoint and credentials`,
  });
}

/** The id the CustomerAgreement resource gave this record when it recorded it (`agreementId`). */
function recordedId(customerId: string, templateId: string, agreement: Agreement): string {
  const contact = agreement.primaryContact;
  return agreementId({
    customerId,
    templateId,
    dateAgreed: canonicalDate(agreement.dateAgreed),
    primaryContact: {
      firstName: contact?.firstName ?? "",
      lastName: contact?.lastName ?? "",
      email: contact?.email ?? "",
      phoneNumber: contact?.phoneNumber ?? undefined,
    },
  } as CustomerAgreementOutputs);
}

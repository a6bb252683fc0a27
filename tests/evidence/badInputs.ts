/**
 * The bad-input corpus: invalid `PartnerCustomer` and `CustomerAgreement` specifications, each with the property a
 * check must name. The customer cases avoid repeating `tests/provider/partnerCustomerBadInputs.test.ts`; the
 * agreement cases cover contact fields, type, template and the date rules. Each case runs both as resource args
 * (through the host's `check`) and as a `customers.yaml` entry (through the customers-file loader).
 */
import { customerInputs } from "../support/providerHarness";

type Inputs = Record<string, unknown>;
type Customer = Inputs & { companyProfile: Inputs; billingProfile: Inputs & { defaultAddress: Inputs } };

/** One invalid specification. */
export interface BadInputCase {
  /** What is wrong, in words. */
  description: string;
  /** Which resource the args are for. */
  resource: "PartnerCustomer" | "CustomerAgreement";
  /** The args as a program would pass them (agreements include `customerId`). */
  args: Inputs;
  /** The property the failure must name (dotted, relative to the args). */
  property: string;
}

/** Valid customer args with one change applied. */
function customer(description: string, property: string, change: (inputs: Customer) => void): BadInputCase {
  const args = structuredClone(customerInputs()) as Customer;
  change(args);
  return { description, resource: "PartnerCustomer", args, property };
}

/** A GUID the agreement cases record against; check never looks it up. */
export const AGREEMENT_CUSTOMER_ID = "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d";

/** Valid agreement args with one change applied. */
function agreement(
  description: string,
  property: string,
  change: (inputs: Inputs & { primaryContact: Inputs }) => void,
): BadInputCase {
  const args = {
    customerId: AGREEMENT_CUSTOMER_ID,
    primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example", phoneNumber: "4255550100" },
  };
  change(args);
  return { description, resource: "CustomerAgreement", args, property };
}

const address = (i: Customer) => i.billingProfile.defaultAddress;
const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Customer cases: shapes, types, formats, lengths, country rules and typos not covered elsewhere. */
export const CUSTOMER_BAD_INPUTS: readonly BadInputCase[] = [
  customer("companyProfile is a string", "companyProfile", (i) => ((i as Inputs).companyProfile = "contoso")),
  customer(
    "companyProfile is a list",
    "companyProfile",
    (i) => ((i as Inputs).companyProfile = [{ domain: "a.onmicrosoft.com" }]),
  ),
  customer("billingProfile is a number", "billingProfile", (i) => ((i as Inputs).billingProfile = 42)),
  customer(
    "defaultAddress is a string",
    "billingProfile.defaultAddress",
    (i) => ((i.billingProfile as Inputs).defaultAddress = "1 Microsoft Way, Redmond"),
  ),
  customer("empty domain", "companyProfile.domain", (i) => (i.companyProfile.domain = "")),
  customer(
    "domain with only the suffix",
    "companyProfile.domain",
    (i) => (i.companyProfile.domain = ".onmicrosoft.com"),
  ),
  customer(
    "domain prefix with a dot",
    "companyProfile.domain",
    (i) => (i.companyProfile.domain = "contoso.ltd.onmicrosoft.com"),
  ),
  customer(
    "domain prefix with a space",
    "companyProfile.domain",
    (i) => (i.companyProfile.domain = "con toso.onmicrosoft.com"),
  ),
  customer(
    "domain prefix with an underscore",
    "companyProfile.domain",
    (i) => (i.companyProfile.domain = "con_toso.onmicrosoft.com"),
  ),
  customer(
    "domain prefix with a non-ASCII letter",
    "companyProfile.domain",
    (i) => (i.companyProfile.domain = "contosö.onmicrosoft.com"),
  ),
  customer(
    "company name over 255 characters",
    "companyProfile.companyName",
    (i) => (i.companyProfile.companyName = "C".repeat(256)),
  ),
  customer(
    "billing company name over 255 characters",
    "billingProfile.companyName",
    (i) => (i.billingProfile.companyName = "C".repeat(256)),
  ),
  customer("email with a space", "billingProfile.email", (i) => (i.billingProfile.email = "ada ng@contoso.example")),
  customer("email without a domain", "billingProfile.email", (i) => (i.billingProfile.email = "ada@")),
  customer(
    "email over 254 characters",
    "billingProfile.email",
    (i) => (i.billingProfile.email = `${"a".repeat(250)}@contoso.example`),
  ),
  customer("culture with a numeric region", "billingProfile.culture", (i) => (i.billingProfile.culture = "en-123")),
  customer(
    "culture with a region that is no country",
    "billingProfile.culture",
    (i) => (i.billingProfile.culture = "en-XX"),
  ),
  customer("culture given as an LCID number", "billingProfile.culture", (i) => (i.billingProfile.culture = 1033)),
  customer("language given as digits", "billingProfile.language", (i) => (i.billingProfile.language = "12")),
  customer("language given as a culture", "billingProfile.language", (i) => (i.billingProfile.language = "en-US")),
  customer(
    "billing first name over 50 characters",
    "billingProfile.firstName",
    (i) => (i.billingProfile.firstName = "F".repeat(51)),
  ),
  customer("billing last name is a number", "billingProfile.lastName", (i) => (i.billingProfile.lastName = 7)),
  customer(
    "address last name over 50 characters",
    "billingProfile.defaultAddress.lastName",
    (i) => (address(i).lastName = "L".repeat(51)),
  ),
  customer("address last name blank", "billingProfile.defaultAddress.lastName", (i) => (address(i).lastName = "   ")),
  customer(
    "address line 3 over 200 characters",
    "billingProfile.defaultAddress.addressLine3",
    (i) => (address(i).addressLine3 = "x".repeat(201)),
  ),
  customer(
    "city over 100 characters",
    "billingProfile.defaultAddress.city",
    (i) => (address(i).city = "c".repeat(101)),
  ),
  customer(
    "state over 50 characters",
    "billingProfile.defaultAddress.state",
    (i) => (address(i).state = "s".repeat(51)),
  ),
  customer(
    "postal code over 20 characters",
    "billingProfile.defaultAddress.postalCode",
    (i) => (address(i).postalCode = "9".repeat(21)),
  ),
  customer(
    "postal code as a number",
    "billingProfile.defaultAddress.postalCode",
    (i) => (address(i).postalCode = 98052),
  ),
  customer(
    "region over 100 characters",
    "billingProfile.defaultAddress.region",
    (i) => (address(i).region = "r".repeat(101)),
  ),
  customer(
    "phone over 30 characters",
    "billingProfile.defaultAddress.phoneNumber",
    (i) => (address(i).phoneNumber = "1".repeat(31)),
  ),
  customer(
    "phone with punctuation only",
    "billingProfile.defaultAddress.phoneNumber",
    (i) => (address(i).phoneNumber = "+() -"),
  ),
  customer("country that does not exist", "billingProfile.defaultAddress.country", (i) => (address(i).country = "ZZ")),
  customer("country as a number", "billingProfile.defaultAddress.country", (i) => (address(i).country = 840)),
  customer("India without a registration number", "companyProfile.organizationRegistrationNumber", (i) => {
    Object.assign(address(i), { country: "IN", city: "Bengaluru", state: "KA", postalCode: "560001" });
  }),
  customer("Brazil without a phone number", "billingProfile.defaultAddress.phoneNumber", (i) => {
    Object.assign(address(i), { country: "BR", city: "São Paulo", state: "SP", postalCode: "01310-100" });
    delete address(i).phoneNumber;
    i.companyProfile.organizationRegistrationNumber = "12345678000195";
  }),
  customer("registration number over 100 characters", "companyProfile.organizationRegistrationNumber", (i) => {
    Object.assign(address(i), { country: "PL", city: "Warszawa", postalCode: "00-001" });
    delete address(i).state;
    i.companyProfile.organizationRegistrationNumber = "5".repeat(101);
  }),
  customer(
    "associatedPartnerId in braces",
    "associatedPartnerId",
    (i) => ((i as Inputs).associatedPartnerId = "{9f5d64e7-0ad6-4b4b-9a1f-9d0e6b9a4c11}"),
  ),
  customer("existingCustomerId as a number", "existingCustomerId", (i) => ((i as Inputs).existingCustomerId = 42)),
  customer("deletionPolicy as a boolean", "deletionPolicy", (i) => ((i as Inputs).deletionPolicy = true)),
  customer("enableGDAPByDefault as a number", "enableGDAPByDefault", (i) => ((i as Inputs).enableGDAPByDefault = 1)),
  customer("preflight as a number", "preflight", (i) => ((i as Inputs).preflight = 0)),
  customer(
    "a typo in companyProfile",
    "companyProfile.domian",
    (i) => (i.companyProfile.domian = "typo.onmicrosoft.com"),
  ),
  customer(
    "a typo in billingProfile",
    "billingProfile.e-mail",
    (i) => (i.billingProfile["e-mail"] = "ada@contoso.example"),
  ),
  customer("an unknown top-level property", "tags", (i) => ((i as Inputs).tags = { team: "sales" })),
  customer(
    "an unknown address property",
    "billingProfile.defaultAddress.street",
    (i) => (address(i).street = "Main St"),
  ),
];

/** Agreement cases: contact fields, type, template, the date rules and typos. */
export const AGREEMENT_BAD_INPUTS: readonly BadInputCase[] = [
  agreement("customerId that is no GUID", "customerId", (i) => (i.customerId = "contoso")),
  agreement("missing primaryContact", "primaryContact", (i) => delete (i as Inputs).primaryContact),
  agreement(
    "primaryContact is a string",
    "primaryContact",
    (i) => ((i as Inputs).primaryContact = "Ada Ng <ada@contoso.example>"),
  ),
  agreement("missing contact first name", "primaryContact.firstName", (i) => delete i.primaryContact.firstName),
  agreement("missing contact last name", "primaryContact.lastName", (i) => delete i.primaryContact.lastName),
  agreement("missing contact email", "primaryContact.email", (i) => delete i.primaryContact.email),
  agreement("blank contact first name", "primaryContact.firstName", (i) => (i.primaryContact.firstName = " ")),
  agreement(
    "contact first name over 50 characters",
    "primaryContact.firstName",
    (i) => (i.primaryContact.firstName = "A".repeat(51)),
  ),
  agreement(
    "contact email without @",
    "primaryContact.email",
    (i) => (i.primaryContact.email = "ada at contoso.example"),
  ),
  agreement(
    "contact email with two @",
    "primaryContact.email",
    (i) => (i.primaryContact.email = "ada@ng@contoso.example"),
  ),
  agreement("contact email as a number", "primaryContact.email", (i) => (i.primaryContact.email = 12)),
  agreement(
    "contact phone with letters",
    "primaryContact.phoneNumber",
    (i) => (i.primaryContact.phoneNumber = "ext. seven"),
  ),
  agreement(
    "contact phone over 30 characters",
    "primaryContact.phoneNumber",
    (i) => (i.primaryContact.phoneNumber = "4".repeat(31)),
  ),
  agreement("agreement type abbreviated", "agreementType", (i) => (i.agreementType = "MCA")),
  agreement(
    "agreement type that is no customer agreement",
    "agreementType",
    (i) => (i.agreementType = "MicrosoftPartnerAgreement"),
  ),
  agreement("agreement type as a number", "agreementType", (i) => (i.agreementType = 1)),
  agreement("templateId that is no GUID", "templateId", (i) => (i.templateId = "mca-2024")),
  agreement("templateId as a number", "templateId", (i) => (i.templateId = 117)),
  agreement("date without a time zone", "dateAgreed", (i) => (i.dateAgreed = "2024-05-01T10:00:00")),
  agreement("date without a time", "dateAgreed", (i) => (i.dateAgreed = "2024-05-01")),
  agreement("date with a +02:00 offset", "dateAgreed", (i) => (i.dateAgreed = "2024-05-01T10:00:00+02:00")),
  agreement("date with a -05:00 offset", "dateAgreed", (i) => (i.dateAgreed = "2024-05-01T10:00:00-05:00")),
  agreement("date in the future", "dateAgreed", (i) => (i.dateAgreed = tomorrow)),
  agreement("date in words", "dateAgreed", (i) => (i.dateAgreed = "yesterday")),
  agreement("date that does not exist (30 February)", "dateAgreed", (i) => (i.dateAgreed = "2024-02-30T10:00:00Z")),
  agreement("date with hour 25", "dateAgreed", (i) => (i.dateAgreed = "2024-05-01T25:00:00Z")),
  agreement("date as epoch seconds", "dateAgreed", (i) => (i.dateAgreed = 1_714_557_600)),
  agreement("a typo in agreementType", "agreementTyp", (i) => (i.agreementTyp = "MicrosoftCustomerAgreement")),
  agreement("a typo in primaryContact", "primaryContact.mail", (i) => (i.primaryContact.mail = "ada@contoso.example")),
  agreement("an unknown property", "signedBy", (i) => (i.signedBy = "Ada Ng")),
];

/** Every case. */
export const BAD_INPUTS: readonly BadInputCase[] = [...CUSTOMER_BAD_INPUTS, ...AGREEMENT_BAD_INPUTS];

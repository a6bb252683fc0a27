/**
 * The Pulumi package schema of the native `partnercenter` provider. Descriptions follow the TSDoc of the dynamic
 * resources' argument types (`provider/resources/partnerCustomer.ts`, `customerAgreement.ts`); the aliases to the
 * dynamic type tokens let a stack move from the dynamic resources to the native ones with no replacement.
 * `scripts/native-schema.ts` writes it to `provider/native/schema.json`.
 */
import { PROVIDER_SETTING_KEYS, SECRET_SETTING_KEYS } from "../settings/providerSettings";

/** The type tokens the plugin serves. */
export const PARTNER_CUSTOMER_TYPE = "partnercenter:index:PartnerCustomer";
export const CUSTOMER_AGREEMENT_TYPE = "partnercenter:index:CustomerAgreement";

type Property = Record<string, unknown>;

const str = (description: string): Property => ({ type: "string", description });
const bool = (description: string): Property => ({ type: "boolean", description });
const ref = (name: string, description: string): Property => ({
  $ref: `#/types/partnercenter:index:${name}`,
  description,
});

const SETTING_DESCRIPTIONS: Record<(typeof PROVIDER_SETTING_KEYS)[number], string> = {
  tenantId: "The partner's Microsoft Entra tenant ID. Env: PARTNERCENTER_TENANT_ID, AZURE_TENANT_ID.",
  clientId: "The application (client) ID. Env: PARTNERCENTER_CLIENT_ID, AZURE_CLIENT_ID.",
  clientSecret: "The application's client secret. Env: PARTNERCENTER_CLIENT_SECRET, AZURE_CLIENT_SECRET.",
  clientCertificatePath: "Path of a PEM or PFX client certificate. Env: PARTNERCENTER_CLIENT_CERTIFICATE_PATH.",
  clientCertificate: "A client certificate (PEM text or base64 PFX). Env: PARTNERCENTER_CLIENT_CERTIFICATE.",
  clientCertificatePassword: "The password of a PFX client certificate.",
  refreshToken: "An App+User refresh token (Secure Application Model). Env: PARTNERCENTER_REFRESH_TOKEN.",
  refreshTokenFile: "A file that holds the App+User refresh token and receives rotated ones.",
  federatedTokenFile: "A federated (workload identity) token file. Env: AZURE_FEDERATED_TOKEN_FILE.",
  cloud: "The Microsoft cloud: `public` (default) or another supported national cloud.",
  endpoint: "The Partner Center API base URL (overrides the cloud's). Env: PARTNERCENTER_ENDPOINT.",
  authority: "The Microsoft Entra authority URL (overrides the cloud's). Env: PARTNERCENTER_AUTHORITY.",
  locale: "The locale sent with requests (X-Locale), e.g. `en-US`.",
  timeoutSeconds: "Timeout of one request, in seconds.",
  maxRetryWaitSeconds: "The longest wait before a retry, in seconds.",
  sandbox: "Whether the account is the integration sandbox (allows deletionPolicy `delete`).",
};

/** Config variables and provider inputs: every `partnercenter:*` setting, secrets marked. */
function settingProperties(): Record<string, Property> {
  return Object.fromEntries(
    PROVIDER_SETTING_KEYS.map((key) => [
      key,
      {
        type: key === "sandbox" ? "boolean" : key.endsWith("Seconds") ? "number" : "string",
        description: SETTING_DESCRIPTIONS[key],
        ...(SECRET_SETTING_KEYS.has(key) && { secret: true }),
      },
    ]),
  );
}

const customerInputs: Record<string, Property> = {
  companyProfile: ref("CustomerCompanyProfile", "Company profile. Changing it replaces the customer."),
  billingProfile: ref("CustomerBillingProfile", "Billing profile. Changing it replaces the customer."),
  associatedPartnerId: str("The MPN ID of an indirect reseller associated with the customer (indirect providers)."),
  enableGDAPByDefault: bool("Create the customer with a default GDAP relationship."),
  existingCustomerId: str(
    "Adopt this existing customer instead of creating one (its domain must match companyProfile.domain).",
  ),
  deletionPolicy: {
    type: "string",
    description:
      'What destroy does: "retain" (default) forgets the customer, "delete" deletes it (integration sandbox only), "removeRelationship" ends the reseller relationship (App+User). Changes in place.',
  },
  preflight: bool("Ask Partner Center during preview whether the domain, country rules and address are accepted."),
};

const agreementInputs: Record<string, Property> = {
  customerId: str("The customer whose acceptance is recorded."),
  primaryContact: ref("AgreementContact", "The person at the customer who accepted the agreement."),
  agreementType: str("`MicrosoftCustomerAgreement` (default) or `MicrosoftCloudAgreement`."),
  templateId: str("The agreement template; looked up from the agreement metadata when absent."),
  dateAgreed: str("ISO-8601 UTC date of acceptance; the moment of creation when absent."),
};

/** The schema as an object (`JSON.stringify` it for the engine). */
export function packageSchema(version: string): Record<string, unknown> {
  const settings = settingProperties();
  return {
    name: "partnercenter",
    displayName: "Microsoft Partner Center",
    version,
    description: "Create CSP customers and record Microsoft Customer Agreement acceptance in Microsoft Partner Center.",
    keywords: ["pulumi", "partnercenter", "csp", "microsoft", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    meta: { moduleFormat: "(.*)" },
    config: { variables: settings },
    provider: { description: "The Partner Center provider.", inputProperties: settings },
    types: {
      "partnercenter:index:CustomerAddress": {
        type: "object",
        description: "Billing address of a new customer. Changing any field replaces the customer.",
        properties: {
          firstName: str("1–50 characters."),
          lastName: str("1–50 characters."),
          addressLine1: str("1–200 characters."),
          addressLine2: str("Up to 200 characters."),
          addressLine3: str("Up to 200 characters."),
          city: str("Required where the country's validation rules say so (almost everywhere)."),
          state: str("Required where the country's rules say so (e.g. US, CA)."),
          postalCode: str("Checked against the country's postal-code pattern."),
          country: str("ISO 3166-1 alpha-2 code, e.g. `US`, `GB` (not `UK`)."),
          region: str("Optional."),
          phoneNumber: str("Optional; required in some countries."),
        },
        required: ["firstName", "lastName", "addressLine1", "postalCode", "country"],
      },
      "partnercenter:index:CustomerCompanyProfile": {
        type: "object",
        description: "Company profile of a new customer. Changing any field replaces the customer.",
        properties: {
          domain: str("The initial domain, `<prefix>.onmicrosoft.com`."),
          organizationRegistrationNumber: str("Required in some countries, refused elsewhere (code 600002)."),
          companyName: str("Optional; the billing profile's company name when absent."),
        },
        required: ["domain"],
      },
      "partnercenter:index:CustomerBillingProfile": {
        type: "object",
        description: "Billing profile of a new customer. Changing any field replaces the customer.",
        properties: {
          email: str("Billing contact e-mail."),
          culture: str("Culture such as `en-US`."),
          language: str("Two-letter language such as `en`."),
          companyName: str("Registered legal name."),
          firstName: str("Billing contact first name."),
          lastName: str("Billing contact last name."),
          defaultAddress: ref("CustomerAddress", "A valid physical address."),
        },
        required: ["email", "culture", "language", "companyName", "defaultAddress"],
      },
      "partnercenter:index:CustomerUserCredentials": {
        type: "object",
        description: "The initial admin user of a new customer's tenant.",
        properties: {
          userName: str("The admin user name."),
          password: { ...str("The admin password."), secret: true },
        },
        required: ["userName", "password"],
      },
      "partnercenter:index:AgreementContact": {
        type: "object",
        description: "The person at the customer who accepted the agreement. Changing any field replaces it.",
        properties: {
          firstName: str("First name."),
          lastName: str("Last name."),
          email: str("E-mail."),
          phoneNumber: str("Phone number."),
        },
        required: ["firstName", "lastName", "email"],
      },
    },
    resources: {
      [PARTNER_CUSTOMER_TYPE]: {
        description:
          "A CSP customer in Partner Center. Import id: the customer id (GUID); an imported customer is adopted (existingCustomerId) and destroy only forgets it.",
        inputProperties: customerInputs,
        requiredInputs: ["companyProfile", "billingProfile"],
        properties: {
          ...customerInputs,
          customerId: str("The customer's ID in Partner Center, also the resource ID."),
          tenantId: str("The customer's Entra tenant ID."),
          commerceId: str("The customer's commerce ID."),
          relationshipToPartner: str("Your relationship with the customer, e.g. `reseller`."),
          allowDelegatedAccess: bool("Whether you hold legacy delegated admin rights."),
          billingProfileId: str("ID of the customer's billing profile."),
          userCredentials: {
            ...ref(
              "CustomerUserCredentials",
              "Secret. The initial admin user name and password; only known when this resource created the customer.",
            ),
            secret: true,
          },
        },
        required: ["companyProfile", "billingProfile", "customerId", "tenantId"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer" }],
      },
      [CUSTOMER_AGREEMENT_TYPE]: {
        description:
          "A customer's recorded acceptance of the Microsoft Customer Agreement. Import id: `<customerId>/<templateId>/<hash>` (the id output).",
        inputProperties: agreementInputs,
        requiredInputs: ["customerId", "primaryContact"],
        properties: {
          ...agreementInputs,
          agreementLink: str("Link to the agreement text."),
          userId: str("The partner user Partner Center recorded as confirming."),
        },
        required: ["customerId", "primaryContact", "agreementType", "templateId", "dateAgreed"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement" }],
      },
    },
    language: {
      nodejs: { packageName: "@pulumi-partnercenter/native", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
      go: { importBasePath: "github.com/pulumi-partnercenter/sdk/go/partnercenter" },
      python: { packageName: "pulumi_partnercenter" },
    },
  };
}

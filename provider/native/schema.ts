/**
 * The Pulumi package schema of the native `partnercenter` provider. Descriptions are the TSDoc of the dynamic
 * resources' argument types and classes (`provider/resources/partnerCustomer.ts`, `customerAgreement.ts`), read from
 * the sources when `scripts/native-schema.ts` writes `provider/native/schema.json`; the aliases to the dynamic type
 * tokens let a stack move from the dynamic resources to the native ones with no replacement.
 */
import {
  PROVIDER_SETTING_KEYS,
  type ProviderSettingKey,
  SECRET_SETTING_KEYS,
  SETTING_ENVIRONMENT_VARIABLES,
} from "../settings/providerSettings";

/** The type tokens the plugin serves. */
export const PARTNER_CUSTOMER_TYPE = "partnercenter:index:PartnerCustomer";
export const CUSTOMER_AGREEMENT_TYPE = "partnercenter:index:CustomerAgreement";
export const MCA_ACCEPTANCE_TYPE = "partnercenter:index:McaAcceptance";
export const GDAP_RELATIONSHIP_TYPE = "partnercenter:index:GdapRelationship";
export const GDAP_ACCESS_ASSIGNMENT_TYPE = "partnercenter:index:GdapAccessAssignment";

type Property = Record<string, unknown>;

/**
 * TSDoc of the dynamic resources' exported interfaces and classes by declaration name: the declaration's summary
 * and every member's ("" when a member has none). `scripts/schemaDocs.ts` reads it from the sources.
 */
export type SchemaDocs = Record<string, { description: string | undefined; members: Record<string, string> }>;

const STRING: Property = { type: "string" };
const BOOLEAN: Property = { type: "boolean" };
const INTEGER: Property = { type: "integer" };
const STRINGS: Property = { type: "array", items: { type: "string" } };
const ref = (name: string): Property => ({ $ref: `#/types/partnercenter:index:${name}` });

/** Where each schema type's words come from. */
const TYPE_DECLARATIONS = {
  CustomerAddress: "CustomerAddressArgs",
  CustomerCompanyProfile: "CustomerCompanyProfileArgs",
  CustomerBillingProfile: "CustomerBillingProfileArgs",
  CustomerUserCredentials: "CustomerUserCredentials",
  AgreementContact: "AgreementContactArgs",
  Signatory: "SignatoryArgs",
} as const;

/** The shape of every property, by declaration: the TSDoc gives the words, this the types. */
const SHAPES: Record<string, Record<string, Property>> = {
  CustomerAddressArgs: Object.fromEntries(
    [
      "firstName",
      "lastName",
      "addressLine1",
      "addressLine2",
      "addressLine3",
      "city",
      "state",
      "postalCode",
      "country",
      "region",
      "phoneNumber",
    ].map((key) => [key, STRING]),
  ),
  CustomerCompanyProfileArgs: { domain: STRING, organizationRegistrationNumber: STRING, companyName: STRING },
  CustomerBillingProfileArgs: {
    email: STRING,
    culture: STRING,
    language: STRING,
    companyName: STRING,
    firstName: STRING,
    lastName: STRING,
    defaultAddress: ref("CustomerAddress"),
  },
  CustomerUserCredentials: { userName: STRING, password: { ...STRING, secret: true } },
  AgreementContactArgs: { firstName: STRING, lastName: STRING, email: STRING, phoneNumber: STRING },
  PartnerCustomerArgs: {
    companyProfile: ref("CustomerCompanyProfile"),
    billingProfile: ref("CustomerBillingProfile"),
    associatedPartnerId: STRING,
    enableGDAPByDefault: BOOLEAN,
    existingCustomerId: STRING,
    deletionPolicy: STRING,
    preflight: BOOLEAN,
  },
  PartnerCustomer: {
    customerId: STRING,
    tenantId: STRING,
    commerceId: STRING,
    relationshipToPartner: STRING,
    allowDelegatedAccess: BOOLEAN,
    billingProfileId: STRING,
    userCredentials: { ...ref("CustomerUserCredentials"), secret: true },
    createdAt: STRING,
  },
  CustomerAgreementArgs: {
    customerId: STRING,
    primaryContact: ref("AgreementContact"),
    agreementType: STRING,
    templateId: STRING,
    dateAgreed: STRING,
  },
  CustomerAgreement: { agreementLink: STRING, userId: STRING },
  SignatoryArgs: { firstName: STRING, lastName: STRING, email: STRING, phoneNumber: STRING },
  McaAcceptanceArgs: {
    customerId: STRING,
    signatory: ref("Signatory"),
    country: STRING,
    language: STRING,
    companyName: STRING,
    waitForAcceptanceSeconds: { type: "integer" },
  },
  McaAcceptance: {
    attestationId: { ...STRING, secret: true },
    acceptanceUrl: { ...STRING, secret: true },
    status: STRING,
    attestedCountry: STRING,
    attestedLanguage: STRING,
    attestedCompanyName: STRING,
    acceptedAt: STRING,
    recordedAt: STRING,
  },
  GdapRelationshipArgs: {
    customerTenantId: STRING,
    roles: STRINGS,
    durationDays: INTEGER,
    displayName: STRING,
    autoExtend: BOOLEAN,
    adoptDefault: BOOLEAN,
    existingRelationshipId: STRING,
    deletionPolicy: STRING,
    waitForApprovalSeconds: INTEGER,
  },
  GdapRelationship: {
    relationshipId: STRING,
    relationshipName: STRING,
    status: STRING,
    relationshipStatus: STRING,
    approvalUrl: { ...STRING, secret: true },
    roleIds: STRINGS,
    roleNames: STRINGS,
    relationshipDurationDays: INTEGER,
    adopted: BOOLEAN,
    activatedAt: STRING,
    endsAt: STRING,
  },
  GdapAccessAssignmentArgs: {
    relationshipId: STRING,
    securityGroupId: STRING,
    roles: STRINGS,
    relationshipRoles: STRINGS,
    waitForApprovalSeconds: INTEGER,
  },
  GdapAccessAssignment: { assignmentId: STRING, status: STRING, assignmentStatus: STRING, roleIds: STRINGS },
};

/** What only the native provider can say of a resource (the dynamic one cannot be imported). */
const IMPORT_NOTES = {
  PartnerCustomer:
    "Import id: the customer ID (GUID). An imported customer is adopted (`existingCustomerId` set, `deletionPolicy` `retain`): destroy only forgets it.",
  CustomerAgreement:
    "Import id: `<customerId>/<templateId>/<hash>`, the resource's `id` output; `pulumi import` finds the recorded agreement.",
};

/** The TSDoc of `declaration`, failing loudly when the sources and the schema disagree. */
function docsOf(docs: SchemaDocs, declaration: string): SchemaDocs[string] {
  const entry = docs[declaration];
  if (!entry?.description) throw new Error(`schema: ${declaration} has no TSDoc summary`);
  return entry;
}

/**
 * The properties of `declaration` with their TSDoc. `only` limits them to those keys (a class re-declares its
 * inputs; their words are the arguments'). Every member must be documented and typed, and every typed one declared.
 */
function documentedProperties(
  docs: SchemaDocs,
  declaration: string,
  only?: readonly string[],
): Record<string, Property> {
  const members = docsOf(docs, declaration).members;
  const shapes = SHAPES[declaration] ?? {};
  const keys = only ?? Object.keys(members);
  const stray = Object.keys(shapes).filter((key) => !keys.includes(key));
  if (stray.length > 0) throw new Error(`schema: ${declaration} does not declare ${stray.join(", ")}`);
  return Object.fromEntries(
    keys.map((key) => {
      const description = members[key];
      const shape = shapes[key];
      if (!shape) throw new Error(`schema: no type for ${declaration}.${key}`);
      if (!description) throw new Error(`schema: ${declaration}.${key} has no TSDoc`);
      return [key, { ...shape, description }];
    }),
  );
}

/** The members a class declares beyond its arguments: its outputs. */
function outputKeys(docs: SchemaDocs, resource: string, args: string): string[] {
  const inputs = Object.keys(docsOf(docs, args).members);
  return Object.keys(docsOf(docs, resource).members).filter((key) => !inputs.includes(key));
}

/** What each `partnercenter:*` key means (README, "Configuration"); the environment fallbacks are appended. */
const SETTING_DESCRIPTIONS: Record<ProviderSettingKey, string> = {
  tenantId: "Your partner tenant ID.",
  clientId: "The Microsoft Entra application (client) ID.",
  clientSecret: "App-only with a client secret: the secret.",
  clientCertificatePath: "App-only with a certificate: a PEM file with the certificate and its private key.",
  clientCertificate: "App-only with a certificate: the same PEM as text.",
  clientCertificatePassword: "The password of an encrypted private key.",
  federatedTokenFile: "Workload identity federation: a file holding the OIDC token (GitHub Actions, Kubernetes).",
  refreshToken: "App+User (Secure Application Model): the refresh token.",
  refreshTokenFile:
    "A file that keeps the newest refresh token: read when it exists and is non-empty (then it wins over refreshToken), rewritten at every rotation (atomically, mode 0600).",
  cloud: "`public` (default), `china` (21Vianet) or `usgov`.",
  endpoint: "The Partner Center base URL, overriding the cloud's.",
  authority: "The token authority, overriding the cloud's.",
  locale: "`X-Locale` of requests, default `en-US`.",
  timeoutSeconds: "Per-attempt timeout of a request, default 100.",
  maxRetryWaitSeconds:
    "Bound on the total wait between retries of one operation (429 Retry-After, 5xx, network errors), default 120.",
  sandbox: "`true` when the account is the integration sandbox (allows deletionPolicy `delete`).",
  mcaAcceptanceBase:
    "Base of the customer's MCA acceptance link (`<base>/mca/?attestationid=<id>`), overriding the public cloud's `https://cdn.partner.microsoft.com` (an emulator's URL in tests).",
  graphEndpoint:
    "Microsoft Graph base URL (GDAP resources), without `/v1.0`, overriding the cloud's (`https://graph.microsoft.com`; an emulator's URL in tests).",
  gdapApprovalBase:
    "Base of the customer's GDAP approval link, overriding the public cloud's Microsoft 365 admin center `https://admin.microsoft.com` (an emulator's URL in tests; no default outside the public cloud).",
};

/** Config variables and provider inputs: every `partnercenter:*` setting, secrets marked. */
function settingProperties(): Record<string, Property> {
  return Object.fromEntries(
    PROVIDER_SETTING_KEYS.map((key) => {
      const variables = SETTING_ENVIRONMENT_VARIABLES[key];
      const env = variables.length > 0 ? ` Environment: ${variables.join(", ")}.` : "";
      return [
        key,
        {
          type: key === "sandbox" ? "boolean" : key.endsWith("Seconds") ? "number" : "string",
          description: `${SETTING_DESCRIPTIONS[key]}${env}`,
          ...(SECRET_SETTING_KEYS.has(key) && { secret: true }),
        },
      ];
    }),
  );
}

/**
 * Where release plugin binaries are downloaded from when a program's SDK asks for a version that is not installed:
 * the GitHub releases of the project, tag `v<version>`, asset `pulumi-resource-partnercenter-v<version>-<os>-<arch>.tar.gz`
 * (the name `npm run package:plugin` gives). Offline, install the tarball with `pulumi plugin install --file`.
 */
export const PLUGIN_DOWNLOAD_URL = "github://api.github.com/pulumi-partnercenter/pulumi-partnercenter";

/** One schema type from its TSDoc. */
function objectType(docs: SchemaDocs, name: keyof typeof TYPE_DECLARATIONS, required: string[]): Property {
  const declaration = TYPE_DECLARATIONS[name];
  return {
    type: "object",
    description: docsOf(docs, declaration).description,
    properties: documentedProperties(docs, declaration),
    required,
  };
}

/**
 * The schema as an object (`JSON.stringify` it for the engine). `docs` is the TSDoc of the dynamic resources
 * (`scripts/schemaDocs.ts`); `scripts/native-schema.ts` writes the result to `provider/native/schema.json`, which
 * the plugin serves.
 */
export function packageSchema(version: string, docs: SchemaDocs): Record<string, unknown> {
  const settings = settingProperties();
  const customerInputs = documentedProperties(docs, "PartnerCustomerArgs");
  const agreementInputs = documentedProperties(docs, "CustomerAgreementArgs");
  const acceptanceInputs = documentedProperties(docs, "McaAcceptanceArgs");
  const relationshipInputs = documentedProperties(docs, "GdapRelationshipArgs");
  const assignmentInputs = documentedProperties(docs, "GdapAccessAssignmentArgs");
  return {
    name: "partnercenter",
    displayName: "Microsoft Partner Center",
    version,
    description:
      "Create CSP customers, record Microsoft Customer Agreement acceptance and grant GDAP access in Microsoft Partner Center.",
    keywords: ["pulumi", "partnercenter", "csp", "microsoft", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    meta: { moduleFormat: "(.*)" },
    config: { variables: settings },
    provider: { description: "The Partner Center provider.", inputProperties: settings },
    types: {
      "partnercenter:index:CustomerAddress": objectType(docs, "CustomerAddress", [
        "firstName",
        "lastName",
        "addressLine1",
        "postalCode",
        "country",
      ]),
      "partnercenter:index:CustomerCompanyProfile": objectType(docs, "CustomerCompanyProfile", ["domain"]),
      "partnercenter:index:CustomerBillingProfile": objectType(docs, "CustomerBillingProfile", [
        "email",
        "culture",
        "language",
        "companyName",
        "defaultAddress",
      ]),
      "partnercenter:index:CustomerUserCredentials": objectType(docs, "CustomerUserCredentials", [
        "userName",
        "password",
      ]),
      "partnercenter:index:AgreementContact": objectType(docs, "AgreementContact", ["firstName", "lastName", "email"]),
      "partnercenter:index:Signatory": objectType(docs, "Signatory", ["firstName", "lastName", "email"]),
    },
    resources: {
      [PARTNER_CUSTOMER_TYPE]: {
        description: `${docsOf(docs, "PartnerCustomer").description}\n\n${IMPORT_NOTES.PartnerCustomer}`,
        inputProperties: customerInputs,
        requiredInputs: ["companyProfile", "billingProfile"],
        properties: {
          ...customerInputs,
          ...documentedProperties(docs, "PartnerCustomer", outputKeys(docs, "PartnerCustomer", "PartnerCustomerArgs")),
        },
        required: ["companyProfile", "billingProfile", "customerId", "tenantId"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer" }],
      },
      [CUSTOMER_AGREEMENT_TYPE]: {
        description: `${docsOf(docs, "CustomerAgreement").description}\n\n${IMPORT_NOTES.CustomerAgreement}`,
        inputProperties: agreementInputs,
        requiredInputs: ["customerId", "primaryContact"],
        properties: {
          ...agreementInputs,
          ...documentedProperties(
            docs,
            "CustomerAgreement",
            outputKeys(docs, "CustomerAgreement", "CustomerAgreementArgs"),
          ),
        },
        required: ["customerId", "primaryContact", "agreementType", "templateId", "dateAgreed"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement" }],
      },
      [MCA_ACCEPTANCE_TYPE]: {
        description: docsOf(docs, "McaAcceptance").description,
        inputProperties: acceptanceInputs,
        requiredInputs: ["customerId", "signatory"],
        properties: {
          ...acceptanceInputs,
          ...documentedProperties(docs, "McaAcceptance", outputKeys(docs, "McaAcceptance", "McaAcceptanceArgs")),
        },
        required: ["customerId", "signatory", "attestationId", "acceptanceUrl", "status"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:McaAcceptance" }],
      },
      [GDAP_RELATIONSHIP_TYPE]: {
        description: docsOf(docs, "GdapRelationship").description,
        inputProperties: relationshipInputs,
        requiredInputs: ["customerTenantId"],
        properties: {
          ...relationshipInputs,
          ...documentedProperties(
            docs,
            "GdapRelationship",
            outputKeys(docs, "GdapRelationship", "GdapRelationshipArgs"),
          ),
        },
        required: ["customerTenantId", "relationshipId", "relationshipName", "status", "relationshipStatus"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:GdapRelationship" }],
      },
      [GDAP_ACCESS_ASSIGNMENT_TYPE]: {
        description: docsOf(docs, "GdapAccessAssignment").description,
        inputProperties: assignmentInputs,
        requiredInputs: ["relationshipId", "securityGroupId", "roles"],
        properties: {
          ...assignmentInputs,
          ...documentedProperties(
            docs,
            "GdapAccessAssignment",
            outputKeys(docs, "GdapAccessAssignment", "GdapAccessAssignmentArgs"),
          ),
        },
        required: ["relationshipId", "securityGroupId", "roles", "status"],
        aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment" }],
      },
    },
    language: {
      nodejs: { packageName: "@pulumi-partnercenter/native", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
      go: { importBasePath: "github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter" },
      python: { packageName: "pulumi_partnercenter" },
    },
  };
}

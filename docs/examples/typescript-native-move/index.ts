// Moving a stack from the dynamic resources to the native provider: the native types, declared with aliases to the
// dynamic type tokens, take over the resources in place (same ids, the admin password kept, nothing written to
// Partner Center). Every output is declared as undefined so the engine reads it back.
import * as pulumi from "@pulumi/pulumi";

/** A resource of any type token: what `new NativeResource(...)` does in JavaScript (the class is abstract in TypeScript). */
class NativeResource extends pulumi.CustomResource {}

const inputs = {
  companyProfile: { domain: "acmedemo.onmicrosoft.com" },
  billingProfile: {
    email: "billing@acme.example",
    culture: "en-US",
    language: "en",
    companyName: "Acme Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
    },
  },
};
const primaryContact = { firstName: "Ada", lastName: "Ng", email: "ada@acme.example" };

const customer = new NativeResource(
  "partnercenter:index:PartnerCustomer",
  "acme",
  {
    ...inputs,
    // Every output, so the engine fills them in.
    customerId: undefined,
    tenantId: undefined,
    commerceId: undefined,
    relationshipToPartner: undefined,
    allowDelegatedAccess: undefined,
    billingProfileId: undefined,
    userCredentials: undefined,
    createdAt: undefined,
  },
  {
    aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer" }],
    additionalSecretOutputs: ["userCredentials"],
  },
);

new NativeResource(
  "partnercenter:index:CustomerAgreement",
  "acme-mca",
  {
    customerId: (customer as unknown as { customerId: pulumi.Output<string> }).customerId,
    primaryContact,
    agreementType: undefined,
    templateId: undefined,
    dateAgreed: undefined,
    agreementLink: undefined,
    userId: undefined,
  },
  { aliases: [{ type: "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement" }] },
);

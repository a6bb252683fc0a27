// End-to-end program: one customer, shaped by stack config so the suites can change single properties between
// runs, and optionally its agreement (the seed's flow) or its MCA acceptance (the enhanced attestation). Credentials come from partnercenter:* config like any user's stack.
import * as pulumi from "@pulumi/pulumi";
import { CustomerAgreement, McaAcceptance, PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config("e2e");
const customer = new PartnerCustomer("customer", {
  companyProfile: { domain: config.require("domain") },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "EN-US",
    language: "En",
    companyName: config.get("companyName") ?? "Contoso E2E Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: config.get("addressLine1") ?? "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
      phoneNumber: "4255550100",
    },
  },
  deletionPolicy: (config.get("deletionPolicy") as "retain" | "delete" | "removeRelationship" | undefined) ?? undefined,
  existingCustomerId: config.get("existingCustomerId"),
  preflight: config.getBoolean("preflight"),
});

if (config.getBoolean("withAgreement")) {
  new CustomerAgreement("agreement", {
    customerId: customer.customerId,
    primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
  });
}

// The MCA as Partner Center takes it today: the customer accepts through the (secret) link.
const acceptance = config.getBoolean("withAcceptance")
  ? new McaAcceptance("mca", {
      customerId: customer.customerId,
      signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
    })
  : undefined;
export const acceptanceStatus = acceptance?.status;
export const acceptanceUrl = acceptance?.acceptanceUrl;

export const customerId = customer.customerId;
export const tenantId = customer.tenantId;
export const userCredentials = customer.userCredentials;

// A customer and its acceptance of the Microsoft Customer Agreement, App-only end to end (a client secret, a
// certificate or a federated token; no refresh token).
import * as pulumi from "@pulumi/pulumi";
import { McaAcceptance, PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();

// A new Entra tenant, your reseller relationship with it and its first admin account. The domain must be free:
// `pulumi preview` checks it, the country's address rules and the address itself before anything is created.
const contoso = new PartnerCustomer("contoso", {
  companyProfile: { domain: config.get("domain") ?? "contosoltd.onmicrosoft.com" },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "en-US",
    language: "en",
    companyName: "Contoso Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
      phoneNumber: "4255550100",
    },
  },
});

// The customer accepts the Microsoft Customer Agreement through a link: the first `pulumi up` ends waiting for them,
// the next one after they accepted records the agreement.
const mca = new McaAcceptance("contoso-mca", {
  customerId: contoso.customerId,
  signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
});

export const tenantId = contoso.tenantId;
export const adminCredentials = contoso.userCredentials; // secret
export const acceptanceStatus = mca.status; // waitingForCustomer → completed
export const acceptanceUrl = mca.acceptanceUrl; // secret: hand it to the customer privately

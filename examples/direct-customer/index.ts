// A direct customer: Partner Center creates a new Entra tenant, your reseller relationship with it and its first
// admin account. App-only credentials are enough (a client secret, certificate or federated token).
import * as pulumi from "@pulumi/pulumi";
import { PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();
// The initial domain must be free in Partner Center; `pulumi preview` checks that before anything is created.
const domain = config.get("domain") ?? "contosodirectdemo.onmicrosoft.com";

const customer = new PartnerCustomer("contoso", {
  companyProfile: { domain, companyName: "Contoso" },
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
      phoneNumber: "+1 425 555 0100",
    },
  },
  // "retain" (the default): `pulumi destroy` forgets the customer; the tenant stays with you.
  deletionPolicy: "retain",
});

export const customerId = customer.customerId;
export const tenantId = customer.tenantId;
export const commerceId = customer.commerceId;
/** Secret: the admin user name and one-time password Partner Center returns at creation. */
export const adminCredentials = customer.userCredentials;

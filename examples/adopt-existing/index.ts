// Adopting a customer that already exists (created in the Partner Center portal, or by another tool): Pulumi's
// `import` does not work for dynamic resources, so `existingCustomerId` takes its place. Creating the resource reads
// the customer and checks that its domain is the one given here; nothing is created in Partner Center.
import * as pulumi from "@pulumi/pulumi";
import { PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();
const existingCustomerId = config.require("existingCustomerId");
// Must be the adopted customer's initial domain: a mismatch fails instead of silently managing the wrong tenant.
const domain = config.require("domain");

const customer = new PartnerCustomer("adopted", {
  existingCustomerId,
  companyProfile: { domain },
  // The billing profile as Partner Center holds it; `pulumi refresh` shows any difference as drift.
  billingProfile: {
    email: "it@woodgrove.example",
    culture: "en-US",
    language: "en",
    companyName: "Woodgrove Bank",
    defaultAddress: {
      firstName: "Jon",
      lastName: "Morris",
      addressLine1: "350 5th Avenue",
      city: "New York",
      state: "NY",
      postalCode: "10118",
      country: "US",
    },
  },
  // An adopted customer was not created by this stack: never let `pulumi destroy` do more than forget it.
  deletionPolicy: "retain",
});

export const customerId = customer.customerId;
export const tenantId = customer.tenantId;
export const relationshipToPartner = customer.relationshipToPartner;

// A throwaway customer in the Partner Center integration sandbox (or the local emulator): `pulumi destroy` deletes
// it, freeing one of the sandbox's 75 customer slots. Pulumi.yaml sets `partnercenter:sandbox: true` for every stack;
// against a production account the provider refuses deletionPolicy "delete" at preview.
import * as pulumi from "@pulumi/pulumi";
import { PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();
// One customer per stack: each test stack gets its own domain (prefix: letters and digits, at most 27).
const stackPart = pulumi
  .getStack()
  .replace(/[^a-z0-9]/gi, "")
  .toLowerCase()
  .slice(0, 16);
const domain = config.get("domain") ?? `sandboxtest${stackPart}.onmicrosoft.com`;

const customer = new PartnerCustomer("sandbox-customer", {
  companyProfile: { domain },
  billingProfile: {
    email: "test@sandbox.example",
    culture: "de-DE",
    language: "de",
    companyName: "Sandbox Test GmbH",
    defaultAddress: {
      firstName: "Lena",
      lastName: "Schmidt",
      addressLine1: "Friedrichstraße 123",
      city: "Berlin",
      postalCode: "10117",
      country: "DE",
    },
  },
  // Deletes the customer on destroy, and before a replacement is created (so the domain is free again). Only works
  // for a customer with a valid address: Partner Center cannot delete one whose address it never verified.
  deletionPolicy: "delete",
});

export const customerId = customer.customerId;
export const domainName = domain;
/** Secret. */
export const adminCredentials = customer.userCredentials;

// A customer created on behalf of an indirect reseller (two-tier CSP), followed by the customer's acceptance of the
// Microsoft Customer Agreement. Both operations are App+User only in Partner Center: configure a refresh token
// (`pulumi config set --secret partnercenter:refreshToken …`); with app-only credentials `pulumi preview` fails on
// associatedPartnerId and customerId and says so.
import * as pulumi from "@pulumi/pulumi";
import { CustomerAgreement, PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();
// The reseller's Partner Center tenant ID (GUID), e.g. from the indirect-reseller list in Partner Center.
const resellerTenantId = config.require("resellerTenantId");
const domain = config.get("domain") ?? "fabrikamresellerdemo.onmicrosoft.com";

const customer = new PartnerCustomer("fabrikam", {
  companyProfile: { domain, companyName: "Fabrikam" },
  billingProfile: {
    email: "finance@fabrikam.example",
    culture: "en-GB",
    language: "en",
    companyName: "Fabrikam Ltd",
    defaultAddress: {
      firstName: "Olivia",
      lastName: "Hughes",
      addressLine1: "2 Kingdom Street",
      city: "London",
      postalCode: "W2 6BD",
      country: "GB", // ISO 3166-1 alpha-2: "UK" is refused at preview
      phoneNumber: "+44 20 7946 0958",
    },
  },
  associatedPartnerId: resellerTenantId,
});

const agreement = new CustomerAgreement("fabrikam-agreement", {
  customerId: customer.customerId,
  primaryContact: { firstName: "Olivia", lastName: "Hughes", email: "olivia.hughes@fabrikam.example" },
  // agreementType defaults to MicrosoftCustomerAgreement, templateId to its current template, dateAgreed to now.
});

export const customerId = customer.customerId;
export const relationshipToPartner = customer.relationshipToPartner;
export const agreementDate = agreement.dateAgreed;
export const agreementTemplateId = agreement.templateId;
/** Secret. */
export const adminCredentials = customer.userCredentials;

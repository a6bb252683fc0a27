// GDAP as code: the Default GDAP relationship Partner Center made with a new customer, adopted and assigned to a
// helpdesk group, and a relationship of your own that the customer's Global Administrator approves through a link.
import * as pulumi from "@pulumi/pulumi";
import { GdapAccessAssignment, GdapRelationship, PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config();

const customer = new PartnerCustomer("contoso", {
  companyProfile: { domain: "contosogdap.onmicrosoft.com" },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "en-US",
    language: "en",
    companyName: "Contoso GDAP Ltd",
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
  enableGDAPByDefault: true,
});

// Take over the Default GDAP relationship Partner Center made with the customer, and give your helpdesk two roles.
const defaultGdap = new GdapRelationship("contoso-default", {
  customerTenantId: customer.tenantId,
  adoptDefault: true,
});
new GdapAccessAssignment("contoso-helpdesk", {
  relationshipId: defaultGdap.relationshipId,
  securityGroupId: config.require("helpdeskGroup"), // a security group in your partner tenant (object ID)
  roles: ["Helpdesk Administrator", "User Administrator"],
});

// Or ask for your own relationship: the customer approves it, then the assignment is made.
const opsRoles = ["Global Reader", "Security Reader"]; // names or role template IDs
const ops = new GdapRelationship("contoso-ops", {
  customerTenantId: customer.tenantId,
  roles: opsRoles,
  durationDays: 365,
  autoExtend: true,
});
new GdapAccessAssignment("contoso-ops-readers", {
  relationshipId: ops.relationshipId,
  securityGroupId: config.require("operatorsGroup"),
  roles: ["Global Reader"],
  relationshipRoles: opsRoles, // preview refuses roles outside the relationship, with no request
});

export const approvalUrl = ops.approvalUrl; // secret: send it to the customer's Global Administrator

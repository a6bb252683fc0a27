// End-to-end program (issue 20): a customer; its Default GDAP relationship adopted and a partner group assigned on it
// in the same up; a custom relationship the customer approves, with a group assigned once it is active. Roles and
// groups come from stack config so the suites can change them between runs.
import * as pulumi from "@pulumi/pulumi";
import { GdapAccessAssignment, GdapRelationship, PartnerCustomer } from "pulumi-partnercenter";

const config = new pulumi.Config("e2e");
const customer = new PartnerCustomer("customer", {
  companyProfile: { domain: config.require("domain") },
  // Said explicitly: Partner Center creates the Default GDAP relationship with the customer.
  enableGDAPByDefault: true,
  billingProfile: {
    email: "billing@contoso.example",
    culture: "EN-US",
    language: "En",
    companyName: "Contoso GDAP Ltd",
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

// The Default GDAP relationship Partner Center made with the customer: adopted, active at once, left in place on
// destroy (deletionPolicy defaults to retain for an adopted relationship).
const defaultGdap = new GdapRelationship("default-gdap", {
  customerTenantId: customer.tenantId,
  adoptDefault: true,
});
const helpdesk = new GdapAccessAssignment("default-helpdesk", {
  relationshipId: defaultGdap.relationshipId,
  securityGroupId: config.require("defaultGroup"),
  roles: config.requireObject<string[]>("defaultGroupRoles"),
});

export const defaultRelationshipId = defaultGdap.relationshipId;
export const defaultStatus = defaultGdap.status;
export const defaultAssignmentStatus = helpdesk.status;

if (config.getBoolean("withCustom")) {
  const custom = new GdapRelationship("custom-gdap", {
    customerTenantId: customer.tenantId,
    roles: config.requireObject<string[]>("customRoles"),
    durationDays: 180,
    autoExtend: config.getBoolean("autoExtend") ?? false,
  });
  const operators = new GdapAccessAssignment("custom-operators", {
    relationshipId: custom.relationshipId,
    securityGroupId: config.require("customGroup"),
    roles: config.requireObject<string[]>("customGroupRoles"),
    // The relationship's roles as written: preview refuses roles outside them without a request.
    relationshipRoles: custom.roles.apply((roles) => roles ?? []),
  });
  module.exports.customRelationshipId = custom.relationshipId;
  module.exports.customStatus = custom.status;
  module.exports.customApprovalUrl = custom.approvalUrl;
  module.exports.customAssignmentStatus = operators.status;
}

export const tenantId = customer.tenantId;

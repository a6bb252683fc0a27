// The GitOps program: every customer in the customers file (default customers.yaml) becomes a PartnerCustomer, its
// `agreement:` block an McaAcceptance (or the seed's CustomerAgreement), and its `gdap:` block a GdapRelationship with
// a GdapAccessAssignment per partner group. The whole file is validated before the first resource is declared, so a
// bad entry stops `pulumi preview` with every problem listed and no request ever reaches Partner Center or Graph.
//
// Configuration (stack config, `pulumi config set …`):
//   partnercenter:customersFile   the customers file, relative to the project root (default customers.yaml)
//   partnercenter:*               credentials and endpoint, read by the provider (see README "Configuration")
import { isAbsolute, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadCustomersFile, provisionCustomers } from "pulumi-partnercenter";

const config = new pulumi.Config("partnercenter");
const customersFile = config.get("customersFile") ?? "customers.yaml";

// The engine tells the program where Pulumi.yaml is; outside the engine (unit tests under runtime mocks) the
// reported root is a placeholder, and this file sits one level below the project root.
const reportedRoot = pulumi.getRootDirectory();
const projectRoot = isAbsolute(reportedRoot) ? reportedRoot : join(__dirname, "..");

const specs = loadCustomersFile(customersFile, { baseDirectory: projectRoot });

// Every customer is a protected resource: a merged pull request that removes an entry, or that replaces the customer
// (a new domain or another profile change that Partner Center cannot make in place: a *second tenant*, the old one
// left live and billed outside the stack), fails at preview and changes nothing. The way out is explicit and reviewed:
// `protect: false` on the entry, merged and applied (`pulumi up`) first, then the change that deletes or replaces it
// (docs: "Protected customers"). Agreements, acceptances and GDAP resources are not protected: removing a group's
// access must stay one reviewed change.

/**
 * Per customer name: `customerId`, `tenantId`, `commerceId` and `userCredentials` (a secret:
 * `pulumi stack output --show-secrets customers` reveals it); with a signatory agreement `acceptanceStatus` and the
 * secret `acceptanceUrl`; with a `gdap:` block `gdapRelationshipId`, `gdapStatus`, `gdapAccess` (per group) and, for a
 * relationship the customer approves, the secret `gdapApprovalUrl`.
 */
export const customers = provisionCustomers(specs, { protectCustomers: true });

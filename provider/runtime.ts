/**
 * The implementation the serialized providers load at run time (`require("pulumi-partnercenter/runtime")`), inside
 * the Pulumi provider host. Everything heavy (got, zod, MSAL, the client) is loaded from here, never captured.
 *
 * @packageDocumentation
 */

import { withEngineCheckFailures } from "./resources/checkFailures";
import { customerAgreement as customerAgreementImplementation } from "./resources/customerAgreementImplementation";
import { gdapAccessAssignment as gdapAccessAssignmentImplementation } from "./resources/gdapAccessAssignmentImplementation";
import { gdapRelationship as gdapRelationshipImplementation } from "./resources/gdapRelationshipImplementation";
import { mcaAcceptance as mcaAcceptanceImplementation } from "./resources/mcaAcceptanceImplementation";
import { partnerCustomer as partnerCustomerImplementation } from "./resources/partnerCustomerImplementation";

export { configure } from "./resources/providerContext";

/** The `PartnerCustomer` implementation as the engine calls it (check failures in the engine's form). */
export const partnerCustomer = withEngineCheckFailures(partnerCustomerImplementation);

/** The `CustomerAgreement` implementation as the engine calls it (check failures in the engine's form). */
export const customerAgreement = withEngineCheckFailures(customerAgreementImplementation);

/** The `McaAcceptance` implementation as the engine calls it (check failures in the engine's form). */
export const mcaAcceptance = withEngineCheckFailures(mcaAcceptanceImplementation);

/** The `GdapRelationship` implementation as the engine calls it (check failures in the engine's form). */
export const gdapRelationship = withEngineCheckFailures(gdapRelationshipImplementation);

/** The `GdapAccessAssignment` implementation as the engine calls it (check failures in the engine's form). */
export const gdapAccessAssignment = withEngineCheckFailures(gdapAccessAssignmentImplementation);

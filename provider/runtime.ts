/**
 * The implementation the serialized providers load at run time (`require("pulumi-partnercenter/runtime")`), inside
 * the Pulumi provider host. Everything heavy (got, zod, MSAL, the client) is loaded from here, never captured.
 *
 * @packageDocumentation
 */

export { customerAgreement } from "./resources/customerAgreementImplementation";
export { partnerCustomer } from "./resources/partnerCustomerImplementation";
export { configure } from "./resources/providerContext";

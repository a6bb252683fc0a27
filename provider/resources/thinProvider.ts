import type * as pulumi from "@pulumi/pulumi";

/**
 * The module the serialized providers load at run time, resolved from the Pulumi project directory (whose
 * node_modules hold this package). Only strings are captured into `__provider`: no client, schema, credential or
 * absolute path ends up in state, and a new package version reaches existing resources with no diff churn.
 */
const IMPLEMENTATION = "pulumi-partnercenter/runtime";

/** The resources whose implementation lives in `provider/runtime.ts`. */
export type ResourceKind = "partnerCustomer" | "customerAgreement";

/**
 * Builds the dynamic provider of one resource, kept thin on purpose: Pulumi serializes the returned object into
 * every resource's state, so each method only `require`s the implementation when the provider host calls it.
 */
export function createThinProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    configure: (request) => require(IMPLEMENTATION).configure(request),
    check: (olds, news) => require(IMPLEMENTATION)[kind].check(olds, news),
    diff: (id, olds, news) => require(IMPLEMENTATION)[kind].diff(id, olds, news),
    create: (inputs) => require(IMPLEMENTATION)[kind].create(inputs),
    read: (id, props) => require(IMPLEMENTATION)[kind].read(id, props),
    update: (id, olds, news) => require(IMPLEMENTATION)[kind].update(id, olds, news),
    delete: (id, props) => require(IMPLEMENTATION)[kind].delete(id, props),
  };
}

import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "../runtime";

// Everything the providers below call lives in this module on purpose: Pulumi serializes a function of the same
// module by value, but a function imported from another module as a reference to that module
// (`require("pulumi-partnercenter/dist/...")`), which a project that only has this package through another package
// could not resolve.

/** The module the serialized providers load: this package's `runtime` export. */
const IMPLEMENTATION = "pulumi-partnercenter/runtime";

/** Where the found implementation is kept for the life of the host process (shared by both resource kinds). */
const CACHE_KEY = "pulumi-partnercenter.runtime";

/**
 * Loads `pulumi-partnercenter/runtime` in the provider host.
 *
 * The host evaluates `__provider` as a module without a file name, so a plain `require` resolves from the host's
 * working directory — the Pulumi project — through its `node_modules`. That finds the package when the project
 * depends on it directly (npm, yarn, pnpm). When the project only depends on it *through another package* (a
 * user's own wrapper library), npm may nest it and pnpm never hoists it: then the dependency graph is walked from
 * the project's `package.json`, breadth first, resolving the module from each dependency's own folder as Node would
 * for that dependency. No absolute path or version is stored in state, so moving or upgrading the project causes no
 * diff.
 */
export function loadRuntime(): typeof Runtime {
  const key = Symbol.for(CACHE_KEY);
  const cache = globalThis as unknown as Record<symbol, typeof Runtime>;
  if (cache[key]) return cache[key];
  const fs: typeof import("node:fs") = require("node:fs");
  const path: typeof import("node:path") = require("node:path");
  const { createRequire }: typeof import("node:module") = require("node:module");
  const queue = [path.join(process.cwd(), "package.json")];
  for (const manifest of queue) {
    const from = createRequire(manifest);
    try {
      const runtime: typeof Runtime = from(IMPLEMENTATION);
      cache[key] = runtime;
      return runtime;
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
    }
    let pkg: Record<string, Record<string, string> | undefined>;
    try {
      pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
    } catch {
      continue;
    }
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const found = from.resolve
        .paths(name)
        ?.map((dir) => path.join(dir, name, "package.json"))
        .find((file) => fs.existsSync(file));
      const real = found && fs.realpathSync(found);
      if (real && !queue.includes(real)) queue.push(real);
    }
  }
  throw new Error(`Cannot find module '${IMPLEMENTATION}' from ${process.cwd()} or its dependencies`);
}
/** The resources whose implementation
 lives in `provider/runtime.ts`. */
export type ResourceKind =
  | "partnerCustomer"
  | "customerAgreement"
  | "mcaAcceptance"
  | "gdapRelationship"
  | "gdapAccessAssignment";

/**
 * Builds the dynamic provider of one resource, kept thin on purpose: Pulumi serializes the returned object into
 * every resource's state, so each method only loads the implementation ({@link loadRuntime}) when the provider host
 * calls it. No client, schema, credential, absolute path or version is captured.
 */
function buildThinProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    configure: (request) => loadRuntime().configure(request),
    check: (olds, news) => loadRuntime()[kind].check(olds, news),
    diff: (id, olds, news) => loadRuntime()[kind].diff(id, olds, news),
    create: (inputs) => loadRuntime()[kind].create(inputs),
    read: (id, props) => loadRuntime()[kind].read(id, props),
    update: (id, olds, news) => loadRuntime()[kind].update(id, olds, news),
    delete: (id, props) => loadRuntime()[kind].delete(id, props),
  };
}

const providers = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/**
 * The dynamic provider of one resource kind: one object per kind for the whole program, because `@pulumi/pulumi`
 * caches the serialized provider by object identity (a WeakMap in `dynamic/index.js`); a new object per resource
 * would serialize the provider again for every resource.
 */
export function createThinProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let provider = providers.get(kind);
  if (!provider) {
    provider = buildThinProvider(kind);
    providers.set(kind, provider);
  }
  return provider;
}

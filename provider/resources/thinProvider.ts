import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "../runtime";

// Everything the providers below call lives in this module on purpose: Pulumi serializes a function of the same
// module by value, but a function imported from another module as a reference to that module
// (`require("pulumi-partnercenter/dist/...")`), which a project that only has this package through another package
// could not resolve.

/** The module the serialized providers load: this package's `runtime` export. */
const IMPLEMENTATION = "pulumi-partnercenter/runtime";

/** Where a found implementation is kept for the life of the host process (the host evaluates each provider text once, but there are two kinds). */
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
  const cache = globalThis as unknown as Record<symbol, typeof Runtime | undefined>;
  const key = Symbol.for(CACHE_KEY);
  const cached = cache[key];
  if (cached) return cached;
  const isNotFound = (error: unknown) => (error as { code?: string }).code === "MODULE_NOT_FOUND";
  try {
    cache[key] = require(IMPLEMENTATION) as typeof Runtime;
    return cache[key];
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const { createRequire } = require("node:module") as typeof import("node:module");
  const start = path.join(process.cwd(), "package.json");
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const manifest = queue.shift() as string;
    const packageDir = path.dirname(manifest);
    const requireHere = createRequire(manifest);
    try {
      cache[key] = requireHere(IMPLEMENTATION) as typeof Runtime;
      return cache[key];
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    let dependencies: string[] = [];
    try {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
      dependencies = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
    } catch {
      continue;
    }
    for (const name of dependencies) {
      // Node's own lookup folders for `name` as seen from this package, nearest first.
      for (const folder of requireHere.resolve.paths(name) ?? [path.join(packageDir, "node_modules")]) {
        const candidate = path.join(folder, name, "package.json");
        if (!fs.existsSync(candidate)) continue;
        const real = fs.realpathSync(candidate);
        if (!seen.has(real)) {
          seen.add(real);
          queue.push(real);
        }
        break;
      }
    }
  }
  throw new Error(
    `Cannot find module '${IMPLEMENTATION}' from the Pulumi project in ${process.cwd()}, directly or through its ` +
      "dependencies. Install pulumi-partnercenter in the project (npm install pulumi-partnercenter).",
  );
}
/** The resources whose implementation
 lives in `provider/runtime.ts`. */
export type ResourceKind = "partnerCustomer" | "customerAgreement";

/**
 * Check failures as the Pulumi engine prints them. The engine prints a failure with a property as
 * `property <p> value <inputs[p]> has a problem: <reason>`, looking `p` up as a *top-level* input: a nested path such as
 * `billingProfile.email` finds nothing and prints `{<nil>}`. A nested failure therefore goes to the engine without a
 * property and with its path leading the reason (`... has a problem: billingProfile.email: <reason>`); a top-level one
 * keeps its property, whose value the engine prints (redacting secrets).
 */
function forEngine(result: pulumi.dynamic.CheckResult): pulumi.dynamic.CheckResult {
  const failures = result.failures?.map(({ property, reason }) =>
    /[.[]/.test(property) ? { property: "", reason: `${property}: ${reason}` } : { property, reason },
  );
  return failures ? { ...result, failures } : result;
}

/**
 * Builds the dynamic provider of one resource, kept thin on purpose: Pulumi serializes the returned object into
 * every resource's state, so each method only loads the implementation ({@link loadRuntime}) when the provider host
 * calls it. No client, schema, credential, absolute path or version is captured.
 */
function buildThinProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    configure: (request) => loadRuntime().configure(request),
    check: async (olds, news) => forEngine(await loadRuntime()[kind].check(olds, news)),
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

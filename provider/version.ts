import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Name and version of this package, as written in its package.json. */
export interface PackageInfo {
  /** npm package name, e.g. `pulumi-partnercenter`. */
  readonly name: string;
  /** Semantic version, e.g. `0.1.0`. */
  readonly version: string;
}

const FALLBACK: PackageInfo = { name: "pulumi-partnercenter", version: "0.0.0" };

let cached: PackageInfo | undefined;

/**
 * Reads name and version from the package's own package.json at run time (cached per process). Walks up from this
 * file because the same code runs from `provider/` (tsx, tests) and from `dist/provider/` (the published build), and a
 * static `import` of package.json would copy it into `dist/`. Falls back to a placeholder rather than failing: the
 * version only labels requests.
 */
export function getPackageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = __dirname;
  for (let depth = 0; depth < 5; depth++) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Partial<PackageInfo>;
      if (typeof parsed.name === "string" && typeof parsed.version === "string") {
        cached = { name: parsed.name, version: parsed.version };
        return cached;
      }
    } catch {
      // not here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cached = FALLBACK;
  return cached;
}

/** The `MS-PartnerCenter-Application` header value: `<package name>/<version>`. */
export function getApplicationName(): string {
  const info = getPackageInfo();
  return `${info.name}/${info.version}`;
}

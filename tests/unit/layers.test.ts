import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The provider's layers, bottom up, and what each may import (issue 20, item 9): the Partner Center client and the
 * Graph client are peers on one foundation, and no import runs back up. Layers not listed (resources, gitops, native,
 * the package index) compose everything and may import anything.
 */
const ALLOWED: Record<string, readonly string[]> = {
  schemas: ["schemas"],
  foundation: ["foundation", "schemas", "version"],
  auth: ["auth", "foundation", "schemas", "version"],
  settings: ["settings", "auth", "foundation", "schemas"],
  client: ["client", "foundation", "schemas"],
  graph: ["graph", "foundation", "schemas"],
  connect: ["connect", "settings", "auth", "client", "graph", "foundation", "schemas"],
};

const providerRoot = resolve(__dirname, "../../provider");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** The top-level entry under provider/ a file or import target belongs to (`foundation`, `version.ts`, `schemas`). */
function layerOf(path: string): string {
  return relative(providerRoot, path).split(/[\\/]/)[0]!;
}

/** Every relative module an import, export or require of `file` names, resolved to a path. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
  return specs.map((spec) => resolve(dirname(file), spec));
}

describe("provider layers (issue 20: one foundation for two APIs)", () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer}/ imports only ${allowed.join(", ")}`, () => {
      const offending: string[] = [];
      const dir = join(providerRoot, layer);
      let files: string[];
      try {
        files = filesUnder(dir);
      } catch {
        files = [];
      }
      assert.ok(files.length > 0 || layer === "graph", `provider/${layer}/ has no files`);
      for (const file of files) {
        for (const target of relativeImports(file)) {
          const normalized = layerOf(target).replace(/\.ts$/, "");
          if (!allowed.includes(normalized)) offending.push(`${relative(providerRoot, file)} → ${normalized}`);
        }
      }
      assert.deepEqual(offending, [], `imports running up or sideways out of ${layer}/`);
    });
  }

  it("every file of the foundation, auth, settings and both clients is checked", () => {
    // A new top-level folder under provider/ must be placed in the table or named a composing layer here.
    const composing = new Set(["resources", "gitops", "native", "index.ts", "runtime.ts", "version.ts"]);
    const unknown = readdirSync(providerRoot).filter((entry) => !(entry in ALLOWED) && !composing.has(entry));
    assert.deepEqual(unknown, []);
  });
});

/**
 * Throwaway Pulumi projects for the suites and benchmarks that run programs under the real CLI: files written into a
 * new temporary directory, and for Node.js programs a `node_modules` that links to the repository's, so the program
 * loads this checkout's built package (and the one `@pulumi/pulumi` the repository has).
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "./providerHost";

/** A temporary project directory. */
export interface TempProject {
  readonly dir: string;
  /** Deletes the directory. */
  cleanup(): void;
}

/** Writes `files` (name → content) into a new directory `pc-<tag>-…`; `linkNodeModules` links the repository's. */
export function writeTempProject(
  tag: string,
  files: Readonly<Record<string, string>>,
  { linkNodeModules = false }: { linkNodeModules?: boolean } = {},
): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `pc-${tag}-`));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  if (linkNodeModules) symlinkSync(join(repositoryRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plain-JavaScript Node.js project `name` whose program is `program` (index.js), on the repository's modules. */
export function writeJavaScriptProject(name: string, program: string, description?: string): TempProject {
  return writeTempProject(
    name,
    {
      "Pulumi.yaml":
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n` +
        (description ? `description: ${description}\n` : ""),
      "package.json": `${JSON.stringify({ name, private: true, main: "index.js" }, null, 2)}\n`,
      "index.js": program,
    },
    { linkNodeModules: true },
  );
}

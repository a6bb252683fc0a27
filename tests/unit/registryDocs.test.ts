/**
 * The documentation as something CI checks: the generated parts are current (scripts/registry-docs.ts), every example
 * is type-checked, compiled, parsed or validated, and every relative link lands on a file and a heading.
 *
 * - TypeScript examples (docs/examples/**\/*.ts) are type-checked with the compiler API against the package's source,
 *   as tsconfig.examples.json resolves `pulumi-partnercenter`.
 * - Python examples are compiled (`python3`, `compile()`), Go examples parsed (`gofmt -e`); both only name SDK
 *   classes, arguments and outputs the schema has, and the Go one imports the schema's Go path.
 * - YAML blocks parse; a `customers:` block passes the customers-file loader; a Pulumi YAML program (included from
 *   examples/) uses only the schema's types and input properties.
 * - Shell blocks (`bash`, `sh`, `shell`) pass `bash -n` (placeholders in angle brackets stand for words); JSON
 *   blocks parse.
 * - Outside generated `include` regions, code blocks are shell, YAML, JSON or `text` only: TypeScript, Python and Go
 *   live in example files, where the checks above reach them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { parseDocument, parse as parseYaml } from "yaml";
import { parseCustomersFile } from "../../provider/gitops";
import { PROVIDER_SETTING_KEYS, SECRET_SETTING_KEYS } from "../../provider/settings/providerSettings";
import {
  fillRegions,
  markdownFiles,
  type PackageSchema,
  ROOT,
  readSchema,
  renderConfigTable,
  resourcePagePath,
  staleFiles,
} from "../../scripts/registry-docs";

const schema = readSchema();

/** Files under `dir` (relative to the root) whose names match `pattern`. */
function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(join(ROOT, relativeDir), { withFileTypes: true })) {
      if (["node_modules", "__pycache__", "venv"].includes(entry.name)) continue;
      const path = `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (pattern.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** A fenced code block of a Markdown file. */
interface CodeBlock {
  file: string;
  line: number;
  language: string;
  code: string;
  /** Inside a `<!-- registry-docs:begin include … -->` region: a copy of an example file. */
  included: boolean;
}

/** Every fenced code block of a Markdown text. */
function codeBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split("\n");
  let included = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (line.startsWith("<!-- registry-docs:begin include ")) included = true;
    if (line.startsWith("<!-- registry-docs:end")) included = false;
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !/^```\s*$/.test(lines[index] ?? ""); index++) body.push(lines[index] ?? "");
    blocks.push({ file, line: start + 1, language: fence[1] ?? "", code: body.join("\n"), included });
  }
  return blocks;
}

/** The Markdown files the checks cover: README, CONTRIBUTING, SECURITY and docs (generated pages included). */
const markdown = [
  ...markdownFiles(),
  "CONTRIBUTING.md",
  "SECURITY.md",
  ...Object.keys(schema.resources).map(resourcePagePath),
].sort();
const blocks = markdown.flatMap((file) => codeBlocks(file, readFileSync(join(ROOT, file), "utf8")));
const where = (block: CodeBlock) => `${block.file}:${block.line}`;
/** Code-block languages checked as shell (`bash -n`) and as YAML. */
const SHELL = ["bash", "sh", "shell"];
const YAML = ["yaml", "yml"];

/** Whether a command is on PATH; in CI (CI=true) a missing one fails instead of skipping. */
function haveCommand(command: string): boolean {
  const found = spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
  if (!found && process.env.CI) assert.fail(`${command} is needed to check the documentation's examples`);
  return found;
}

/** Pulumi's SDK spellings of a schema property name. */
const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
const pascalCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const short = (token: string) => token.split(":").at(-1) ?? token;

/** Every property name of the schema's resources and types. */
const propertyNames = new Set([
  ...Object.values(schema.resources).flatMap((resource) => Object.keys(resource.properties)),
  ...Object.values(schema.types).flatMap((type) => Object.keys(type.properties)),
]);
const resourceNames = Object.keys(schema.resources).map(short);
const typeNames = Object.keys(schema.types).map(short);

describe("documentation (scripts/registry-docs.ts, docs/, README.md)", () => {
  it("the generated files are current: docs/resources/*.md and every registry-docs region (npm run docs:registry)", () => {
    assert.deepEqual(staleFiles(), [], "stale generated docs: run npm run docs:registry");
  });

  it("a region is rendered afresh from its directive: an edited copy of an example is put back", () => {
    const file = "docs/_index.md";
    const current = readFileSync(join(ROOT, file), "utf8");
    const tampered = current.replace("contoso-mca", "contoso-tampered");
    assert.notEqual(tampered, current, "the overview includes the TypeScript example");
    assert.equal(fillRegions(tampered, file, schema), current);
  });

  it("has a page for each resource, with every input, every output, and the secret ones marked", () => {
    for (const [token, resource] of Object.entries(schema.resources)) {
      const page = readFileSync(join(ROOT, resourcePagePath(token)), "utf8");
      for (const [key, property] of Object.entries(resource.properties)) {
        const row = page.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
        assert.ok(row, `${resourcePagePath(token)} lists ${key}`);
        assert.equal(row.includes("**secret**"), property.secret === true, `${token}.${key}: secret marked as such`);
      }
    }
    for (const name of [
      "PartnerCustomer",
      "CustomerAgreement",
      "McaAcceptance",
      "GdapRelationship",
      "GdapAccessAssignment",
    ]) {
      assert.ok(resourceNames.includes(name), name);
    }
  });

  it("the config table lists every partnercenter:* key of providerSettings.ts once, the secret ones marked", () => {
    const table = renderConfigTable(schema);
    for (const key of PROVIDER_SETTING_KEYS) {
      const rows = table.split("\n").filter((line) => line.startsWith(`| \`partnercenter:${key}\` |`));
      assert.equal(rows.length, 1, key);
      assert.equal(rows[0]?.includes("**secret**"), SECRET_SETTING_KEYS.has(key), `${key} secret`);
      assert.doesNotMatch(rows[0] ?? "", /Environment:/, `${key}: the fallbacks have their own column`);
    }
    const page = readFileSync(join(ROOT, "docs/installation-configuration.md"), "utf8");
    assert.ok(page.includes(table), "docs/installation-configuration.md shows the generated table");
  });

  it("code blocks outside example includes are shell, YAML, JSON or text: TypeScript, Python and Go live in example files", () => {
    const loose = blocks.filter(
      (block) => !block.included && ![...SHELL, ...YAML, "json", "text"].includes(block.language),
    );
    assert.deepEqual(
      loose.map((block) => `${where(block)} (${block.language || "no language"})`),
      [],
      "move the code into docs/examples/ and include it with <!-- registry-docs:begin include <file> -->",
    );
  });

  it("the TypeScript examples type-check against the package (tsconfig.examples.json)", function () {
    this.timeout(180_000);
    const files = filesUnder("docs/examples", /\.ts$/);
    assert.ok(files.length >= 3, "docs/examples has the TypeScript examples");
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, "tsconfig.examples.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
          assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
      },
    );
    assert.ok(config);
    const program = ts.createProgram({
      rootNames: files.map((file) => join(ROOT, file)),
      options: { ...config.options, noEmit: true },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${relative(ROOT, diagnostic.file.fileName)}:${line + 1}: ${message}`;
    });
    assert.deepEqual(diagnostics, []);
  });

  it("the Python examples compile and use only the SDK's classes and arguments", function () {
    const files = filesUnder("docs/examples", /\.py$/);
    assert.ok(files.length >= 1);
    const allowed = new Set([
      ...resourceNames,
      ...resourceNames.map((name) => `${name}Args`),
      ...typeNames.map((name) => `${name}Args`),
    ]);
    const keywords = new Set([...propertyNames].map(snakeCase));
    for (const file of files) {
      // Code only: no docstrings, strings or comments (an e-mail address is no attribute).
      const text = readFileSync(join(ROOT, file), "utf8")
        .replace(/"""[\s\S]*?"""/g, "")
        .replace(/"[^"\n]*"|'[^'\n]*'/g, '""')
        .replace(/#.*$/gm, "");
      for (const [, name] of text.matchAll(/\bpartnercenter\.(\w+)/g)) {
        assert.ok(allowed.has(name ?? ""), `${file}: partnercenter.${name} is not in the SDK`);
      }
      for (const [, name] of text.matchAll(/\b([a-z_][a-z0-9_]*)=(?!=)/g)) {
        assert.ok(keywords.has(name ?? ""), `${file}: argument ${name} is no property of the schema`);
      }
      for (const [, name] of text.matchAll(/\b(?!pulumi\b|partnercenter\b|config\b)[a-z_]\w*\.([a-z_][a-z0-9_]*)\b/g)) {
        assert.ok(keywords.has(name ?? ""), `${file}: output ${name} is no property of the schema`);
      }
    }
    if (!haveCommand("python3")) return this.skip();
    for (const file of files) {
      // compile() is what py_compile does, without writing a __pycache__ into docs/examples.
      const result = spawnSync(
        "python3",
        ["-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", join(ROOT, file)],
        { encoding: "utf8" },
      );
      assert.equal(result.status, 0, `${file}: ${result.stderr}`);
    }
  });

  it("the Go examples parse (gofmt), import the schema's Go path and use only the SDK's names", function () {
    const files = filesUnder("docs/examples", /\.go$/);
    assert.ok(files.length >= 1);
    const allowed = new Set([
      ...resourceNames.map((name) => `New${name}`),
      ...resourceNames.map((name) => `${name}Args`),
      ...typeNames.map((name) => `${name}Args`),
    ]);
    const fields = new Set([...propertyNames].map(pascalCase));
    for (const file of files) {
      const source = readFileSync(join(ROOT, file), "utf8");
      assert.ok(
        source.includes(`"${schema.language.go.importBasePath}"`),
        `${file} imports ${schema.language.go.importBasePath}`,
      );
      // Code only: no strings or comments.
      const text = source.replace(/"[^"\n]*"|`[^`]*`/g, '""').replace(/\/\/.*$/gm, "");
      for (const [, name] of text.matchAll(/\bpartnercenter\.(\w+)/g)) {
        assert.ok(allowed.has(name ?? ""), `${file}: partnercenter.${name} is not in the SDK`);
      }
      for (const [, name] of text.matchAll(/^\s*([A-Z]\w*):\s/gm)) {
        assert.ok(fields.has(name ?? ""), `${file}: field ${name} is no property of the schema`);
      }
      for (const [, name] of text.matchAll(/\b(?!pulumi\b|partnercenter\b|ctx\b|config\b)[a-z]\w*\.([A-Z]\w*)\b/g)) {
        assert.ok(fields.has(name ?? ""), `${file}: output ${name} is no property of the schema`);
      }
    }
    if (!haveCommand("gofmt")) return this.skip();
    for (const file of files) {
      const result = spawnSync("gofmt", ["-e", "-l", join(ROOT, file)], { encoding: "utf8" });
      assert.equal(result.status, 0, `${file}: ${result.stderr}`);
      assert.equal(result.stdout, "", `${file} is gofmt-formatted`);
    }
  });

  it("the Pulumi YAML programs the docs include use only the schema's types and input properties", () => {
    const included = markdown.flatMap((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(/<!-- registry-docs:begin include (\S+\.ya?ml) -->/g)].map(
        (match) => match[1] ?? "",
      ),
    );
    assert.ok(included.length >= 1, "the overview includes a YAML program");
    for (const file of new Set(included)) {
      const problems = pulumiYamlProblems(parseYaml(readFileSync(join(ROOT, file), "utf8")), schema);
      assert.deepEqual(problems, [], file);
    }
  });

  it("every YAML block parses, and every customers file passes the customers-file loader", () => {
    const yamlBlocks = blocks.filter((block) => YAML.includes(block.language) && !block.included);
    assert.ok(
      yamlBlocks.some((block) => /^customers:/m.test(block.code)),
      "the GitOps page shows a customers file",
    );
    for (const block of yamlBlocks) {
      const document = parseDocument(block.code, { uniqueKeys: true });
      assert.deepEqual(document.errors.map(String), [], where(block));
      if (/^customers:/.test(block.code)) {
        assert.doesNotThrow(() => parseCustomersFile(block.code, where(block)), where(block));
      }
    }
  });

  it("every JSON block parses", () => {
    for (const block of blocks.filter((candidate) => candidate.language === "json")) {
      assert.doesNotThrow(() => JSON.parse(block.code), where(block));
    }
  });

  it("every shell block is valid shell (placeholders in angle brackets stand for one word)", function () {
    if (!haveCommand("bash")) return this.skip();
    const bashBlocks = blocks.filter((block) => SHELL.includes(block.language));
    assert.ok(bashBlocks.length >= 3);
    for (const block of bashBlocks) {
      const code = block.code.replace(/<[^<>\n]+>/g, "PLACEHOLDER");
      const result = spawnSync("bash", ["-n"], { input: code, encoding: "utf8" });
      assert.equal(result.status, 0, `${where(block)}: ${result.stderr}`);
    }
  });

  it("every relative link lands on a file, and every #fragment on one of its headings", () => {
    const broken: string[] = [];
    for (const file of markdown) {
      const text = withoutCode(readFileSync(join(ROOT, file), "utf8"));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path = "", fragment] = target.split("#");
        const resolved = path === "" ? file : join(dirname(file), path);
        let targetText: string;
        try {
          targetText = readFileSync(join(ROOT, resolved), "utf8");
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "EISDIR") continue;
          broken.push(`${file}: ${target} (no such file)`);
          continue;
        }
        if (fragment && resolved.endsWith(".md") && !headingSlugs(targetText).has(fragment)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});

/** `text` without its fenced code blocks and inline code spans (links there are not links). */
function withoutCode(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchors of a Markdown text's headings. */
function headingSlugs(text: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCodeBlocks(text).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    const base = (heading ?? "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}

function withoutCodeBlocks(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** What a Pulumi YAML program names that the schema does not have. */
function pulumiYamlProblems(program: unknown, packageSchema: PackageSchema): string[] {
  const problems: string[] = [];
  const resources = (program as { resources?: Record<string, { type?: string; properties?: unknown }> }).resources;
  for (const [name, resource] of Object.entries(resources ?? {})) {
    const token = resource.type ?? "";
    if (!token.startsWith(`${packageSchema.name}:`)) continue;
    const declared = packageSchema.resources[token];
    if (!declared) {
      problems.push(`${name}: no resource type ${token}`);
      continue;
    }
    const properties = (resource.properties ?? {}) as Record<string, unknown>;
    for (const required of declared.requiredInputs ?? []) {
      if (!(required in properties)) problems.push(`${name}: required input ${required} missing`);
    }
    const check = (path: string, value: unknown, allowed: Record<string, { $ref?: string }>) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      for (const [key, nested] of Object.entries(value as Record<string, unknown>)) {
        const property = allowed[key];
        if (!property) {
          problems.push(`${path}.${key}: no such input`);
          continue;
        }
        const ref = property.$ref?.replace("#/types/", "");
        const type = ref ? packageSchema.types[ref] : undefined;
        if (type) check(`${path}.${key}`, nested, type.properties);
      }
    };
    check(name, properties, declared.inputProperties);
  }
  return problems;
}

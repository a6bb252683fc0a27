/**
 * Writes the generated parts of the documentation, so that nothing is written twice and no example can drift:
 *
 * - `docs/resources/<resource>.md`, one page per resource of the package schema (`provider/native/schema.json`, whose
 *   words are the TSDoc of the resources): description, inputs, outputs, nested types, secrets marked, import notes.
 * - The regions between `<!-- registry-docs:begin <directive> -->` and `<!-- registry-docs:end -->` in README.md and
 *   docs/*.md: `config-table` (every `partnercenter:*` key of provider/settings/providerSettings.ts with its
 *   description from the schema, i.e. SETTING_DESCRIPTIONS of provider/native/schema.ts), `cloud-table`
 *   (provider/foundation/clouds.ts), `sdk-install` (the SDK names in the schema), `resource-index`, `section-map`
 *   (where the README's former sections live now) and `include <file>` (an example file, verbatim, in a code block:
 *   the file is what CI type-checks, parses or runs).
 *
 * Run: `npm run docs:registry` (writes), `npx tsx scripts/registry-docs.ts --check` (fails when a file is stale;
 * tests/unit/registryDocs.test.ts does the same in `npm test`).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { CLOUD_INFO, PARTNER_CENTER_CLOUDS } from "../provider/foundation/clouds";
import {
  PROVIDER_SETTING_KEYS,
  SECRET_SETTING_KEYS,
  SETTING_ENVIRONMENT_VARIABLES,
} from "../provider/settings/providerSettings";

/** The repository root. */
export const ROOT = join(__dirname, "..");

/** The package schema, as far as the docs read it. */
interface Property {
  type?: string;
  $ref?: string;
  items?: Property;
  description?: string;
  secret?: boolean;
}
interface ObjectType {
  description?: string;
  properties: Record<string, Property>;
  required?: string[];
}
interface ResourceSchema {
  description: string;
  inputProperties: Record<string, Property>;
  requiredInputs?: string[];
  properties: Record<string, Property>;
  required?: string[];
  aliases?: { type: string }[];
}
export interface PackageSchema {
  name: string;
  config: { variables: Record<string, Property> };
  types: Record<string, ObjectType>;
  resources: Record<string, ResourceSchema>;
  language: { go: { importBasePath: string }; python: { packageName: string }; nodejs: { packageName: string } };
}

/** Reads `provider/native/schema.json` (kept fresh by its own test, tests/unit/nativeSchema.test.ts). */
export function readSchema(root: string = ROOT): PackageSchema {
  return JSON.parse(readFileSync(join(root, "provider", "native", "schema.json"), "utf8")) as PackageSchema;
}

/**
 * Where the sections of the former all-in-one README live now. The TSDoc, the schema and error messages cite them as
 * `README, "<section>"`; the README lists this map (directive `section-map`) and the generated pages turn such a
 * citation into a link.
 */
export const SECTION_PAGES: ReadonlyArray<{ section: string; page: string }> = [
  { section: "Quick start", page: "README.md" },
  { section: "The Pulumi CLI", page: "CONTRIBUTING.md" },
  { section: "Using the package", page: "docs/_index.md" },
  { section: "GitOps: customers.yaml", page: "docs/gitops.md" },
  { section: "In CI", page: "docs/github-actions.md" },
  { section: "Examples", page: "docs/_index.md#more-examples" },
  { section: "Use from any language", page: "docs/native-provider.md" },
  { section: "Configuration", page: "docs/installation-configuration.md#configuration" },
  {
    section: "Keeping the rotated refresh token",
    page: "docs/installation-configuration.md#keeping-the-rotated-refresh-token",
  },
  { section: "Resource reference", page: "docs/_index.md#resources" },
  { section: "Safety rules", page: "docs/safety.md#safety-rules" },
  { section: "How creates stay idempotent", page: "docs/safety.md#how-creates-stay-idempotent" },
  { section: "Waiting on a person", page: "docs/waiting-on-a-person.md" },
  { section: "Microsoft Customer Agreement in 2026", page: "docs/mca.md" },
  { section: "GDAP", page: "docs/gdap.md" },
  { section: "The emulator", page: "docs/emulator.md" },
  { section: "Limitations", page: "docs/troubleshooting.md#limitations" },
  { section: "Troubleshooting", page: "docs/troubleshooting.md" },
];

/** A relative link from a file in `fromDir` to `target` (a path relative to the root, maybe with a `#fragment`). */
function linkTo(fromDir: string, target: string): string {
  const [path = "", fragment] = target.split("#");
  const link = relative(fromDir, path) || path;
  return fragment ? `${link}#${fragment}` : link;
}

/** Markdown file name of a resource page: `docs/resources/partnercustomer.md`. */
export function resourcePagePath(token: string): string {
  return `docs/resources/${shortName(token).toLowerCase()}.md`;
}

/** `partnercenter:index:PartnerCustomer` → `PartnerCustomer`. */
function shortName(token: string): string {
  return token.split(":").at(-1) ?? token;
}

/** Table cells: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** The type of a property as Markdown, linking object types to their section of the page. */
function typeOf(property: Property): string {
  if (property.$ref) {
    const name = shortName(property.$ref.replace("#/types/", ""));
    return `[${name}](#${name.toLowerCase()})`;
  }
  if (property.type === "array" && property.items) return `${typeOf(property.items)}[]`;
  return `\`${property.type ?? "any"}\``;
}

/** The object types a set of properties refers to, nested ones included, in order of first use. */
function referencedTypes(schema: PackageSchema, properties: Property[]): string[] {
  const found: string[] = [];
  const visit = (property: Property) => {
    const ref = property.$ref ?? property.items?.$ref;
    if (!ref) return;
    const token = ref.replace("#/types/", "");
    if (found.includes(token)) return;
    found.push(token);
    for (const nested of Object.values(schema.types[token]?.properties ?? {})) visit(nested);
  };
  for (const property of properties) visit(property);
  return found;
}

/** `(README, "Waiting on a person")` in schema text → a link to the page that holds that section now. */
export function linkReadmeCitations(text: string, fromDir: string): string {
  return text.replace(/\(README, "([^"]+)"\)/g, (whole, section: string) => {
    const entry = SECTION_PAGES.find((candidate) => candidate.section === section);
    if (!entry) return whole;
    return `([${section}](${linkTo(fromDir, entry.page)}))`;
  });
}

/** Where to read more of a resource's behaviour: topic pages, by resource. */
const RESOURCE_TOPICS: Record<string, ReadonlyArray<[string, string]>> = {
  PartnerCustomer: [
    ["Safety rules and idempotent creates", "docs/safety.md"],
    ["GitOps with customers.yaml (protected customers, removing a customer)", "docs/gitops.md"],
  ],
  CustomerAgreement: [["The Microsoft Customer Agreement in 2026", "docs/mca.md"]],
  McaAcceptance: [
    ["The Microsoft Customer Agreement in 2026", "docs/mca.md"],
    ["Waiting on a person", "docs/waiting-on-a-person.md"],
  ],
  GdapRelationship: [
    ["GDAP: granular delegated admin as code", "docs/gdap.md"],
    ["Waiting on a person", "docs/waiting-on-a-person.md"],
  ],
  GdapAccessAssignment: [["GDAP: granular delegated admin as code", "docs/gdap.md"]],
};

/**
 * Import notes the schema does not carry: what can be said of resources that have no import id. (The schema's own
 * notes, "Import id: …", are taken from its descriptions.)
 */
const NOT_IMPORTABLE: Record<string, string> = {
  McaAcceptance:
    "It cannot be imported: Partner Center never hands the attestation out again. Declare it; its first `pulumi up` creates the attestation or replays it.",
  GdapRelationship:
    "`pulumi import` is not offered for GDAP: adoption is an input (`adoptDefault`, `existingRelationshipId`), reviewed in a preview.",
  GdapAccessAssignment:
    "`pulumi import` is not offered for GDAP. A group that already has an assignment made outside the stack is not taken over: the error names it.",
};

/** One resource's reference page. */
export function renderResourcePage(schema: PackageSchema, token: string, root: string = ROOT): string {
  const resource = schema.resources[token];
  if (!resource) throw new Error(`registry-docs: no resource ${token} in the schema`);
  const name = shortName(token);
  const page = resourcePagePath(token);
  const fromDir = join(page, "..");
  const paragraphs = resource.description.split("\n\n");
  const importNotes = paragraphs.filter((paragraph) => paragraph.startsWith("Import id:"));
  const description = linkReadmeCitations(
    paragraphs.filter((paragraph) => !importNotes.includes(paragraph)).join("\n\n"),
    fromDir,
  );
  const summary = (paragraphs[0] ?? "").split(/(?<=\.)\s/)[0] ?? name;
  const requiredInputs = new Set(resource.requiredInputs ?? []);
  const inputs = Object.entries(resource.inputProperties);
  const outputs = Object.entries(resource.properties).filter(([key]) => !(key in resource.inputProperties));
  const alwaysSet = new Set(resource.required ?? []);
  const secret = (property: Property) => (property.secret ? " **secret**" : "");
  const lines: string[] = [
    "---",
    `title: ${name}`,
    `meta_desc: ${JSON.stringify(cell(summary))}`,
    "layout: package",
    "---",
    "",
    `<!-- Generated by scripts/registry-docs.ts from provider/native/schema.json (npm run docs:registry): do not edit. -->`,
    "",
    `# ${name}`,
    "",
    `Type token \`${token}\` (the native plugin, Pulumi YAML and the SDKs); the TypeScript package's class \`${name}\` is the dynamic resource ${(resource.aliases ?? []).map((alias) => `\`${alias.type}\``).join(", ")}, with the same inputs and outputs.`,
    "",
    description,
    "",
    "## Example",
    "",
    ...examplesUsing(name, token, root).map(([label, path]) => `- [${label}](${relative(fromDir, path)})`),
    "",
    "## Inputs",
    "",
    "| input | type | required | description |",
    "| --- | --- | --- | --- |",
    ...inputs.map(
      ([key, property]) =>
        `| \`${key}\` | ${typeOf(property)}${secret(property)} | ${requiredInputs.has(key) ? "yes" : "no"} | ${cell(property.description ?? "")} |`,
    ),
    "",
    "## Outputs",
    "",
    "Every input is also an output. Besides them:",
    "",
    "| output | type | always set | description |",
    "| --- | --- | --- | --- |",
    ...outputs.map(
      ([key, property]) =>
        `| \`${key}\` | ${typeOf(property)}${secret(property)} | ${alwaysSet.has(key) ? "yes" : "no"} | ${cell(property.description ?? "")} |`,
    ),
    "",
  ];
  const types = referencedTypes(schema, Object.values(resource.properties));
  if (types.length > 0) {
    lines.push("## Types", "");
    for (const typeToken of types) {
      const type = schema.types[typeToken];
      if (!type) throw new Error(`registry-docs: ${token} refers to ${typeToken}, which the schema does not define`);
      const required = new Set(type.required ?? []);
      lines.push(
        `### ${shortName(typeToken)}`,
        "",
        cell(type.description ?? ""),
        "",
        "| property | type | required | description |",
        "| --- | --- | --- | --- |",
        ...Object.entries(type.properties).map(
          ([key, property]) =>
            `| \`${key}\` | ${typeOf(property)}${secret(property)} | ${required.has(key) ? "yes" : "no"} | ${cell(property.description ?? "")} |`,
        ),
        "",
      );
    }
  }
  const secrets = [
    ...Object.entries(resource.properties)
      .filter(([, property]) => property.secret)
      .map(([key]) => `\`${key}\``),
    ...types.flatMap((typeToken) =>
      Object.entries(schema.types[typeToken]?.properties ?? {})
        .filter(([, property]) => property.secret)
        .map(([key]) => `\`${shortName(typeToken)}.${key}\``),
    ),
  ];
  lines.push(
    "## Secrets",
    "",
    secrets.length > 0
      ? `Secret (encrypted in state, \`[secret]\` in CLI output): ${secrets.join(", ")}. Read them with \`pulumi stack output --show-secrets\` and hand them on only through a channel you would use for a password; see [Security](${relative(fromDir, "docs/security.md")}).`
      : "No property of this resource is secret.",
    "",
    "## Import",
    "",
    ...(importNotes.length > 0
      ? [
          ...importNotes,
          "",
          `How the inputs are rebuilt, and ids that match several records: [\`pulumi import\`](${linkTo(fromDir, "docs/native-provider.md#pulumi-import")}) (the native provider; the TypeScript package's dynamic resources cannot be imported: adopt a customer with \`existingCustomerId\`).`,
        ]
      : [NOT_IMPORTABLE[name] ?? "The schema declares no import id."]),
    "",
    "## Credentials",
    "",
    `Which credentials each operation needs (App-only or App+User): [Installation & configuration](${relative(fromDir, "docs/installation-configuration.md")}#credentials-per-operation).`,
    "",
    "## More",
    "",
    ...(RESOURCE_TOPICS[name] ?? []).map(([label, path]) => `- [${label}](${relative(fromDir, path)})`),
    `- [All resources](${relative(fromDir, "docs/_index.md")}#resources)`,
    "",
  );
  return lines.join("\n");
}

/** Example files that use a resource (by its class or type token), with a label each. */
function examplesUsing(name: string, token: string, root: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const candidates = [
    ...listFiles(root, "docs/examples").filter((path) => /\.(ts|py|go|ya?ml)$/.test(path)),
    ...listFiles(root, "examples").filter((path) => /(index\.ts|__main__\.py|main\.go|Pulumi\.yaml)$/.test(path)),
  ];
  const snake = name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  for (const path of candidates.sort()) {
    const text = readFileSync(join(root, path), "utf8");
    const uses =
      text.includes(token) ||
      new RegExp(`\\bnew ${name}\\(`).test(text) ||
      new RegExp(`\\b(partnercenter\\.)?(New)?${name}\\(`).test(text) ||
      text.includes(`partnercenter.${snake}`);
    if (uses) found.push([path, path]);
  }
  if (found.length === 0) return [["(no example uses it yet)", "docs/_index.md"]];
  return found;
}

/** Files under `dir` (relative to `root`), recursively, skipping node_modules and virtual environments. */
function listFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (relativeDir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(join(root, relativeDir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (["node_modules", "venv", "__pycache__", ".venv"].includes(entry.name)) continue;
      const path = `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** The config table: every `partnercenter:*` key, its environment fallbacks, whether secret, and its description. */
export function renderConfigTable(schema: PackageSchema): string {
  const variables = schema.config.variables;
  const keys = Object.keys(variables);
  const missing = PROVIDER_SETTING_KEYS.filter((key) => !keys.includes(key));
  const stray = keys.filter((key) => !(PROVIDER_SETTING_KEYS as readonly string[]).includes(key));
  if (missing.length > 0 || stray.length > 0) {
    throw new Error(
      `registry-docs: the schema's config and providerSettings.ts disagree (missing ${missing.join(", ") || "none"}, stray ${stray.join(", ") || "none"}): run npx tsx scripts/native-schema.ts`,
    );
  }
  const rows = PROVIDER_SETTING_KEYS.map((key) => {
    const property = variables[key] ?? {};
    const environment = SETTING_ENVIRONMENT_VARIABLES[key];
    // The schema appends the environment fallbacks to each description; here they have their own column.
    const description = (property.description ?? "").replace(/\s*Environment: [^.]*\.$/, "");
    const secret = SECRET_SETTING_KEYS.has(key) ? "**secret**" : "";
    return `| \`partnercenter:${key}\` | ${environment.map((name) => `\`${name}\``).join(", ") || "—"} | \`${property.type}\` | ${secret} | ${cell(description)} |`;
  });
  return [
    "| config key | environment fallback | type | secret | meaning |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** Endpoints per cloud, from provider/foundation/clouds.ts. */
export function renderCloudTable(): string {
  const value = (text: string | undefined) =>
    text ? `\`${text}\`` : "none (set it, or copy the link from Partner Center)";
  return [
    "| `partnercenter:cloud` | Partner Center endpoint | token authority host | Microsoft Graph (GDAP) | GDAP approval link base | MCA acceptance link base |",
    "| --- | --- | --- | --- | --- | --- |",
    ...PARTNER_CENTER_CLOUDS.map((cloud) => {
      const info = CLOUD_INFO[cloud];
      return `| \`${cloud}\` | \`${info.endpoint}\` | \`${info.authorityHost}\` | \`${info.graphEndpoint}\` | ${value(info.gdapApprovalBase)} | ${info.mcaAcceptanceBase ? `\`${info.mcaAcceptanceBase}\`` : "none: Microsoft takes enhanced attestations only in the public cloud"} |`;
    }),
  ].join("\n");
}

/** The resources, each with its page and the first sentence of its description. */
export function renderResourceIndex(schema: PackageSchema, fromDir: string): string {
  return [
    "| resource | what it is |",
    "| --- | --- |",
    ...Object.entries(schema.resources).map(([token, resource]) => {
      const first = resource.description.split("\n\n")[0] ?? "";
      const sentence = first.split(/(?<=\.)\s/)[0] ?? first;
      return `| [\`${shortName(token)}\`](${relative(fromDir, resourcePagePath(token))}) | ${cell(linkReadmeCitations(sentence, fromDir))} |`;
    }),
  ].join("\n");
}

/** The generated SDKs by the names the schema gives them, with the command that installs each. */
export function renderSdkInstall(schema: PackageSchema): string {
  const { nodejs, python, go } = schema.language;
  return [
    "| language | package | install |",
    "| --- | --- | --- |",
    `| TypeScript / JavaScript (generated SDK) | \`${nodejs.packageName}\` | \`npm install ${nodejs.packageName} @pulumi/pulumi\` |`,
    `| Python | \`${python.packageName}\` | \`pip install ${python.packageName}\` |`,
    `| Go | \`${go.importBasePath}\` | \`go get ${go.importBasePath}\` |`,
    `| Pulumi YAML | — (the plugin only) | resource types \`${schema.name}:index:<Resource>\` |`,
  ].join("\n");
}

/** Where each former README section lives now. */
export function renderSectionMap(fromDir: string): string {
  return [
    "| former README section | now in |",
    "| --- | --- |",
    ...SECTION_PAGES.map(({ section, page }) => `| ${section} | [${page}](${linkTo(fromDir, page)}) |`),
  ].join("\n");
}

/** Code-block language of an included file. */
function languageOf(path: string): string {
  const extension = extname(path);
  const languages: Record<string, string> = {
    ".ts": "typescript",
    ".py": "python",
    ".go": "go",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".sh": "bash",
  };
  const language = languages[extension];
  if (!language) throw new Error(`registry-docs: no code-block language for ${path}`);
  return language;
}

/** The file `path` (relative to the root) in a fenced code block, with a line naming it. */
export function renderInclude(path: string, fromDir: string, root: string = ROOT): string {
  const text = readFileSync(join(root, path), "utf8").replace(/\s+$/, "");
  return [`[\`${path}\`](${relative(fromDir, path)}):`, "", "```" + languageOf(path), text, "```"].join("\n");
}

const BEGIN = /<!-- registry-docs:begin ([^>]*?) -->/g;
const END = "<!-- registry-docs:end -->";

/** Renders one directive found in `file`. */
function renderDirective(directive: string, file: string, schema: PackageSchema, root: string): string {
  const [kind, ...args] = directive.trim().split(/\s+/);
  const fromDir = join(file, "..");
  switch (kind) {
    case "config-table":
      return renderConfigTable(schema);
    case "cloud-table":
      return renderCloudTable();
    case "resource-index":
      return renderResourceIndex(schema, fromDir);
    case "sdk-install":
      return renderSdkInstall(schema);
    case "section-map":
      return renderSectionMap(fromDir);
    case "include": {
      const path = args[0];
      if (!path) throw new Error(`registry-docs: ${file}: "include" needs a file`);
      return renderInclude(path, fromDir, root);
    }
    default:
      throw new Error(`registry-docs: ${file}: unknown directive "${directive}"`);
  }
}

/** `text` with every generated region rendered afresh. */
export function fillRegions(text: string, file: string, schema: PackageSchema, root: string = ROOT): string {
  let out = "";
  let position = 0;
  for (const match of text.matchAll(BEGIN)) {
    const start = match.index ?? 0;
    if (start < position) continue;
    const afterBegin = start + match[0].length;
    const end = text.indexOf(END, afterBegin);
    if (end < 0) throw new Error(`registry-docs: ${file}: "${match[0]}" has no ${END}`);
    const directive = match[1] ?? "";
    out += `${text.slice(position, afterBegin)}\n${renderDirective(directive, file, schema, root)}\n`;
    position = end;
  }
  return out + text.slice(position);
}

/** The Markdown files whose generated regions this script keeps: README.md and docs/**.md (not docs/api). */
export function markdownFiles(root: string = ROOT): string[] {
  return [
    "README.md",
    ...listFiles(root, "docs").filter(
      (path) => path.endsWith(".md") && !path.startsWith("docs/api/") && !path.startsWith("docs/resources/"),
    ),
  ].sort();
}

/** Every generated file's expected content, by path relative to the root. */
export function generateRegistryDocs(root: string = ROOT): Map<string, string> {
  const schema = readSchema(root);
  const files = new Map<string, string>();
  for (const token of Object.keys(schema.resources)) {
    files.set(resourcePagePath(token), renderResourcePage(schema, token, root));
  }
  for (const file of markdownFiles(root)) {
    const text = readFileSync(join(root, file), "utf8");
    if (!text.includes("<!-- registry-docs:begin")) continue;
    files.set(file, fillRegions(text, file, schema, root));
  }
  return files;
}

/** The generated files whose content on disk differs from what this script would write. */
export function staleFiles(root: string = ROOT): string[] {
  const stale: string[] = [];
  for (const [path, content] of generateRegistryDocs(root)) {
    let current: string | undefined;
    try {
      current = readFileSync(join(root, path), "utf8");
    } catch {
      current = undefined;
    }
    if (current !== content) stale.push(path);
  }
  return stale;
}

if (require.main === module) {
  if (process.argv.includes("--check")) {
    const stale = staleFiles();
    if (stale.length > 0) {
      console.error(`stale generated docs: ${stale.join(", ")}; run npm run docs:registry`);
      process.exit(1);
    }
    console.log("generated docs are up to date");
  } else {
    for (const [path, content] of generateRegistryDocs()) {
      let current: string | undefined;
      try {
        current = readFileSync(join(ROOT, path), "utf8");
      } catch {
        current = undefined;
      }
      if (current === content) continue;
      mkdirSync(join(ROOT, path, ".."), { recursive: true });
      writeFileSync(join(ROOT, path), content);
      console.log(`wrote ${path}`);
    }
  }
}

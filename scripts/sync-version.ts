/**
 * One version for the whole release: package.json's `version` is the source, and this script writes it (or checks
 * it) everywhere else a version is kept.
 *
 *   npm run version:sync -- 0.2.0          # set 0.2.0 everywhere it is written down (then regenerate, see below)
 *   npm run version:sync -- --check        # exit 1, naming each file, when any place disagrees with package.json
 *   npm run version:sync -- --check --tag v0.2.0   # a release: the tag is v<version> and CHANGELOG.md has a
 *                                                  # "## [0.2.0] - <date>" section
 *
 * Written down (set by `version:sync <version>`, always checked):
 *   package.json, package-lock.json (the root package, twice), provider/native/schema.json (the schema the plugin
 *   serves and the SDKs are generated from; provider/native/schema.ts takes package.json's version and must carry
 *   none of its own), the install lines of examples/python-native/requirements.txt and examples/go-native/go.mod, and
 *   versioned install commands in the Markdown docs (README.md, CONTRIBUTING.md, docs/, examples/): the plugin
 *   archive's name, `pulumi plugin install resource partnercenter <v>`, `pulumi_partnercenter==<v>`,
 *   `pulumi-partnercenter@<v>`, `@pulumi-partnercenter/native@<v>`, the Go SDK's `sdk/go@v<v>` and its tag, the
 *   npm tarballs' and the Python distributions' file names.
 * Generated from package.json (checked when present; regenerate them after a change):
 *   the SDKs in sdk/ (`bash scripts/gen-sdks.sh`: package.json and pulumi-plugin.json of each, setup.py, the Go
 *   SDK's pulumiVersion.go). The plugin reports package.json's version (provider/version.ts reads it at run time;
 *   `npm run package:plugin` stamps it into the binary, and the release dry run asks the packaged binary).
 * CHANGELOG.md must have an `## [Unreleased]` section or one for the version.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const V = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?`;

/** One place a version is kept. */
export interface VersionPlace {
  /** Path relative to the repository root. */
  file: string;
  /** What the place is, for messages. */
  what: string;
  /** The versions found there (one per occurrence); empty when the file lacks the place it should have. */
  found: string[];
  /** Generated output: absent is fine, stale means regenerate. */
  generated: boolean;
}

/** A text edit at a place: the regular expression's first group is the version. */
interface TextPlace {
  file: string;
  what: string;
  pattern: RegExp;
  /** The file must contain the place at least once. */
  required: boolean;
  generated: boolean;
}

const GO_SDK_MODULE = "github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go";

const TEXT_PLACES: TextPlace[] = [
  {
    file: "provider/native/schema.json",
    what: "the schema's version",
    pattern: new RegExp(`^  "version": "(${V})"`, "gm"),
    required: true,
    generated: false,
  },
  {
    file: "examples/python-native/requirements.txt",
    what: "the Python SDK pin",
    pattern: new RegExp(String.raw`^pulumi[-_]partnercenter==(${V})\s*$`, "gmi"),
    required: true,
    generated: false,
  },
  {
    file: "examples/go-native/go.mod",
    what: "the Go SDK requirement",
    pattern: new RegExp(String.raw`${GO_SDK_MODULE.replaceAll(".", "\\.")} v(${V})\b`, "g"),
    required: true,
    generated: false,
  },
  {
    file: "sdk/python/setup.py",
    what: "the Python SDK's VERSION",
    pattern: new RegExp(`^VERSION = "(${V})"`, "gm"),
    required: true,
    generated: true,
  },
  {
    file: "sdk/go/partnercenter/internal/pulumiVersion.go",
    what: "the Go SDK's SdkVersion",
    pattern: new RegExp(String.raw`semver\.MustParse\("(${V})"\)`, "g"),
    required: true,
    generated: true,
  },
];

/** Versioned install commands in the docs (a file may have none). */
const DOC_PATTERNS: RegExp[] = [
  new RegExp(`pulumi-resource-partnercenter-v(${V})-(?:linux|darwin|windows|checksums)`, "g"),
  new RegExp(String.raw`plugin install resource partnercenter v?(${V})\b`, "g"),
  new RegExp(String.raw`pulumi[-_]partnercenter==(${V})\b`, "g"),
  new RegExp(String.raw`(?<![\w/-])pulumi-partnercenter@(${V})\b`, "g"),
  new RegExp(String.raw`@pulumi-partnercenter/native@(${V})\b`, "g"),
  new RegExp(String.raw`/sdk/go@v(${V})\b`, "g"),
  new RegExp(String.raw`\bsdk/go/v(${V})\b`, "g"),
  new RegExp(String.raw`\bpulumi-partnercenter(?:-native)?-(${V})\.tgz\b`, "g"),
  new RegExp(String.raw`\bpulumi_partnercenter-(${V})(?:-py3-none-any\.whl|\.tar\.gz)`, "g"),
];

/** The JSON files whose version fields must equal package.json's: [file, paths, generated]. */
const JSON_PLACES: [string, string[][], boolean][] = [
  ["package-lock.json", [["version"], ["packages", "", "version"]], false],
  ["sdk/nodejs/package.json", [["version"], ["pulumi", "version"]], true],
  ["sdk/nodejs/bin/package.json", [["version"], ["pulumi", "version"]], true],
  ["sdk/python/pulumi_partnercenter/pulumi-plugin.json", [["version"]], true],
  ["sdk/go/partnercenter/pulumi-plugin.json", [["version"]], true],
];

function markdownFiles(root: string): string[] {
  const files = ["README.md", "CONTRIBUTING.md"].filter((f) => existsSync(join(root, f)));
  const walk = (dir: string) => {
    if (!existsSync(join(root, dir))) return;
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name);
      if (name === "node_modules" || name === "api" || name.startsWith(".")) continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith(".md")) files.push(path);
    }
  };
  walk("docs");
  walk("examples");
  return files;
}

function getPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function setPath(value: unknown, path: string[], version: string): boolean {
  const parent = getPath(value, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent === null || typeof parent !== "object" || key === undefined) return false;
  if (!(key in parent)) return false;
  (parent as Record<string, unknown>)[key] = version;
  return true;
}

function matches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1] ?? "");
}

/** package.json's version. */
export function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}

/** Every place a version is kept, with what each holds now (generated places only when they exist). */
export function versionPlaces(root: string): VersionPlace[] {
  const places: VersionPlace[] = [];
  for (const [file, paths, generated] of JSON_PLACES) {
    if (!existsSync(join(root, file))) {
      if (!generated) places.push({ file, what: "the package version", found: [], generated });
      continue;
    }
    const json = JSON.parse(readFileSync(join(root, file), "utf8")) as unknown;
    for (const path of paths) {
      const value = getPath(json, path);
      places.push({ file, what: path.join("."), found: typeof value === "string" ? [value] : [], generated });
    }
  }
  for (const place of TEXT_PLACES) {
    if (!existsSync(join(root, place.file))) {
      if (!place.generated) places.push({ file: place.file, what: place.what, found: [], generated: false });
      continue;
    }
    const found = matches(readFileSync(join(root, place.file), "utf8"), place.pattern);
    if (found.length > 0 || place.required) {
      places.push({ file: place.file, what: place.what, found, generated: place.generated });
    }
  }
  for (const file of markdownFiles(root)) {
    const text = readFileSync(join(root, file), "utf8");
    const found = DOC_PATTERNS.flatMap((pattern) => matches(text, pattern));
    if (found.length > 0) places.push({ file, what: "versioned install commands", found, generated: false });
  }
  return places;
}

/** The disagreements with package.json's version, one message each; empty when all agree. */
export function versionProblems(root: string, options: { tag?: string } = {}): string[] {
  const version = packageVersion(root);
  const problems: string[] = [];
  if (!SEMVER.test(version)) problems.push(`package.json: version "${version}" is not a semantic version`);
  for (const place of versionPlaces(root)) {
    const fix = place.generated ? "regenerate it: bash scripts/gen-sdks.sh" : `run npm run version:sync -- ${version}`;
    if (place.found.length === 0) {
      problems.push(`${place.file}: ${place.what} not found (expected ${version})`);
      continue;
    }
    const wrong = [...new Set(place.found.filter((v) => v !== version))];
    if (wrong.length > 0) {
      problems.push(`${place.file}: ${place.what} is ${wrong.join(", ")}, package.json is ${version}: ${fix}`);
    }
  }
  const schemaSource = readFileSync(join(root, "provider/native/schema.ts"), "utf8");
  if (new RegExp(String.raw`\bversion:\s*"${V}"`).test(schemaSource)) {
    problems.push("provider/native/schema.ts: carries a version literal; it must take package.json's (packageSchema)");
  }
  problems.push(...changelogProblems(root, version, options.tag !== undefined));
  if (options.tag !== undefined && options.tag !== `v${version}`) {
    problems.push(`the tag ${options.tag} is not v${version} (package.json): run npm run version:sync -- <version>`);
  }
  return problems;
}

function changelogProblems(root: string, version: string, release: boolean): string[] {
  const file = join(root, "CHANGELOG.md");
  if (!existsSync(file)) return ["CHANGELOG.md is missing"];
  const text = readFileSync(file, "utf8");
  const escaped = version.replaceAll(".", "\\.");
  const released = new RegExp(String.raw`^## \[${escaped}\] - \d{4}-\d{2}-\d{2}\s*$`, "m").test(text);
  if (release) {
    return released
      ? []
      : [`CHANGELOG.md: no "## [${version}] - YYYY-MM-DD" section for the release: move Unreleased there`];
  }
  if (released || /^## \[Unreleased\]\s*$/m.test(text)) return [];
  return [`CHANGELOG.md: neither an "## [Unreleased]" section nor one for ${version}`];
}

/** Writes `version` into package.json and every written-down place; returns the files changed. */
export function setVersion(root: string, version: string): string[] {
  if (!SEMVER.test(version)) throw new Error(`"${version}" is not a semantic version (e.g. 0.2.0)`);
  const changed: string[] = [];
  const write = (file: string, before: string, after: string) => {
    if (after !== before) {
      writeFileSync(join(root, file), after);
      changed.push(file);
    }
  };
  // JSON files keep their own formatting: only the value changes, found through the parsed document.
  const packageJson = readFileSync(join(root, "package.json"), "utf8");
  write(
    "package.json",
    packageJson,
    packageJson.replace(/^( {2}"version": )"[^"]*"/m, (_m, head: string) => `${head}"${version}"`),
  );
  const lockText = readFileSync(join(root, "package-lock.json"), "utf8");
  const lock = JSON.parse(lockText) as unknown;
  for (const path of [["version"], ["packages", "", "version"]]) setPath(lock, path, version);
  write("package-lock.json", lockText, `${JSON.stringify(lock, null, 2)}\n`);
  for (const place of TEXT_PLACES) {
    if (place.generated || !existsSync(join(root, place.file))) continue;
    const before = readFileSync(join(root, place.file), "utf8");
    write(place.file, before, replaceGroup(before, place.pattern, version));
  }
  for (const file of markdownFiles(root)) {
    const before = readFileSync(join(root, file), "utf8");
    write(
      file,
      before,
      DOC_PATTERNS.reduce((text, pattern) => replaceGroup(text, pattern, version), before),
    );
  }
  return changed;
}

/** `text` with the first group of every match of `pattern` replaced by `version`. */
function replaceGroup(text: string, pattern: RegExp, version: string): string {
  return text.replace(pattern, (match: string, group: string) => {
    const at = match.indexOf(group);
    return match.slice(0, at) + version + match.slice(at + group.length);
  });
}

function main(argv: string[]): number {
  const root = join(__dirname, "..");
  const tagAt = argv.indexOf("--tag");
  const tag = tagAt >= 0 ? argv[tagAt + 1] : undefined;
  if (tagAt >= 0 && !tag) {
    console.error("sync-version: --tag needs a value, e.g. --tag v0.2.0");
    return 2;
  }
  if (argv.includes("--check")) {
    const problems = versionProblems(root, tag === undefined ? {} : { tag });
    const version = packageVersion(root);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`sync-version: ${problem}`);
      return 1;
    }
    const places = versionPlaces(root);
    console.log(
      `sync-version: ${version} everywhere (${places.length} places in ${new Set(places.map((p) => p.file)).size} files${
        tag ? `; tag ${tag}; CHANGELOG.md has its section` : ""
      })`,
    );
    return 0;
  }
  const version = argv.find((a) => !a.startsWith("-"));
  if (!version || argv.length !== 1) {
    console.error("usage: npm run version:sync -- <version> | --check [--tag v<version>]");
    return 2;
  }
  const changed = setVersion(root, version);
  console.log(changed.length > 0 ? `sync-version: ${version} written to ${changed.join(", ")}` : "nothing to change");
  const stale = versionProblems(root).filter((p) => !p.startsWith("CHANGELOG"));
  for (const problem of stale) console.log(`sync-version: still to do: ${problem}`);
  console.log(
    "sync-version: provider/native/schema.json is rewritten in place; `npx tsx scripts/native-schema.ts --check` " +
      "confirms it. Regenerate the SDKs (bash scripts/gen-sdks.sh) and the plugin (npm run package:plugin), and " +
      "add the release's section to CHANGELOG.md.",
  );
  return stale.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

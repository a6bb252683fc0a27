import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { getPackageInfo } from "../../provider/version";
import { packageVersion, setVersion, versionPlaces, versionProblems } from "../../scripts/sync-version";
import { repositoryRoot } from "../support/providerHost";

/** The files a version is written in (and the schema source the check reads), copied into a throwaway root. */
const WRITTEN = [
  "package.json",
  "package-lock.json",
  "provider/native/schema.json",
  "provider/native/schema.ts",
  "examples/python-native/requirements.txt",
  "examples/go-native/go.mod",
  "CHANGELOG.md",
];

function copyOfRepository(): string {
  const root = mkdtempSync(join(tmpdir(), "version-sync-"));
  for (const file of WRITTEN) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(repositoryRoot, file), join(root, file));
  }
  return root;
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, "utf8");
  const after = change(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  writeFileSync(path, after);
}

describe("one version for the package, the schema, the plugin and the SDKs (scripts/sync-version.ts)", () => {
  const roots: string[] = [];
  const scratch = () => {
    const root = copyOfRepository();
    roots.push(root);
    return root;
  };
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it("holds in this repository: every place agrees with package.json (and sdk/ too, when generated)", () => {
    assert.deepEqual(versionProblems(repositoryRoot), []);
    const files = new Set(versionPlaces(repositoryRoot).map((p) => p.file));
    for (const file of WRITTEN.filter((f) => !f.endsWith(".ts") && f !== "CHANGELOG.md" && f !== "package.json")) {
      assert.ok(files.has(file), `${file} is one of the places checked`);
    }
  });

  it("the plugin reports package.json's version (read at run time, stamped into the packaged binary)", () => {
    assert.equal(getPackageInfo().version, packageVersion(repositoryRoot));
  });

  for (const [file, change] of [
    [
      "package-lock.json",
      (t: string) => t.replace(/("name": "pulumi-partnercenter",\n\s+"version": )"[^"]+"/, '$1"0.0.9"'),
    ],
    ["provider/native/schema.json", (t: string) => t.replace(/^ {2}"version": "[^"]+"/m, '  "version": "0.0.9"')],
    ["examples/python-native/requirements.txt", (t: string) => t.replace(/==[\d.]+/, "==0.0.9")],
    ["examples/go-native/go.mod", (t: string) => t.replace(/(pulumi-partnercenter\/sdk\/go) v[\d.]+/, "$1 v0.0.9")],
  ] as const) {
    it(`fails when ${file} disagrees`, () => {
      const root = scratch();
      assert.deepEqual(versionProblems(root), []);
      edit(root, file, change);
      const problems = versionProblems(root);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0] ?? "", new RegExp(`^${file.replaceAll(".", "\\.")}: .*0\\.0\\.9.*version:sync`));
    });
  }

  it("fails when a generated SDK is stale, naming the command that regenerates it", () => {
    const root = scratch();
    mkdirSync(join(root, "sdk/python"), { recursive: true });
    writeFileSync(join(root, "sdk/python/setup.py"), 'VERSION = "0.0.9"\n');
    assert.deepEqual(versionProblems(root), [
      `sdk/python/setup.py: the Python SDK's VERSION is 0.0.9, package.json is ${packageVersion(root)}: regenerate it: bash scripts/gen-sdks.sh`,
    ]);
  });

  it("fails when a versioned install command in the docs disagrees, and when schema.ts carries its own version", () => {
    const root = scratch();
    mkdirSync(join(root, "docs"), { recursive: true });
    writeFileSync(join(root, "docs/install.md"), "pulumi plugin install resource partnercenter 0.0.9 --file x\n");
    edit(root, "provider/native/schema.ts", (t) =>
      t.replace('name: "partnercenter",', 'name: "partnercenter", version: "1.0.0",'),
    );
    const problems = versionProblems(root);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0] ?? "", /^docs\/install\.md: versioned install commands is 0\.0\.9/);
    assert.match(problems[1] ?? "", /^provider\/native\/schema\.ts: carries a version literal/);
  });

  it("a release needs the tag v<version> and a dated CHANGELOG section for it", () => {
    const root = scratch();
    const version = packageVersion(root);
    assert.deepEqual(versionProblems(root), [], "Unreleased is enough before a release");
    const release = versionProblems(root, { tag: "v9.9.9" });
    assert.ok(release.some((p) => p.startsWith("the tag v9.9.9 is not v")));
    assert.ok(release.some((p) => p.startsWith(`CHANGELOG.md: no "## [${version}] - YYYY-MM-DD" section`)));
    edit(root, "CHANGELOG.md", (t) => t.replace("## [Unreleased]", `## [Unreleased]\n\n## [${version}] - 2026-12-08`));
    assert.deepEqual(versionProblems(root, { tag: `v${version}` }), []);
  });

  it("npm run version:sync -- <version> writes every place, keeping each file's formatting", () => {
    const root = scratch();
    mkdirSync(join(root, "docs"), { recursive: true });
    const old = packageVersion(root);
    writeFileSync(
      join(root, "docs/install.md"),
      `pip install pulumi_partnercenter==${old}\nhttps://x/pulumi-resource-partnercenter-v${old}-linux-amd64.tar.gz\n`,
    );
    const before = Object.fromEntries(WRITTEN.map((f) => [f, readFileSync(join(root, f), "utf8")]));
    const changed = setVersion(root, "12.3.4-rc.1");
    assert.deepEqual(changed.sort(), [
      "docs/install.md",
      "examples/go-native/go.mod",
      "examples/python-native/requirements.txt",
      "package-lock.json",
      "package.json",
      "provider/native/schema.json",
    ]);
    assert.deepEqual(versionProblems(root), []);
    assert.equal(
      readFileSync(join(root, "docs/install.md"), "utf8"),
      "pip install pulumi_partnercenter==12.3.4-rc.1\nhttps://x/pulumi-resource-partnercenter-v12.3.4-rc.1-linux-amd64.tar.gz\n",
    );
    // Only the version moved: the same text with the old version put back.
    for (const file of changed.filter((f) => f in before)) {
      const now = readFileSync(join(root, file), "utf8");
      assert.equal(now.replaceAll("12.3.4-rc.1", old), before[file], `${file}: nothing but the version changed`);
    }
    assert.throws(() => setVersion(root, "v1.2"), /not a semantic version/);
  });

  it("the command line: --check exits 1 naming the file, 0 once they agree", () => {
    const root = scratch();
    const script = join(repositoryRoot, "scripts", "sync-version.ts");
    // The script checks the repository it lives in: run a copy of it inside the scratch root.
    mkdirSync(join(root, "scripts"), { recursive: true });
    cpSync(script, join(root, "scripts", "sync-version.ts"));
    const run = (...args: string[]) => {
      try {
        return {
          status: 0,
          output: execFileSync(
            process.execPath,
            ["--import", "tsx", join(root, "scripts", "sync-version.ts"), ...args],
            { encoding: "utf8", stdio: "pipe", cwd: repositoryRoot },
          ),
        };
      } catch (error) {
        const e = error as { status: number; stderr: string };
        return { status: e.status, output: e.stderr };
      }
    };
    assert.equal(run("--check").status, 0);
    edit(root, "examples/go-native/go.mod", (t) => t.replace(/(pulumi-partnercenter\/sdk\/go) v[\d.]+/, "$1 v0.0.9"));
    const failed = run("--check");
    assert.equal(failed.status, 1);
    assert.match(failed.output, /examples\/go-native\/go\.mod: the Go SDK requirement is 0\.0\.9/);
  });
});

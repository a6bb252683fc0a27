/**
 * Packaging proof: the npm tarball, installed the way users install it, works.
 *
 *   npx tsx tests/packaging/packProof.ts [--no-build] [--keep]     (or: npm run test:packaging)
 *
 * 1. `npm pack` the repository and check the tarball holds what users need and nothing else.
 * 2. Create a fresh project in a temporary directory outside the repository and `npm install` the tarball and
 *    `@pulumi/pulumi` at the version the package pins, from the npm registry.
 * 3. From the INSTALLED package (every module below is loaded through the temporary project's node_modules, never the
 *    repository's): start the emulator (`pulumi-partnercenter/emulator`) and its CLI bin; capture the providers as
 *    the resource classes serialize them (`inputs.__provider` under Pulumi's runtime mocks); drive the real
 *    dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC from the temporary project through
 *    configure → check → create → read → delete of a PartnerCustomer (and check → create of its
 *    CustomerAgreement), asserting each effect in the emulator's state.
 * 4. Under the real Pulumi CLI (required; `source scripts/ensure-pulumi.sh`): `pulumi preview`, `up`, an unchanged
 *    `up` and `destroy` of examples/direct-customer against the emulator in three layouts: that npm project, a pnpm
 *    project, and a pnpm project that has pulumi-partnercenter only through a wrapper package of its own.
 *
 * Prints what was proved. Exits non-zero on the first failure, naming the step.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import type * as PulumiSdk from "@pulumi/pulumi";
import type * as EmulatorApi from "../../emulator/index";
import type * as GitOpsApi from "../../provider/gitops";
import type * as PackageApi from "../../provider/index";
import { validCustomerArgs } from "../support/customerFixtures";
import { SECRET_SIG, SECRET_SIG_KEY, secretValue, startProviderHost } from "../support/providerHost";

const repositoryRoot = join(__dirname, "..", "..");
const CUSTOMER_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";
const AGREEMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement";

const proved: string[] = [];
let currentStep = "setup";
/** What the provider host printed, shown when a step fails (its errors carry only a summary over gRPC). */
let hostOutput: () => string = () => "";

function step(name: string): void {
  currentStep = name;
  console.log(`\n==> [pack-proof] ${name}`);
}

function prove(what: string): void {
  proved.push(what);
  console.log(`  ✔ ${what}`);
}

/** Runs a command, streaming its output, and fails the proof when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  console.log(`  $ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd, env, stdio: "inherit" });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
}

/**
 * Runs a command without blocking this process, streaming its output; returns its stdout and fails the proof when it
 * fails. For commands that talk to the emulator, which runs in this process and must go on answering meanwhile.
 */
async function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  console.log(`  $ ${command} ${args.join(" ")}`);
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += String(chunk);
    process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${status}`);
  return stdout;
}

/** Files a user needs from the tarball, relative to its root. */
const REQUIRED_FILES = [
  "package.json",
  "README.md",
  "LICENSE",
  "dist/provider/index.js",
  "dist/provider/index.d.ts",
  "dist/provider/runtime.js",
  "dist/provider/runtime.d.ts",
  "dist/emulator/index.js",
  "dist/emulator/index.d.ts",
  "dist/emulator/cli.js",
];

/** Checks the tarball's file list: only dist/provider, dist/emulator and the three top-level files; no sources. */
function checkTarballFiles(files: string[]): void {
  const allowed = (path: string) =>
    path.startsWith("dist/provider/") ||
    path.startsWith("dist/emulator/") ||
    ["package.json", "README.md", "LICENSE"].includes(path);
  const unexpected = files.filter((path) => !allowed(path));
  assert.deepEqual(unexpected, [], `files users do not need are in the tarball: ${unexpected.join(", ")}`);
  const sources = files.filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"));
  assert.deepEqual(sources, [], `TypeScript sources are in the tarball: ${sources.join(", ")}`);
  const tests = files.filter((path) => /(^|\/)tests?\/|\.test\.|\.spec\./.test(path));
  assert.deepEqual(tests, [], `tests are in the tarball: ${tests.join(", ")}`);
  const missing = REQUIRED_FILES.filter((path) => !files.includes(path));
  assert.deepEqual(missing, [], `the tarball lacks ${missing.join(", ")}`);
  // Stale output of a deleted source file would ship code nobody maintains (a clean clone never has any).
  const stale = files
    .filter((path) => path.endsWith(".js"))
    .map((path) => path.slice("dist/".length).replace(/\.js$/, ".ts"))
    .filter((source) => !existsSync(join(repositoryRoot, source)));
  assert.deepEqual(stale, [], `dist/ holds output without a source (rebuild from a clean dist/): ${stale.join(", ")}`);
}

/** Unwraps Pulumi's secret wrapper (the host returns secret outputs wrapped). */
function reveal(value: unknown): unknown {
  if (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG
  ) {
    return (value as { value: unknown }).value;
  }
  return value;
}

const customerArgs = (domain: string) =>
  validCustomerArgs({ domain, email: "billing@packproof.example", companyName: "Pack Proof Inc." });

async function main(): Promise<void> {
  const flags = new Set(process.argv.slice(2));
  const started = Date.now();
  const work = mkdtempSync(join(realpathSync(tmpdir()), "pulumi-partnercenter-pack-proof-"));
  assert.ok(relative(repositoryRoot, work).startsWith(".."), "the proof project lies outside the repository");
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    if (!flags.has("--no-build")) {
      step("build");
      run("npm", ["run", "build"], repositoryRoot);
    }

    step("npm pack");
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: repositoryRoot, encoding: "utf8" }),
    ) as { filename: string; files: { path: string }[]; size: number; entryCount: number }[];
    const tarball = packed[0];
    assert.ok(tarball, "npm pack produced a tarball");
    const files = tarball.files.map((f) => f.path);
    checkTarballFiles(files);
    prove(
      `the tarball (${tarball.filename}, ${tarball.entryCount} files, ${Math.round(tarball.size / 1024)} KiB) holds ` +
        "dist/provider, dist/emulator, README.md, LICENSE and package.json only: no tests, no .ts sources",
    );

    step("fresh project outside the repository: npm install the tarball and @pulumi/pulumi");
    const repoPackage = JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8"));
    const pulumiVersion: string = repoPackage.devDependencies["@pulumi/pulumi"];
    const project = join(work, "project");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "pack-proof-project", version: "0.0.0", private: true }, null, 2)}\n`,
    );
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", join(work, tarball.filename), `@pulumi/pulumi@${pulumiVersion}`],
      project,
    );
    const installed = realpathSync(join(project, "node_modules", "pulumi-partnercenter"));
    assert.ok(installed.startsWith(project + sep), `installed as a real copy inside the project (${installed})`);
    const projectRequire = createRequire(join(project, "package.json"));
    // The GitOps functions are part of the package's main entry (re-exported from provider/gitops).
    const pkg = projectRequire("pulumi-partnercenter") as typeof PackageApi & typeof GitOpsApi;
    const emulatorApi = projectRequire("pulumi-partnercenter/emulator") as typeof EmulatorApi;
    const pulumi = projectRequire("@pulumi/pulumi") as typeof PulumiSdk;
    assert.equal(typeof pkg.PartnerCustomer, "function");
    assert.equal(typeof pkg.CustomerAgreement, "function");
    assert.equal(typeof projectRequire("pulumi-partnercenter/runtime").configure, "function");
    assert.ok(
      realpathSync(projectRequire.resolve("@pulumi/pulumi")).startsWith(project + sep),
      "one @pulumi/pulumi, the project's own",
    );
    prove(
      `npm installs the tarball with @pulumi/pulumi@${pulumiVersion}; "pulumi-partnercenter", "/runtime" and "/emulator" load from it`,
    );

    step("the emulator from the installed package");
    const bin = join(project, "node_modules", ".bin", "partner-center-emulator");
    const help = spawnSync(bin, ["--help"], { encoding: "utf8" });
    assert.equal(help.status, 0, `partner-center-emulator --help: ${help.stderr}`);
    assert.match(help.stdout, /--state-file/);
    const emulator = await emulatorApi.startEmulator({ port: 0 });
    cleanups.push(() => emulator.close());
    prove(`the installed bin runs (partner-center-emulator --help) and startEmulator() listens at ${emulator.url}`);

    step("the providers as the installed resource classes serialize them (runtime mocks)");
    const registered = new Map<string, Record<string, unknown>>();
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.set(args.name, args.inputs);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "pack-proof",
      "proof",
      false,
    );
    const mockCustomer = new pkg.PartnerCustomer("capture-customer", customerArgs("capture.onmicrosoft.com"));
    const mockAgreement = new pkg.CustomerAgreement("capture-agreement", {
      customerId: "00000000-0000-0000-0000-000000000001",
      primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@packproof.example" },
    });
    await new Promise((resolve) => pulumi.all([mockCustomer.urn, mockAgreement.urn]).apply(resolve));
    const customerProvider = String(registered.get("capture-customer")?.__provider ?? "");
    const agreementProvider = String(registered.get("capture-agreement")?.__provider ?? "");
    for (const text of [customerProvider, agreementProvider]) {
      assert.match(text, /pulumi-partnercenter\/runtime/);
      assert.ok(!text.includes(project) && !text.includes(repositoryRoot), "no absolute path is captured");
    }
    prove(
      `PartnerCustomer and CustomerAgreement serialize thin providers (${customerProvider.length} and ` +
        `${agreementProvider.length} chars) that require "pulumi-partnercenter/runtime" and capture no path`,
    );
    const specs = pkg.loadCustomersFile(join(repositoryRoot, "customers.yaml"));
    const provisioned = pkg.provisionCustomers(specs);
    await new Promise((resolve) => pulumi.all(Object.values(provisioned).map((c) => c.customerId)).apply(resolve));
    for (const spec of specs) {
      assert.equal(registered.get(spec.name)?.companyProfile !== undefined, true, `${spec.name} is declared`);
    }
    prove(
      `the GitOps loader validates the repository's customers.yaml and provisionCustomers declares its ${specs.length} customers`,
    );

    step("the real dynamic-provider host, from the temporary project, against the emulator");
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) env[key] = "";
    }
    // The host, its gRPC client and protobuf modules come from the temporary project's @pulumi/pulumi; the host runs
    // in that project's directory (from where the serialized providers require "pulumi-partnercenter/runtime").
    const host = await startProviderHost({
      cwd: project,
      env,
      project: "pack-proof",
      pulumiPackageDir: dirname(projectRequire.resolve("@pulumi/pulumi/package.json")),
    });
    hostOutput = host.output;
    cleanups.push(() => host.stop());
    // A create-time check (no olds), its failures as "property: reason" lines.
    const check = async (urn: string, news: Record<string, unknown>) => {
      const result = await host.check(urn, {}, news);
      return { inputs: result.inputs, failures: result.failures.map((f) => `${f.property}: ${f.reason}`) };
    };
    await host.configure({
      "partnercenter:endpoint": emulator.url,
      "partnercenter:authority": emulator.authority,
      "partnercenter:tenantId": emulator.tenantId,
      "partnercenter:clientId": emulator.credentials.clientId,
      "partnercenter:clientSecret": secretValue(emulator.credentials.clientSecret),
      "partnercenter:refreshToken": secretValue(emulator.credentials.refreshToken),
      "partnercenter:sandbox": "true",
    });
    const urn = (type: string, name: string) => `urn:pulumi:proof::pack-proof::${type}::${name}`;
    const customerUrn = urn(CUSTOMER_TYPE, "proof-customer");
    const domain = `packproof${Date.now().toString(36)}.onmicrosoft.com`;

    const checked = await check(customerUrn, {
      ...customerArgs(domain.toUpperCase()),
      deletionPolicy: "delete",
      __provider: customerProvider,
    });
    assert.deepEqual(checked.failures, [], "check passes (with the emulator preflight)");
    assert.equal((checked.inputs.companyProfile as { domain: string }).domain, domain, "check normalises");
    const invalid = await check(customerUrn, {
      ...customerArgs("taken-by-nobody.com"),
      __provider: customerProvider,
    });
    assert.ok(
      invalid.failures.some((f) => f.startsWith("companyProfile.domain:")),
      invalid.failures.join("\n"),
    );
    prove("configure (stack config, secrets wrapped) and check (normalising valid inputs, refusing a bad domain)");

    const created = await host.create(customerUrn, checked.inputs);
    const inEmulator = emulator.state().customers.find((c) => c.id === created.id);
    assert.ok(inEmulator, `customer ${created.id} exists in the emulator`);
    assert.equal(inEmulator.companyProfile?.domain, domain);
    const credentials = reveal(created.properties.userCredentials) as { userName?: string } | undefined;
    assert.ok(credentials?.userName, "create returns the admin credentials");
    prove(`create makes customer ${created.id} (${domain}) in the emulator and returns its admin credentials`);

    const { properties: read } = await host.read(customerUrn, created.id, created.properties);
    assert.equal(read.customerId, created.id);
    assert.deepEqual(read.companyProfile, created.properties.companyProfile);
    prove("read returns the customer unchanged (no drift)");

    const agreementUrn = urn(AGREEMENT_TYPE, "proof-agreement");
    const agreementChecked = await check(agreementUrn, {
      customerId: created.id,
      primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@packproof.example" },
      __provider: agreementProvider,
    });
    assert.deepEqual(agreementChecked.failures, []);
    const agreement = await host.create(agreementUrn, agreementChecked.inputs);
    assert.equal(
      emulator.state().agreements.filter((a) => a.customerId === created.id).length,
      1,
      "the agreement is recorded in the emulator",
    );
    prove(`CustomerAgreement check and create record the agreement (${agreement.id}) with App+User credentials`);

    await host.delete(customerUrn, created.id, created.properties);
    assert.equal(
      emulator.state().customers.some((c) => c.id === created.id),
      false,
      "deletionPolicy delete removes the customer from the (sandbox) emulator",
    );
    prove('delete with deletionPolicy "delete" removes the customer from the sandbox emulator');

    // What `npm start` deploys, minus the engine: every entry of customers.yaml through the same host calls.
    for (const spec of specs) {
      const specUrn = urn(CUSTOMER_TYPE, spec.name);
      const specChecked = await check(specUrn, { ...spec.customer, __provider: customerProvider });
      assert.deepEqual(specChecked.failures, [], `customers.yaml entry ${spec.name} passes check with preflight`);
      const specCreated = await host.create(specUrn, specChecked.inputs);
      if (spec.agreement !== undefined) {
        const specAgreementUrn = urn(AGREEMENT_TYPE, `${spec.name}-agreement`);
        const specAgreement = await check(specAgreementUrn, {
          ...spec.agreement,
          customerId: specCreated.id,
          __provider: agreementProvider,
        });
        assert.deepEqual(specAgreement.failures, [], `the agreement of ${spec.name} passes check`);
        await host.create(specAgreementUrn, specAgreement.inputs);
      }
    }
    const domains = specs.map((spec) => spec.customer.companyProfile.domain);
    assert.deepEqual(
      domains.filter((d) => !emulator.state().customers.some((c) => c.companyProfile?.domain === d)),
      [],
      "every customers.yaml customer exists in the emulator",
    );
    prove(
      `every customer of customers.yaml (${domains.join(", ")}) passes check with preflight and is created, agreements included`,
    );

    // The engine runs the installed package in three layouts users have: npm, pnpm (nothing hoisted, symlinks
    // into its store), and pnpm with pulumi-partnercenter only a dependency of the user's own wrapper package.
    requireCli();
    const tarballPath = join(work, tarball.filename);
    await proveWithCli({ layout: "npm", project, repoPackage, emulator, work });
    await proveWithCli({
      layout: "pnpm",
      project: pnpmProject(work, "pnpm-project", [tarballPath], repoPackage),
      repoPackage,
      emulator,
      work,
    });
    const wrapper = wrapperTarball(work, tarballPath);
    await proveWithCli({
      layout: "transitive",
      project: pnpmProject(work, "transitive-project", [wrapper], repoPackage),
      repoPackage,
      emulator,
      work,
      importFrom: WRAPPER_NAME,
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    if (flags.has("--keep")) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  console.log(`\n=== [pack-proof] proved in ${Math.round((Date.now() - started) / 1000)}s:`);
  for (const line of proved) console.log(`  ✔ ${line}`);
}

/** pnpm, pinned: the version the proof was written against. */
const PNPM = "pnpm@10.34.8";
/** The user's own wrapper package of the transitive layout. */
const WRAPPER_NAME = "acme-partnercenter-wrapper";

/** Fails the proof when the Pulumi CLI or its Node.js language host is missing: there is no "not run" here. */
function requireCli(): void {
  step("the Pulumi CLI");
  const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  assert.equal(cli.status, 0, "the Pulumi CLI is on PATH (source scripts/ensure-pulumi.sh)");
  const languageHost = spawnSync("pulumi-language-nodejs", ["--help"], { encoding: "utf8" });
  assert.ok(!languageHost.error, "pulumi-language-nodejs is on PATH");
  prove(`pulumi ${cli.stdout.trim()} and pulumi-language-nodejs are on PATH`);
}

/** The dev tools a TypeScript Pulumi program needs in its project (as the examples' package.json says). */
function programTools(repoPackage: { devDependencies: Record<string, string> }): string[] {
  const dev = repoPackage.devDependencies;
  return [`typescript@${dev.typescript}`, `ts-node@${dev["ts-node"]}`, `@types/node@${dev["@types/node"]}`];
}

/** A fresh pnpm project in `work/name` with `packages` (tarballs), @pulumi/pulumi and the program tools. */
function pnpmProject(
  work: string,
  name: string,
  packages: string[],
  repoPackage: { devDependencies: Record<string, string> },
): string {
  step(`fresh pnpm project ${name}: pnpm add ${packages.map((p) => p.slice(work.length + 1)).join(" ")}`);
  const project = join(work, name);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name, version: "0.0.0", private: true })}\n`);
  const pulumiVersion = repoPackage.devDependencies["@pulumi/pulumi"];
  run(
    "npx",
    ["--yes", PNPM, "add", ...packages, `@pulumi/pulumi@${pulumiVersion}`, ...programTools(repoPackage)],
    project,
  );
  return project;
}

/**
 * A user's own wrapper package that depends on the pulumi-partnercenter tarball and re-exports it, packed as a
 * tarball of its own (so it installs as a real package, not a link).
 */
function wrapperTarball(work: string, tarballPath: string): string {
  const dir = join(work, "wrapper");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify(
      {
        name: WRAPPER_NAME,
        version: "1.0.0",
        main: "index.js",
        types: "index.d.ts",
        dependencies: { "pulumi-partnercenter": `file:${tarballPath}` },
        peerDependencies: { "@pulumi/pulumi": "^3.251.0" },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, "index.js"), 'module.exports = require("pulumi-partnercenter");\n');
  writeFileSync(join(dir, "index.d.ts"), 'export * from "pulumi-partnercenter";\n');
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: dir, encoding: "utf8" }),
  ) as { filename: string }[];
  return join(work, packed[0]?.filename ?? "");
}

/**
 * `pulumi preview`, `up`, an unchanged `up` and `destroy` of the direct-customer example, in `project`, against the
 * emulator. The dynamic-provider plugin comes with the CLI (scripts/ensure-pulumi.sh puts it beside `pulumi`, as
 * Pulumi's own distribution does) and loads @pulumi/pulumi from the project.
 */
async function proveWithCli(context: {
  layout: "npm" | "pnpm" | "transitive";
  project: string;
  repoPackage: { devDependencies: Record<string, string> };
  emulator: EmulatorApi.EmulatorHandle;
  work: string;
  /** The package the program imports the resources from (default pulumi-partnercenter). */
  importFrom?: string;
}): Promise<void> {
  const { layout, project, repoPackage, emulator, work } = context;
  step(`the Pulumi CLI (${layout} layout): preview, up, unchanged up, destroy of examples/direct-customer`);
  if (layout === "npm") run("npm", ["install", "--no-audit", "--no-fund", ...programTools(repoPackage)], project);
  const example = join(repositoryRoot, "examples", "direct-customer");
  for (const file of ["Pulumi.yaml", "tsconfig.json"]) copyFileSync(join(example, file), join(project, file));
  const program = readFileSync(join(example, "index.ts"), "utf8");
  const importFrom = context.importFrom ?? "pulumi-partnercenter";
  writeFileSync(join(project, "index.ts"), program.replace('from "pulumi-partnercenter"', `from "${importFrom}"`));
  const projectRequire = createRequire(join(project, "package.json"));
  if (layout === "transitive") {
    assert.throws(
      () => projectRequire.resolve("pulumi-partnercenter/runtime"),
      "pulumi-partnercenter is not resolvable from the project itself: only through the wrapper",
    );
  } else {
    projectRequire.resolve("pulumi-partnercenter/runtime");
  }
  const backend = join(work, `backend-${layout}`);
  mkdirSync(backend);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "pack-proof",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
  };
  const pulumi = (...args: string[]) => runAsync("pulumi", [...args, "--non-interactive"], project, env);
  const domain = `pp${layout.slice(0, 5)}${Date.now().toString(36)}.onmicrosoft.com`;
  await pulumi("stack", "init", "proof");
  await pulumi("config", "set", "partnercenter:endpoint", emulator.url);
  await pulumi("config", "set", "partnercenter:authority", emulator.authority);
  await pulumi("config", "set", "partnercenter:tenantId", emulator.tenantId);
  await pulumi("config", "set", "partnercenter:clientId", emulator.credentials.clientId);
  await pulumi("config", "set", "--secret", "partnercenter:clientSecret", emulator.credentials.clientSecret);
  await pulumi("config", "set", "domain", domain);
  await pulumi("preview");
  await pulumi("up", "--yes");
  const customer = emulator.state().customers.find((c) => c.companyProfile?.domain === domain);
  assert.ok(customer, `pulumi up created ${domain} in the emulator`);
  const outputs = JSON.parse(await pulumi("stack", "output", "--json")) as Record<string, unknown>;
  assert.equal(outputs.customerId, customer.id);
  assert.equal(outputs.adminCredentials, "[secret]", "the admin credentials output is secret");
  const state = await pulumi("stack", "export");
  assert.ok(!state.includes(project) && !state.includes(repositoryRoot), "no absolute path in state");
  await pulumi("up", "--yes", "--expect-no-changes");
  prove(
    `${layout}: pulumi preview and up of examples/direct-customer from the installed package created ${customer.id} ` +
      "(credentials secret, no absolute path in state); a second up changed nothing",
  );
  await pulumi("destroy", "--yes");
  const after = JSON.parse(await pulumi("stack", "export")) as { deployment: { resources?: unknown[] } };
  assert.equal(after.deployment.resources?.length ?? 0, 0, "the stack is empty after destroy");
  assert.ok(
    emulator.state().customers.some((c) => c.id === customer.id),
    'deletionPolicy "retain": the customer stays in Partner Center',
  );
  prove(`${layout}: pulumi destroy empties the stack and, with deletionPolicy "retain", leaves the customer in place`);
}

main().catch((error: unknown) => {
  console.error(
    `\n!!! [pack-proof] FAILED at step "${currentStep}": ${error instanceof Error ? error.message : error}`,
  );
  const output = hostOutput().trim();
  if (output !== "") console.error(`provider host output:\n${output.split("\n").slice(-30).join("\n")}`);
  if (proved.length > 0) {
    console.error("proved before the failure:");
    for (const line of proved) console.error(`  ✔ ${line}`);
  }
  process.exit(1);
});

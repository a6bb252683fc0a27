/**
 * The upgrade fixture generator behind scripts/make-upgrade-fixture.sh (run that: it provides the CLI and the YAML
 * host). For each front end — the TypeScript GitOps program (tests/upgrade/programs/dynamic) and the Pulumi YAML
 * program on the native plugin (tests/upgrade/programs/native) — against one emulator:
 *
 *   1. `pulumi up` on a new local backend (customers, agreements, the MCA attestation, GDAP relationships);
 *   2. the people the stack waits for act, through the emulator (the customer accepts the MCA, the customer's admin
 *      approves the GDAP relationship), and a second `pulumi up` records it and assigns the groups;
 *   3. `pulumi preview` must then plan nothing and send nothing;
 *   4. `pulumi stack export` (without --show-secrets: every secret stays encrypted with the fixtures' passphrase).
 *
 * Then it writes tests/upgrade/fixtures/v<version>/ (see tests/upgrade/support/fixture.ts) and checks that no secret
 * the run produced (client secret, refresh token, admin passwords, acceptance and approval links) is in the clear in
 * any state or config file it wrote.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../emulator";
import { emulatorRequest } from "../tests/support/emulatorClient";
import {
  changesOf,
  copyProject,
  createFixtureStack,
  fixtureEnv,
  fixtureStackConfig,
  previewJson,
  pulumi,
  typeOfUrn,
} from "../tests/upgrade/support/cli";
import {
  type ExportedState,
  FIXTURES_DIR,
  type FixtureInfo,
  FRONT_ENDS,
  type FrontEndName,
  PROGRAMS_DIR,
  secretsOf,
  UPGRADE_FIXTURE_PORT,
  UPGRADE_FIXTURE_STACK,
} from "../tests/upgrade/support/fixture";

const ROOT = join(__dirname, "..");

function fail(message: string): never {
  console.error(`make-upgrade-fixture: ${message}`);
  process.exit(1);
}

function log(message: string): void {
  console.error(`make-upgrade-fixture: ${message}`);
}

/**
 * What a run produced that must never be in the clear in the fixture's state or config, each with what it is (the
 * failure names that, never the value).
 */
const plaintextSecrets = new Map<string, string>();
const secret = (value: string | undefined, what: string) => {
  if (value && value.length >= 8) plaintextSecrets.set(value, what);
};

/** Lets the people the stack waits for act: accept every open MCA attestation, approve every pending relationship. */
async function actAsCustomers(emulator: EmulatorHandle): Promise<number> {
  let acted = 0;
  const state = emulator.state();
  for (const attestation of state.attestations ?? []) {
    secret(attestation.id, "an MCA attestation ID");
    if (attestation.status !== "pending") continue;
    const answer = await emulatorRequest(emulator, "POST", "/mca/accept", {
      form: { attestationid: attestation.id, agree: "yes" },
    });
    if (answer.status >= 400)
      fail(`the emulator's acceptance page refused attestation ${attestation.id}: ${answer.status}`);
    acted++;
  }
  for (const relationship of state.gdap.relationships) {
    if (relationship.status !== "approvalPending") continue;
    if (!(await emulator.approveGdapRelationship(relationship.id))) fail(`could not approve ${relationship.id}`);
    acted++;
  }
  return acted;
}

/** Runs one front end's program to a settled stack and returns its export and the project copy's directory. */
async function settle(
  frontEnd: FrontEndName,
  emulator: EmulatorHandle,
  work: string,
): Promise<{ stack: Stack; projectDir: string; exported: string }> {
  const project = copyProject(join(PROGRAMS_DIR, frontEnd), frontEnd);
  const backend = join(work, `backend-${frontEnd}`);
  mkdirSync(backend, { recursive: true });
  const stack = await createFixtureStack(project.dir, fixtureEnv(frontEnd, emulator, backend));
  await stack.setAllConfig(fixtureStackConfig(emulator, frontEnd));
  log(`${frontEnd}: pulumi up`);
  await stack.up({ onOutput: () => undefined });
  const acted = await actAsCustomers(emulator);
  log(`${frontEnd}: ${acted} acceptance(s) and approval(s) on the emulator; pulumi up records them`);
  await stack.up({ onOutput: () => undefined });
  const before = emulator.requests().length;
  const preview = await previewJson(stack);
  const changes = changesOf(preview.steps);
  if (changes.length > 0) {
    fail(`${frontEnd}: the settled stack still plans changes: ${changes.map((s) => `${s.op} ${s.urn}`).join("; ")}`);
  }
  const sent = emulator.requests().slice(before);
  if (sent.length > 0) {
    fail(`${frontEnd}: an unchanged preview sent ${sent.length} request(s): ${sent.map((r) => r.path).join(", ")}`);
  }
  // Without --show-secrets: the secrets stay encrypted with the stack's passphrase.
  const exported = await pulumi(stack, "stack", "export");
  return { stack, projectDir: project.dir, exported };
}

/** The secret outputs a run produced, in plaintext (from a --show-secrets export), to look for in the fixture. */
async function collectPlaintextSecrets(stack: Stack): Promise<void> {
  const state = JSON.parse(await pulumi(stack, "stack", "export", "--show-secrets")) as ExportedState;
  for (const resource of state.deployment.resources ?? []) {
    const outputs = resource.outputs ?? {};
    const credentials = outputs.userCredentials as { password?: string } | undefined;
    secret(credentials?.password, "an admin password");
    for (const key of ["acceptanceUrl", "approvalUrl", "attestationId"]) {
      if (typeof outputs[key] === "string") secret(outputs[key] as string, `an output ${key}`);
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const unknown = args.filter((arg) => arg !== "--force");
  if (unknown.length > 0) fail(`unknown argument(s) ${unknown.join(" ")}; usage: make-upgrade-fixture.sh [--force]`);

  const version = String(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  const out = join(FIXTURES_DIR, `v${version}`);
  if (existsSync(out) && !force) {
    fail(
      `${out} exists. Fixtures of released versions are kept as they are; bump the version first, or pass --force to rewrite the fixture of an unreleased one`,
    );
  }
  const pulumiVersion = execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
  const yamlHostVersion = yamlHost();

  const work = mkdtempSync(join(tmpdir(), "pc-upgrade-fixture-"));
  const emulatorState = join(work, "emulator-state.json");
  let emulator: EmulatorHandle | undefined;
  const results = new Map<FrontEndName, { stack: Stack; projectDir: string; exported: string }>();
  try {
    emulator = await startEmulator({
      port: UPGRADE_FIXTURE_PORT,
      stateFile: emulatorState,
      caCertificatePath: join(work, "ca.pem"),
    });
    secret(emulator.credentials.clientSecret, "the client secret");
    secret(emulator.credentials.refreshToken, "the refresh token");
    for (const frontEnd of FRONT_ENDS) {
      const result = await settle(frontEnd, emulator, work);
      await collectPlaintextSecrets(result.stack);
      results.set(frontEnd, result);
    }
    for (const customer of emulator.state().customers) {
      secret(customer.userCredentials?.password, "an admin password");
    }
  } finally {
    await emulator?.close();
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const info: FixtureInfo = {
    version,
    createdAt: new Date().toISOString(),
    pulumiVersion,
    yamlHostVersion,
    emulatorPort: UPGRADE_FIXTURE_PORT,
    stack: UPGRADE_FIXTURE_STACK,
    frontEnds: {} as FixtureInfo["frontEnds"],
  };
  for (const frontEnd of FRONT_ENDS) {
    const result = results.get(frontEnd);
    if (!result) fail(`${frontEnd} did not run`);
    const target = join(out, frontEnd);
    mkdirSync(target, { recursive: true });
    // The program and its stack config as they ran (not node_modules, not the Automation API's workspace files).
    for (const name of readdirSync(result.projectDir)) {
      if (name === "node_modules") continue;
      cpSync(join(result.projectDir, name), join(target, name), { recursive: true });
    }
    const state = JSON.parse(result.exported) as ExportedState;
    writeFileSync(join(target, "state.json"), `${JSON.stringify(state, null, 2)}\n`);
    const counts: Record<string, number> = {};
    for (const resource of state.deployment.resources ?? []) {
      const type = typeOfUrn(resource.urn);
      if (type.startsWith("pulumi:")) continue;
      counts[type] = (counts[type] ?? 0) + 1;
    }
    info.frontEnds[frontEnd] = { project: projectName(target), resources: counts };
    const notEncrypted = secretsOf(state).filter((secret) => !secret.encrypted);
    if (notEncrypted.length > 0)
      fail(`${frontEnd}: secrets not encrypted in state: ${notEncrypted.map((s) => s.path)}`);
    rmSync(result.projectDir, { recursive: true, force: true });
  }
  // Pretty-printed, so a reviewer can read what the emulator held.
  const persisted = JSON.parse(readFileSync(emulatorState, "utf8"));
  writeFileSync(join(out, "emulator-state.json"), `${JSON.stringify(persisted, null, 2)}\n`);
  writeFileSync(join(out, "fixture.json"), `${JSON.stringify(info, null, 2)}\n`);
  rmSync(work, { recursive: true, force: true });

  // No secret of the run in the clear in any Pulumi file of the fixture (the emulator's own state file holds its
  // demo data in the clear by design).
  for (const frontEnd of FRONT_ENDS) {
    for (const name of readdirSync(join(out, frontEnd))) {
      const text = readFileSync(join(out, frontEnd, name), "utf8");
      for (const [value, what] of plaintextSecrets) {
        if (text.includes(value)) fail(`${frontEnd}/${name} holds ${what} in the clear`);
      }
    }
  }
  log(`wrote ${out} (${JSON.stringify(info.frontEnds)})`);
}

/** The `name:` of a Pulumi.yaml. */
function projectName(dir: string): string {
  const match = /^name:\s*(\S+)/m.exec(readFileSync(join(dir, "Pulumi.yaml"), "utf8"));
  if (!match?.[1]) fail(`no project name in ${dir}/Pulumi.yaml`);
  return match[1];
}

/** The YAML host's version, from its cache folder name or `--version`, else "unknown". */
function yamlHost(): string {
  try {
    const path = execFileSync("bash", ["-c", "command -v pulumi-language-yaml"], { encoding: "utf8" }).trim();
    const fromPath = /pulumi-yaml\/v([\d.]+)\//.exec(path)?.[1];
    return fromPath ? `v${fromPath}` : path;
  } catch {
    fail("pulumi-language-yaml is not on PATH (source scripts/ensure-pulumi-yaml.sh)");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);

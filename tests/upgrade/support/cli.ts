/**
 * The real Pulumi CLI around upgrade fixtures, shared by the generator (scripts/make-upgrade-fixture.ts) and the CLI
 * variants of the upgrade test (tests/e2e/upgradeFixture.test.ts, tests/e2e-native/upgradeFixture.test.ts): a
 * fixture project copied into a temporary directory, run on a throwaway local backend with the fixtures' passphrase,
 * against an emulator, with the front end's plugin on PATH.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigMap, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../../../emulator";
import { nativePluginEnv } from "../../support/nativePlugin";
import { repositoryRoot } from "../../support/providerHost";
import { pulumiCommand } from "../../support/pulumiCli";
import { type FrontEndName, UPGRADE_FIXTURE_PASSPHRASE, UPGRADE_FIXTURE_STACK } from "./fixture";

/** The stack config of a fixture stack against `emulator`: App+User and App-only credentials, Graph, both pages. */
export function fixtureStackConfig(emulator: EmulatorHandle, frontEnd: FrontEndName): ConfigMap {
  return {
    "partnercenter:endpoint": { value: emulator.url },
    "partnercenter:authority": { value: emulator.authority },
    "partnercenter:tenantId": { value: emulator.tenantId },
    "partnercenter:clientId": { value: emulator.credentials.clientId },
    "partnercenter:clientSecret": { value: emulator.credentials.clientSecret, secret: true },
    "partnercenter:refreshToken": { value: emulator.credentials.refreshToken, secret: true },
    "partnercenter:mcaAcceptanceBase": { value: emulator.url },
    "partnercenter:graphEndpoint": { value: emulator.url },
    "partnercenter:gdapApprovalBase": { value: emulator.url },
    ...(frontEnd === "dynamic" ? { "partnercenter:customersFile": { value: "customers.yaml" } } : {}),
  };
}

/** A fixture project in a temporary directory (a Node.js one with the repository's node_modules linked). */
export interface ProjectCopy {
  readonly dir: string;
  cleanup(): void;
}

/** Copies the project folder `source` (program, stack config, state) into a new temporary directory. */
export function copyProject(source: string, frontEnd: FrontEndName): ProjectCopy {
  const dir = mkdtempSync(join(tmpdir(), `pc-upgrade-${frontEnd}-`));
  cpSync(source, dir, { recursive: true });
  if (frontEnd === "dynamic") symlinkSync(join(repositoryRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The CLI's environment for a fixture stack: a local backend in `backendDir`, the fixtures' passphrase, the
 * emulator's CA, none of the caller's Partner Center or Azure settings, and for the native front end the plugin.
 */
export function fixtureEnv(
  frontEnd: FrontEndName,
  emulator: EmulatorHandle,
  backendDir: string,
): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: UPGRADE_FIXTURE_PASSPHRASE,
    PULUMI_CONFIG_PASSPHRASE_FILE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
  };
  for (const key of Object.keys(process.env)) {
    if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) env[key] = "";
  }
  return frontEnd === "native" ? { ...env, ...nativePluginEnv() } : env;
}

/** Creates the fixture's stack in the project at `workDir` (its Pulumi.upgrade.yaml, if any, keeps its salt). */
export function createFixtureStack(workDir: string, env: Record<string, string>): Promise<Stack> {
  return LocalWorkspace.createStack({ stackName: UPGRADE_FIXTURE_STACK, workDir }, { envVars: env });
}

/** `pulumi <args> --stack <stack> --non-interactive` in the stack's project (the e2e suites' own helper). */
export const pulumi = pulumiCommand;

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, unknown> | null;
}

/** `pulumi preview --json --show-sames`: every step and the change summary (an error exits non-zero: it throws). */
export async function previewJson(
  stack: Stack,
  ...extra: string[]
): Promise<{ steps: PreviewStep[]; changeSummary: Record<string, number> }> {
  // --show-sames: the unchanged resources are steps too, so a caller can see that the preview saw them.
  const text = await pulumi(stack, "preview", "--json", "--show-sames", ...extra);
  const parsed = JSON.parse(text) as { steps?: PreviewStep[]; changeSummary?: Record<string, number> };
  return { steps: parsed.steps ?? [], changeSummary: parsed.changeSummary ?? {} };
}

/** The resource type of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

/**
 * What in a preview is a change: every step but `same` — of a resource, or of a provider other than a default one
 * whose only difference is its `version` (a default provider of a newer plugin; Pulumi moves resources to it without
 * a change of their own).
 */
export function changesOf(steps: readonly PreviewStep[]): PreviewStep[] {
  return steps.filter((step) => {
    if (step.op === "same") return false;
    const type = typeOfUrn(step.urn);
    if (type.startsWith("pulumi:providers:") && /::default(_[\d_]+)?$/.test(step.urn)) {
      return !(step.diffReasons ?? []).every((key) => key === "version");
    }
    return true;
  });
}

/** What a fixture's preview under the real CLI showed. */
export interface CliPreviewResult {
  /** Every step of `pulumi preview --json`. */
  steps: PreviewStep[];
  /** The steps that are changes ({@link changesOf}). */
  changes: PreviewStep[];
  /** `pulumi preview --json`'s change summary. */
  changeSummary: Record<string, number>;
  /** What reached the emulator during the preview (method and path), token requests included. */
  requests: string[];
}

/**
 * The fixture of `fixtureDir` (see fixture.ts) for `frontEnd` under the real CLI: its emulator started from a copy of
 * its state file on the port it was made with, its project copied to a temporary directory, a fresh stack of the same
 * name on a new local backend, `pulumi stack import` of the stored state, then `pulumi preview --json`.
 */
export async function previewFixtureUnderCli(
  fixtureDir: string,
  frontEnd: FrontEndName,
  port: number,
): Promise<CliPreviewResult> {
  const work = mkdtempSync(join(tmpdir(), `pc-upgrade-cli-${frontEnd}-`));
  const project = copyProject(join(fixtureDir, frontEnd), frontEnd);
  let emulator: EmulatorHandle | undefined;
  try {
    cpSync(join(fixtureDir, "emulator-state.json"), join(work, "emulator-state.json"));
    emulator = await startEmulator({
      port,
      stateFile: join(work, "emulator-state.json"),
      caCertificatePath: join(work, "ca.pem"),
    }).catch((error: Error) => {
      throw new Error(`the fixture's emulator needs port ${port} (the URL in its state): ${error.message}`);
    });
    const backend = join(work, "backend");
    mkdirSync(backend);
    const stack = await createFixtureStack(project.dir, fixtureEnv(frontEnd, emulator, backend));
    await pulumi(stack, "stack", "import", "--file", join(project.dir, "state.json"));
    const before = emulator.requests().length;
    const { steps, changeSummary } = await previewJson(stack);
    const requests = emulator
      .requests()
      .slice(before)
      .map((r) => `${r.method} ${r.path}`);
    return { steps, changes: changesOf(steps), changeSummary, requests };
  } finally {
    await emulator?.close();
    project.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

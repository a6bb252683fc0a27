/**
 * Runs Pulumi programs with the real CLI through the Automation API, on a throwaway local file backend with a
 * passphrase secrets provider, so nothing needs the network.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ConfigMap, type EngineEvent, LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import type { EmulatorHandle } from "../../emulator";

/** The passphrase of every throwaway stack: these stacks hold emulator data only. */
export const TEST_PASSPHRASE = "pulumi-partnercenter-e2e";

/**
 * Fails loudly when the Pulumi CLI is not on PATH: the e2e suites never pass silently without it.
 * `scripts/ensure-pulumi.sh` provides it (from PATH, the cache, or a build from the Go module proxy).
 */
export function requirePulumiCli(): string {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(
      "The Pulumi CLI is not on PATH, so the end-to-end suites cannot run. Run `source scripts/ensure-pulumi.sh` " +
        `(it builds the CLI from the Go module proxy) or install pulumi yourself. Cause: ${(error as Error).message}`,
    );
  }
}

/** Stack config that points the provider at `emulator`, the client secret and refresh token as secrets. */
export function emulatorStackConfig(emulator: EmulatorHandle): ConfigMap {
  return {
    "partnercenter:endpoint": { value: emulator.url },
    "partnercenter:authority": { value: emulator.authority },
    "partnercenter:tenantId": { value: emulator.tenantId },
    "partnercenter:clientId": { value: emulator.credentials.clientId },
    "partnercenter:clientSecret": { value: emulator.credentials.clientSecret, secret: true },
    "partnercenter:refreshToken": { value: emulator.credentials.refreshToken, secret: true },
  };
}

/**
 * Stack config for App-only credentials against `emulator` (no refresh token anywhere), with the customer's MCA
 * acceptance link on the emulator's page, and Microsoft Graph (GDAP) and the GDAP approval page on the emulator too.
 */
export function appOnlyStackConfig(emulator: EmulatorHandle): ConfigMap {
  const { "partnercenter:refreshToken": _appUser, ...appOnly } = emulatorStackConfig(emulator);
  return {
    ...appOnly,
    "partnercenter:mcaAcceptanceBase": { value: emulator.url },
    "partnercenter:graphEndpoint": { value: emulator.url },
    "partnercenter:gdapApprovalBase": { value: emulator.url },
  };
}

export interface TestStack {
  stack: Stack;
  backendDir: string;
  /** Destroys nothing; removes the stack from the backend and deletes the backend directory. */
  cleanup(): Promise<void>;
}

/** Creates (or selects) a stack of the program in `workDir` on a new local backend. */
export async function createTestStack(
  workDir: string,
  stackName: string,
  envVars: Record<string, string> = {},
): Promise<TestStack> {
  requirePulumiCli();
  const backendDir = mkdtempSync(join(tmpdir(), "pc-e2e-backend-"));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    {
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
        ...envVars,
      },
    },
  );
  return {
    stack,
    backendDir,
    async cleanup() {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      rmSync(backendDir, { recursive: true, force: true });
    },
  };
}

/**
 * `pulumi stack export` as an attacker with the state but not the passphrase sees it: the CLI itself, **without**
 * `--show-secrets` (the Automation API's `exportStack()` passes `--show-secrets`, so it proves nothing about leaks).
 */
export function exportStackAsStored(test: TestStack): string {
  return execFileSync("pulumi", ["stack", "export", "--stack", test.stack.name, "--non-interactive"], {
    cwd: test.stack.workspace.workDir,
    env: { ...process.env, ...test.stack.workspace.envVars },
    encoding: "utf8",
  });
}

const execFileAsync = promisify(execFile);

/**
 * Runs `pulumi <args> --stack <stack> --non-interactive` in the stack's project with its workspace environment and
 * returns stdout; a failure throws with stdout and stderr. Asynchronous on purpose: when the emulator answers from
 * this process, a synchronous child would deadlock it.
 */
export async function pulumiCommand(stack: Stack, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync("pulumi", [...args, "--stack", stack.name, "--non-interactive"], {
      cwd: stack.workspace.workDir,
      env: { ...process.env, ...stack.workspace.envVars },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`pulumi ${args.join(" ")} failed:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

/** A resource of `pulumi stack export` (no `--show-secrets`). */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The stack's resources as `pulumi stack export` prints them (asynchronously; see {@link pulumiCommand}). */
export async function exportedResources(stack: Stack): Promise<ExportedResource[]> {
  const state = JSON.parse(await pulumiCommand(stack, "stack", "export")) as {
    deployment: { resources?: ExportedResource[] };
  };
  return state.deployment.resources ?? [];
}

/** Every file of the stack's local backend (state, its backups and history), as `label → text`. */
export function rawBackendFiles(test: TestStack): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path.slice(test.backendDir.length + 1), readFileSync(path, "utf8"));
    }
  };
  walk(test.backendDir);
  return files;
}

/**
 * Whether `event` is the Node.js SDK's own debug echo of a resource-monitor answer (`RegisterResource RPC finished:
 * …, resp: …`, and the same for ReadResource, RegisterResourceOutputs and invokes). `@pulumi/pulumi`'s runtime logs
 * each gRPC answer at debug level with the protobuf's text, which holds every output — secret ones in plaintext —
 * for *any* resource with a secret output, ours or not (tests/e2e/smoke.test.ts proves it with a trivial dynamic
 * resource). The CLI never displays debug diagnostics without `--debug` and `--json` drops them, but the event log
 * (`--event-log`, the Automation API's `onEvent`) carries them. The secret scans set these aside, and only these.
 */
export function isSdkResponseDebugEcho(event: EngineEvent): boolean {
  const diagnostic = event.diagnosticEvent;
  if (!diagnostic || (diagnostic.severity as string) !== "debug") return false;
  return /^(RegisterResource|ReadResource|RegisterResourceOutputs|getResource Invoke|Invoke) RPC finished/.test(
    diagnostic.message,
  );
}

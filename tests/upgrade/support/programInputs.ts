/**
 * What a fixture's program registers today, without the Pulumi CLI: the inputs the engine would send to Check for each
 * resource in a preview of the fixture's stack.
 *
 * - TypeScript (dynamic): the program itself, run by *this* version of the package under runtime mocks in a child
 *   process (recordProgram.ts), each resource answering with its stored outputs.
 * - Pulumi YAML (native): the program's properties with each `${resource.output}` replaced by that resource's stored
 *   output — what the YAML host sends for an unchanged resource. The fixture programs use literal values and
 *   whole-value references only; anything else is refused here rather than guessed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import type { ExportedState, Fixture } from "./fixture";
import type { RecordedRegistration } from "./recordProgram";

const execFileAsync = promisify(execFile);

export type { RecordedRegistration };

/** The plain (not `secure:`) config of a fixture project's `Pulumi.<stack>.yaml`. */
export function plainStackConfig(fixture: Fixture, frontEnd: "dynamic" | "native"): Record<string, string> {
  const file = join(fixture.projectDir(frontEnd), `Pulumi.${fixture.info.stack}.yaml`);
  const config = (parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> }).config ?? {};
  return Object.fromEntries(
    Object.entries(config)
      .filter(([, value]) => typeof value !== "object" || value === null)
      .map(([key, value]) => [key, String(value)]),
  );
}

/** Runs the fixture's TypeScript program under mocks (see the module comment) and returns its registrations. */
export async function recordDynamicProgram(fixture: Fixture, state: ExportedState): Promise<RecordedRegistration[]> {
  const dir = mkdtempSync(join(tmpdir(), "pc-upgrade-record-"));
  try {
    const stateFile = join(dir, "state.json");
    const configFile = join(dir, "config.json");
    // Decrypted outputs (admin passwords among them) only ever in this owner-only temporary file.
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
    writeFileSync(configFile, JSON.stringify(plainStackConfig(fixture, "dynamic")));
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--import", "tsx", join(__dirname, "recordProgram.ts"), fixture.projectDir("dynamic"), stateFile, configFile],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PULUMI_NODEJS_PROJECT: "" } },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the fixture's program failed under mocks: ${error.stderr || error.message}`);
    });
    return stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as RecordedRegistration);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A resource of a Pulumi YAML program. */
interface YamlResource {
  type: string;
  properties?: Record<string, unknown>;
  options?: { protect?: boolean };
}

/** Evaluates the fixture's Pulumi YAML program against its stored outputs (see the module comment). */
export function evaluateYamlProgram(fixture: Fixture, state: ExportedState): RecordedRegistration[] {
  const program = parse(readFileSync(join(fixture.projectDir("native"), "Pulumi.yaml"), "utf8")) as {
    resources?: Record<string, YamlResource>;
    config?: unknown;
    variables?: unknown;
  };
  if (program.config !== undefined || program.variables !== undefined) {
    throw new Error("the fixture's YAML program uses config or variables, which this evaluation does not support");
  }
  const resources = program.resources ?? {};
  const outputsOf = (name: string): Record<string, unknown> => {
    const declared = resources[name];
    if (!declared) throw new Error(`\${${name}…} names no resource of the program`);
    const stored = (state.deployment.resources ?? []).find(
      (r) => r.type === declared.type && r.urn.split("::").slice(3).join("::") === name,
    );
    if (!stored) throw new Error(`the state holds no ${declared.type} ${name}`);
    return stored.outputs ?? {};
  };
  const evaluate = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => evaluate(item, `${path}[${index}]`));
    if (value !== null && typeof value === "object") {
      if (Object.keys(value).some((key) => key.startsWith("fn::"))) {
        throw new Error(`${path}: functions (fn::…) are not supported here`);
      }
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, evaluate(inner, `${path}.${key}`)]));
    }
    if (typeof value !== "string" || !value.includes("${")) return value;
    const reference = /^\$\{([A-Za-z][\w-]*)\.([A-Za-z][\w]*)\}$/.exec(value);
    if (!reference) throw new Error(`${path}: only a whole-value \${resource.output} is supported here, got ${value}`);
    return outputsOf(reference[1] as string)[reference[2] as string];
  };
  return Object.entries(resources).map(([name, resource]) => ({
    type: resource.type,
    name,
    inputs: evaluate(resource.properties ?? {}, name) as Record<string, unknown>,
    protect: resource.options?.protect === true,
    new: false,
  }));
}

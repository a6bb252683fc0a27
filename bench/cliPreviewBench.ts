/**
 * `pulumi preview` of N unchanged customers with the real CLI: Partner Center writes (goal 0) and reads (goal ≤ N)
 * during the preview, and its time against the same project with no resources. Needs the Pulumi CLI; without it the
 * figures are recorded as not measured.
 */
import { execFileSync } from "node:child_process";
import { startEmulator } from "../emulator";
import { isApiRequest } from "../tests/support/evidenceHarness";
import { configureEvidenceStack, createEvidenceProject, uniquePrefix } from "../tests/support/evidenceProject";
import { createTestStack } from "../tests/support/pulumiCli";
import { type BenchResult, notMeasured, result } from "./benchResult";

/** The installed Pulumi CLI version, or undefined when `pulumi` is not on PATH. */
export function pulumiCliVersion(): string | undefined {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** POSTs that only ask (address validation) are reads. */
const isWrite = (entry: { method: string; path: string }) =>
  WRITE_METHODS.has(entry.method) && !entry.path.startsWith("/v1/validations/");

/** Runs the benchmark with `customers` customers (default 20). */
export async function runCliPreviewBench(options: { customers?: number } = {}): Promise<BenchResult[]> {
  const count = options.customers ?? 20;
  const names = {
    writes: `pulumi preview of ${count} unchanged customers: Partner Center writes`,
    reads: `pulumi preview of ${count} unchanged customers: Partner Center reads`,
    time: `pulumi preview of ${count} unchanged customers vs an empty program (time)`,
  };
  const version = pulumiCliVersion();
  if (version === undefined) {
    const note = "not measured: the Pulumi CLI is not on PATH on this machine (see README, The Pulumi CLI)";
    return [
      notMeasured(names.writes, "requests", 0, `${note}; goal: value = 0`),
      notMeasured(names.reads, "requests", count, `${note}; goal: value ≤ ${count}`),
      notMeasured(names.time, "s", null, `${note}; reported against the empty program, no fixed goal`),
    ];
  }
  const emulator = await startEmulator({ port: 0 });
  const project = createEvidenceProject();
  const env = { NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
  const full = await createTestStack(project.dir, "bench-preview", env);
  const empty = await createTestStack(project.dir, "bench-empty", env);
  try {
    await configureEvidenceStack(full, emulator, { prefix: uniquePrefix("bench"), count });
    await configureEvidenceStack(empty, emulator, { prefix: uniquePrefix("empty"), count: 0 });
    await full.stack.up();
    await empty.stack.up();
    const timed = async (run: () => Promise<unknown>) => {
      const started = Date.now();
      await run();
      return (Date.now() - started) / 1000;
    };
    // One warm-up preview each (plugin caches), then the measured ones.
    await full.stack.preview();
    await empty.stack.preview();
    const mark = emulator.requests().length;
    const fullSeconds = await timed(() => full.stack.preview());
    const during = emulator.requests().slice(mark).filter(isApiRequest);
    const emptySeconds = await timed(() => empty.stack.preview());
    const writes = during.filter(isWrite).length;
    const reads = during.length - writes;
    return [
      result(
        {
          name: names.writes,
          value: writes,
          unit: "requests",
          baseline: 0,
          goal: 0,
          note: `goal: value = 0; ${version}`,
        },
        (v) => v === 0,
      ),
      result(
        {
          name: names.reads,
          value: reads,
          unit: "requests",
          baseline: count,
          goal: count,
          note: `goal: value ≤ ${count}; ${version}`,
        },
        (v) => v <= count,
      ),
      {
        ...result(
          {
            name: names.time,
            value: fullSeconds,
            unit: "s",
            baseline: emptySeconds,
            goal: null,
            note: `no fixed goal; ${version}`,
          },
          () => true,
        ),
        met: null,
      },
    ];
  } finally {
    await full.cleanup();
    await empty.cleanup();
    project.cleanup();
    await emulator.close();
  }
}

/**
 * The emulator and client benchmarks that live next to this runner (`bench/emulatorBench.ts`,
 * `bench/clientBench.ts`), included when the file exists and exports its run function; otherwise a note says why
 * not. Their records keep their own goals; the note states the direction.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type BenchResult, notMeasured } from "./benchResult";

type RecordLike = Omit<BenchResult, "note"> & { note?: string };

interface Suite {
  /** File under bench/, without extension. */
  file: string;
  /** The exported function returning the records. */
  exportName: string;
  /** How its `met` is decided, for the note ("goal: …"), from one of its records. */
  goalText: (record: RecordLike) => string;
}

const SUITES: readonly Suite[] = [
  {
    file: "emulatorBench",
    exportName: "runEmulatorBench",
    goalText: (r) => `goal: value ≥ ${r.goal} ${r.unit}; baseline: a trivial fastify HTTPS route`,
  },
  {
    file: "clientBench",
    exportName: "runClientBench",
    goalText: (r) => `goal: ratio ≤ ${r.goal}; baseline: a raw got GET`,
  },
];

/** Runs each available suite in turn; a suite that is missing or throws yields one note instead of failing the run. */
export async function runColleagueBenches(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const suite of SUITES) {
    const source = `bench/${suite.file}.ts`;
    if (!existsSync(join(__dirname, `${suite.file}.ts`))) {
      results.push(notMeasured(source, "", null, `skipped: ${source} does not exist`));
      continue;
    }
    const loaded = (await import(`./${suite.file}`)) as Record<string, unknown>;
    const run = loaded[suite.exportName] ?? (loaded.default as Record<string, unknown> | undefined)?.[suite.exportName];
    if (typeof run !== "function") {
      results.push(notMeasured(source, "", null, `skipped: ${source} does not export ${suite.exportName}()`));
      continue;
    }
    try {
      const records = (await run()) as RecordLike[];
      for (const record of records) {
        const note = [suite.goalText(record), record.note, `from ${source}`].filter(Boolean).join("; ");
        results.push({ ...record, note });
      }
    } catch (error) {
      results.push(notMeasured(source, "", null, `failed: ${(error as Error).message.split("\n")[0]}`));
    }
  }
  return results;
}

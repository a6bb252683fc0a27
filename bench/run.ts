/**
 * `npm run bench`: runs every benchmark, writes `bench/results.json` and regenerates the results section of
 * BENCHMARKS.md. Not a test: a missed goal is reported, not fatal. A benchmark that throws is recorded as failed and
 * the others still run.
 *
 *   npx tsx bench/run.ts                 # everything (the fleet steps at N = 1,000 alone take half an hour or more)
 *   npx tsx bench/run.ts --only memory   # one step, printed only; results.json and BENCHMARKS.md stay untouched
 *   npx tsx bench/run.ts --only fleet-preview,fleet-refresh --sizes 10,100   # several steps; fleet sizes N
 *   npx tsx bench/run.ts --only fleet-preview --write   # also merge its figures into results.json and BENCHMARKS.md
 *   npx tsx bench/run.ts --only fleet-preview --smoke   # CI smoke: N = 10, one run per side, nothing written;
 *                                                        # exits non-zero if a step fails or a figure is not measured
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { updateBenchmarksMarkdown } from "./benchmarksMarkdown";
import { type BenchResult, notMeasured } from "./benchResult";
import { runCliPreviewBench } from "./cliPreviewBench";
import { runColdStartBench } from "./coldStartBench";
import { runColleagueBenches } from "./colleagueBenches";
import { runCreateOverheadBench } from "./createOverheadBench";
import {
  cleanupFleet,
  DEFAULT_FLEET_SIZES,
  type FleetOptions,
  runFleetCreateRateBench,
  runFleetPreviewBench,
  runFleetPreviewNewBench,
  runFleetRefreshBench,
  runFleetUpUnchangedBench,
} from "./fleetBench";
import { runMemoryBench, runRateLimitBench, runTokenBench } from "./hostBenches";

/** `--name value` from the command line. */
function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const smoke = process.argv.includes("--smoke");
const write = process.argv.includes("--write");
const fleet: FleetOptions = {
  sizes: smoke ? [10] : (option("--sizes")?.split(",").map(Number) ?? DEFAULT_FLEET_SIZES),
  smoke,
  write: write || !option("--only"),
};

const STEPS: ReadonlyArray<readonly [string, () => Promise<BenchResult[]>]> = [
  ["create-overhead", () => runCreateOverheadBench()],
  ["tokens", () => runTokenBench()],
  ["cold-start", () => runColdStartBench()],
  ["memory", () => runMemoryBench()],
  ["rate-limit", () => runRateLimitBench()],
  ["cli-preview", () => runCliPreviewBench()],
  ["emulator-and-client", () => runColleagueBenches()],
  // The fleet steps share their stacks (created once per size and process): preview, up and refresh in this order.
  ["fleet-preview", () => runFleetPreviewBench(fleet)],
  ["fleet-up-unchanged", () => runFleetUpUnchangedBench(fleet)],
  ["fleet-refresh", () => runFleetRefreshBench(fleet)],
  ["fleet-preview-new", () => runFleetPreviewNewBench(fleet)],
  ["fleet-create-rate", () => runFleetCreateRateBench(fleet)],
];

async function main(): Promise<void> {
  const only = option("--only")?.split(",");
  const unknown = only?.filter((name) => !STEPS.some(([step]) => step === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(`no step ${unknown.join(", ")}; steps: ${STEPS.map(([name]) => name).join(", ")}`);
  const steps = only ? STEPS.filter(([name]) => only.includes(name)) : STEPS;

  const results: BenchResult[] = [];
  for (const [name, run] of steps) {
    const started = Date.now();
    console.log(`bench: ${name}…`);
    try {
      const records = await run();
      results.push(...records);
      for (const r of records) {
        const met = r.met === null ? "not measured" : r.met ? "met" : "NOT met";
        console.log(
          `  ${r.name}: ${r.value ?? "—"} ${r.unit} (baseline ${r.baseline ?? "—"}, ratio ${r.ratio ?? "—"}) ${met}`,
        );
      }
    } catch (error) {
      console.error(error);
      results.push(notMeasured(name, "", null, `failed: ${(error as Error).message.split("\n")[0]}`));
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  await cleanupFleet();

  if (smoke) {
    // The smoke run proves the benchmarks still work: a step that threw or a figure not measured fails it; a goal
    // missed does not (timings on a shared CI machine say nothing).
    const broken = results.filter((r) => r.value === null).map((r) => `${r.name}: ${r.note ?? ""}`);
    if (broken.length > 0)
      throw new Error(`bench smoke: ${broken.length} figure(s) not measured:\n${broken.join("\n")}`);
    console.log(`bench smoke: ${results.length} figure(s) measured; nothing written`);
    return;
  }
  if (only && !write) return;
  const root = join(__dirname, "..");
  const resultsPath = join(__dirname, "results.json");
  // --only … --write merges: figures of the steps run replace those of the same name, the others stay.
  const merged = only ? mergeResults(readResults(resultsPath), results) : results;
  writeFileSync(resultsPath, `${JSON.stringify(merged, null, 2)}\n`);
  updateBenchmarksMarkdown(join(root, "BENCHMARKS.md"), merged);
  const missed = merged.filter((r) => r.met === false).map((r) => r.name);
  console.log(
    `bench: wrote bench/results.json and BENCHMARKS.md; ${missed.length} goal(s) missed${missed.length ? `: ${missed.join("; ")}` : ""}`,
  );
}

function readResults(path: string): BenchResult[] {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as BenchResult[]) : [];
}

function mergeResults(previous: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const names = new Set(fresh.map((r) => r.name));
  const merged = previous.map((r) => (names.has(r.name) ? (fresh.find((f) => f.name === r.name) as BenchResult) : r));
  return [...merged, ...fresh.filter((r) => !previous.some((p) => p.name === r.name))];
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

/**
 * `npm run bench`: runs every benchmark, writes `bench/results.json` and regenerates the results section of
 * BENCHMARKS.md. Not a test: a missed goal is reported, not fatal. A benchmark that throws is recorded as failed and
 * the others still run.
 *
 *   npx tsx bench/run.ts                 # everything (several minutes: the rate-limit figure alone takes two)
 *   npx tsx bench/run.ts --only memory   # one step, printed only; results.json and BENCHMARKS.md stay untouched
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { updateBenchmarksMarkdown } from "./benchmarksMarkdown";
import { type BenchResult, notMeasured } from "./benchResult";
import { runCliPreviewBench } from "./cliPreviewBench";
import { runColdStartBench } from "./coldStartBench";
import { runColleagueBenches } from "./colleagueBenches";
import { runCreateOverheadBench } from "./createOverheadBench";
import { runMemoryBench, runRateLimitBench, runTokenBench } from "./hostBenches";

const STEPS: ReadonlyArray<readonly [string, () => Promise<BenchResult[]>]> = [
  ["create-overhead", () => runCreateOverheadBench()],
  ["tokens", () => runTokenBench()],
  ["cold-start", () => runColdStartBench()],
  ["memory", () => runMemoryBench()],
  ["rate-limit", () => runRateLimitBench()],
  ["cli-preview", () => runCliPreviewBench()],
  ["emulator-and-client", () => runColleagueBenches()],
];

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf("--only");
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  const steps = only ? STEPS.filter(([name]) => name === only) : STEPS;
  if (steps.length === 0) throw new Error(`no step ${only}; steps: ${STEPS.map(([name]) => name).join(", ")}`);

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

  if (only) return;
  const root = join(__dirname, "..");
  writeFileSync(join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  updateBenchmarksMarkdown(join(root, "BENCHMARKS.md"), results);
  const missed = results.filter((r) => r.met === false).map((r) => r.name);
  console.log(
    `bench: wrote bench/results.json and BENCHMARKS.md; ${missed.length} goal(s) missed${missed.length ? `: ${missed.join("; ")}` : ""}`,
  );
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

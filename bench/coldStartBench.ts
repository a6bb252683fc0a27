/**
 * Provider host cold start: time from spawning the real dynamic-provider host to the first successful `check`
 * answered, with our provider (configure with emulator credentials, a customer check without preflight, so no
 * network) against a trivial dynamic provider (its check returns the inputs). Alternating runs, medians.
 */
import { startEmulator } from "../emulator";
import { customerInputs, customerUrn, providerTextOf, startHostFor } from "../tests/support/providerHarness";
import { type BenchResult, elapsedMs, median, result } from "./benchResult";
import { checkTrivial, startTrivialHost, trivialProviderText } from "./trivialProvider";

/** Runs the benchmark: `runs` cold starts of each kind. */
export async function runColdStartBench(options: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = options.runs ?? 7;
  const emulator = await startEmulator({ port: 0 });
  try {
    const ours = await providerTextOf("PartnerCustomer");
    const trivial = await trivialProviderText();
    const oursTimes: number[] = [];
    const trivialTimes: number[] = [];
    const startOurs = async () => {
      const started = process.hrtime.bigint();
      const host = await startHostFor(emulator, { credentials: "app" });
      const checked = await host.check(
        customerUrn("cold"),
        {},
        { ...customerInputs({ preflight: false }), __provider: ours },
      );
      oursTimes.push(elapsedMs(started));
      await host.stop();
      if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
    };
    const startTrivial = async () => {
      const started = process.hrtime.bigint();
      const host = await startTrivialHost();
      await checkTrivial(host, trivial);
      trivialTimes.push(elapsedMs(started));
      await host.stop();
    };
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        await startOurs();
        await startTrivial();
      } else {
        await startTrivial();
        await startOurs();
      }
    }
    return [
      result(
        {
          name: "provider host cold start to the first check answered: our provider vs a trivial dynamic provider (median)",
          value: median(oursTimes),
          unit: "ms",
          baseline: median(trivialTimes),
          goal: 1.5,
          note: `goal: ratio ≤ 1.5; ${runs} cold starts each, alternating; our check runs without preflight (no network)`,
        },
        (_value, ratio) => ratio <= 1.5,
      ),
    ];
  } finally {
    await emulator.close();
  }
}

/**
 * Provider host cold start: time from spawning the real dynamic-provider host to the first successful `check`
 * answered, with our provider (configure with emulator credentials, a customer check without preflight, so no
 * network) against a trivial dynamic provider (its check returns the inputs). Alternating runs, medians.
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator } from "../emulator";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "../tests/support/programRegistrations";
import { customerInputs, customerUrn, providerTextOf, startHostFor } from "../tests/support/providerHarness";
import { startProviderHost, urnFor } from "../tests/support/providerHost";
import { type BenchResult, elapsedMs, median, result } from "./benchResult";

/** The serialized `__provider` of a dynamic provider that does nothing, captured as the engine would receive it. */
async function trivialProviderText(): Promise<string> {
  await installRegistrationRecorder();
  const trivial: pulumi.dynamic.ResourceProvider = {
    async check(_olds, news) {
      return { inputs: news };
    },
    async create(inputs) {
      return { id: "trivial", outs: inputs };
    },
  };
  class Trivial extends pulumi.dynamic.Resource {}
  const resource = new Trivial(trivial, "bench-trivial", { label: "trivial" });
  await outputValue(resource.urn);
  return String((await waitForRegistration("bench-trivial")).inputs.__provider);
}

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
      const checked = await host.check(customerUrn("cold"), {}, { ...customerInputs({ preflight: false }), __provider: ours });
      oursTimes.push(elapsedMs(started));
      await host.stop();
      if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
    };
    const startTrivial = async () => {
      const started = process.hrtime.bigint();
      const host = await startProviderHost();
      await host.configure({ "proj:unrelated": "value" });
      const checked = await host.check(urnFor("pulumi-nodejs:dynamic:Resource", "cold"), {}, { label: "x", __provider: trivial });
      trivialTimes.push(elapsedMs(started));
      await host.stop();
      if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
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

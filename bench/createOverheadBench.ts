/**
 * Create overhead: `create` of a customer through the real provider host (gRPC, the serialized provider, the
 * runtime, the client) against a raw got POST of the same body, with the same kind of token, to the same emulator.
 * Both sides run interleaved in the same process and the same run; `preflight: false`, so only the POST counts, and
 * every create has a unique domain. The `check` that prepares each body is not timed.
 */
import { startEmulator } from "../emulator";
import { customerInputs, customerUrn, providerTextOf, startHostFor } from "../tests/support/providerHarness";
import type { ProviderHost } from "../tests/support/providerHost";
import { type BenchResult, elapsedMs, median, round } from "./benchResult";
import {
  appToken,
  checkTrivial,
  createCustomerPost,
  dynamicResourceUrn,
  networkedProviderText,
  startTrivialHost,
  trivialProviderText,
} from "./trivialProvider";

/** Options of {@link runCreateOverheadBench}. */
export interface CreateOverheadOptions {
  /** Creates per side with no emulator latency. Default 200. */
  iterationsAtZero?: number;
  /** Creates per side with 50 ms emulator latency. Default 100. */
  iterationsAt50?: number;
}

/** Checked inputs for a new customer, `__`-keys removed: what `create` maps to the POST body. */
async function preparedInputs(host: ProviderHost, provider: string): Promise<Record<string, unknown>> {
  const checked = await host.check(
    customerUrn("bench"),
    {},
    { ...customerInputs({ preflight: false }), __provider: provider },
  );
  if (checked.failures.length > 0) throw new Error(`bench inputs rejected: ${JSON.stringify(checked.failures)}`);
  return checked.inputs;
}

/**
 * The Pulumi host's own cost of a create: the median round trip of `create` to a provider that does nothing. Part of
 * what the host side adds in any case, whatever the provider; reported in the notes.
 */
async function noOpCreateMs(iterations: number): Promise<number> {
  const text = await trivialProviderText();
  const host = await startTrivialHost();
  try {
    await checkTrivial(host, text);
    const urn = dynamicResourceUrn("trivial");
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = process.hrtime.bigint();
      await host.create(urn, { ...customerInputs({ preflight: false }), __provider: text });
      times.push(elapsedMs(started));
    }
    return median(times);
  } finally {
    await host.stop();
  }
}

/** Runs the benchmark; two figures (50 ms ratio, 0 ms added milliseconds). */
export async function runCreateOverheadBench(options: CreateOverheadOptions = {}): Promise<BenchResult[]> {
  const emulator = await startEmulator({ port: 0 });
  const provider = await providerTextOf("PartnerCustomer");
  const networkedText = await networkedProviderText();
  const host = await startHostFor(emulator, { credentials: "app" });
  const networkedHost = await startTrivialHost();
  try {
    const token = await appToken(emulator);
    const { default: got } = await import("got");
    const raw = got.extend({
      prefixUrl: `${emulator.url}/v1/`,
      https: { certificateAuthority: emulator.caCertificatePem },
      responseType: "text",
      retry: { limit: 0 },
    });
    const viaHost = async () => {
      const inputs = await preparedInputs(host, provider);
      const started = process.hrtime.bigint();
      await host.create(customerUrn("bench"), inputs);
      return elapsedMs(started);
    };
    const rawRequest = async () => {
      const { __provider: _provider, ...inputs } = await preparedInputs(host, provider);
      return createCustomerPost(emulator, token, inputs);
    };
    const viaRaw = async () => {
      const request = await rawRequest();
      const started = process.hrtime.bigint();
      const response = await raw.post("customers", { body: request.body, headers: request.headers });
      JSON.parse(response.body);
      return elapsedMs(started);
    };
    // The same POST sent by a provider that only sends it, in a provider host of its own: what the host costs any
    // provider that calls an API, so that what is left between it and ours is ours.
    const networkedUrn = dynamicResourceUrn("networked");
    const viaNetworkedHost = async () => {
      const inputs = await rawRequest();
      const started = process.hrtime.bigint();
      await networkedHost.create(networkedUrn, { ...inputs, __provider: networkedText });
      return elapsedMs(started);
    };

    const measure = async (latencyMs: number, iterations: number) => {
      emulator.setLatency(0);
      for (let i = 0; i < 10; i++) {
        await viaHost();
        await viaRaw();
        await viaNetworkedHost();
      }
      emulator.setLatency(latencyMs);
      const hostTimes: number[] = [];
      const rawTimes: number[] = [];
      const networkedTimes: number[] = [];
      // Interleaved rounds, rotating which side goes first, so drift (GC, CPU frequency) hits all alike.
      const rounds = 12;
      for (let round = 0; round < rounds; round++) {
        const sides: Array<[() => Promise<number>, number[]]> = [
          [viaHost, hostTimes],
          [viaRaw, rawTimes],
          [viaNetworkedHost, networkedTimes],
        ];
        for (let turn = 0; turn < round % 3; turn++) sides.push(sides.shift() as (typeof sides)[number]);
        if (round % 2 === 1) sides.reverse();
        for (const [side, times] of sides) {
          for (let i = 0; i < Math.ceil(iterations / rounds); i++) times.push(await side());
        }
      }
      return {
        host: median(hostTimes),
        raw: median(rawTimes),
        networked: median(networkedTimes),
        n: hostTimes.length,
      };
    };

    const at50 = await measure(50, options.iterationsAt50 ?? 100);
    const at0 = await measure(0, options.iterationsAtZero ?? 200);
    const added = at0.host - at0.raw;
    const noOp = round(await noOpCreateMs(200));
    const floor = `the Pulumi host's own create round trip with a no-op provider, same body: ${noOp} ms (median of 200)`;
    const sendOnly = (at: { host: number; raw: number; networked: number }) =>
      `the same POST from a send-only provider (got, no client, MSAL or zod) in a host of its own: ${round(at.networked)} ms, ${round(at.networked / at.raw, 3)} × raw; ours is ${round(at.host / at.networked, 3)} × it (${round(at.host - at.networked)} ms)`;
    return [
      {
        name: "customer create through the provider host vs raw got POST, 50 ms emulator latency (median)",
        value: round(at50.host),
        unit: "ms",
        baseline: round(at50.raw),
        ratio: round(at50.host / at50.raw, 3),
        goal: 1.05,
        met: at50.host / at50.raw <= 1.05,
        note: `goal: ratio ≤ 1.05; ${at50.n} creates per side, interleaved; ${sendOnly(at50)}; ${floor}`,
      },
      {
        name: "customer create through the provider host, time added over raw got POST at 0 ms latency (median)",
        value: round(added),
        unit: "ms",
        baseline: round(at0.raw),
        ratio: round(at0.host / at0.raw, 3),
        goal: 3,
        met: added <= 3,
        note: `goal: value ≤ 3 ms added; host median ${round(at0.host)} ms vs raw ${round(at0.raw)} ms; ${at0.n} creates per side, interleaved; ${sendOnly(at0)}; ${floor}`,
      },
    ];
  } finally {
    await host.stop();
    await networkedHost.stop();
    await emulator.close();
  }
}

/**
 * Client benchmark: what the Partner Center client adds on top of a plain HTTP request.
 *
 * `getCustomer` through {@link PartnerCenterClient} (token from the process cache, headers, retry bookkeeping, BOM
 * strip, key normalisation, zod validation) against a raw got GET of the same emulator route with the same headers,
 * both measured in the same run, interleaved, against the emulator with 20 ms latency — a stand-in for the network.
 *
 * Run alone: `npx tsx bench/clientBench.ts`.
 */
import { randomUUID } from "node:crypto";
import tls from "node:tls";
import { startEmulator } from "../emulator";
import { clearMsalState } from "../provider/auth/msalTokenProvider";
import { clearTokenCache } from "../provider/auth/tokenCache";
import { createPartnerCenterClient } from "../provider/connect/createPartnerCenterClient";
import { createTokenProvider } from "../provider/connect/createTokenProvider";
import { resolveProviderSettings } from "../provider/settings/providerSettings";
import { getApplicationName } from "../provider/version";
import type { BenchResult } from "./benchResult";

/** Options of {@link runClientBench}. */
export interface ClientBenchOptions {
  /** Emulator latency per request, ms. Default 20. */
  latencyMs?: number;
  /** Measured calls per side. Default 200. */
  iterations?: number;
  /** Unmeasured calls per side first. Default 20. */
  warmup?: number;
}

/** The goal: the client adds at most 5 % to a request's median latency. */
const GOAL_RATIO = 1.05;
/** The p95 figure is informative: tails on a shared machine are noise-dominated, so its goal is looser. */
const TAIL_GOAL_RATIO = 1.1;

/** Runs the client benchmark and returns its records. */
export async function runClientBench(options: ClientBenchOptions = {}): Promise<BenchResult[]> {
  const latencyMs = options.latencyMs ?? 20;
  const iterations = options.iterations ?? 200;
  const warmup = options.warmup ?? 20;
  const emulator = await startEmulator({ port: 0 });
  const previousCa = tls.getCACertificates("default");
  // Both sides trust the emulator the same way (the process default store), so both use Node's default agent.
  tls.setDefaultCACertificates([...previousCa, emulator.caCertificatePem]);
  clearTokenCache();
  clearMsalState();
  try {
    const values: Record<string, string> = {
      tenantId: emulator.tenantId,
      clientId: emulator.credentials.clientId,
      clientSecret: emulator.credentials.clientSecret,
      endpoint: emulator.url,
      authority: emulator.authority,
    };
    const settings = resolveProviderSettings((key) => values[key], {});
    const client = createPartnerCenterClient(settings);
    const token = await createTokenProvider(settings).getAccessToken();
    const { id } = await emulator.createCustomer(
      {
        companyProfile: { domain: `bench${randomUUID().slice(0, 8)}.onmicrosoft.com` },
        billingProfile: {
          email: "bench@example.com",
          culture: "en-US",
          language: "en",
          companyName: "Bench",
          defaultAddress: {
            addressLine1: "One Microsoft Way",
            city: "Redmond",
            state: "WA",
            postalCode: "98052",
            country: "US",
            phoneNumber: "4255550101",
          },
        },
      },
      { tokenKind: "app" },
    );
    const { default: got } = await import("got");
    const raw = got.extend({ prefixUrl: `${emulator.url}/v1/`, responseType: "text", retry: { limit: 0 } });
    const rawCall = async () => {
      const response = await raw(`customers/${id}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          "ms-requestid": randomUUID(),
          "ms-correlationid": randomUUID(),
          "x-locale": "en-US",
          "ms-partnercenter-application": getApplicationName(),
        },
      });
      JSON.parse(response.body);
    };
    const clientCall = async () => {
      await client.getCustomer(id);
    };

    for (let i = 0; i < warmup; i++) {
      await rawCall();
      await clientCall();
    }
    emulator.setLatency(latencyMs);
    const rawTimes: number[] = [];
    const clientTimes: number[] = [];
    // Interleaved rounds, alternating which side goes first, so drift (GC, CPU frequency) hits both sides alike.
    const rounds = 10;
    const perRound = Math.max(1, Math.floor(iterations / rounds));
    for (let round = 0; round < rounds; round++) {
      const sides: Array<[() => Promise<void>, number[]]> = [
        [rawCall, rawTimes],
        [clientCall, clientTimes],
      ];
      if (round % 2 === 1) sides.reverse();
      for (const [call, times] of sides) {
        for (let i = 0; i < perRound; i++) {
          const started = process.hrtime.bigint();
          await call();
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
    }

    const rawMedian = percentile(rawTimes, 50);
    const clientMedian = percentile(clientTimes, 50);
    const rawP95 = percentile(rawTimes, 95);
    const clientP95 = percentile(clientTimes, 95);
    return [
      record(
        `getCustomer median latency vs raw got (emulator latency ${latencyMs} ms)`,
        clientMedian,
        rawMedian,
        GOAL_RATIO,
      ),
      record(
        `getCustomer p95 latency vs raw got (emulator latency ${latencyMs} ms)`,
        clientP95,
        rawP95,
        TAIL_GOAL_RATIO,
      ),
    ];
  } finally {
    tls.setDefaultCACertificates(previousCa);
    await emulator.close();
  }
}

function record(name: string, value: number, baseline: number, goal: number): BenchResult {
  const ratio = value / baseline;
  return {
    name,
    value: round(value),
    unit: "ms",
    baseline: round(baseline),
    ratio: round(ratio, 3),
    goal,
    met: ratio <= goal,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

if (require.main === module) {
  runClientBench()
    .then((records) => {
      console.table(records);
      process.exitCode = records.every((r) => r.met) ? 0 : 1;
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

/**
 * Emulator benchmark (not a test): requests per second for `GET /v1/customers/{id}` and for
 * `POST /v1/customers`, each next to a baseline — a trivial fastify HTTPS route measured the same way in the same
 * run — so the figures can be compared across machines. The server under test runs in a worker thread and the
 * load generator in the main thread, so each gets a core.
 *
 * Standalone: `npx tsx bench/emulatorBench.ts` prints the records.
 */
import { randomUUID } from "node:crypto";
import https from "node:https";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { BenchResult } from "./benchResult";
import type { BenchServerReady } from "./emulatorBenchWorker";

/** Options of {@link runEmulatorBench}. */
export interface EmulatorBenchOptions {
  /** Measurement window per figure and round, ms; default 1500. */
  durationMs?: number;
  /** Warm-up before each window, ms; default 300. */
  warmupMs?: number;
  /** Requests in flight; default 32. */
  concurrency?: number;
  /**
   * Rounds; each measures baseline and emulator back to back and the best round counts. Interleaving and
   * best-of-N keep a burst of other work on a shared machine from deciding the figures. Default 3.
   */
  rounds?: number;
}

/** Goal for GET by id: the emulator must never be the bottleneck of a test suite. */
const GET_GOAL = 2000;
/** Goal for creates: far above what any provider test issues. */
const CREATE_GOAL = 500;

interface Target {
  ready: BenchServerReady;
  stop: () => Promise<void>;
}

function startServer(kind: "emulator" | "baseline"): Promise<Target> {
  // Workers inherit execArgv, so the TypeScript loader (tsx) that runs this file also runs the worker.
  const worker = new Worker(resolve(__dirname, "emulatorBenchWorker.ts"), { workerData: { kind } });
  return new Promise((resolvePromise, reject) => {
    worker.once("error", reject);
    worker.once("message", (ready: BenchServerReady) =>
      resolvePromise({
        ready,
        stop: () =>
          new Promise<void>((done) => {
            worker.once("exit", () => done());
            worker.postMessage("stop");
          }),
      }),
    );
  });
}

function request(
  agent: https.Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolvePromise, reject) => {
    const outgoing = https.request(url, { method, agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolvePromise({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Runs `concurrency` loops of `send` for `durationMs` after a warm-up; returns completed requests per second. */
async function measure(
  send: () => Promise<number>,
  expectedStatus: number,
  { durationMs, warmupMs, concurrency }: Required<Omit<EmulatorBenchOptions, "rounds">>,
): Promise<number> {
  let counting = false;
  let completed = 0;
  let stopAt = Date.now() + warmupMs + durationMs;
  const loop = async () => {
    while (Date.now() < stopAt) {
      const status = await send();
      if (status !== expectedStatus) throw new Error(`Unexpected status ${status} (expected ${expectedStatus}).`);
      if (counting) completed += 1;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await new Promise((done) => setTimeout(done, warmupMs));
  counting = true;
  const started = Date.now();
  stopAt = started + durationMs;
  await Promise.all(loops);
  return Math.round((completed * 1000) / (Date.now() - started));
}

/**
 * The customer the benchmark creates (the server worker seeds one, the load generator POSTs more).
 * @param domain Its `companyProfile.domain`.
 */
export function benchCustomerInput(domain: string) {
  return {
    companyProfile: { domain },
    billingProfile: {
      email: "bench@example.com",
      culture: "en-US",
      language: "en",
      companyName: "Bench Ltd",
      defaultAddress: {
        addressLine1: "One Microsoft Way",
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
      },
    },
  };
}

function createBody(): string {
  return JSON.stringify(benchCustomerInput(`bench${randomUUID().replace(/-/g, "").slice(0, 20)}.onmicrosoft.com`));
}

/**
 * Measures the emulator against the baseline.
 * @param options Window, warm-up, concurrency and rounds.
 * @returns Two records: GET by id and create.
 */
export async function runEmulatorBench(options: EmulatorBenchOptions = {}): Promise<BenchResult[]> {
  const settings: Required<Omit<EmulatorBenchOptions, "rounds">> = {
    durationMs: options.durationMs ?? 1500,
    warmupMs: options.warmupMs ?? 300,
    concurrency: options.concurrency ?? 32,
  };
  const rounds = options.rounds ?? 3;
  const json = { "content-type": "application/json", accept: "application/json" };
  const [baseline, emulator] = await Promise.all([startServer("baseline"), startServer("emulator")]);
  const best = { baselineGet: 0, baselinePost: 0, emulatorGet: 0, emulatorPost: 0 };
  try {
    const baselineAgent = new https.Agent({ keepAlive: true, ca: baseline.ready.ca, maxSockets: settings.concurrency });
    const { ready } = emulator;
    const agent = new https.Agent({ keepAlive: true, ca: ready.ca, maxSockets: settings.concurrency });
    const tokenRequest = ready.tokenRequest as NonNullable<BenchServerReady["tokenRequest"]>;
    const tokenResponse = await request(
      agent,
      `${ready.url}${tokenRequest.path}`,
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams(tokenRequest.form).toString(),
    );
    const token = (JSON.parse(tokenResponse.text) as { access_token: string }).access_token;
    const headers = { ...json, authorization: `Bearer ${token}` };
    for (let round = 0; round < rounds; round++) {
      const baselineGet = await measure(
        async () => (await request(baselineAgent, `${baseline.ready.url}/ping/${randomUUID()}`, "GET", json)).status,
        200,
        settings,
      );
      const emulatorGet = await measure(
        async () => (await request(agent, `${ready.url}/v1/customers/${ready.customerId}`, "GET", headers)).status,
        200,
        settings,
      );
      const baselinePost = await measure(
        async () => (await request(baselineAgent, `${baseline.ready.url}/ping`, "POST", json, createBody())).status,
        201,
        settings,
      );
      const emulatorPost = await measure(
        async () =>
          (
            await request(
              agent,
              `${ready.url}/v1/customers`,
              "POST",
              { ...headers, "ms-requestid": randomUUID() },
              createBody(),
            )
          ).status,
        201,
        settings,
      );
      best.baselineGet = Math.max(best.baselineGet, baselineGet);
      best.emulatorGet = Math.max(best.emulatorGet, emulatorGet);
      best.baselinePost = Math.max(best.baselinePost, baselinePost);
      best.emulatorPost = Math.max(best.emulatorPost, emulatorPost);
    }
    baselineAgent.destroy();
    agent.destroy();
  } finally {
    await Promise.all([baseline.stop(), emulator.stop()]);
  }

  const record = (name: string, value: number, base: number, goal: number): BenchResult => ({
    name,
    value,
    unit: "req/s",
    baseline: base,
    ratio: Math.round((value / base) * 100) / 100,
    goal,
    met: value >= goal,
  });
  return [
    record("emulator GET /v1/customers/{id}", best.emulatorGet, best.baselineGet, GET_GOAL),
    record("emulator POST /v1/customers", best.emulatorPost, best.baselinePost, CREATE_GOAL),
  ];
}

if (require.main === module) {
  runEmulatorBench()
    .then((records) => {
      for (const r of records) {
        console.log(
          `${r.name}: ${r.value} ${r.unit} (baseline ${r.baseline}, ratio ${r.ratio}, goal ${r.goal}, ${r.met ? "met" : "NOT met"})`,
        );
      }
      console.log(JSON.stringify(records, null, 2));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

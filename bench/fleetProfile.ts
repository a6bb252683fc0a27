/**
 * Where the time of an unchanged fleet preview goes: runs `pulumi preview` of N customers + N agreements (after the
 * `pulumi up` that creates them) with `NODE_OPTIONS=--cpu-prof` for every Node process the CLI starts — the program
 * (under the language host) and the dynamic-provider host — and prints each profile's top self-time functions and
 * packages, plus the provider host's peak RSS. Not part of `npm run bench`; BENCHMARKS.md quotes its output.
 *
 *   npx tsx bench/fleetProfile.ts [N=100] [--kind ours|trivial|shaped] [--keep <dir>]
 *   npx tsx bench/fleetProfile.ts --host-heap [operations=1000]   # the memory benchmark's host: heap snapshot + CPU
 *   npx tsx bench/fleetProfile.ts --module-rss [runs=5]           # RSS each package of a first operation adds
 *
 * The engine stops the provider host with a signal, on which Node writes no `--cpu-prof` profile; a `--require`d
 * hook (written next to the profiles) turns SIGINT/SIGTERM into a normal exit so that it does.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../emulator";
import { checkThenCreate } from "../tests/support/evidenceHarness";
import { customerInputs, customerUrn, providerTextOf, startHostFor } from "../tests/support/providerHarness";
import { createTestStack } from "../tests/support/pulumiCli";
import { median, round } from "./benchResult";
import { configureFleetStack, createFleetProject } from "./fleetProject";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** The package (or area) a script URL belongs to. */
export function areaOf(url: string): string {
  if (!url) return "(native / engine)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return "node core";
  if (url.includes("/dist/provider/") || url.includes("/provider/")) return "pulumi-partnercenter";
  return url;
}

/** Self time (ms) by function and by area of one `.cpuprofile`, largest first. */
export function summarizeCpuProfile(profile: CpuProfile, top = 12): string[] {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = totalMs / Math.max(1, profile.samples.length);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * perSample;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^.*node_modules\//, "").replace(/^file:\/\//, "");
    const key = `${functionName || "(anonymous)"} ${short ? `${short}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byArea.set(areaOf(url), (byArea.get(areaOf(url)) ?? 0) + ms);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const pct = (ms: number) => `${round(ms, 0)} ms (${round((100 * ms) / totalMs, 1)}%)`;
  return [
    `  profiled ${round(totalMs, 0)} ms, ${profile.samples.length} samples`,
    "  self time by area:",
    ...sorted(byArea).map(([name, ms]) => `    ${pct(ms)}  ${name}`),
    "  self time by function:",
    ...sorted(byFunction).map(([name, ms]) => `    ${pct(ms)}  ${name}`),
  ];
}

/** Peak RSS (VmHWM) of every `node` process below the bench whose command line names the dynamic-provider host. */
function watchHostRss(): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmdline.includes("dynamic-provider")) continue;
        const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        if (hwm) peak = Math.max(peak, Number(hwm) / 1024);
      } catch {
        // gone
      }
    }
  }, 200);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** NODE_OPTIONS that profile a Node process into `dir` and let a signal end it normally (so the profile is written). */
function profilingOptions(dir: string): string {
  const hook = join(dir, "exit-on-signal.cjs");
  writeFileSync(hook, 'for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(0));\n');
  return `--cpu-prof --cpu-prof-dir=${dir} --require ${hook}`;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size by node type and constructor name of a `.heapsnapshot`, largest first. */
export function summarizeHeapSnapshot(heap: HeapSnapshot, top = 15): string[] {
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = [fields.indexOf("type"), fields.indexOf("name"), fields.indexOf("self_size")];
  const sizes = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt] as number] ?? "?";
    const name = heap.strings[heap.nodes[i + nameAt] as number] ?? "?";
    const key = type === "object" || type === "closure" || type === "native" ? `${type} ${name}` : `(${type})`;
    const size = heap.nodes[i + sizeAt] as number;
    sizes.set(key, (sizes.get(key) ?? 0) + size);
    total += size;
  }
  const mb = (bytes: number) => `${round(bytes / 1024 / 1024, 1)} MB`;
  return [
    `  heap snapshot: ${mb(total)} in ${heap.nodes.length / fields.length} objects; self size by kind:`,
    ...[...sizes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, size]) => `    ${mb(size)} (${round((100 * size) / total, 1)}%)  ${key.slice(0, 100)}`),
  ];
}

/** What `process.memoryUsage()` and `v8.getHeapSpaceStatistics()` of a process said, as lines (MB). */
function summarizeMemoryStats(stats: {
  usage: NodeJS.MemoryUsage;
  spaces: { space_name: string; space_size: number; space_used_size: number }[];
}): string[] {
  const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = stats.usage;
  return [
    `  process.memoryUsage: rss ${mb(rss)} MB, V8 heap reserved ${mb(heapTotal)} MB (used ${mb(heapUsed)}), external ${mb(external)} MB (array buffers ${mb(arrayBuffers)}); outside V8's heap: ${mb(rss - heapTotal)} MB`,
    ...stats.spaces
      .filter((space) => space.space_size > 1024 * 1024)
      .map(
        (space) => `    ${space.space_name}: reserved ${mb(space.space_size)} MB, used ${mb(space.space_used_size)} MB`,
      ),
  ];
}

/** The memory benchmark's workload (250 creates, 500 reads) in one host, then a heap snapshot and its CPU profile. */
async function hostHeap(operations: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pc-heap-"));
  // The host's own view of its memory, every 500 ms: which part of the RSS is V8's heap (used and reserved, by space),
  // which is outside it — the heap snapshot shows only live objects.
  const memoryFile = join(dir, "memory.json");
  const memoryHook = join(dir, "memory-stats.cjs");
  writeFileSync(
    memoryHook,
    `const { writeFileSync } = require("node:fs"); const v8 = require("node:v8");
     setInterval(() => writeFileSync(${JSON.stringify(memoryFile)}, JSON.stringify({ usage: process.memoryUsage(),
       spaces: v8.getHeapSpaceStatistics() })), 500).unref();\n`,
  );
  process.env.NODE_OPTIONS = `${profilingOptions(dir)} --require ${memoryHook} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
  const emulator = await startEmulator({ port: 0 });
  const provider = await providerTextOf("PartnerCustomer");
  const host = await startHostFor(emulator, { credentials: "app" });
  delete process.env.NODE_OPTIONS;
  try {
    const customers = [];
    for (let i = 0; i < operations / 4; i++) {
      const outcome = await checkThenCreate(host, provider, "bench", customerInputs({ preflight: false }));
      if (outcome.kind !== "created") throw new Error(JSON.stringify(outcome));
      customers.push(outcome);
    }
    for (let i = 0; i < operations / 2; i++) {
      const customer = customers[i % customers.length] as (typeof customers)[number];
      await host.read(customerUrn("bench"), customer.id, customer.properties);
    }
    const status = readFileSync(`/proc/${host.process.pid}/status`, "utf8");
    console.log(`host after ${operations} operations: ${/^VmRSS:.*$/m.exec(status)?.[0]}`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const line of summarizeMemoryStats(JSON.parse(readFileSync(memoryFile, "utf8")))) console.log(line);
    host.process.kill("SIGUSR2");
    // Written in place, and slowly: retry until the file parses (at most a minute).
    let heap: HeapSnapshot | undefined;
    for (let i = 0; i < 120 && !heap; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const snapshot = readdirSync(dir).find((f) => f.endsWith(".heapsnapshot"));
      try {
        if (snapshot) heap = JSON.parse(readFileSync(join(dir, snapshot), "utf8")) as HeapSnapshot;
      } catch {
        // not complete yet
      }
    }
    if (heap) for (const line of summarizeHeapSnapshot(heap)) console.log(line);
  } finally {
    await host.stop();
    await emulator.close();
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    console.log(`\n${file}: provider host (memory workload)`);
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
    for (const line of summarizeCpuProfile(profile)) console.log(line);
  }
  console.log(`(profiles in ${dir})`);
}

/**
 * What a provider host's first networked operation loads, package by package, in the order the operation loads them
 * (after `@pulumi/pulumi`, which both hosts load): RSS added by each after a full GC, median of `runs` fresh Node
 * processes. Answers which share of the memory row's gap module code is, apart from heap growth.
 */
function moduleRss(runs: number): void {
  const steps = ["@pulumi/pulumi", "pulumi-partnercenter/runtime", "zod", "got", "@azure/msal-node", "tls"];
  const script = `
    const rss = () => process.memoryUsage().rss / 1e6;
    global.gc();
    const out = [];
    let last = rss();
    for (const step of ${JSON.stringify(steps)}) {
      if (step === "tls") require("node:tls").createSecureContext({});
      else require(step);
      global.gc();
      const now = rss();
      out.push(now - last);
      last = now;
    }
    console.log(JSON.stringify(out));`;
  const samples = Array.from(
    { length: runs },
    () =>
      JSON.parse(
        execFileSync(process.execPath, ["--expose-gc", "-e", script], { encoding: "utf8", cwd: join(__dirname, "..") }),
      ) as number[],
  );
  console.log(`RSS added by each step (MB, median of ${runs} fresh processes; ${process.version}):`);
  steps.forEach((step, i) => {
    console.log(`  ${step.padEnd(32)} ${round(median(samples.map((sample) => sample[i] as number)), 1)}`);
  });
}

async function main(): Promise<void> {
  if (process.argv.includes("--module-rss")) {
    const index = process.argv.indexOf("--module-rss");
    return moduleRss(Number(process.argv[index + 1] ?? 5) || 5);
  }
  if (process.argv.includes("--host-heap")) {
    const index = process.argv.indexOf("--host-heap");
    return hostHeap(Number(process.argv[index + 1] ?? 1000) || 1000);
  }
  const count = Number(process.argv[2] ?? 100);
  const kindIndex = process.argv.indexOf("--kind");
  const kind = (kindIndex >= 0 ? process.argv[kindIndex + 1] : "ours") as "ours" | "trivial" | "shaped";
  const keepIndex = process.argv.indexOf("--keep");
  const emulator = await startEmulator({ port: 0, requestLogLimit: 100_000 });
  const project = createFleetProject();
  const profiles = keepIndex >= 0 ? (process.argv[keepIndex + 1] as string) : mkdtempSync(join(tmpdir(), "pc-prof-"));
  const test = await createTestStack(project.dir, `profile-${kind}-${count}`, {
    NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
  });
  try {
    await configureFleetStack(test, emulator, { kind, count, prefix: `prof${Date.now().toString(36)}` });
    await test.stack.up();
    test.stack.workspace.envVars.NODE_OPTIONS = profilingOptions(profiles);
    const watcher = watchHostRss();
    const started = Date.now();
    await test.stack.preview();
    const took = (Date.now() - started) / 1000;
    const peak = watcher.stop();
    console.log(
      `preview of ${count} ${kind} customers + agreements: ${round(took, 1)} s; provider host peak RSS ${round(peak, 1)} MB`,
    );
    for (const file of readdirSync(profiles).filter((f) => f.endsWith(".cpuprofile"))) {
      const profile = JSON.parse(readFileSync(join(profiles, file), "utf8")) as CpuProfile;
      const scripts = new Set(profile.nodes.map((n) => n.callFrame.url));
      const role = [...scripts].some((u) => u.includes("dynamic-provider"))
        ? "provider host"
        : [...scripts].some((u) => u.includes("runtime/run") || u.includes("cmd/run"))
          ? "program (language host)"
          : "other node process";
      console.log(`\n${file}: ${role}`);
      for (const line of summarizeCpuProfile(profile)) console.log(line);
    }
  } finally {
    await test.cleanup();
    project.cleanup();
    await emulator.close();
    if (keepIndex < 0) rmSync(profiles, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/**
 * A throwaway Pulumi project for the real-CLI evidence (tests/e2e/evidence.test.ts) and the `pulumi preview`
 * benchmark: N `PartnerCustomer`s (and optionally an agreement) shaped by stack config, in plain JavaScript so no
 * compiler is involved. It lives in a temporary directory whose `node_modules` links to the repository's, so the
 * program and the dynamic-provider host load this package exactly as an installed user's project would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { EmulatorHandle } from "../../emulator";
import { emulatorStackConfig, type TestStack } from "./pulumiCli";
import { type TempProject, writeJavaScriptProject } from "./tempProject";

const PROGRAM = `"use strict";
// Evidence program: config evidence:count customers named customer-<i> with domains <evidence:prefix><i>, and with
// evidence:withAgreement an agreement for customer-0.
const pulumi = require("@pulumi/pulumi");
const { CustomerAgreement, PartnerCustomer } = require("pulumi-partnercenter");

const config = new pulumi.Config("evidence");
const count = config.getNumber("count") ?? 1;
const prefix = config.require("prefix");
const outputs = {};
const customers = [];
for (let i = 0; i < count; i++) {
  const customer = new PartnerCustomer(\`customer-\${i}\`, {
    companyProfile: { domain: \`\${prefix}\${i}.onmicrosoft.com\` },
    billingProfile: {
      email: config.get("email") ?? "billing@contoso.example",
      culture: "en-US",
      language: "en",
      companyName: "Contoso Evidence Ltd",
      defaultAddress: {
        firstName: "Ada",
        lastName: "Ng",
        addressLine1: \`\${i + 1} Microsoft Way\`,
        city: "Redmond",
        state: "WA",
        postalCode: "98052",
        country: "US",
        phoneNumber: "4255550100",
      },
    },
  });
  customers.push(customer);
  outputs[\`customer-\${i}\`] = { customerId: customer.customerId, userCredentials: customer.userCredentials };
}
if (config.getBoolean("withAgreement") && customers.length > 0) {
  new CustomerAgreement("agreement-0", {
    customerId: customers[0].customerId,
    primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
  });
}
exports.customers = outputs;
`;

/** The temporary project. */
export type EvidenceProject = TempProject;

/** Writes the project into a new temporary directory. */
export function createEvidenceProject(): EvidenceProject {
  return writeJavaScriptProject(
    "evidence-customers",
    PROGRAM,
    "PartnerCustomers shaped by stack config (evidence suites and benchmarks).",
  );
}

/** Points a stack at the emulator (secrets as secrets) and sets the program's config. */
export async function configureEvidenceStack(
  test: TestStack,
  emulator: EmulatorHandle,
  program: { prefix: string; count?: number; withAgreement?: boolean },
): Promise<void> {
  await test.stack.setAllConfig({
    ...emulatorStackConfig(emulator),
    "evidence:prefix": { value: program.prefix },
    "evidence:count": { value: String(program.count ?? 1) },
    "evidence:withAgreement": { value: String(program.withAgreement ?? false) },
  });
}

/** A `pulumi` CLI process started on its own, in its own process group so that a crash can take all of it down. */
export interface PulumiProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string | null>;
  /**
   * SIGKILLs the CLI and every process below it (language host, program, provider hosts — Pulumi may put plugins in
   * process groups of their own), as a crashed machine would.
   */
  killTree(): void;
}

/** Runs `pulumi <args>` in `cwd` with the stack workspace's environment (backend, passphrase). */
export function spawnPulumi(args: string[], cwd: string, env: Record<string, string>): PulumiProcess {
  const child = spawn("pulumi", args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  return {
    child,
    output: () => output,
    exited,
    killTree() {
      if (child.pid === undefined) return;
      for (const pid of [child.pid, ...descendantsOf(child.pid)]) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Every process below `pid`, read from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (parent pid) follows the command name, which is in parentheses and may contain anything.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** A domain prefix (letters and digits, at most 20 so `<prefix><index>` stays within 27) unique to this run. */
export function uniquePrefix(tag: string): string {
  return `${tag}${Date.now().toString(36)}`.replace(/[^a-z0-9]/g, "").slice(0, 20);
}

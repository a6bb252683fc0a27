/**
 * Runs a fixture's TypeScript program under Pulumi's runtime mocks, in a process of its own (runtime settings are
 * global, and other suites install their own mocks), and prints what the engine would receive from it: one JSON line
 * per RegisterResource (type, name, inputs with this version's serialized `__provider`, protect).
 *
 * Each resource the fixture's state holds answers with its stored ID and outputs, as the engine answers an unchanged
 * resource in a preview, so inputs built from other resources' outputs (a customer's ID, a relationship's roles) are
 * exactly what the program would send now. A resource the state lacks answers with its inputs (and is reported: a
 * program that declares something new would create it).
 *
 *   node --import tsx recordProgram.ts <program dir> <decrypted state JSON file> <config JSON file>
 *
 * Config: `{ "<project>:<key>": "<value>" }`, the stack's plain config; project and stack come from the state's URNs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ExportedState, StateResource } from "./fixture";

/** One registration, as printed. */
export interface RecordedRegistration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  /** Whether the state holds no such resource. */
  new: boolean;
}

async function main(): Promise<void> {
  const [programDir, stateFile, configFile] = process.argv.slice(2);
  if (!programDir || !stateFile || !configFile) throw new Error("usage: recordProgram <dir> <state> <config>");
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as ExportedState;
  const config = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, string>;
  const resources = state.deployment.resources ?? [];
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const [prefix = "", project = ""] = (stackUrn ?? "").split("::");
  const stack = prefix.replace(/^urn:pulumi:/, "");
  if (!project || !stack) throw new Error("the state has no stack resource");

  const byTypeAndName = new Map<string, StateResource>();
  for (const resource of resources) {
    const name = resource.urn.split("::").slice(3).join("::");
    byTypeAndName.set(`${resource.type}::${name}`, resource);
  }
  const missing = new Set<string>();
  // A local backend reports the placeholder organization, as when the fixture was made.
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const stored = byTypeAndName.get(`${args.type}::${args.name}`);
        if (!stored) {
          missing.add(`${args.type}::${args.name}`);
          return { id: `${args.name}-new`, state: args.inputs };
        }
        return { id: stored.id ?? "", state: stored.outputs ?? {} };
      },
      call: (args) => args.inputs,
    },
    project,
    stack,
    false,
    "organization",
  );
  for (const [key, value] of Object.entries(config)) pulumi.runtime.setConfig(key, value);

  const registrations: RecordedRegistration[] = [];
  const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc");
  // biome-ignore lint/suspicious/noExplicitAny: Pulumi's monitor type is internal.
  const monitor = (pulumi.runtime as any).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: the request is a generated protobuf message.
  monitor.registerResource = (request: any, callback: unknown) => {
    registrations.push({
      type: request.getType(),
      name: request.getName(),
      inputs: deserializeProperties(request.getObject()),
      protect: request.getProtect?.() === true,
      new: false,
    });
    return register(request, callback);
  };

  require(join(programDir, "index.ts"));
  // Registrations arrive asynchronously (each waits for its inputs' outputs): wait until no more come.
  let seen = -1;
  for (let quiet = 0; quiet < 10; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (registrations.length === seen) quiet++;
    else {
      seen = registrations.length;
      quiet = 0;
    }
  }
  for (const registration of registrations) {
    registration.new = missing.has(`${registration.type}::${registration.name}`);
    process.stdout.write(`${JSON.stringify(registration)}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

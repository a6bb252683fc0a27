/**
 * Runs Pulumi program code under `@pulumi/pulumi` runtime mocks and records every resource registration as the
 * engine would receive it: type token, inputs (with the serialized `__provider` text) and the
 * `additionalSecretOutputs` option. The providers themselves are never executed here.
 */
import * as pulumi from "@pulumi/pulumi";

/** One `RegisterResource` request as seen by the (mock) engine. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  additionalSecretOutputs: string[];
  deleteBeforeReplace: boolean | undefined;
  retainOnDelete: boolean | undefined;
}

const registrations: Registration[] = [];
let installed = false;

/**
 * Installs the mocks once per process (Pulumi's runtime settings are global) and wraps the mock monitor so the raw
 * request's options are recorded too.
 */
export async function installRegistrationRecorder(project = "proj", stack = "test", preview = false): Promise<void> {
  if (installed) return;
  installed = true;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    project,
    stack,
    preview,
  );
  // biome-ignore lint/suspicious/noExplicitAny: Pulumi's monitor type is internal.
  const monitor = (pulumi.runtime as any).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: the request is a generated protobuf message.
  monitor.registerResource = (request: any, callback: unknown) => {
    const { deserializeProperties } = require("@pulumi/pulumi/runtime/rpc");
    registrations.push({
      type: request.getType(),
      name: request.getName(),
      inputs: deserializeProperties(request.getObject()),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      deleteBeforeReplace: request.getDeletebeforereplace?.(),
      retainOnDelete: request.hasRetainondelete?.() ? request.getRetainondelete() : undefined,
    });
    return register(request, callback);
  };
}

/** Registrations recorded so far whose name is `name`. */
export function registrationsNamed(name: string): Registration[] {
  return registrations.filter((r) => r.name === name);
}

/** Resolves an output's value (mocks make every value known). */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Waits until the registration of `name` has been recorded. */
export async function waitForRegistration(name: string): Promise<Registration> {
  for (let i = 0; i < 200; i++) {
    const found = registrationsNamed(name);
    if (found.length > 0) return found[found.length - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no registration named ${name}`);
}

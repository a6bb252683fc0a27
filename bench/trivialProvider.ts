/**
 * A dynamic provider that does nothing (its check returns the inputs): the baseline for figures about the provider
 * host itself (cold start, memory), so they show what our provider adds to Pulumi's own host.
 */
import * as pulumi from "@pulumi/pulumi";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "../tests/support/programRegistrations";
import { type ProviderHost, startProviderHost, urnFor } from "../tests/support/providerHost";

let captured: string | undefined;

/** The serialized `__provider` of the trivial provider, captured as the engine would receive it. */
export async function trivialProviderText(): Promise<string> {
  if (captured) return captured;
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
  captured = String((await waitForRegistration("bench-trivial")).inputs.__provider);
  return captured;
}

/** Starts a provider host and configures it as the engine would, with no config of ours. */
export async function startTrivialHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  await host.configure({ "proj:unrelated": "value" });
  return host;
}

/** One check of the trivial provider; throws unless it passes. */
export async function checkTrivial(host: ProviderHost, text: string): Promise<void> {
  const checked = await host.check(
    urnFor("pulumi-nodejs:dynamic:Resource", "trivial"),
    {},
    { label: "x", __provider: text },
  );
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
}

/**
 * Entry of the native resource provider plugin `pulumi-resource-partnercenter` (launched by
 * `bin/pulumi-resource-partnercenter`). Serves Pulumi's `ResourceProvider` gRPC service on a free local port and
 * prints the port, as every provider plugin does. The engine's address (the first argument) is dialled only to send
 * provider messages to the engine's log: a native plugin's stdout reaches the CLI at debug level only.
 */

import { setProviderMessageSink } from "../resources/providerOutput";
import type * as Runtime from "../runtime";
import { getPackageInfo } from "../version";
import { createResourceProviderService, currentUrn, loadProtoModules, type ProtoModules } from "./nativeServer";
import schema from "./schema.json";

/** Starts the server and prints its port; resolves once listening. */
export async function main(): Promise<number> {
  const modules = loadProtoModules();
  const engineAddress = process.argv[2];
  if (engineAddress) sendMessagesToEngine(modules, engineAddress);
  const runtime: typeof Runtime = require("../runtime");
  const version = getPackageInfo().version;
  const service = createResourceProviderService(modules, runtime, {
    version,
    // Written from schema.ts and the resources' TSDoc by scripts/native-schema.ts; its version is the package's.
    schema: JSON.stringify(schema),
  });
  const server = new modules.grpc.Server({
    "grpc.max_receive_message_length": 1024 * 1024 * 400,
    "grpc.max_send_message_length": 1024 * 1024 * 400,
  });
  server.addService(modules.provrpc.ResourceProviderService, service as never);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", modules.grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  // The engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
  return port;
}

/**
 * Routes provider messages to the engine's `Log` RPC, scoped to the resource being worked on, so `pulumi up` shows
 * "waiting for the customer's approval" and warnings as the dynamic provider's are shown. A message the engine does
 * not take is written to stdout instead (debug level: never lost).
 */
function sendMessagesToEngine(modules: ProtoModules, address: string): void {
  const enginePb = modules.enginePb;
  const engine = new modules.engineRpc.EngineClient(address, modules.grpc.credentials.createInsecure());
  setProviderMessageSink((message, severity) => {
    const request = new enginePb.LogRequest();
    request.setSeverity(severity === "warning" ? enginePb.LogSeverity.WARNING : enginePb.LogSeverity.INFO);
    request.setMessage(message);
    const urn = currentUrn();
    if (urn) request.setUrn(urn);
    engine.log(request, (error: unknown) => {
      if (error) console.log(`partnercenter: ${severity === "warning" ? "warning: " : ""}${message}`);
    });
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

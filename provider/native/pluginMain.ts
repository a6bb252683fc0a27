/**
 * Entry of the native resource provider plugin `pulumi-resource-partnercenter` (launched by
 * `bin/pulumi-resource-partnercenter`). Serves Pulumi's `ResourceProvider` gRPC service on a free local port and
 * prints the port, as every provider plugin does; the engine address argument is accepted and not dialled.
 */
import type * as Runtime from "../runtime";
import { getPackageInfo } from "../version";
import { createResourceProviderService, loadProtoModules } from "./nativeServer";
import schema from "./schema.json";

/** Starts the server and prints its port; resolves once listening. */
export async function main(): Promise<number> {
  const modules = loadProtoModules();
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

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

// Starts a packaged plugin binary with an empty environment (no node on PATH, nothing else) and checks over gRPC
// that it serves GetPluginInfo with `version` and a schema for that version (scripts/package-plugin.sh).
//
//   node scripts/verify-plugin-binary.mjs <binary> <version> [launcher [launcher args...]]
//
// With a launcher, the binary is started through it: `<launcher> <launcher args...> <binary> <engine address>`, e.g.
// `qemu-aarch64-static -L /usr/aarch64-linux-gnu` for the linux-arm64 binary on an x86_64 machine
// (scripts/verify-plugin-platforms.mjs). The handshake is the one the Pulumi engine does: the plugin prints its port
// on the first line of stdout, then answers on 127.0.0.1:<port>.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Starts `binary` (through `launcher`, if any) and asks it for its version and schema. Resolves to
 * { listeningMs, version, resources }; rejects when it does not listen within `timeoutMs`, or answers wrongly.
 */
export async function verifyPluginBinary(
  binary,
  version,
  { launcher = [], timeoutMs = 120_000, label = "verify-plugin-binary" } = {},
) {
  const { loadProtoModules } = createRequire(import.meta.url)(join(root, "dist/provider/native/nativeServer.js"));
  const { grpc, provrpc, pb, Empty } = loadProtoModules();
  const [command, ...prefix] = launcher.length ? launcher : [binary];
  const args = launcher.length ? [...prefix, binary, "127.0.0.1:1"] : ["127.0.0.1:1"];
  const started = Date.now();
  const child = spawn(command, args, { env: { PATH: "/nonexistent" }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(
        () => reject(new Error(`plugin did not print its port within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.stdout.on("data", (chunk) => {
        buffered += String(chunk);
        if (buffered.includes("\n")) {
          clearTimeout(timer);
          resolve(buffered.split("\n")[0].trim());
        }
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`plugin exited with ${code ?? signal} before listening`));
      });
    });
    if (!/^\d+$/.test(port)) throw new Error(`plugin printed ${JSON.stringify(port)}, not a port`);
    const listeningMs = Date.now() - started;
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const call = (method, request) =>
      new Promise((resolve, reject) => client[method](request, (e, r) => (e ? reject(e) : resolve(r))));
    try {
      const info = await call("getPluginInfo", new Empty());
      const schema = JSON.parse((await call("getSchema", new pb.GetSchemaRequest())).getSchema());
      if (info.getVersion() !== version) throw new Error(`plugin version ${info.getVersion()}, expected ${version}`);
      if (schema.version !== version) throw new Error(`schema version ${schema.version}, expected ${version}`);
      const resources = Object.keys(schema.resources ?? {}).sort();
      if (resources.length === 0) throw new Error("schema has no resources");
      console.log(`${label}: listening after ${listeningMs} ms; version ${version}; resources ${resources}`);
      return { listeningMs, version, resources };
    } finally {
      client.close();
    }
  } finally {
    child.kill("SIGTERM");
  }
}

if (basename(process.argv[1] ?? "") === basename(fileURLToPath(import.meta.url))) {
  const [binary, version, ...launcher] = process.argv.slice(2);
  if (!binary || !version) {
    console.error("usage: node scripts/verify-plugin-binary.mjs <binary> <version> [launcher [launcher args...]]");
    process.exit(2);
  }
  verifyPluginBinary(binary, version, { launcher }).then(
    () => process.exit(0),
    (error) => {
      console.error(`verify-plugin-binary: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}

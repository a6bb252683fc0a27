// Starts a packaged plugin binary with an empty environment (no node on PATH, nothing else) and checks over gRPC
// that it serves GetPluginInfo with `version` and a schema for that version (scripts/package-plugin.sh).
//
//   node scripts/verify-plugin-binary.mjs <binary> <version>
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [binary, version] = process.argv.slice(2);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { loadProtoModules } = createRequire(import.meta.url)(join(root, "dist/provider/native/nativeServer.js"));
const { grpc, provrpc, pb, Empty } = loadProtoModules();

const started = Date.now();
const child = spawn(binary, ["127.0.0.1:1"], { env: { PATH: "/nonexistent" }, stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  let buffered = "";
  child.stdout.on("data", (chunk) => {
    buffered += String(chunk);
    if (buffered.includes("\n")) resolve(buffered.split("\n")[0].trim());
  });
  child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before listening`)));
});
const listening = Date.now() - started;
const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
const call = (method, request) =>
  new Promise((resolve, reject) => client[method](request, (e, r) => (e ? reject(e) : resolve(r))));
try {
  const info = await call("getPluginInfo", new Empty());
  const schema = JSON.parse((await call("getSchema", new pb.GetSchemaRequest())).getSchema());
  if (info.getVersion() !== version) throw new Error(`plugin version ${info.getVersion()}, expected ${version}`);
  if (schema.version !== version) throw new Error(`schema version ${schema.version}, expected ${version}`);
  const resources = Object.keys(schema.resources ?? {}).sort();
  console.log(`verify-plugin-binary: listening after ${listening} ms; version ${version}; resources ${resources}`);
} finally {
  client.close();
  child.kill("SIGTERM");
}

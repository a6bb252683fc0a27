import https from "node:https";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
(async () => {
  const worker = new Worker(resolve(__dirname, "../bench/emulatorBenchWorker.ts"), { workerData: { kind: process.argv[2] ?? "emulator" } });
  const ready: any = await new Promise((r) => worker.once("message", r));
  const agent = new https.Agent({ keepAlive: true, ca: ready.ca, maxSockets: 32 });
  let token = "";
  if (ready.tokenRequest) {
    token = await new Promise((res) => { const rq = https.request(ready.url + ready.tokenRequest.path, { method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded" } }, (r) => { let t = ""; r.on("data", (c) => t += c); r.on("end", () => res(JSON.parse(t).access_token)); }); rq.end(new URLSearchParams(ready.tokenRequest.form).toString()); });
  }
  const path = ready.customerId ? `/v1/customers/${ready.customerId}` : "/ping/x";
  let n = 0; const end = Date.now() + 5000;
  const loop = async () => { while (Date.now() < end) { await new Promise<void>((res, rej) => { https.get(ready.url + path, { agent, headers: { authorization: `Bearer ${token}` } }, (r) => { r.resume(); r.on("end", () => res()); }).on("error", rej); }); n++; } };
  await Promise.all(Array.from({ length: 32 }, loop));
  console.log(process.argv[2], n / 5, "req/s");
  worker.postMessage("stop");
})();

import { spawn } from "node:child_process";
const child = spawn(process.execPath, ["--import", "tsx", "emulator/cli.ts", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
let out = "";
child.stdout.on("data", (c) => { out += c; if (/Ctrl\+C/.test(out)) { child.kill("SIGTERM"); } });
child.stderr.on("data", (c) => process.stderr.write(c));
child.on("exit", (code, signal) => console.log("exit", code, signal));

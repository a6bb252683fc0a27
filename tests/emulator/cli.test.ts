import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type EmulatorTokenEndpoint, emulatorRequest, getAppToken } from "../support/emulatorClient";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "emulator", "cli.ts");

interface CliInfo {
  url: string;
  authority: string;
  tenantId: string;
  mode: string;
  caCertificatePath: string;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  scopes: { appOnly: string; appUser: string };
}

/** Starts the CLI through tsx and resolves with the child and everything it printed up to `until`. */
function startCli(args: string[], until: RegExp): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolvePromise, reject) => {
    let output = "";
    let errors = "";
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}${errors}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (until.test(output)) {
        clearTimeout(timer);
        resolvePromise({ child, output });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${output}${errors}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null) return resolvePromise(child.exitCode);
    child.once("exit", (code) => resolvePromise(code));
    child.kill("SIGTERM");
  });
}

describe("emulator: CLI and admin routes from another process", function () {
  this.timeout(60_000);
  let directory: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "pc-emulator-cli-"));
  });
  afterEach(async () => {
    if (child) await stop(child);
    child = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it("prints URL, authority, CA path and demo credentials, and stops cleanly on SIGTERM", async () => {
    const started = await startCli(["--port", "0", "--mode", "production"], /Press Ctrl\+C/);
    child = started.child;
    const output = started.output;
    const url = /URL:\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    assert.ok(url, output);
    const tenant = /Tenant id:\s+(\S+)/.exec(output)?.[1];
    assert.match(output, new RegExp(`Authority:\\s+${url}/${tenant}`));
    assert.match(output, /Mode:\s+production/);
    const caPath = /CA certificate:\s+(\S+)/.exec(output)?.[1] ?? "";
    assert.match(await readFile(caPath, "utf8"), /BEGIN CERTIFICATE/);
    assert.match(output, new RegExp(`NODE_EXTRA_CA_CERTS=${caPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    assert.match(output, /Client id:\s+[0-9a-f-]{36}/);
    assert.match(output, /Client secret:\s+\S{20,}/);
    assert.match(output, /Refresh token:\s+0\.A\S+/);
    const exitCode = await stop(child);
    child = undefined;
    assert.equal(exitCode, 0);
  });

  it("serves the admin routes to other processes (faults, drift, requests, state, reset)", async () => {
    const stateFile = join(directory, "state.json");
    const started = await startCli(["--port", "0", "--json", "--state-file", stateFile], /\n/);
    child = started.child;
    const info = JSON.parse(started.output.split("\n")[0] as string) as CliInfo;
    assert.equal(info.caCertificatePath, `${stateFile}.ca.pem`);
    // This process knows the other one only by what it printed: URL, CA file, credentials.
    const endpoint: EmulatorTokenEndpoint = {
      ...info,
      caCertificatePem: await readFile(info.caCertificatePath, "utf8"),
    };
    const admin = (method: string, path: string, json?: unknown) =>
      emulatorRequest(endpoint, method, path, json === undefined ? {} : { json });

    const described = await admin("GET", "/_emulator/info");
    assert.equal(described.status, 200);
    assert.equal(described.body.tenantId, info.tenantId);
    assert.deepEqual(described.body.credentials, info.credentials);

    const token = await getAppToken(endpoint);

    const customer = await admin("POST", "/_emulator/customers", {
      companyProfile: { domain: "adminmade.onmicrosoft.com" },
      billingProfile: {
        email: "a@b.example",
        culture: "en-US",
        language: "en",
        companyName: "Admin Made",
        defaultAddress: {
          addressLine1: "One Microsoft Way",
          city: "Redmond",
          state: "WA",
          postalCode: "98052",
          country: "US",
        },
      },
    });
    assert.equal(customer.status, 201);
    assert.equal(customer.body.userCredentials.userName, "admin@adminmade.onmicrosoft.com");

    const patched = await admin("PATCH", `/_emulator/customers/${customer.body.id}`, {
      companyProfile: { companyName: "Drifted" },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.companyProfile.companyName, "Drifted");

    const fault = await admin("POST", "/_emulator/faults", {
      method: "GET",
      pathPattern: "^/v1/customers/",
      status: 503,
      retryAfterSeconds: 2,
    });
    assert.equal(fault.status, 201);
    const listed = await admin("GET", "/_emulator/faults");
    assert.equal(listed.body.length, 1);
    assert.equal(listed.body[0].pathPattern, /^\/v1\/customers\//.source);

    // A third process that trusts the CA only through NODE_EXTRA_CA_CERTS sees the injected fault.
    const script = `fetch(${JSON.stringify(`${info.url}/v1/customers/${customer.body.id}`)}, { headers: { authorization: "Bearer " + process.env.TOKEN } }).then(async (r) => { console.log(r.status, r.headers.get("retry-after")); await fetch(${JSON.stringify(`${info.url}/v1/customers/${customer.body.id}`)}, { headers: { authorization: "Bearer " + process.env.TOKEN } }).then((s) => console.log(s.status)); })`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: info.caCertificatePath, TOKEN: token },
    });
    assert.deepEqual(stdout.trim().split("\n"), ["503 2", "200"]);

    const requests = await admin("GET", "/_emulator/requests");
    const customerCalls = requests.body.filter((entry: { path: string }) => entry.path.startsWith("/v1/customers/"));
    assert.deepEqual(
      customerCalls.map((entry: { status: number; tokenKind: string }) => [entry.status, entry.tokenKind]),
      [
        [503, undefined],
        [200, "app"],
      ],
    );
    assert.ok(
      !requests.body.some((entry: { path: string }) => entry.path.startsWith("/_emulator")),
      "admin calls are not logged",
    );

    const settings = await admin("PUT", "/_emulator/settings", {
      tokenLifetimeSeconds: 90,
      clockSkewSeconds: -30,
    });
    assert.equal(settings.body.tokenLifetimeSeconds, 90);
    assert.equal(settings.body.clockSkewSeconds, -30);

    const federated = await admin("POST", "/_emulator/federated-tokens", {});
    assert.equal(federated.status, 201);
    assert.equal(federated.body.token.split(".").length, 3);
    assert.equal((await admin("POST", "/_emulator/refresh-tokens/revoke")).status, 204);

    const state = await admin("GET", "/_emulator/state");
    assert.equal(state.body.customers.length, 1);
    assert.equal((await admin("DELETE", `/_emulator/customers/${customer.body.id}`)).status, 204);
    assert.equal((await admin("DELETE", `/_emulator/customers/${customer.body.id}`)).status, 404);
    assert.equal((await admin("POST", "/_emulator/reset")).status, 204);
    assert.deepEqual((await admin("GET", "/_emulator/requests")).body, []);
  });
  it("runs as the README says, `npx partner-center-emulator`, from the built package in this repository", async () => {
    // npx resolves the package's own bin (dist/emulator/cli.js) and runs it through sh: without the execute bit that
    // the build sets, a clean clone answered "Permission denied".
    const { stdout } = await promisify(execFile)("npx", ["--no-install", "partner-center-emulator", "--help"], {
      cwd: ROOT,
    });
    assert.match(stdout, /^Usage: partner-center-emulator/m);
  });
});

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { isLoopbackHost } from "../../emulator/emulatorOptions";
import {
  type EmulatorEndpoint,
  type EmulatorResponse,
  emulatorRequest,
  getAppToken,
  usCustomerBody,
} from "../support/emulatorClient";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "emulator", "cli.ts");
const TOKEN_VARIABLE = "PARTNERCENTER_EMULATOR_ADMIN_TOKEN";

function newAdminToken(): string {
  return `adm-${randomBytes(24).toString("base64url")}`;
}

/** The environment of this process without an admin token, plus `extra`. */
function cliEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!(TOKEN_VARIABLE in extra)) delete env[TOKEN_VARIABLE];
  return env;
}

interface CliRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

/** Starts the CLI through tsx; resolves once stdout matches `until`, or once it exits (with its exit code). */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  until: RegExp,
): Promise<CliRun & { exitCode: number | null | undefined }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolvePromise, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`CLI neither started nor exited: ${stdout}${stderr}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      if (until.test(stdout)) {
        clearTimeout(timer);
        resolvePromise({ child, stdout, stderr, exitCode: undefined });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ child, stdout, stderr, exitCode: code });
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

describe("emulator: admin token and non-loopback hosts", function () {
  this.timeout(60_000);

  describe("which hosts are loopback", () => {
    it("counts 127.0.0.0/8, ::1 (any spelling) and localhost as loopback, and nothing else", () => {
      for (const host of ["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost"]) {
        assert.equal(isLoopbackHost(host), true, host);
      }
      for (const host of [
        "0.0.0.0",
        "::",
        "10.0.0.1",
        "192.0.2.2",
        "fd00::2",
        "example.com",
        "localhost.example",
        "",
      ]) {
        assert.equal(isLoopbackHost(host), false, host);
      }
    });
  });

  describe("startEmulator", () => {
    let emulator: EmulatorHandle | undefined;
    afterEach(async () => {
      await emulator?.close();
      emulator = undefined;
    });

    it("refuses 0.0.0.0, :: and other non-loopback hosts without an admin token, naming the option", async () => {
      for (const host of ["0.0.0.0", "::", "192.0.2.123"]) {
        await assert.rejects(
          startEmulator({ port: 0, host }),
          (error: Error) =>
            error.message.includes(`Refusing to listen on ${host} without an admin token`) &&
            error.message.includes("adminToken") &&
            error.message.includes("--admin-token") &&
            error.message.includes(TOKEN_VARIABLE),
        );
      }
    });

    it("refuses an admin token no client could send, without repeating it", async () => {
      for (const adminToken of ["", "two words", "tab\there", "ünïcode"]) {
        await assert.rejects(startEmulator({ port: 0, adminToken }), (error: Error) => {
          assert.match(error.message, /must be non-empty visible ASCII without spaces/);
          if (adminToken) assert.ok(!error.message.includes(adminToken));
          return true;
        });
      }
    });

    it("on 0.0.0.0 with a token: admin routes answer 401 without the right bearer token and do nothing", async () => {
      const adminToken = newAdminToken();
      emulator = await startEmulator({ port: 0, host: "0.0.0.0", adminToken });
      assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const handle = emulator;
      const admin = (method: string, path: string, headers: Record<string, string> = {}, json?: unknown) =>
        emulatorRequest(handle, method, path, { headers, ...(json === undefined ? {} : { json }) });
      const refused = (response: EmulatorResponse) => {
        assert.equal(response.status, 401, response.text);
        assert.match(String(response.headers["content-type"]), /application\/json/);
        assert.deepEqual(response.body, { error: "The admin routes require Authorization: Bearer <admin token>." });
        assert.match(String(response.headers["www-authenticate"]), /^Bearer /);
      };

      const wrong: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${adminToken.slice(0, -1)}` },
        { authorization: `Bearer ${adminToken}x` },
        { authorization: `Basic ${Buffer.from(`admin:${adminToken}`).toString("base64")}` },
        { authorization: adminToken },
        { authorization: "Bearer " },
        { authorization: `Bearer ${emulator.credentials.clientSecret}` },
      ];
      for (const headers of wrong) {
        refused(await admin("GET", "/_emulator/info", headers));
        refused(await admin("GET", "/_emulator/state", headers));
      }
      // A Partner Center access token is not an admin token either.
      refused(await admin("GET", "/_emulator/info", { authorization: `Bearer ${await getAppToken(emulator)}` }));
      // However the path is spelled, and for unknown admin paths too.
      refused(await admin("GET", "/%5Femulator/info"));
      refused(await admin("GET", "/_emulator/%69nfo"));
      refused(await admin("GET", "/_emulator/no-such-route"));

      // Refused requests change nothing.
      await emulator.createCustomer(usCustomerBody("admintok"));
      refused(await admin("POST", "/_emulator/reset"));
      refused(await admin("POST", "/_emulator/customers", {}, usCustomerBody("sneaky")));
      refused(await admin("DELETE", `/_emulator/customers/${emulator.state().customers[0]?.id}`));
      refused(
        await admin("POST", "/_emulator/faults", { authorization: "Bearer nope" }, { path: "/v1/", status: 500 }),
      );
      refused(await admin("PUT", "/_emulator/settings", {}, { tokenLifetimeSeconds: 1 }));
      assert.equal(emulator.state().customers.length, 1);
      assert.deepEqual(emulator.faults.list(), []);
      const token = await getAppToken(emulator);
      const customers = await emulatorRequest(emulator, "GET", "/v1/customers", { token });
      assert.equal(customers.status, 200);
      assert.equal(customers.body.totalCount, 1);

      // The right token opens every admin route; /v1 routes still take Partner Center tokens only.
      const bearer = { authorization: `Bearer ${adminToken}` };
      const info = await admin("GET", "/_emulator/info", bearer);
      assert.equal(info.status, 200);
      assert.equal(info.body.tenantId, emulator.tenantId);
      assert.deepEqual(info.body.credentials, emulator.credentials);
      assert.ok(!info.text.includes(adminToken), "the info route never returns the admin token");
      assert.equal((await admin("GET", "/_emulator/info", { authorization: `bearer   ${adminToken}` })).status, 200);
      assert.equal((await admin("GET", "/_emulator/state", bearer)).body.customers.length, 1);
      assert.equal((await admin("GET", "/_emulator/no-such-route", bearer)).status, 404);
      assert.equal((await emulatorRequest(emulator, "GET", "/v1/customers", { token: adminToken })).status, 401);
      assert.equal((await admin("POST", "/_emulator/reset", bearer)).status, 204);
      assert.equal(emulator.state().customers.length, 0);

      // Admin calls, refused or not, stay out of the request log, so the token is never logged.
      const requests = await admin("GET", "/_emulator/requests", bearer);
      assert.equal(requests.status, 200);
      assert.ok(!requests.text.includes("_emulator"), requests.text);
      assert.ok(!requests.text.includes(adminToken));
    });

    it("on loopback with a token: the token is required there too", async () => {
      const adminToken = newAdminToken();
      emulator = await startEmulator({ port: 0, adminToken });
      assert.equal((await emulatorRequest(emulator, "GET", "/_emulator/info")).status, 401);
      assert.equal((await emulatorRequest(emulator, "GET", "/_emulator/info", { token: adminToken })).status, 200);
    });

    it("on loopback without a token: admin routes stay open, as before", async () => {
      emulator = await startEmulator({ port: 0 });
      assert.equal((await emulatorRequest(emulator, "GET", "/_emulator/info")).status, 200);
      assert.equal((await emulatorRequest(emulator, "POST", "/_emulator/reset")).status, 204);
    });
  });

  describe("CLI", () => {
    let child: ChildProcess | undefined;
    afterEach(async () => {
      if (child) await stop(child);
      child = undefined;
    });

    it("exits non-zero with a message naming --admin-token when asked for 0.0.0.0 without one", async () => {
      for (const env of [cliEnvironment(), cliEnvironment({ [TOKEN_VARIABLE]: "" })]) {
        const run = await runCli(["--port", "0", "--host", "0.0.0.0"], env, /Press Ctrl\+C/);
        child = run.child;
        assert.equal(run.exitCode, 1, `${run.stdout}${run.stderr}`);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /^partner-center-emulator: Refusing to listen on 0\.0\.0\.0 without an admin token/);
        assert.match(run.stderr, /--admin-token <token>/);
        assert.match(run.stderr, new RegExp(TOKEN_VARIABLE));
      }
    });

    it("starts on 0.0.0.0 with the token from the environment, never printing it", async () => {
      const adminToken = newAdminToken();
      const run = await runCli(
        ["--port", "0", "--host", "0.0.0.0"],
        cliEnvironment({ [TOKEN_VARIABLE]: adminToken }),
        /Press Ctrl\+C/,
      );
      child = run.child;
      assert.equal(run.exitCode, undefined, `${run.stdout}${run.stderr}`);
      assert.ok(!run.stdout.includes(adminToken) && !run.stderr.includes(adminToken), "the token is not printed");
      assert.match(
        run.stdout,
        /Admin routes:\s+https:\/\/127\.0\.0\.1:\d+\/_emulator \(Authorization: Bearer <admin token>\)/,
      );
      const url = /URL:\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1] as string;
      const caPath = /CA certificate:\s+(\S+)/.exec(run.stdout)?.[1] as string;
      const endpoint: EmulatorEndpoint = { url, caCertificatePem: await readFile(caPath, "utf8") };

      const missing = await emulatorRequest(endpoint, "GET", "/_emulator/info");
      assert.equal(missing.status, 401);
      assert.match(missing.body.error, /Authorization: Bearer/);
      assert.equal((await emulatorRequest(endpoint, "GET", "/_emulator/info", { token: "wrong" })).status, 401);
      const info = await emulatorRequest(endpoint, "GET", "/_emulator/info", { token: adminToken });
      assert.equal(info.status, 200);
      assert.equal(info.body.url, url);
      assert.ok(!info.text.includes(adminToken));
      assert.equal(await stop(run.child), 0);
      child = undefined;
    });

    it("takes --admin-token too and keeps it out of the --json line", async () => {
      const adminToken = newAdminToken();
      const run = await runCli(
        ["--port", "0", "--host", "0.0.0.0", "--admin-token", adminToken, "--json"],
        cliEnvironment(),
        /\n/,
      );
      child = run.child;
      assert.equal(run.exitCode, undefined, `${run.stdout}${run.stderr}`);
      assert.ok(!run.stdout.includes(adminToken) && !run.stderr.includes(adminToken), "the token is not printed");
      const printed = JSON.parse(run.stdout.split("\n")[0] as string) as { url: string; caCertificatePath: string };
      const endpoint: EmulatorEndpoint = {
        url: printed.url,
        caCertificatePem: await readFile(printed.caCertificatePath, "utf8"),
      };
      assert.equal((await emulatorRequest(endpoint, "POST", "/_emulator/reset")).status, 401);
      assert.equal((await emulatorRequest(endpoint, "POST", "/_emulator/reset", { token: adminToken })).status, 204);
    });
  });
});

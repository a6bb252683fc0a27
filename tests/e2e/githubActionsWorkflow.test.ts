/**
 * The GitHub Actions example (examples/github-actions, issue 21 item 6d), its shell steps run for real:
 *
 * - actionlint (scripts/ensure-actionlint.sh) with shellcheck over the workflow laid out as a user copies it, and
 *   shellcheck over its scripts; the shape the fixes promise (environments, concurrency by stack, a pinned CLI,
 *   production credentials never in a pull-request job, the token refresher around every Pulumi step);
 * - the stack-config guard, extracted from the workflow and run with GitHub's bash, on the example config and on
 *   configs with a client secret;
 * - refresh-oidc-token.sh against a GitHub-shaped OIDC endpoint whose tokens the emulator issues (its federated token
 *   service): the token it writes is accepted by the emulator's token endpoint, the file is refreshed, a refresh that
 *   fails keeps the previous token, and a start against an endpoint that answers an error, nothing or no token fails
 *   the step without writing the file;
 * - follow-ups-only.sh on real `pulumi preview --json` output: an accepted MCA passes; a changed input and a new
 *   customer are refused.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { emulatorRequest } from "../support/emulatorClient";
import { repositoryRoot } from "../support/providerHost";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";
import { type TempProject, writeJavaScriptProject } from "../support/tempProject";

const execFileAsync = promisify(execFile);
const EXAMPLE = join(repositoryRoot, "examples", "github-actions");
const WORKFLOW = join(EXAMPLE, "partnercenter.yml");
const REFRESH = join(EXAMPLE, "refresh-oidc-token.sh");
const FOLLOW_UPS = join(EXAMPLE, "follow-ups-only.sh");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = () => parse(readFileSync(WORKFLOW, "utf8")) as Workflow;

/** Runs a command; resolves with its exit code and output whatever the code. */
async function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      encoding: "utf8",
      env: options.env ?? process.env,
      cwd: options.cwd,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === "number" ? failure.code : 1,
      stdout: failure.stdout ?? "",
      stderr: failure.stderr ?? "",
    };
  }
}

describe("e2e: the GitHub Actions example's shell steps (examples/github-actions)", function () {
  this.timeout(300_000);

  describe("the workflow", () => {
    it("passes actionlint with shellcheck (laid out as a user copies it), and its scripts pass shellcheck", async () => {
      const actionlint = execFileSync("bash", [join(repositoryRoot, "scripts", "ensure-actionlint.sh")], {
        encoding: "utf8",
        env: { ...process.env, PARTNERCENTER_REQUIRE_SHELLCHECK: "1" },
      }).trim();
      const repo = mkdtempSync(join(tmpdir(), "pc-actionlint-"));
      try {
        mkdirSync(join(repo, ".github", "workflows"), { recursive: true });
        mkdirSync(join(repo, ".github", "scripts"), { recursive: true });
        cpSync(WORKFLOW, join(repo, ".github", "workflows", "partnercenter.yml"));
        for (const script of [REFRESH, FOLLOW_UPS]) {
          cpSync(script, join(repo, ".github", "scripts", script.split("/").pop() as string));
        }
        const lint = await run(actionlint, ["-no-color", ".github/workflows/partnercenter.yml"], { cwd: repo });
        assert.equal(lint.code, 0, `actionlint:\n${lint.stdout}${lint.stderr}`);
        // The scripts the workflow calls exist where it calls them.
        for (const job of Object.values(workflow().jobs)) {
          for (const step of job.steps) {
            for (const match of step.run?.matchAll(/\.github\/scripts\/([\w.-]+)/g) ?? []) {
              assert.ok(existsSync(join(repo, ".github", "scripts", match[1] as string)), `${match[1]} is shipped`);
            }
          }
        }
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
      const check = await run("shellcheck", [REFRESH, FOLLOW_UPS]);
      assert.equal(check.code, 0, `shellcheck:\n${check.stdout}${check.stderr}`);
    });

    it("keeps production credentials out of pull requests, approves up in an environment, serializes by stack, pins the CLI", () => {
      const { on, jobs, env, permissions } = workflow();
      assert.deepEqual(permissions, {}, "nothing by default");
      assert.ok("pull_request" in on && !("pull_request_target" in on), "pull requests run with their own rights");
      const lock = JSON.parse(readFileSync(join(repositoryRoot, "package-lock.json"), "utf8"));
      assert.equal(env.PULUMI_VERSION, lock.packages["node_modules/@pulumi/pulumi"].version, "the tested CLI");

      const { preview, up, "follow-ups": followUps } = jobs;
      assert.ok(preview && up && followUps);
      assert.match(preview.if ?? "", /github\.event_name == 'pull_request'/);
      assert.equal(preview.environment, "preview", "a pull request gets the preview app only");
      for (const job of [up, followUps]) {
        assert.ok(!/pull_request/.test(job.if ?? ""), "no production job on a pull request");
        assert.equal(job.concurrency?.group, `pulumi-stack-${env.PULUMI_STACK}`, "by stack, not by ref");
        assert.equal(job.concurrency?.["cancel-in-progress"], false);
      }
      assert.equal(up.environment, "production", "up waits for the environment's reviewers");
      assert.equal(followUps.environment, "production-follow-ups");
      assert.match(followUps.if ?? "", /schedule/);
      assert.ok(!/\bgithub\.ref\b/.test(JSON.stringify([up.concurrency, followUps.concurrency])));

      for (const [name, job] of Object.entries(jobs)) {
        assert.equal(job.permissions?.["id-token"], "write", name);
        assert.equal(
          job.env?.PARTNERCENTER_CLIENT_ID,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
          "${{ vars.PARTNERCENTER_CLIENT_ID }}",
          `${name}: its environment's app`,
        );
        const steps = job.steps;
        const start = steps.findIndex((s) => /refresh-oidc-token\.sh start/.test(s.run ?? ""));
        const stop = steps.findIndex((s) => /refresh-oidc-token\.sh stop/.test(s.run ?? ""));
        const pulumiSteps = steps
          .map((s, index) => ({ s, index }))
          .filter(({ s }) => (s.uses?.startsWith("pulumi/actions") && s.with?.command) || /^pulumi /.test(s.run ?? ""));
        assert.ok(start >= 0 && stop > start, `${name}: refresher started and stopped`);
        assert.equal(steps[stop]?.if, "always()", `${name}: stopped even after a failure`);
        for (const { index } of pulumiSteps)
          assert.ok(index > start && index < stop, `${name}: step ${index} under a fresh token`);
        for (const step of steps.filter((s) => s.uses?.startsWith("pulumi/actions"))) {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
          assert.equal(step.with?.["pulumi-version"], "${{ env.PULUMI_VERSION }}", `${name}: the CLI is pinned`);
        }
        const guard = steps.find((s) => s.name === "No application credential in the stack config");
        assert.ok(guard, `${name}: refuses a stored client secret`);
        assert.ok(steps.indexOf(guard) < start);
      }
      const example = readFileSync(join(EXAMPLE, "Pulumi.production.yaml"), "utf8");
      assert.ok(
        !/^\s*partnercenter:(clientSecret|clientId)/m.test(example),
        "the config example stores no app credential",
      );
    });

    it("the stack-config guard (as GitHub runs it: bash -e -o pipefail) refuses a client secret, a certificate or a clientId", async () => {
      const guards = Object.values(workflow().jobs).map(
        (job) => job.steps.find((s) => s.name === "No application credential in the stack config")?.run,
      );
      assert.ok(guards[0]);
      for (const guard of guards) assert.equal(guard, guards[0], "the same guard in every job");
      const dir = mkdtempSync(join(tmpdir(), "pc-guard-"));
      try {
        writeFileSync(join(dir, "guard.sh"), guards[0] as string);
        const env = { PATH: process.env.PATH ?? "", PULUMI_STACK: "production" };
        const runGuard = (extra: Record<string, string> = {}) =>
          run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "guard.sh"], {
            cwd: dir,
            env: { ...env, ...extra },
          });

        assert.equal((await runGuard()).code, 0, "no stack config file at all");
        cpSync(join(EXAMPLE, "Pulumi.production.yaml"), join(dir, "Pulumi.production.yaml"));
        assert.equal((await runGuard()).code, 0, "the example config passes");
        const example = readFileSync(join(dir, "Pulumi.production.yaml"), "utf8");
        for (const key of ["clientSecret", "clientCertificatePath", "clientId"]) {
          writeFileSync(join(dir, "Pulumi.production.yaml"), `${example}  partnercenter:${key}:\n    secure: v1:abc\n`);
          const refused = await runGuard();
          assert.equal(refused.code, 1, key);
          assert.match(refused.stdout, /::error file=Pulumi\.production\.yaml::remove these keys/);
        }
        writeFileSync(join(dir, "Pulumi.production.yaml"), example);
        const fromEnv = await runGuard({ AZURE_CLIENT_SECRET: "s3cret" });
        assert.equal(fromEnv.code, 1);
        assert.match(fromEnv.stdout, /would win over the federated token/);
        assert.ok(!fromEnv.stdout.includes("s3cret"));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("refresh-oidc-token.sh against the emulator's federated tokens", () => {
    let emulator: EmulatorHandle;
    let server: Server;
    let url: string;
    let dir: string;
    /** How the GitHub-shaped endpoint answers next. */
    let mode: "ok" | "error" | "empty" | "no-value" | "null" | "not-jwt" = "ok";
    const audiences: string[] = [];
    const REQUEST_TOKEN = "github-request-token-for-this-job";

    before(async () => {
      emulator = await startEmulator({ port: 0 });
      // GitHub's endpoint: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…, Authorization: bearer <request token>,
      // answering {"count":…,"value":"<JWT>"}; here the JWT is the emulator's, for the subject the app trusts.
      server = createServer((request, response) => {
        const query = new URL(request.url ?? "/", "http://localhost").searchParams;
        if (request.headers.authorization !== `bearer ${REQUEST_TOKEN}` || query.get("api-version") !== "2.0") {
          response.writeHead(401).end();
          return;
        }
        audiences.push(query.get("audience") ?? "");
        const answer = (status: number, body: string) =>
          response.writeHead(status, { "content-type": "application/json" }).end(body);
        if (mode === "error") answer(500, '{"message":"boom"}');
        else if (mode === "empty") answer(200, "");
        else if (mode === "no-value") answer(200, '{"count":0}');
        else if (mode === "null") answer(200, '{"count":1,"value":null}');
        else if (mode === "not-jwt") answer(200, '{"count":1,"value":"not a token"}');
        else {
          emulator
            .issueFederatedToken({ audience: query.get("audience") ?? undefined })
            .then((value) => answer(200, JSON.stringify({ count: value.length, value })));
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
      dir = mkdtempSync(join(tmpdir(), "pc-oidc-"));
    });

    after(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await emulator?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const scriptEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
      GITHUB_ENV: join(dir, "github-env"),
      PARTNERCENTER_OIDC_REFRESH_SECONDS: "1",
      PARTNERCENTER_OIDC_RETRIES: "0",
      ...extra,
    });
    const script = (args: string[], extra: Record<string, string> = {}) =>
      run("bash", [REFRESH, ...args], { env: scriptEnv(extra) });

    /** The emulator's token endpoint takes `assertion` as the app's client assertion (App-only). */
    async function acceptedByEmulator(assertion: string): Promise<boolean> {
      const answer = await emulatorRequest(emulator, "POST", `/${emulator.tenantId}/oauth2/v2.0/token`, {
        form: {
          grant_type: "client_credentials",
          client_id: emulator.credentials.clientId,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
          scope: emulator.scopes.appOnly,
        },
      });
      return answer.status === 200 && typeof answer.body?.access_token === "string";
    }

    const waitFor = async (what: string, condition: () => boolean, ms = 10_000) => {
      const deadline = Date.now() + ms;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    it("start: a token the emulator accepts, the file named in GITHUB_ENV, refreshed in the background; a failed refresh keeps the last token; stop ends it", async () => {
      mode = "ok";
      const file = join(dir, "federated-token");
      const started = await script(["start", file]);
      assert.equal(started.code, 0, started.stderr);
      assert.equal(readFileSync(join(dir, "github-env"), "utf8"), `PARTNERCENTER_FEDERATED_TOKEN_FILE=${file}\n`);
      assert.deepEqual([...new Set(audiences)], ["api://AzureADTokenExchange"], "Entra's audience");
      const first = readFileSync(file, "utf8");
      assert.match(first, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(await acceptedByEmulator(first), "the emulator's token endpoint takes it");
      assert.ok(!started.stdout.includes(first) && !started.stderr.includes(first), "the token is never printed");
      const pid = Number(readFileSync(`${file}.pid`, "utf8"));

      await waitFor("a refresh", () => readFileSync(file, "utf8") !== first);
      const second = readFileSync(file, "utf8");
      assert.ok(await acceptedByEmulator(second), "the refreshed token works too");

      mode = "error";
      const failedAt = audiences.length;
      await waitFor("two failed refreshes", () => audiences.length >= failedAt + 2);
      const kept = readFileSync(file, "utf8");
      assert.match(kept, /^[\w-]+\.[\w-]+\.[\w-]+$/, "a failed refresh never empties the file");
      assert.ok(await acceptedByEmulator(kept), "and the kept token still works");

      const stopped = await script(["stop", file]);
      assert.equal(stopped.code, 0);
      assert.match(stopped.stdout, /refresh\(es\), [1-9]\d* failed/);
      assert.match(stopped.stdout, /::warning::refresh-oidc-token: \d+ refresh\(es\) of the OIDC token failed/);
      await waitFor("the refresher to end", () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(!existsSync(file) && !existsSync(`${file}.pid`), "token and pid file removed");
    });

    for (const answer of ["error", "empty", "no-value", "null", "not-jwt"] as const) {
      it(`start fails the step, writing nothing, when the token endpoint answers ${answer}`, async () => {
        mode = answer;
        const file = join(dir, `token-${answer}`);
        rmSync(join(dir, "github-env"), { force: true });
        const started = await script(["start", file]);
        assert.notEqual(started.code, 0, "the step fails");
        assert.match(started.stderr, /::error::refresh-oidc-token: GitHub's OIDC token endpoint/);
        assert.ok(!existsSync(file), "no token file, not even an empty one");
        assert.ok(!existsSync(`${file}.pid`), "no refresher");
        assert.ok(!existsSync(join(dir, "github-env")), "the later steps are not pointed at a file");
      });
    }

    it("once over a good file: a failure leaves the previous token in place", async () => {
      mode = "ok";
      const file = join(dir, "token-once");
      assert.equal((await script(["once", file])).code, 0);
      const good = readFileSync(file, "utf8");
      mode = "empty";
      assert.notEqual((await script(["once", file])).code, 0);
      assert.equal(readFileSync(file, "utf8"), good);
    });

    it("without id-token: write (no request URL), start says what the job needs", async () => {
      const started = await script(["start", join(dir, "token-none")], { ACTIONS_ID_TOKEN_REQUEST_URL: "" });
      assert.notEqual(started.code, 0);
      assert.match(started.stderr, /permissions: id-token: write/);
    });
  });

  describe("follow-ups-only.sh on real pulumi preview --json output", () => {
    let emulator: EmulatorHandle;
    let project: TempProject;
    let test: TestStack;
    const runId = Date.now().toString(36);

    const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { McaAcceptance, PartnerCustomer } = require("pulumi-partnercenter");
const config = new pulumi.Config("ci");
const customer = (name, domain) => new PartnerCustomer(name, {
  companyProfile: { domain },
  billingProfile: { email: "billing@contoso.example", culture: "en-US", language: "en", companyName: "Contoso CI Ltd",
    defaultAddress: { firstName: "Ada", lastName: "Ng", addressLine1: "1 Microsoft Way", city: "Redmond", state: "WA",
      postalCode: "98052", country: "US", phoneNumber: "4255550100" } },
});
const contoso = customer("contoso", config.require("domain"));
new McaAcceptance("contoso-mca", {
  customerId: contoso.customerId,
  signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
  waitForAcceptanceSeconds: config.getNumber("wait") ?? 0,
});
if (config.get("second")) customer("second", config.get("second"));
`;

    before(async () => {
      requirePulumiCli();
      emulator = await startEmulator({ port: 0 });
      project = writeJavaScriptProject("ci-follow-ups", PROGRAM);
      test = await createTestStack(project.dir, `followups-${runId}`, {
        NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      });
      await test.stack.setAllConfig({
        ...emulatorStackConfig(emulator),
        "partnercenter:mcaAcceptanceBase": { value: emulator.url },
        "ci:domain": { value: `cifollowups${runId}.onmicrosoft.com` },
      });
    });

    after(async () => {
      await test?.cleanup();
      project?.cleanup();
      await emulator?.close();
    });

    /** `pulumi preview --json` as the workflow's step runs it, then the script on its output. */
    async function followUpsOnly(): Promise<{ code: number; stdout: string; stderr: string }> {
      const preview = await run("pulumi", ["preview", "--json", "--stack", test.stack.name, "--non-interactive"], {
        cwd: project.dir,
        env: { ...process.env, ...test.stack.workspace.envVars },
      });
      assert.equal(preview.code, 0, preview.stderr);
      const file = join(project.dir, "preview.json");
      writeFileSync(file, preview.stdout);
      return run("bash", [FOLLOW_UPS, file]);
    }

    it("passes an accepted MCA (an update with the same inputs); refuses a changed input and a new customer", async () => {
      await test.stack.up();
      const attestation = emulator.state().attestations?.find((a) => a.status === "pending");
      assert.ok(attestation, "the acceptance waits for the customer");
      assert.equal((await followUpsOnly()).code, 0, "nothing to do is fine");

      const accepted = await emulatorRequest(emulator, "POST", "/mca/accept", {
        form: { attestationid: attestation.id, agree: "yes" },
      });
      assert.ok(accepted.status < 400);
      const followUp = await followUpsOnly();
      assert.equal(followUp.code, 0, followUp.stderr);
      assert.match(followUp.stdout, /1 follow-up\(s\), nothing else/);

      await test.stack.setConfig("ci:wait", { value: "5" });
      const changedInput = await followUpsOnly();
      assert.equal(changedInput.code, 1, "an input change needs approval");
      assert.match(changedInput.stderr, /update urn:pulumi:[^\n]*McaAcceptance::contoso-mca/);
      await test.stack.removeConfig("ci:wait");

      await test.stack.setConfig("ci:second", { value: `cisecond${runId}.onmicrosoft.com` });
      const created = await followUpsOnly();
      assert.equal(created.code, 1, "a new customer needs approval");
      assert.match(created.stderr, /create urn:pulumi:[^\n]*PartnerCustomer::second/);
      assert.ok(!/McaAcceptance/.test(created.stderr), "the follow-up itself is not named");
    });
  });
});

/**
 * Issue 21, item 6c: sourcing scripts/ensure-pulumi.sh gives a shell the Pulumi CLI and nothing that would decide where
 * its next stack lives or how its secrets are encrypted — no PULUMI_CONFIG_PASSPHRASE (a public one would encrypt a
 * sandbox or production stack's client secret and admin passwords), no PULUMI_BACKEND_URL. The scripts that run the
 * `emulator` stack set both for their own process only.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "../support/providerHost";
import { requirePulumiCli } from "../support/pulumiCli";

/** Prints what a shell that sourced ensure-pulumi.sh holds. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansions
const SHOW = 'echo "${PULUMI_CONFIG_PASSPHRASE-unset}|${PULUMI_BACKEND_URL-unset}"';
const SOURCED = `source scripts/ensure-pulumi.sh >/dev/null 2>&1 || exit 3; ${SHOW}`;

describe("e2e: what sourcing scripts/ensure-pulumi.sh leaves in the shell", () => {
  before(() => {
    requirePulumiCli();
  });

  it("the CLI on PATH, and neither a passphrase nor a backend", () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.PULUMI_CONFIG_PASSPHRASE;
    delete env.PULUMI_BACKEND_URL;
    const out = execFileSync("bash", ["-c", `${SOURCED}; pulumi version`], {
      cwd: repositoryRoot,
      env,
      encoding: "utf8",
    }).trim();
    const [first = "", version = ""] = out.split("\n");
    const [passphrase, backend] = first.split("|");
    assert.equal(passphrase, "unset", "no passphrase exported");
    assert.equal(backend, "unset", "no backend exported");
    assert.match(version ?? "", /^v3\./, "the CLI is on PATH");
  });

  it("a passphrase or backend the user set is left as it was", () => {
    const out = execFileSync("bash", ["-c", SOURCED], {
      cwd: repositoryRoot,
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "mine", PULUMI_BACKEND_URL: "s3://mine" },
      encoding: "utf8",
    }).trim();
    assert.equal(out, "mine|s3://mine");
  });

  it("no script meant to be sourced sets a passphrase or a backend; the emulator stack's scripts set them for themselves", () => {
    const dir = join(repositoryRoot, "scripts");
    for (const name of readdirSync(dir).filter((file) => file.endsWith(".sh"))) {
      const text = readFileSync(join(dir, name), "utf8");
      const sourced = /^#\s*Source this file/m.test(text);
      const sets = /\bPULUMI_(CONFIG_PASSPHRASE|BACKEND_URL)=/.test(text);
      assert.ok(!(sourced && sets), `${name} is sourced and sets a passphrase or backend`);
    }
    for (const name of ["start.sh", "pulumi-emulator.sh"]) {
      const text = readFileSync(join(dir, name), "utf8");
      assert.match(text, /PULUMI_CONFIG_PASSPHRASE="pulumi-partnercenter-local"/, name);
      assert.match(text, /^set -[a-z]*u[a-z]*o pipefail$/m, `${name} runs as a script of its own`);
    }
  });
});

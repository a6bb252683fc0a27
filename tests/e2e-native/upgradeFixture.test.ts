/**
 * Upgrade safety under the real Pulumi CLI (issue 21, item 4), Pulumi YAML program on the native plugin: each
 * checked-in fixture (tests/upgrade/fixtures/v<version>/native, made by scripts/make-upgrade-fixture.sh) imported into
 * a fresh stack on a local backend with `pulumi stack import`, against an emulator started from the fixture's own
 * state file (on the port the fixture was made with: the default provider keeps the emulator's URL in the state),
 * then `pulumi preview` with this checkout's plugin: every resource unchanged — the default provider too, but for a
 * newer plugin version — and not one request. The TypeScript front end is tests/e2e/upgradeFixture.test.ts; without
 * the CLI, resource by resource, tests/upgrade/upgrade.test.ts (npm test).
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-yaml.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { requirePulumiCli } from "../support/pulumiCli";
import { previewFixtureUnderCli } from "../upgrade/support/cli";
import { fixtureVersions, loadFixture } from "../upgrade/support/fixture";

function requireYamlHost(): void {
  try {
    execFileSync("pulumi-language-yaml", ["--help"], { stdio: "ignore" });
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      throw new Error("pulumi-language-yaml is not on PATH: run `source scripts/ensure-pulumi-yaml.sh`");
    }
  }
}

describe("e2e-native: upgrade fixtures (Pulumi YAML program, native plugin) under the real Pulumi CLI", function () {
  this.timeout(300_000);

  before(() => {
    requirePulumiCli();
    requireYamlHost();
    assert.ok(fixtureVersions().length > 0, "no upgrade fixture: run bash scripts/make-upgrade-fixture.sh");
  });

  for (const folder of fixtureVersions()) {
    it(`${folder}: stack import + pulumi preview plans nothing and sends nothing`, async () => {
      const fixture = loadFixture(folder);
      const result = await previewFixtureUnderCli(fixture.dir, "native", fixture.info.emulatorPort);
      assert.ok(
        result.steps.some((step) => step.urn.includes("partnercenter:index:GdapAccessAssignment")),
        "the preview saw the fixture's resources",
      );
      assert.deepEqual(
        result.changes.map((step) => `${step.op} ${step.urn} ${JSON.stringify(step.diffReasons ?? [])}`),
        [],
        `no change (${JSON.stringify(result.changeSummary)})`,
      );
      assert.deepEqual(result.requests, [], "an unchanged preview sends nothing, token requests included");
    });
  }
});

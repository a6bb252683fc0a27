/**
 * Upgrade safety under the real Pulumi CLI (issue 21, item 4), TypeScript program on the dynamic resources: each
 * checked-in fixture (tests/upgrade/fixtures/v<version>/dynamic, made by scripts/make-upgrade-fixture.sh) imported into
 * a fresh stack on a local backend with `pulumi stack import`, against an emulator started from the fixture's own
 * state file, then `pulumi preview`: every resource unchanged, and not one request — no Partner Center or Graph call,
 * no token request. The same without the CLI, resource by resource, is tests/upgrade/upgrade.test.ts (npm test); the
 * native plugin's YAML program is tests/e2e-native/upgradeFixture.test.ts.
 */
import assert from "node:assert/strict";
import { requirePulumiCli } from "../support/pulumiCli";
import { previewFixtureUnderCli } from "../upgrade/support/cli";
import { fixtureVersions, loadFixture } from "../upgrade/support/fixture";

describe("e2e: upgrade fixtures (TypeScript program, dynamic resources) under the real Pulumi CLI", function () {
  this.timeout(300_000);

  before(() => {
    requirePulumiCli();
    assert.ok(fixtureVersions().length > 0, "no upgrade fixture: run bash scripts/make-upgrade-fixture.sh");
  });

  for (const folder of fixtureVersions()) {
    it(`${folder}: stack import + pulumi preview plans nothing and sends nothing`, async () => {
      const fixture = loadFixture(folder);
      const result = await previewFixtureUnderCli(fixture.dir, "dynamic", fixture.info.emulatorPort);
      assert.ok(
        result.steps.some((step) => step.urn.includes("pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment")),
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

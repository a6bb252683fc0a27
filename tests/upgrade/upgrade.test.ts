/**
 * Upgrade safety (issue 21, item 4), without the Pulumi CLI (part of `npm test`): every stack state an earlier release
 * wrote (tests/upgrade/fixtures/v<version>/, made by scripts/make-upgrade-fixture.sh) previews with no changes and
 * no requests under this version.
 *
 * For each fixture and each front end, exactly what the engine does in `pulumi preview` for an unchanged resource,
 * through the real provider processes over gRPC: the emulator starts from the fixture's own state file; the
 * fixture's program says what it registers *today* (the TypeScript program run by this version under runtime mocks,
 * with this version's serialized provider; the YAML program evaluated against the stored outputs); then per resource
 * `Check(olds = stored inputs, news = today's inputs)` must report no failure and `Diff(olds = stored outputs, news =
 * checked inputs)` no change and no replacement, and the emulator must receive nothing at all — no Partner Center or
 * Graph call, no token request. tests/e2e/upgradeFixture.test.ts and tests/e2e-native/upgradeFixture.test.ts run
 * the same fixtures through `pulumi stack import` and `pulumi preview` under the real CLI.
 *
 * A failure here means a release would show its users a diff (or a replacement) on an untouched stack: keep the old
 * state meaning what it meant — docs/upgrading.md says how (a migration in check/diff, never a new fixture alone).
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { startNativePlugin } from "../support/nativePlugin";
import { requestsFrom, startHostFor } from "../support/providerHarness";
import { secretValue } from "../support/providerHost";
import { typeOfUrn } from "./support/cli";
import {
  type ExportedState,
  type Fixture,
  FRONT_ENDS,
  type FrontEndName,
  fixtureVersions,
  loadFixture,
  type StateResource,
  secretsOf,
} from "./support/fixture";
import { evaluateYamlProgram, type RecordedRegistration, recordDynamicProgram } from "./support/programInputs";

/** The resource types every fixture must hold, per front end (the GDAP relationship in both forms, checked below). */
const TYPES: Record<FrontEndName, string[]> = {
  dynamic: ["PartnerCustomer", "CustomerAgreement", "McaAcceptance", "GdapRelationship", "GdapAccessAssignment"].map(
    (name) => `pulumi-nodejs:dynamic/partnercenter:${name}`,
  ),
  native: ["PartnerCustomer", "CustomerAgreement", "McaAcceptance", "GdapRelationship", "GdapAccessAssignment"].map(
    (name) => `partnercenter:index:${name}`,
  ),
};

const packageVersion = String(JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).version);

/** The resources of our types in a state. */
function ours(state: ExportedState, frontEnd: FrontEndName): StateResource[] {
  return (state.deployment.resources ?? []).filter((r) => TYPES[frontEnd].includes(r.type));
}

const nameOf = (resource: StateResource) => resource.urn.split("::").slice(3).join("::");

describe("upgrade fixtures", () => {
  it("exist, none newer than this package", () => {
    const versions = fixtureVersions();
    assert.ok(versions.length > 0, "no fixture: run bash scripts/make-upgrade-fixture.sh");
    for (const folder of versions) {
      const [a, b, c] = folder.slice(1).split(".").map(Number);
      const [x, y, z] = packageVersion.split(".").map(Number);
      const newer = (a ?? 0) - (x ?? 0) || (b ?? 0) - (y ?? 0) || (c ?? 0) - (z ?? 0);
      assert.ok(newer <= 0, `${folder} is newer than the package (${packageVersion})`);
    }
  });
});

for (const folder of fixtureVersions()) {
  describe(`upgrade fixture ${folder}: previews under this version with no change and no request`, function () {
    this.timeout(180_000);
    const fixture: Fixture = loadFixture(folder);
    let emulator: EmulatorHandle;
    let work: string;

    before(async () => {
      work = mkdtempSync(join(tmpdir(), "pc-upgrade-"));
      // A copy: the emulator writes its state file back, and the fixture stays as it was made.
      copyFileSync(join(fixture.dir, "emulator-state.json"), join(work, "emulator-state.json"));
      emulator = await startEmulator({
        stateFile: join(work, "emulator-state.json"),
        caCertificatePath: join(work, "ca.pem"),
      });
    });

    after(async () => {
      await emulator?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it("covers every resource type on both front ends, GDAP adopted and asked for, every secret encrypted", () => {
      assert.equal(fixture.info.version, folder.slice(1));
      for (const frontEnd of FRONT_ENDS) {
        const stored = fixture.state(frontEnd);
        const types = new Set(ours(stored, frontEnd).map((r) => r.type));
        assert.deepEqual([...types].sort(), [...TYPES[frontEnd]].sort(), `${frontEnd}: every resource type`);
        const relationships = ours(fixture.decryptedState(frontEnd), frontEnd).filter((r) =>
          r.type.endsWith("GdapRelationship"),
        );
        assert.ok(
          relationships.some((r) => r.inputs?.adoptDefault === true),
          `${frontEnd}: an adopted Default GDAP`,
        );
        assert.ok(
          relationships.some((r) => r.inputs?.adoptDefault !== true),
          `${frontEnd}: a relationship the customer approved`,
        );
        for (const relationship of relationships) {
          assert.equal(relationship.outputs?.status, "completed", `${frontEnd}: settled, not waiting`);
        }
        const secrets = secretsOf(stored);
        assert.ok(secrets.length > 0, `${frontEnd}: the state holds secrets`);
        assert.deepEqual(
          secrets.filter((s) => !s.encrypted),
          [],
          `${frontEnd}: every secret encrypted`,
        );
        // The emulator's credentials, in the clear in its own state file, are nowhere in the clear in Pulumi's files.
        for (const name of readdirSync(fixture.projectDir(frontEnd))) {
          const text = readFileSync(join(fixture.projectDir(frontEnd), name), "utf8");
          for (const value of [emulator.credentials.clientSecret, emulator.credentials.refreshToken]) {
            assert.ok(!text.includes(value), `${frontEnd}/${name} holds an emulator credential in the clear`);
          }
        }
      }
    });

    /**
     * Check and Diff of every stored resource of a front end, with `inputsNow` its program's registrations today;
     * then nothing may have reached the emulator.
     */
    async function previewLikeTheEngine(
      frontEnd: FrontEndName,
      registrations: RecordedRegistration[],
      provider: {
        check(urn: string, olds: object, news: object): Promise<{ inputs: object; failures: unknown[] }>;
        diff(urn: string, id: string, olds: object, news: object): Promise<{ changes: string; replaces: string[] }>;
      },
    ): Promise<void> {
      const state = fixture.decryptedState(frontEnd);
      const stored = ours(state, frontEnd);
      const declared = registrations.filter((r) => TYPES[frontEnd].includes(r.type));
      assert.deepEqual(
        declared.filter((r) => r.new).map((r) => `${r.type} ${r.name}`),
        [],
        "the program declares nothing the state lacks (that would be a create)",
      );
      assert.deepEqual(
        stored.map((r) => `${r.type} ${nameOf(r)}`).sort(),
        declared.map((r) => `${r.type} ${r.name}`).sort(),
        "the program declares every stored resource (a missing one would be a delete)",
      );
      const sent = requestsFrom(emulator);
      const problems: string[] = [];
      for (const resource of stored) {
        const now = declared.find((r) => r.type === resource.type && r.name === nameOf(resource));
        assert.ok(now);
        const label = `${typeOfUrn(resource.urn).split(/[:/]/).pop()} ${nameOf(resource)}`;
        if (now.protect !== (resource.protect === true)) {
          problems.push(`${label}: protect ${resource.protect === true} in state, ${now.protect} in the program`);
        }
        const checked = await provider.check(resource.urn, resource.inputs ?? {}, now.inputs);
        if (checked.failures.length > 0) {
          problems.push(`${label}: check fails: ${JSON.stringify(checked.failures)}`);
          continue;
        }
        const diff = await provider.diff(resource.urn, resource.id ?? "", resource.outputs ?? {}, checked.inputs);
        if (diff.changes !== "none" || diff.replaces.length > 0) {
          problems.push(
            `${label}: diff says ${diff.changes}${diff.replaces.length ? `, replaces ${diff.replaces}` : ""}`,
          );
        }
      }
      assert.deepEqual(problems, [], "a stored resource would change");
      assert.deepEqual(
        sent().map((r) => `${r.method} ${r.path}`),
        [],
        "nothing reached the emulator: no Partner Center or Graph call, no token request",
      );

      // The control: the same calls do see a change when there is one (another set of roles for a group).
      const assignment = stored.find((r) => r.type.endsWith("GdapAccessAssignment"));
      const now = declared.find((r) => assignment && r.type === assignment.type && r.name === nameOf(assignment));
      assert.ok(assignment && now);
      const roles = now.inputs.roles as string[];
      const offered = (now.inputs.relationshipRoles as string[] | undefined) ?? [];
      const other = roles.length > 1 ? roles.slice(0, 1) : [offered.find((role) => !roles.includes(role)) ?? "?"];
      const changed = await provider.check(assignment.urn, assignment.inputs ?? {}, { ...now.inputs, roles: other });
      assert.deepEqual(changed.failures, [], `control: roles ${other}`);
      const diff = await provider.diff(assignment.urn, assignment.id ?? "", assignment.outputs ?? {}, changed.inputs);
      assert.equal(diff.changes, "some", "control: a change of a group's roles is seen");
    }

    it("dynamic: the TypeScript program's resources, through the real dynamic-provider host", async () => {
      const registrations = await recordDynamicProgram(fixture, fixture.decryptedState("dynamic"));
      const host = await startHostFor(emulator);
      try {
        await previewLikeTheEngine("dynamic", registrations, host);
      } finally {
        await host.stop();
      }
    });

    it("native: the Pulumi YAML program's resources, through the native plugin", async () => {
      const registrations = evaluateYamlProgram(fixture, fixture.decryptedState("native"));
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caCertificatePath };
      for (const key of Object.keys(env)) {
        if (key.startsWith("PARTNERCENTER_") || key.startsWith("AZURE_")) delete env[key];
      }
      const plugin = await startNativePlugin(env, { inheritEnv: false });
      try {
        // As the engine configures the default provider from the stack config (secrets as secrets).
        const settings: Record<string, string> = {
          endpoint: emulator.url,
          authority: emulator.authority,
          tenantId: emulator.tenantId,
          clientId: emulator.credentials.clientId,
          clientSecret: emulator.credentials.clientSecret,
          refreshToken: emulator.credentials.refreshToken,
          mcaAcceptanceBase: emulator.url,
          graphEndpoint: emulator.url,
          gdapApprovalBase: emulator.url,
        };
        await plugin.configure(
          Object.fromEntries(Object.entries(settings).map(([key, value]) => [`partnercenter:config:${key}`, value])),
          {
            ...settings,
            clientSecret: secretValue(settings.clientSecret),
            refreshToken: secretValue(settings.refreshToken),
          },
        );
        await previewLikeTheEngine("native", registrations, plugin);
      } finally {
        await plugin.stop();
      }
    });
  });
}

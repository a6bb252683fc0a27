/**
 * The move of a stack from the dynamic `PartnerCustomer` to the native one, under the real Pulumi CLI against the
 * emulator, with the native plugin on PATH: a Node program first declares the dynamic resource (`pulumi up`
 * creates the customer), then the same program declares the native type `partnercenter:index:PartnerCustomer`
 * — as a plain `pulumi.CustomResource`, the repository having no generated Node SDK yet — and the move is a
 * "same"/"update" of the customer, never a create, delete or replace: same customer id, admin credentials still
 * secret, still one tenant; then destroy only forgets it (deletionPolicy unset = "retain").
 *
 * Also records whether the engine applies the schema's `aliases` by itself: a program without them sees the native
 * resource as a new one (create + delete of the old), so the program — or the generated SDK, whose codegen copies
 * the schema's aliases into the resource class — must pass them.
 *
 * Needs `source scripts/ensure-pulumi.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { nativePluginEnv } from "../support/nativePlugin";
import { repositoryRoot } from "../support/providerHost";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";

const execFileAsync = promisify(execFile);
const run = Date.now().toString(36);
const NATIVE_TYPE = "partnercenter:index:PartnerCustomer";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";

/**
 * `move:mode` selects the declaration: "dynamic" (the package's class), "native" (the native type with the alias
 * to the dynamic type in the program) or "native-no-alias" (the native type, the schema's aliases only).
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { PartnerCustomer } = require("pulumi-partnercenter");

const config = new pulumi.Config("move");
const mode = config.require("mode");
const args = {
  companyProfile: { domain: config.require("domain") },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "en-US",
    language: "en",
    companyName: "Contoso Move Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
      phoneNumber: "4255550100",
    },
  },
};
let customer;
if (mode === "dynamic") {
  customer = new PartnerCustomer("acme", args);
} else {
  // What a generated SDK's class does: every output declared, secret outputs marked, the schema's aliases passed.
  const aliases = mode === "native" ? [{ type: "${DYNAMIC_TYPE}" }] : [];
  customer = new pulumi.CustomResource(
    "${NATIVE_TYPE}",
    "acme",
    {
      ...args,
      customerId: undefined,
      tenantId: undefined,
      commerceId: undefined,
      relationshipToPartner: undefined,
      allowDelegatedAccess: undefined,
      billingProfileId: undefined,
      userCredentials: undefined,
    },
    { aliases, additionalSecretOutputs: ["userCredentials"] },
  );
}
exports.customerId = customer.customerId;
exports.userCredentials = customer.userCredentials;
`;

interface Step {
  op: string;
  type: string;
  urn: string;
}

/** The steps of an operation (`resourcePreEvent`s), collected from the engine's event stream. */
function stepCollector(): { steps: Step[]; onEvent: (event: EngineEvent) => void } {
  const steps: Step[] = [];
  return {
    steps,
    onEvent(event) {
      const metadata = event.resourcePreEvent?.metadata;
      if (metadata) steps.push({ op: metadata.op, type: metadata.type, urn: metadata.urn });
    },
  };
}

const customerSteps = (steps: Step[]) =>
  steps.filter((s) => s.type === NATIVE_TYPE || s.type === DYNAMIC_TYPE).map((s) => `${s.op} ${s.type}`);

describe("e2e-native: moving a stack from the dynamic PartnerCustomer to the native one", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;
  let projectDir: string | undefined;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  });

  it("dynamic up, then native: no replace, same id, credentials secret, one tenant; destroy retains", async () => {
    projectDir = mkdtempSync(join(tmpdir(), "pc-move-project-"));
    writeFileSync(
      join(projectDir, "Pulumi.yaml"),
      "name: move-customers\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
    );
    writeFileSync(join(projectDir, "package.json"), '{ "name": "move-customers", "private": true }\n');
    writeFileSync(join(projectDir, "index.js"), PROGRAM);
    symlinkSync(join(repositoryRoot, "node_modules"), join(projectDir, "node_modules"), "dir");

    test = await createTestStack(projectDir, `move-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      ...nativePluginEnv(),
    });
    const { stack } = test;
    const domain = `move${run}.onmicrosoft.com`;
    await stack.setAllConfig({
      ...emulatorStackConfig(emulator),
      "move:mode": { value: "dynamic" },
      "move:domain": { value: domain },
    });
    const tenants = () => emulator.state().customers.filter((c) => c.companyProfile?.domain === domain);
    // Asynchronous: the emulator answers from this process, so a synchronous child would deadlock it.
    const exportState = async () => {
      const { stdout } = await execFileAsync(
        "pulumi",
        ["stack", "export", "--stack", stack.name, "--non-interactive"],
        {
          cwd: stack.workspace.workDir,
          env: { ...process.env, ...stack.workspace.envVars },
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return JSON.parse(stdout) as {
        deployment: { resources: { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[] };
      };
    };

    const dynamicUp = await stack.up();
    assert.equal(dynamicUp.summary.result, "succeeded");
    const customerId = String(dynamicUp.outputs.customerId?.value);
    assert.equal(dynamicUp.outputs.userCredentials?.secret, true);
    const password = (dynamicUp.outputs.userCredentials?.value as { password?: string } | undefined)?.password;
    assert.ok(password, "the dynamic create returned admin credentials");
    assert.equal(tenants().length, 1);

    // Without the alias in the program: does the engine take the schema's aliases by itself?
    await stack.setConfig("move:mode", { value: "native-no-alias" });
    const noAlias = stepCollector();
    await stack.preview({ diff: true, onEvent: noAlias.onEvent });
    const noAliasSteps = customerSteps(noAlias.steps);
    console.log(`      native type without aliases in the program: ${noAliasSteps.join(", ")}`);
    assert.ok(
      noAliasSteps.includes(`create ${NATIVE_TYPE}`) && noAliasSteps.includes(`delete ${DYNAMIC_TYPE}`),
      `the engine does not apply schema aliases to a CustomResource; expected create + delete, got ${noAliasSteps}`,
    );

    await stack.setConfig("move:mode", { value: "native" });
    const preview = stepCollector();
    await stack.preview({ diff: true, onEvent: preview.onEvent });
    const previewSteps = customerSteps(preview.steps);
    console.log(`      native type with the alias: preview ${previewSteps.join(", ")}`);
    assert.equal(previewSteps.length, 1, String(previewSteps));
    assert.match(previewSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_TYPE}$`));

    const requestsBefore = emulator.requests().length;
    const moved = stepCollector();
    const nativeUp = await stack.up({ onEvent: moved.onEvent });
    assert.equal(nativeUp.summary.result, "succeeded");
    const upSteps = customerSteps(moved.steps);
    console.log(`      up: ${upSteps.join(", ")}; summary ${JSON.stringify(nativeUp.summary.resourceChanges)}`);
    assert.equal(upSteps.length, 1, String(upSteps));
    assert.match(upSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_TYPE}$`));
    assert.equal(nativeUp.summary.resourceChanges?.create ?? 0, 0, "nothing created");
    assert.equal(nativeUp.summary.resourceChanges?.delete ?? 0, 0, "nothing deleted");
    assert.equal(nativeUp.summary.resourceChanges?.replace ?? 0, 0, "nothing replaced");
    assert.equal(String(nativeUp.outputs.customerId?.value), customerId, "same customer");
    assert.equal(nativeUp.outputs.userCredentials?.secret, true, "admin credentials still secret");
    assert.equal((nativeUp.outputs.userCredentials?.value as { password?: string } | undefined)?.password, password);
    assert.equal(tenants().length, 1, "one tenant");
    assert.equal(
      emulator
        .requests()
        .slice(requestsBefore)
        .filter((r) => r.method === "POST" && r.path === "/v1/customers").length,
      0,
      "no customer create reached Partner Center",
    );

    const state = await exportState();
    const record = state.deployment.resources.find((r) => r.urn.endsWith("::acme"));
    assert.equal(record?.type, NATIVE_TYPE, "state now holds the native type");
    assert.equal(record?.id, customerId);
    console.log(`      __provider still in outputs after the move: ${record?.outputs?.__provider !== undefined}`);

    const again = await stack.up();
    assert.equal(again.summary.resourceChanges?.create ?? 0, 0);
    assert.equal(again.summary.resourceChanges?.delete ?? 0, 0);

    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.ok(
      emulator.state().customers.some((c) => c.id === customerId),
      'retained: still in Partner Center (deletionPolicy unset = "retain")',
    );
    assert.equal(tenants().length, 1);
  });
});

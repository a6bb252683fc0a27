/**
 * The move of a stack from the dynamic `PartnerCustomer` and `CustomerAgreement` to the native ones, under the real
 * Pulumi CLI against the emulator, with the native plugin on PATH: a Node program first declares the dynamic
 * resources (`pulumi up` creates the customer and records its agreement), then the same program declares the native
 * types — as plain `pulumi.CustomResource`s with the aliases, as the README tells users — and the move is a
 * "same"/"update" of both, never a create, delete or replace: same customer and agreement ids, admin credentials
 * still secret, one tenant, one recorded acceptance, nothing written to Partner Center; then destroy only forgets
 * them (deletionPolicy unset = "retain"; an agreement cannot be withdrawn).
 *
 * Also records whether the engine applies the schema's `aliases` by itself: a program without them sees the native
 * resource as a new one (create + delete of the old), so the program — or the generated SDK, whose codegen copies
 * the schema's aliases into the resource class — must pass them.
 *
 * Needs `source scripts/ensure-pulumi.sh` and `npm run build`.
 */
import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { nativePluginEnv } from "../support/nativePlugin";
import {
  createTestStack,
  emulatorStackConfig,
  exportedResources,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";
import { type TempProject, writeJavaScriptProject } from "../support/tempProject";

const run = Date.now().toString(36);
const NATIVE_TYPE = "partnercenter:index:PartnerCustomer";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";
const NATIVE_AGREEMENT_TYPE = "partnercenter:index:CustomerAgreement";
const DYNAMIC_AGREEMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement";

/**
 * `move:mode` selects the declaration: "dynamic" (the package's class), "native" (the native type with the alias
 * to the dynamic type in the program) or "native-no-alias" (the native type, the schema's aliases only).
 */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { CustomerAgreement, PartnerCustomer } = require("pulumi-partnercenter");

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
const primaryContact = { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" };
let customer;
let agreement;
if (mode === "dynamic") {
  customer = new PartnerCustomer("acme", args);
  agreement = new CustomerAgreement("acme-mca", { customerId: customer.customerId, primaryContact });
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
      createdAt: undefined,
    },
    { aliases, additionalSecretOutputs: ["userCredentials"] },
  );
  agreement = new pulumi.CustomResource(
    "${NATIVE_AGREEMENT_TYPE}",
    "acme-mca",
    {
      customerId: customer.customerId,
      primaryContact,
      agreementType: undefined,
      templateId: undefined,
      dateAgreed: undefined,
      agreementLink: undefined,
      userId: undefined,
    },
    { aliases: mode === "native" ? [{ type: "${DYNAMIC_AGREEMENT_TYPE}" }] : [] },
  );
}
exports.customerId = customer.customerId;
exports.agreementId = agreement.id;
exports.dateAgreed = agreement.dateAgreed;
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
const agreementSteps = (steps: Step[]) =>
  steps
    .filter((s) => s.type === NATIVE_AGREEMENT_TYPE || s.type === DYNAMIC_AGREEMENT_TYPE)
    .map((s) => `${s.op} ${s.type}`);

describe("e2e-native: moving a stack from the dynamic PartnerCustomer and CustomerAgreement to the native ones", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;
  let project: TempProject | undefined;

  before(async () => {
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    project?.cleanup();
  });

  it("dynamic up, then native: no replace, same ids, credentials secret, one tenant, one agreement; destroy retains", async () => {
    project = writeJavaScriptProject("move-customers", PROGRAM);

    test = await createTestStack(project.dir, `move-${run}`, {
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
    const dynamicUp = await stack.up();
    assert.equal(dynamicUp.summary.result, "succeeded");
    const customerId = String(dynamicUp.outputs.customerId?.value);
    assert.equal(dynamicUp.outputs.userCredentials?.secret, true);
    const password = (dynamicUp.outputs.userCredentials?.value as { password?: string } | undefined)?.password;
    assert.ok(password, "the dynamic create returned admin credentials");
    assert.equal(tenants().length, 1);
    const agreementId = String(dynamicUp.outputs.agreementId?.value);
    const dateAgreed = String(dynamicUp.outputs.dateAgreed?.value);
    const agreements = () => emulator.state().agreements.filter((a) => a.customerId === customerId);
    assert.equal(agreements().length, 1, "the dynamic up recorded one agreement");

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
    const noAliasAgreementSteps = agreementSteps(noAlias.steps);
    assert.ok(
      noAliasAgreementSteps.includes(`create ${NATIVE_AGREEMENT_TYPE}`),
      `the agreement too is new without its alias: ${noAliasAgreementSteps}`,
    );

    await stack.setConfig("move:mode", { value: "native" });
    const preview = stepCollector();
    await stack.preview({ diff: true, onEvent: preview.onEvent });
    const previewSteps = customerSteps(preview.steps);
    console.log(`      native type with the alias: preview ${previewSteps.join(", ")}`);
    assert.equal(previewSteps.length, 1, String(previewSteps));
    assert.match(previewSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_TYPE}$`));
    const previewAgreementSteps = agreementSteps(preview.steps);
    console.log(`      agreement with the alias: preview ${previewAgreementSteps.join(", ")}`);
    assert.equal(previewAgreementSteps.length, 1, String(previewAgreementSteps));
    assert.match(previewAgreementSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_AGREEMENT_TYPE}$`));

    const requestsBefore = emulator.requests().length;
    const moved = stepCollector();
    const nativeUp = await stack.up({ onEvent: moved.onEvent });
    assert.equal(nativeUp.summary.result, "succeeded");
    const upSteps = customerSteps(moved.steps);
    console.log(`      up: ${upSteps.join(", ")}; summary ${JSON.stringify(nativeUp.summary.resourceChanges)}`);
    assert.equal(upSteps.length, 1, String(upSteps));
    assert.match(upSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_TYPE}$`));
    const upAgreementSteps = agreementSteps(moved.steps);
    assert.equal(upAgreementSteps.length, 1, String(upAgreementSteps));
    assert.match(upAgreementSteps[0] as string, new RegExp(`^(same|update) ${NATIVE_AGREEMENT_TYPE}$`));
    assert.equal(nativeUp.summary.resourceChanges?.create ?? 0, 0, "nothing created");
    assert.equal(nativeUp.summary.resourceChanges?.delete ?? 0, 0, "nothing deleted");
    assert.equal(nativeUp.summary.resourceChanges?.replace ?? 0, 0, "nothing replaced");
    assert.equal(String(nativeUp.outputs.customerId?.value), customerId, "same customer");
    assert.equal(nativeUp.outputs.userCredentials?.secret, true, "admin credentials still secret");
    assert.equal((nativeUp.outputs.userCredentials?.value as { password?: string } | undefined)?.password, password);
    assert.equal(tenants().length, 1, "one tenant");
    assert.equal(String(nativeUp.outputs.agreementId?.value), agreementId, "same agreement id");
    assert.equal(String(nativeUp.outputs.dateAgreed?.value), dateAgreed, "same recorded acceptance");
    assert.equal(agreements().length, 1, "no second acceptance recorded");
    const writes = emulator
      .requests()
      .slice(requestsBefore)
      .filter((r) => r.method !== "GET" && !r.path.includes("/oauth2/"))
      .map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(writes, [], "nothing written to Partner Center by the move");

    const resources = await exportedResources(stack);
    const record = resources.find((r) => r.urn.endsWith("::acme"));
    assert.equal(record?.type, NATIVE_TYPE, "state now holds the native type");
    assert.equal(record?.id, customerId);
    const agreementRecord = resources.find((r) => r.urn.endsWith("::acme-mca"));
    assert.equal(agreementRecord?.type, NATIVE_AGREEMENT_TYPE);
    assert.equal(agreementRecord?.id, agreementId);
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
    assert.equal(agreements().length, 1, "the agreement is still recorded (Partner Center cannot withdraw one)");
  });
});

/**
 * The generated Node SDK (sdk/nodejs/bin, package `@pulumi-partnercenter/native`) under the real Pulumi CLI with
 * the native plugin on PATH, against the emulator: a TypeScript program (`main: index.ts`, run by the Node language
 * host through ts-node with type checking, the repository's typescript) declares a `PartnerCustomer` and its
 * `CustomerAgreement` through the SDK's classes; preview (nothing reaches the emulator), up (the customer's id,
 * admin credentials secret), an unchanged up, a refresh without drift, `pulumi import` of a customer made outside
 * Pulumi and of its acceptance, destroy — after which every customer is still in Partner Center (deletionPolicy
 * unset = "retain").
 *
 * The SDK is linked into the temporary project's node_modules under its package name, next to links to every entry
 * of the repository's node_modules (so `@pulumi/pulumi` is the repository's, one copy for the program and the SDK).
 *
 * Needs `source scripts/ensure-pulumi.sh`, `npm run build` and `bash scripts/gen-sdks.sh nodejs`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { nativePluginEnv } from "../support/nativePlugin";
import { importOutsideCustomer, unprotect } from "../support/outsideImport";
import { repositoryRoot } from "../support/providerHost";
import { createTestStack, emulatorStackConfig, requirePulumiCli, type TestStack } from "../support/pulumiCli";
import { type TempProject, writeTempProject } from "../support/tempProject";

const SDK_BIN = join(repositoryRoot, "sdk", "nodejs", "bin");
const run = Date.now().toString(36);

/** The built SDK and its package name; fails loudly (never skips) when it has not been generated. */
function requireNodeSdk(): string {
  const packageJson = join(SDK_BIN, "package.json");
  if (!existsSync(join(SDK_BIN, "index.js")) || !existsSync(packageJson)) {
    throw new Error(`${SDK_BIN} is missing (the generated Node SDK): run \`bash scripts/gen-sdks.sh nodejs\``);
  }
  const name = (JSON.parse(readFileSync(packageJson, "utf8")) as { name?: string }).name;
  if (!name) throw new Error(`${packageJson} has no name: run \`bash scripts/gen-sdks.sh nodejs\``);
  return name;
}

const PROGRAM = (sdkPackage: string) => `import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "${sdkPackage}";

const config = new pulumi.Config();

const customer = new partnercenter.PartnerCustomer("contoso", {
  companyProfile: { domain: config.require("domain") },
  billingProfile: {
    email: "billing@contoso.example",
    culture: "en-US",
    language: "en",
    companyName: "Contoso TypeScript Ltd",
    defaultAddress: {
      firstName: "Ada",
      lastName: "Ng",
      addressLine1: "1 Microsoft Way",
      city: "Redmond",
      state: "WA",
      postalCode: "98052",
      country: "US",
    },
  },
  // deletionPolicy left out: "retain", destroy only forgets the customer.
});

const agreement = new partnercenter.CustomerAgreement("contosoAgreement", {
  customerId: customer.customerId,
  primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
});

export const customerId: pulumi.Output<string> = customer.customerId;
export const userCredentials = customer.userCredentials;
export const agreementId: pulumi.Output<string> = agreement.id;
export const agreementCustomerId: pulumi.Output<string> = agreement.customerId;
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      module: "commonjs",
      moduleResolution: "node",
      target: "ES2022",
      skipLibCheck: true,
      esModuleInterop: true,
    },
    files: ["index.ts"],
  },
  null,
  2,
)}\n`;

/**
 * A node_modules of links: every entry of the repository's node_modules, plus the SDK under its package name
 * (scoped or not).
 */
function linkNodeModules(projectDir: string, sdkPackage: string): void {
  const modules = join(projectDir, "node_modules");
  mkdirSync(modules);
  const [scope, name] = sdkPackage.startsWith("@") ? sdkPackage.split("/") : [undefined, sdkPackage];
  for (const entry of readdirSync(join(repositoryRoot, "node_modules"))) {
    if (entry === scope || entry === sdkPackage) continue;
    symlinkSync(join(repositoryRoot, "node_modules", entry), join(modules, entry));
  }
  const parent = scope ? join(modules, scope) : modules;
  if (scope) {
    // The scope may exist in the repository's node_modules too: link its other entries.
    mkdirSync(parent);
    const repoScope = join(repositoryRoot, "node_modules", scope);
    if (existsSync(repoScope)) {
      for (const entry of readdirSync(repoScope)) {
        if (entry !== name) symlinkSync(join(repoScope, entry), join(parent, entry));
      }
    }
  }
  symlinkSync(SDK_BIN, join(parent, name as string), "dir");
}

describe("e2e-native: a TypeScript program on the generated Node SDK under the real Pulumi CLI", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle | undefined;
  let test: TestStack | undefined;
  let project: TempProject | undefined;
  let sdkPackage: string;

  before(async () => {
    sdkPackage = requireNodeSdk();
    requirePulumiCli();
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    project?.cleanup();
  });

  it("preview, up, unchanged up, refresh, import, destroy (customers retained)", async () => {
    const em = emulator as EmulatorHandle;
    project = writeTempProject("ts-sdk-customers", {
      "Pulumi.yaml":
        "name: ts-sdk-customers\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
      "package.json": '{ "name": "ts-sdk-customers", "private": true }\n',
      "tsconfig.json": TSCONFIG,
      "index.ts": PROGRAM(sdkPackage),
    });
    linkNodeModules(project.dir, sdkPackage);

    test = await createTestStack(project.dir, `tssdk-${run}`, {
      NODE_EXTRA_CA_CERTS: em.caCertificatePath,
      ...nativePluginEnv(),
    });
    const { stack } = test;
    const domain = `tssdk${run}.onmicrosoft.com`;
    await stack.setAllConfig({
      ...emulatorStackConfig(em),
      "ts-sdk-customers:domain": { value: domain },
    });
    const tenants = () => em.state().customers.filter((c) => c.companyProfile?.domain === domain);
    const customerCreates = () => em.requests().filter((r) => r.method === "POST" && r.path === "/v1/customers").length;

    const preview = await stack.preview({ diff: true });
    assert.equal(preview.changeSummary.create, 3, JSON.stringify(preview.changeSummary));
    assert.equal(customerCreates(), 0, "preview creates nothing");
    assert.equal(tenants().length, 0, "preview creates nothing");

    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.summary.resourceChanges?.create, 3, JSON.stringify(up.summary.resourceChanges));
    const customerId = String(up.outputs.customerId?.value);
    const created = tenants();
    assert.equal(created.length, 1, "one tenant");
    assert.equal(created[0]?.id, customerId, "customerId is the emulator's customer");
    assert.equal(up.outputs.userCredentials?.secret, true, "userCredentials is secret");
    assert.ok(
      (up.outputs.userCredentials?.value as { password?: string } | undefined)?.password,
      "admin credentials returned",
    );
    assert.equal(String(up.outputs.agreementCustomerId?.value), customerId);
    assert.match(String(up.outputs.agreementId?.value), new RegExp(`^${customerId}/`));

    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 }, "a second up changes nothing");

    const refresh = await stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    assert.equal(refresh.summary.resourceChanges?.update ?? 0, 0, "no drift right after up");
    assert.equal(refresh.summary.resourceChanges?.delete ?? 0, 0, "nothing vanished");

    // pulumi import of a customer made outside Pulumi and of its acceptance (by the customer id alone).
    const imported = await importOutsideCustomer(stack, em, `tsoutside${run}.onmicrosoft.com`);
    await unprotect(stack, imported.customer, imported.agreement);

    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(destroy.summary.resourceChanges?.delete, 5, JSON.stringify(destroy.summary.resourceChanges));
    assert.ok(
      em.state().customers.some((c) => c.id === imported.customerId),
      "imported: never deleted",
    );
    assert.ok(
      em.state().customers.some((c) => c.id === customerId),
      'retained: still in Partner Center (deletionPolicy unset = "retain")',
    );
    assert.equal(customerCreates(), 1, "one customer create in all");
  });
});

/**
 * examples/python-native, a `runtime: python` program on the generated Python SDK (`pulumi_partnercenter`,
 * sdk/python), under the real Pulumi CLI with the native plugin on PATH, against the emulator: preview (nothing
 * reaches Partner Center), up (customer id, admin credentials secret, agreement), an unchanged up, a refresh without
 * drift, `pulumi import` of a customer made outside Pulumi and of its acceptance, destroy — after which every
 * customer is still in Partner Center (deletionPolicy unset = "retain"; imported ones also arrive protected).
 *
 * The Python language host (`pulumi-language-python`, sdk/v3 v3.68.0) and a virtual environment with the `pulumi`
 * Python SDK (3.272.0, the newest PyPI serves here) come from `source scripts/ensure-pulumi-python.sh`; the generated
 * SDK is installed into that environment first (`pip install --no-deps --force-reinstall sdk/python`).
 *
 * Needs `source scripts/ensure-pulumi.sh`, `source scripts/ensure-pulumi-python.sh`, `npm run build` and
 * `bash scripts/gen-sdks.sh python`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import { nativePluginEnv } from "../support/nativePlugin";
import { importOutsideCustomer, unprotect } from "../support/outsideImport";
import { repositoryRoot } from "../support/providerHost";
import {
  createTestStack,
  emulatorStackConfig,
  exportedResources,
  requirePulumiCli,
  type TestStack,
} from "../support/pulumiCli";
import { type TempProject, writeTempProject } from "../support/tempProject";

const EXAMPLE = join(repositoryRoot, "examples", "python-native");
const PYTHON_SDK = join(repositoryRoot, "sdk", "python");
const execFileAsync = promisify(execFile);
const run = Date.now().toString(36);

/** The environment with the `pulumi` Python SDK; fails loudly (never skips) when the set-up did not run. */
function requirePythonToolchain(): string {
  const venv = process.env.PARTNERCENTER_PYTHON_VENV;
  if (!venv || !existsSync(join(venv, "bin", "python"))) {
    throw new Error("PARTNERCENTER_PYTHON_VENV is not set: run `source scripts/ensure-pulumi-python.sh`");
  }
  if (!existsSync(join(PYTHON_SDK, "setup.py"))) {
    throw new Error(`${PYTHON_SDK} is missing (the generated Python SDK): run \`bash scripts/gen-sdks.sh python\``);
  }
  return venv;
}

describe("e2e-native: a Python program on the generated SDK under the real Pulumi CLI", function () {
  this.timeout(600_000);
  let emulator: EmulatorHandle;
  let test: TestStack | undefined;
  let project: TempProject | undefined;
  let venv: string;

  before(async () => {
    requirePulumiCli();
    venv = requirePythonToolchain();
    // This checkout's SDK, whatever an earlier run installed (its version is the package's, so pip would keep it).
    await execFileAsync(
      join(venv, "bin", "python"),
      [
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "--force-reinstall",
        PYTHON_SDK,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    emulator = await startEmulator({ port: 0 });
  });

  after(async () => {
    await test?.cleanup();
    await emulator?.close();
    project?.cleanup();
  });

  it("preview, up, unchanged up, refresh, import, destroy", async () => {
    // The example's program. Its Pulumi.yaml names the environment (`virtualenv: venv`), but the CLI now sends
    // runtime options over RPC and the v3.68.0 host only reads them from its command line: here the environment is
    // activated instead, as `source venv/bin/activate` would (first on PATH, VIRTUAL_ENV set).
    project = writeTempProject("python-native", {
      "Pulumi.yaml": "name: python-native\nruntime: python\n",
      "__main__.py": readFileSync(join(EXAMPLE, "__main__.py"), "utf8"),
    });
    const plugin = nativePluginEnv();
    test = await createTestStack(project.dir, `python-${run}`, {
      NODE_EXTRA_CA_CERTS: emulator.caCertificatePath,
      ...plugin,
      PATH: `${join(venv, "bin")}:${plugin.PATH ?? process.env.PATH ?? ""}`,
      VIRTUAL_ENV: venv,
    });
    const { stack } = test;
    const domain = `pythonnative${run}.onmicrosoft.com`;
    await stack.setAllConfig({ ...emulatorStackConfig(emulator), domain: { value: domain } });
    const creates = () =>
      emulator
        .requests()
        .filter((r) => r.method === "POST" && (r.path === "/v1/customers" || r.path.endsWith("/agreements")));

    const preview = await stack.preview({ diff: true });
    assert.equal(preview.changeSummary.create, 3, JSON.stringify(preview.changeSummary));
    assert.equal(creates().length, 0, "preview creates nothing");

    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.summary.resourceChanges?.create, 3);
    const customerId = String(up.outputs.customerId?.value);
    const live = emulator.state().customers.find((c) => c.id === customerId);
    assert.equal(live?.companyProfile?.domain, domain, "created from the Python program's inputs");
    assert.equal(up.outputs.adminCredentials?.secret, true, "userCredentials is secret");
    const password = (up.outputs.adminCredentials?.value as { password?: string } | undefined)?.password;
    assert.ok(password, "the create returned admin credentials");
    assert.match(String(up.outputs.agreementId?.value), new RegExp(`^${customerId}/`));
    const stored = JSON.stringify(await exportedResources(stack));
    assert.ok(!stored.includes(password), "the admin password is not in plaintext in state");

    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 }, "a second up changes nothing");

    const refresh = await stack.refresh();
    assert.equal(refresh.summary.result, "succeeded");
    assert.equal(refresh.summary.resourceChanges?.update ?? 0, 0, "no drift right after up");

    // A customer made outside Pulumi and its acceptance recorded by another tool, the agreement by customer/template.
    const imported = await importOutsideCustomer(
      stack,
      emulator,
      `pyoutside${run}.onmicrosoft.com`,
      (customerId, templateId) => `${customerId}/${templateId}`,
    );
    // The user asks on those resources; destroy then only forgets everything (retain).
    await unprotect(stack, imported.customer, imported.agreement);
    const customersBefore = emulator.state().customers.length;
    const destroy = await stack.destroy();
    assert.equal(destroy.summary.result, "succeeded");
    assert.equal(destroy.summary.resourceChanges?.delete, 5);
    assert.equal(emulator.state().customers.length, customersBefore, "retained: no customer deleted");
    assert.ok(emulator.state().customers.some((c) => c.id === customerId));
    assert.ok(emulator.state().customers.some((c) => c.id === imported.customerId));
  });
});

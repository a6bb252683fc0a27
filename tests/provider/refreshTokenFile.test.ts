import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useEmulator } from "../support/emulatorHooks";
import { customerInputs, customerUrn, providerTextOf, startHostFor } from "../support/providerHarness";
import type { ProviderHost } from "../support/providerHost";

const WARNING_TEXT = "partnercenter: warning: the App\\+User refresh token expires in (\\d+) days?";
/** The warnings in `output`, by the number of days they announce. */
const warnedDays = (output: string) => [...output.matchAll(new RegExp(WARNING_TEXT, "g"))].map((m) => m[1]);

describe("partnercenter:refreshTokenFile and the expiry warning through the real provider host", function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let dir: string;
  let provider: string;
  let host: ProviderHost | undefined;

  before(async () => {
    provider = await providerTextOf("PartnerCustomer");
    dir = await mkdtemp(join(tmpdir(), "pc-host-refresh-"));
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A preview-time check of a new customer: preflight calls Partner Center, so the refresh token is redeemed. */
  async function previewCheck(name: string) {
    const checked = await host!.check(customerUrn(name), {}, { ...customerInputs(), __provider: provider });
    assert.deepEqual(checked.failures, []);
  }

  it("preview's check keeps the rotated token in the file (0600) and warns once when its stated life is short", async () => {
    emulator().setRefreshTokenLifetime(5 * 24 * 60 * 60);
    emulator().setTokenLifetime(4); // access tokens renewed after 2 s: the second check redeems again
    const file = join(dir, "short-lived");
    host = await startHostFor(emulator(), { config: { refreshTokenFile: file } });
    await previewCheck("first");
    const output = await host.waitForOutput(new RegExp(WARNING_TEXT));
    assert.deepEqual(warnedDays(output), ["5"]);
    assert.ok(output.includes(`write it to ${file} (partnercenter:refreshTokenFile)`), output);

    const kept = (await readFile(file, "utf8")).trim();
    assert.notEqual(kept, emulator().credentials.refreshToken);
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await previewCheck("second");
    assert.notEqual((await readFile(file, "utf8")).trim(), kept, "redeemed and rotated again");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(warnedDays(host.output()), ["5"], "once per run");
    const newest = (await readFile(file, "utf8")).trim();
    for (const token of [kept, newest, emulator().credentials.refreshToken]) {
      assert.equal(host.output().includes(token), false, "no refresh token in the host's output");
    }
  });

  it("with Entra's behaviour (lifetime not stated) the file is kept and nothing is guessed: no warning", async () => {
    const file = join(dir, "entra-like");
    host = await startHostFor(emulator(), { config: { refreshTokenFile: file } });
    await previewCheck("entra");
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.doesNotMatch(host.output(), /refresh token/);
    assert.equal(host.output().includes((await readFile(file, "utf8")).trim()), false);
  });
});

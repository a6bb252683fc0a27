import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RotatedRefreshTokenDetails } from "../../provider/auth/msalTokenProvider";
import { createTokenProvider } from "../../provider/connect/createTokenProvider";
import { isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { refreshTokenExpiryWarning } from "../../provider/resources/providerContext";
import { useEmulator } from "../support/emulatorHooks";
import {
  assertNoLeak,
  emulatorClient,
  emulatorSettings,
  renderings,
  resetAuthCaches,
  tokenRequests,
} from "./clientTestSupport";

/** Claims of a JWT (no verification: the emulator verified it). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

/** What an emulator refresh token looks like (`0.A` + 64 base64url characters): no such text may leak. */
const REFRESH_TOKEN_SHAPE = /0\.A[A-Za-z0-9_-]{60,}/;

const DAY_MS = 24 * 60 * 60 * 1000;

describe("partnercenter:refreshTokenFile: keeping the rotated refresh token (real MSAL, emulator over HTTPS)", () => {
  const emulator = useEmulator({ trustGlobally: true });
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "pc-refresh-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(resetAuthCaches);

  /** Settings for App+User with the demo token configured and `file` as refreshTokenFile. */
  function fileSettings(file: string, extra: Record<string, string | undefined> = {}) {
    return emulatorSettings(emulator(), "app+user", { refreshTokenFile: file, ...extra });
  }

  it("the configured token seeds the file: each rotated token lands in it, mode 0600, no temporary file left", async () => {
    const file = join(dir, "seeded");
    const settings = fileSettings(file);
    assert.equal(settings.sources.refreshToken, "partnercenter:refreshToken", "no file yet: the configured token");
    const provider = createTokenProvider(settings);
    assert.equal(claims(await provider.getAccessToken()).idtyp, "user");

    const first = (await readFile(file, "utf8")).trim();
    assert.match(first, REFRESH_TOKEN_SHAPE);
    assert.notEqual(first, emulator().credentials.refreshToken, "the rotated token, not the seed");
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    await provider.getAccessToken({ forceRefresh: true });
    const second = (await readFile(file, "utf8")).trim();
    assert.notEqual(second, first, "every rotation rewrites the file with the newest token");
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ["seeded"], "the temporary file was renamed, not left behind");
  });

  it("a file the user created world-readable is replaced by an owner-only one", async () => {
    const file = join(dir, "loose");
    await writeFile(file, `${emulator().issueRefreshToken()}\n`);
    await chmod(file, 0o644);
    const settings = fileSettings(file);
    assert.equal(settings.sources.refreshToken, "partnercenter:refreshTokenFile", "the file wins");
    await createTokenProvider(settings).getAccessToken();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it("a second provider reads the newest token from the file and works after the original token has expired", async () => {
    // A consent token that lives 2 seconds; the tokens rotated from it live Entra's 90 days.
    emulator().setRefreshTokenLifetime(2);
    const original = emulator().issueRefreshToken();
    emulator().setRefreshTokenLifetime(undefined);
    const file = join(dir, "handover");
    const firstRun = fileSettings(file, { refreshToken: original });
    await createTokenProvider(firstRun).getAccessToken();
    const kept = (await readFile(file, "utf8")).trim();
    assert.notEqual(kept, original);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    resetAuthCaches(); // a new process: nothing in memory
    const onlyOriginal = emulatorSettings(emulator(), "app+user", { refreshToken: original });
    await assert.rejects(createTokenProvider(onlyOriginal).getAccessToken(), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.code, "invalid_grant", "the original token is dead");
      assert.match(error.message, /AADSTS700082/);
      return true;
    });

    resetAuthCaches();
    const secondRun = fileSettings(file, { refreshToken: original });
    assert.equal(secondRun.refreshToken, kept, "the file's token, not the configured (dead) one");
    assert.equal(secondRun.sources.refreshToken, "partnercenter:refreshTokenFile");
    const client = emulatorClient(emulator(), {
      credential: "app+user",
      settings: { refreshToken: original, refreshTokenFile: file },
    });
    const template = await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement");
    assert.ok(template.templateId, "an App+User call works with the kept token");
    assert.notEqual((await readFile(file, "utf8")).trim(), kept, "and the file moved on to the next rotation");
  });

  it("a rejected token from the file names the file and how to replace it, never the file's content", async () => {
    const file = join(dir, "rejected");
    const content = `0.A${"x".repeat(64)}`;
    await writeFile(file, content, { mode: 0o600 });
    const lines: string[] = [];
    const client = emulatorClient(emulator(), {
      credential: "app+user",
      settings: { refreshTokenFile: file },
      lines,
    });
    await assert.rejects(client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      assert.equal(error.code, "invalid_grant");
      assert.ok(error.message.includes(`write it to ${file} (partnercenter:refreshTokenFile)`), error.message);
      assert.match(error.message, /or delete that file and set partnercenter:refreshToken/);
      assertNoLeak([...renderings(error), ...lines], [content, emulator().credentials.refreshToken]);
      return true;
    });
    assert.equal((await readFile(file, "utf8")).trim(), content, "a failed redemption leaves the file alone");
  });

  it("a file that cannot be written fails the call loudly, naming the file and never a token; fixed, it works", async () => {
    const file = join(dir, "no-such-directory", "token");
    const lines: string[] = [];
    const client = emulatorClient(emulator(), {
      credential: "app+user",
      settings: { refreshTokenFile: file },
      lines,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement"), (error) => {
        assert.ok(isPartnerCenterError(error));
        assert.equal(error.kind, "config");
        assert.equal(error.isRetryable, false);
        assert.ok(error.message.includes(`cannot write ${file} (ENOENT)`), error.message);
        assert.match(error.message, /partnercenter:refreshTokenFile/);
        for (const text of [...renderings(error), ...lines]) assert.doesNotMatch(text, REFRESH_TOKEN_SHAPE);
        assertNoLeak([...renderings(error), ...lines], [emulator().credentials.refreshToken]);
        return true;
      });
    }
    const redeemed = (await tokenRequests(emulator())).filter((r) => r.status === 200).length;
    assert.equal(redeemed, 2, "each attempt redeemed the token, and neither access token was used:");
    assert.equal(
      emulator()
        .requests()
        .filter((r) => r.path.startsWith("/v1/")).length,
      0,
      "nothing reached Partner Center",
    );

    await mkdir(join(dir, "no-such-directory"));
    assert.ok((await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement")).templateId);
    assert.match((await readFile(file, "utf8")).trim(), REFRESH_TOKEN_SHAPE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it("the stated lifetime reaches the rotation hook; Entra's unstated one stays unknown (nothing guessed)", async () => {
    const seen: RotatedRefreshTokenDetails[] = [];
    const onRefreshTokenRotated = (details: RotatedRefreshTokenDetails) => seen.push(details);
    const provider = createTokenProvider(emulatorSettings(emulator(), "app+user"), { onRefreshTokenRotated });
    await provider.getAccessToken();
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.expiresAt, undefined, "Entra (and the emulator by default) state no lifetime");

    emulator().setRefreshTokenLifetime(3 * 24 * 60 * 60);
    const before = Date.now();
    await provider.getAccessToken({ forceRefresh: true });
    const expiresAt = seen[1]?.expiresAt;
    assert.ok(expiresAt, "refresh_token_expires_in was read from MSAL's cache");
    const remaining = expiresAt.getTime() - before;
    assert.ok(Math.abs(remaining - 3 * DAY_MS) < 60_000, `about 3 days, got ${remaining} ms`);
  });

  it("the near-expiry warning: within 14 days only, naming where to put the new token, never a token", () => {
    const now = Date.parse("2026-05-01T00:00:00Z");
    const withFile = fileSettings(join(dir, "warned"));
    const at = (days: number) => ({ expiresAt: new Date(now + days * DAY_MS) });
    assert.equal(refreshTokenExpiryWarning(withFile, {}, now), undefined, "unknown lifetime: no warning");
    assert.equal(refreshTokenExpiryWarning(withFile, at(15), now), undefined);
    const warning = refreshTokenExpiryWarning(withFile, at(3), now);
    assert.ok(warning);
    assert.match(warning, /^warning: the App\+User refresh token expires in 3 days \(on 2026-05-04T00:00:00\.000Z/);
    assert.ok(warning.includes(`write it to ${join(dir, "warned")} (partnercenter:refreshTokenFile)`), warning);
    assert.match(refreshTokenExpiryWarning(withFile, at(0.2), now)!, /expires in less than a day/);
    const configured = refreshTokenExpiryWarning(emulatorSettings(emulator(), "app+user"), at(1), now)!;
    assert.match(configured, /expires in 1 day \(/);
    assert.match(configured, /set partnercenter:refreshToken \(pulumi config set --secret/);
    assertNoLeak([warning, configured], [emulator().credentials.refreshToken]);
  });
});

import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClientCertificate } from "../../emulator";
import { createMsalTokenProvider } from "../../provider/auth/msalTokenProvider";
import { createTokenProvider } from "../../provider/connect/createTokenProvider";
import { isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { useEmulator } from "../support/emulatorHooks";
import {
  apiRequests,
  assertNoLeak,
  emulatorClient,
  emulatorSettings,
  renderings,
  resetAuthCaches,
  tokenRequests,
  usCustomerRequest,
} from "./clientTestSupport";

/** Claims of a JWT (no verification: the emulator verified it). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

describe("PartnerCenterClient: authentication through real MSAL", () => {
  const emulator = useEmulator({ trustGlobally: true });
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "pc-auth-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(resetAuthCaches);

  const clientSecretOff = { clientSecret: undefined };

  it("App-only with a client secret: scope <resource>/.default, app token", async () => {
    const settings = emulatorSettings(emulator());
    const provider = createTokenProvider(settings);
    assert.equal(provider.identity, "app");
    const token = await provider.getAccessToken();
    assert.equal(claims(token).idtyp, "app");
    await emulatorClient(emulator()).createCustomer(usCustomerRequest());
    assert.equal((await apiRequests(emulator())).at(-1)?.tokenKind, "app");
  });

  it("App-only with a certificate: PEM file, PEM content, encrypted key with password; thumbprint computed", async () => {
    const certificate = await createClientCertificate();
    await emulator().registerClientCertificate(certificate.certificatePem);
    const pem = `${certificate.certificatePem}\n${certificate.privateKeyPem}`;
    const path = join(dir, "client.pem");
    await writeFile(path, pem);

    const fromPath = emulatorClient(emulator(), { settings: { ...clientSecretOff, clientCertificatePath: path } });
    await fromPath.createCustomer(usCustomerRequest());
    resetAuthCaches();

    const fromContent = emulatorClient(emulator(), {
      settings: { ...clientSecretOff, clientCertificate: Buffer.from(pem).toString("base64") },
    });
    await fromContent.checkDomainAvailability("free.onmicrosoft.com");
    resetAuthCaches();

    const password = "correct horse battery staple";
    const encryptedKey = createPrivateKey(certificate.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: password })
      .toString();
    const encryptedPath = join(dir, "encrypted.pem");
    await writeFile(encryptedPath, `${encryptedKey}\n${certificate.certificatePem}`);
    const encrypted = emulatorClient(emulator(), {
      settings: { ...clientSecretOff, clientCertificatePath: encryptedPath, clientCertificatePassword: password },
    });
    await encrypted.checkDomainAvailability("free.onmicrosoft.com");
    assert.equal((await tokenRequests(emulator())).filter((r) => r.status === 200).length, 3);
    resetAuthCaches();

    const wrongPassword = emulatorClient(emulator(), {
      settings: {
        ...clientSecretOff,
        clientCertificatePath: encryptedPath,
        clientCertificatePassword: "wrong-password-123",
      },
    });
    await assert.rejects(wrongPassword.checkDomainAvailability("free.onmicrosoft.com"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, /clientCertificatePassword/);
      assertNoLeak(renderings(error), ["wrong-password-123", password, certificate.privateKeyPem.slice(40, 100)]);
      return true;
    });
  });

  it("an unregistered certificate is rejected by Entra as kind auth", async () => {
    const certificate = await createClientCertificate("CN=not-registered");
    const path = join(dir, "unregistered.pem");
    await writeFile(path, `${certificate.certificatePem}\n${certificate.privateKeyPem}`);
    const client = emulatorClient(emulator(), { settings: { ...clientSecretOff, clientCertificatePath: path } });
    await assert.rejects(client.checkDomainAvailability("free.onmicrosoft.com"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      assert.equal(error.code, "invalid_client");
      return true;
    });
  });

  it("workload identity federation: the assertion file is read, and re-read when it changes", async () => {
    const tokenFile = join(dir, "federated-token");
    await writeFile(tokenFile, await emulator().issueFederatedToken());
    const settings = emulatorSettings(emulator(), "app", { ...clientSecretOff, federatedTokenFile: tokenFile });
    assert.equal(settings.appCredential, "federatedToken");
    const provider = createTokenProvider(settings);
    const first = await provider.getAccessToken();
    assert.equal(claims(first).idtyp, "app");

    // The kubelet rotates the file: a broken token now must fail, a fresh one must work, with no restart.
    await writeFile(tokenFile, "not-a-jwt");
    await assert.rejects(provider.getAccessToken({ forceRefresh: true }), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      return true;
    });
    await writeFile(tokenFile, await emulator().issueFederatedToken());
    const third = await provider.getAccessToken({ forceRefresh: true });
    assert.notEqual(third, first);
    assert.equal((await tokenRequests(emulator())).length, 3);
  });

  it("a missing federated token file is a config error naming the setting", async () => {
    const settings = emulatorSettings(emulator(), "app", {
      ...clientSecretOff,
      federatedTokenFile: join(dir, "missing-token"),
    });
    await assert.rejects(createTokenProvider(settings).getAccessToken(), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, /federatedTokenFile/);
      return true;
    });
  });

  it("App+User from a refresh token: scope <resource>/user_impersonation, user token, agreements allowed", async () => {
    const provider = createTokenProvider(emulatorSettings(emulator(), "app+user"));
    assert.equal(provider.identity, "app+user");
    const token = await provider.getAccessToken();
    assert.equal(claims(token).idtyp, "user");
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const template = await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement");
    assert.ok(template.templateId);
  });

  it("keeps and uses the rotated refresh token MSAL returns", async () => {
    const rotations: string[] = [];
    const settings = emulatorSettings(emulator(), "app+user");
    const options = {
      clientId: settings.clientId!,
      authority: settings.authority!,
      scope: "https://api.partnercenter.microsoft.com/user_impersonation",
      credential: { type: "clientSecret" as const, clientSecret: settings.clientSecret! },
      refreshToken: settings.refreshToken!,
      onRefreshTokenRotated: (token: string) => rotations.push(token),
    };
    const provider = createMsalTokenProvider(options);
    await provider.getAccessToken();
    await provider.getAccessToken({ forceRefresh: true });
    assert.equal(rotations.length, 2, "every redemption rotates");
    assert.notEqual(rotations[0], settings.refreshToken);
    assert.notEqual(
      rotations[1],
      rotations[0],
      "the second redemption presented the rotated token and got a newer one",
    );

    // The rotated token is a working credential on its own.
    resetAuthCaches();
    const fromRotated = createMsalTokenProvider({
      ...options,
      refreshToken: rotations[1]!,
      onRefreshTokenRotated: undefined,
    });
    assert.equal(claims(await fromRotated.getAccessToken()).idtyp, "user");
  });

  it("a revoked refresh token is kind auth naming partnercenter:refreshToken, never the token", async () => {
    emulator().revokeRefreshTokens();
    const settings = emulatorSettings(emulator(), "app+user");
    const client = emulatorClient(emulator(), { credential: "app+user" });
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000000"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      assert.equal(error.code, "invalid_grant");
      assert.match(error.message, /partnercenter:refreshToken/);
      assert.match(error.message, /PARTNERCENTER_REFRESH_TOKEN/);
      assertNoLeak(renderings(error), [settings.refreshToken, settings.clientSecret]);
      return true;
    });
    assert.equal((await apiRequests(emulator())).length, 0, "nothing is sent without a token");
  });

  it("a wrong client secret is kind auth invalid_client, never showing the secret", async () => {
    const client = emulatorClient(emulator(), { settings: { clientSecret: "wrong-secret-value-123" } });
    await assert.rejects(client.getCustomer("00000000-0000-4000-8000-000000000000"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      assert.equal(error.code, "invalid_client");
      assert.match(error.message, /^Getting customer 0{8}-.*: Acquiring an App-only token/);
      assertNoLeak(renderings(error), ["wrong-secret-value-123", emulator().credentials.clientSecret]);
      return true;
    });
  });

  it("100 concurrent calls with one credential make ONE token request", async () => {
    const id = (await emulator().createCustomer(usCustomerRequest())).id;
    const client = emulatorClient(emulator());
    const other = emulatorClient(emulator());
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? client : other).getCustomer(id)));
    assert.equal(results.length, 100);
    assert.equal((await tokenRequests(emulator())).length, 1);
    assert.equal((await apiRequests(emulator())).length, 100);
  });

  it("a 401 triggers one token refresh and one retry with the same request id", async () => {
    const id = (await emulator().createCustomer(usCustomerRequest())).id;
    const client = emulatorClient(emulator());
    await client.checkDomainAvailability("warmup.onmicrosoft.com");
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, status: 401 });
    await client.getCustomer(id);
    const gets = (await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`);
    assert.deepEqual(
      gets.map((r) => r.status),
      [401, 200],
    );
    assert.equal(gets[0]!.requestId, gets[1]!.requestId);
    assert.equal((await tokenRequests(emulator())).length, 2, "initial token + one forced refresh");
  });

  it("a second 401 is kind auth after exactly one refresh", async () => {
    const id = (await emulator().createCustomer(usCustomerRequest())).id;
    const client = emulatorClient(emulator());
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, status: 401, count: 5 });
    await assert.rejects(client.getCustomer(id), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "auth");
      assert.equal(error.statusCode, 401);
      assert.equal(error.isRetryable, false);
      return true;
    });
    assert.equal((await apiRequests(emulator())).filter((r) => r.path === `/v1/customers/${id}`).length, 2);
    assert.equal((await tokenRequests(emulator())).length, 2);
  });

  it("concurrent 401s with the same stale token share one refresh", async () => {
    const id = (await emulator().createCustomer(usCustomerRequest())).id;
    const client = emulatorClient(emulator());
    await client.getCustomer(id);
    emulator().faults.inject({ method: "GET", path: `/v1/customers/${id}`, status: 401, count: 10 });
    await Promise.all(Array.from({ length: 10 }, () => client.getCustomer(id)));
    assert.equal((await tokenRequests(emulator())).length, 2);
  });

  it("tokens near expiry are renewed before use; short-lived ones are still reused in their first half", async () => {
    emulator().setTokenLifetime(10); // shorter than the 5-minute margin: renewed half-way through its life
    const client = emulatorClient(emulator());
    await client.checkDomainAvailability("a.onmicrosoft.com");
    await client.checkDomainAvailability("b.onmicrosoft.com");
    assert.equal((await tokenRequests(emulator())).length, 1, "reused while fresh");
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await client.checkDomainAvailability("c.onmicrosoft.com");
    assert.equal((await tokenRequests(emulator())).length, 2, "renewed before it lapsed");
  });
});

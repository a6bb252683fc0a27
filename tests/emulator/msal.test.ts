import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AuthenticationResult,
  ConfidentialClientApplication,
  type Configuration,
  ServerError,
} from "@azure/msal-node";
import { decodeJwt } from "jose";
import { type ClientCertificate, createClientCertificate } from "../../emulator";
import { emulatorRequest } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

/**
 * Real, unmodified @azure/msal-node against the emulator over HTTPS. MSAL's default network client trusts the
 * emulator CA because the suite adds it to Node's default CA list (trustGlobally); TLS checks stay on.
 */
describe("emulator: real @azure/msal-node", () => {
  const emulator = useEmulator({ trustGlobally: true });
  let certificate: ClientCertificate;

  before(async () => {
    certificate = await createClientCertificate();
  });

  function msal(auth: Partial<Configuration["auth"]>): ConfidentialClientApplication {
    return new ConfidentialClientApplication({
      auth: {
        clientId: emulator().credentials.clientId,
        authority: emulator().authority,
        // The emulator is not a Microsoft cloud: listing it stops MSAL's instance discovery at Microsoft.
        knownAuthorities: [emulator().knownAuthority],
        ...auth,
      },
    });
  }

  /** Calls a Partner Center route with the token, proving the emulator accepts what MSAL got. */
  async function callPartnerCenter(result: AuthenticationResult | null): Promise<number> {
    assert.ok(result);
    const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token: result.accessToken });
    return response.status;
  }

  function tokenRequests(): number {
    return emulator()
      .requests()
      .filter((entry) => entry.path.includes("/oauth2/v2.0/token")).length;
  }

  it("gets an App-only token with the client secret", async () => {
    const app = msal({ clientSecret: emulator().credentials.clientSecret });
    const result = await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
    assert.equal(decodeJwt(result?.accessToken ?? "").idtyp, "app");
    assert.equal(await callPartnerCenter(result), 200);
    // MSAL caches the token: a second call does not reach the token endpoint.
    await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
    assert.equal(tokenRequests(), 1);
  });

  it("gets an App-only token with a certificate client assertion (x5t#S256, PS256)", async () => {
    await emulator().registerClientCertificate(certificate.certificatePem);
    const app = msal({
      clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKeyPem },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
    assert.equal(decodeJwt(result?.accessToken ?? "").appidacr, "2");
    assert.equal(await callPartnerCenter(result), 200);
  });

  it("gets an App-only token with a certificate client assertion (legacy SHA-1 x5t, RS256)", async () => {
    await emulator().registerClientCertificate(certificate.certificatePem);
    const app = msal({
      clientCertificate: { thumbprint: certificate.thumbprint, privateKey: certificate.privateKeyPem },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
    assert.equal(await callPartnerCenter(result), 200);
  });

  it("refuses a certificate that is not registered (AADSTS700027)", async () => {
    const stranger = await createClientCertificate("CN=stranger");
    const app = msal({
      clientCertificate: { thumbprintSha256: stranger.thumbprintSha256, privateKey: stranger.privateKeyPem },
    });
    await assert.rejects(app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] }), (error) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.errorCode, "invalid_client");
      assert.match(error.errorMessage, /AADSTS700027/);
      return true;
    });
  });

  it("gets an App-only token with a workload-identity federated assertion read from a token file", async () => {
    const directory = await mkdtemp(join(tmpdir(), "wif-"));
    try {
      const tokenFile = join(directory, "token");
      await writeFile(tokenFile, await emulator().issueFederatedToken());
      const app = msal({ clientAssertion: async () => (await readFile(tokenFile, "utf8")).trim() });
      const result = await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
      assert.equal(decodeJwt(result?.accessToken ?? "").idtyp, "app");
      assert.equal(await callPartnerCenter(result), 200);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("refuses federated assertions with the wrong subject, audience or issuer, or expired", async () => {
    const cases: Array<[Parameters<ReturnType<typeof emulator>["issueFederatedToken"]>[0], RegExp]> = [
      [{ subject: "repo:someone/else:ref:refs/heads/main" }, /AADSTS700213/],
      [{ audience: "api://SomethingElse" }, /AADSTS700212/],
      [{ issuer: "https://token.actions.githubusercontent.com" }, /AADSTS700211/],
      [{ lifetimeSeconds: -3600 }, /AADSTS700024/],
    ];
    for (const [options, expected] of cases) {
      const assertion = await emulator().issueFederatedToken(options);
      const app = msal({ clientAssertion: assertion });
      await assert.rejects(app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] }), (error) => {
        assert.ok(error instanceof ServerError);
        assert.match(error.errorMessage, expected);
        return true;
      });
    }
  });

  it("gets an App+User token from the refresh token, and the rotated refresh token works", async () => {
    const app = msal({ clientSecret: emulator().credentials.clientSecret });
    const result = await app.acquireTokenByRefreshToken({
      refreshToken: emulator().credentials.refreshToken,
      scopes: [emulator().scopes.appUser],
      // Without forceCache, MSAL does not cache tokens for an account it has never seen.
      forceCache: true,
    });
    assert.ok(result);
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.idtyp, "user");
    assert.ok((claims.amr as string[]).includes("mfa"));
    assert.equal(result.account?.username, claims.upn);
    assert.equal(result.account?.tenantId, emulator().tenantId);
    assert.equal(await callPartnerCenter(result), 200);

    const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const rotated = Object.values(cache.RefreshToken).map((entry) => entry.secret);
    assert.equal(rotated.length, 1);
    assert.notEqual(rotated[0], emulator().credentials.refreshToken);

    const second = msal({ clientSecret: emulator().credentials.clientSecret });
    const again = await second.acquireTokenByRefreshToken({
      refreshToken: rotated[0] as string,
      scopes: [emulator().scopes.appUser],
    });
    assert.equal(decodeJwt(again?.accessToken ?? "").idtyp, "user");
  });

  it("gets an App+User token from the refresh token with a certificate credential", async () => {
    await emulator().registerClientCertificate(certificate.certificatePem);
    const app = msal({
      clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKeyPem },
    });
    const result = await app.acquireTokenByRefreshToken({
      refreshToken: emulator().credentials.refreshToken,
      scopes: [emulator().scopes.appUser],
    });
    assert.equal(decodeJwt(result?.accessToken ?? "").idtyp, "user");
  });

  it("surfaces a revoked refresh token as invalid_grant", async () => {
    emulator().revokeRefreshTokens();
    const app = msal({ clientSecret: emulator().credentials.clientSecret });
    await assert.rejects(
      app.acquireTokenByRefreshToken({
        refreshToken: emulator().credentials.refreshToken,
        scopes: [emulator().scopes.appUser],
      }),
      (error: Error & { errorCode?: string; errorMessage?: string }) => {
        assert.equal(error.errorCode, "invalid_grant");
        assert.match(error.errorMessage ?? "", /AADSTS50173/);
        return true;
      },
    );
  });

  it("surfaces a wrong client secret as invalid_client", async () => {
    const app = msal({ clientSecret: "not-the-secret" });
    await assert.rejects(app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] }), (error) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.errorCode, "invalid_client");
      return true;
    });
  });

  it("shows MSAL's expires_in-based expiry ignoring the issuer's clock skew", async () => {
    emulator().setClockSkew(-1800);
    const app = msal({ clientSecret: emulator().credentials.clientSecret });
    const result = await app.acquireTokenByClientCredential({ scopes: [emulator().scopes.appOnly] });
    assert.ok(result?.expiresOn);
    const msalExpiry = result.expiresOn.getTime() / 1000;
    const claimExpiry = decodeJwt(result.accessToken).exp as number;
    assert.ok(msalExpiry - claimExpiry > 1700, "MSAL believes the token lives ~30 minutes longer than exp says");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { validCustomerArgs } from "../support/customerFixtures";
import { emulatorRequest, getAppToken, getUserToken, type LooseJson } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

describe("emulator: authentication", () => {
  const emulator = useEmulator();

  function tokenRequest(form: Record<string, string>) {
    return emulatorRequest(emulator(), "POST", `/${emulator().tenantId}/oauth2/v2.0/token`, { form });
  }

  function clientCredentials(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      grant_type: "client_credentials",
      client_id: emulator().credentials.clientId,
      client_secret: emulator().credentials.clientSecret,
      scope: emulator().scopes.appOnly,
      ...overrides,
    };
  }

  function refreshGrant(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      grant_type: "refresh_token",
      client_id: emulator().credentials.clientId,
      client_secret: emulator().credentials.clientSecret,
      refresh_token: emulator().credentials.refreshToken,
      scope: `${emulator().scopes.appUser} openid profile offline_access`,
      ...overrides,
    };
  }

  /** Asserts Entra's error body shape. */
  function assertEntraError(
    response: { status: number; body: LooseJson },
    status: number,
    error: string,
    aadsts: number,
  ) {
    assert.equal(response.status, status, JSON.stringify(response.body));
    assert.equal(response.body.error, error);
    assert.match(response.body.error_description, new RegExp(`^AADSTS${aadsts}: `));
    assert.deepEqual(response.body.error_codes, [aadsts]);
    assert.equal(typeof response.body.trace_id, "string");
    assert.equal(typeof response.body.correlation_id, "string");
  }

  describe("token endpoint", () => {
    it("issues app-only JWTs with the documented claims", async () => {
      const response = await tokenRequest(clientCredentials());
      assert.equal(response.status, 200);
      assert.equal(response.body.token_type, "Bearer");
      assert.equal(response.body.expires_in, 3600);
      assert.equal(response.body.refresh_token, undefined);
      assert.equal(response.headers["cache-control"], "no-store");
      const claims = decodeJwt(response.body.access_token);
      assert.equal(decodeProtectedHeader(response.body.access_token).alg, "RS256");
      assert.equal(claims.aud, "https://api.partnercenter.microsoft.com");
      assert.equal(claims.iss, `https://sts.windows.net/${emulator().tenantId}/`);
      assert.equal(claims.tid, emulator().tenantId);
      assert.equal(claims.appid, emulator().credentials.clientId);
      assert.equal(claims.azp, emulator().credentials.clientId);
      assert.equal(claims.idtyp, "app");
      assert.equal(typeof claims.oid, "string");
      assert.equal(claims.upn, undefined);
      assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    });

    it("issues App+User JWTs with upn, scp and amr containing mfa, and rotates the refresh token", async () => {
      const response = await tokenRequest(refreshGrant());
      assert.equal(response.status, 200);
      const claims = decodeJwt(response.body.access_token);
      assert.equal(claims.idtyp, "user");
      assert.equal(claims.scp, "user_impersonation");
      assert.deepEqual(claims.amr, ["pwd", "mfa"]);
      assert.match(String(claims.upn), /@/);
      assert.equal(typeof response.body.id_token, "string");
      assert.equal(typeof response.body.client_info, "string");
      const clientInfo = JSON.parse(Buffer.from(response.body.client_info, "base64url").toString("utf8"));
      assert.deepEqual(clientInfo, { uid: claims.oid, utid: emulator().tenantId });
      assert.equal(typeof response.body.refresh_token, "string");
      assert.notEqual(response.body.refresh_token, emulator().credentials.refreshToken);
      const rotated = await tokenRequest(refreshGrant({ refresh_token: response.body.refresh_token }));
      assert.equal(rotated.status, 200, "the rotated token works");
      const old = await tokenRequest(refreshGrant());
      assert.equal(old.status, 200, "as in Entra, the presented token is not revoked by rotation");
    });

    it("accepts the v1 endpoint with resource=", async () => {
      const { scope: _scope, ...form } = clientCredentials();
      const response = await emulatorRequest(emulator(), "POST", `/${emulator().tenantId}/oauth2/token`, {
        form: { ...form, resource: "https://api.partnercenter.microsoft.com" },
      });
      assert.equal(response.status, 200);
    });

    it("rejects a wrong client secret (401 invalid_client, AADSTS7000215)", async () => {
      assertEntraError(
        await tokenRequest(clientCredentials({ client_secret: "wrong" })),
        401,
        "invalid_client",
        7000215,
      );
    });

    it("rejects an unknown client id (400 unauthorized_client, AADSTS700016)", async () => {
      assertEntraError(
        await tokenRequest(clientCredentials({ client_id: "00000000-0000-0000-0000-000000000000" })),
        400,
        "unauthorized_client",
        700016,
      );
    });

    it("rejects an unknown tenant (400, AADSTS90002)", async () => {
      const response = await emulatorRequest(
        emulator(),
        "POST",
        "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
        {
          form: clientCredentials(),
        },
      );
      assertEntraError(response, 400, "invalid_request", 90002);
    });

    it("rejects client credentials without /.default and resources other than Partner Center and Graph (invalid_scope)", async () => {
      assertEntraError(
        await tokenRequest(clientCredentials({ scope: emulator().scopes.appUser })),
        400,
        "invalid_scope",
        1002012,
      );
      assertEntraError(
        await tokenRequest(clientCredentials({ scope: "https://management.azure.com/.default" })),
        400,
        "invalid_scope",
        1002012,
      );
    });

    it("rejects an unsupported grant (AADSTS70003) and a request without client credential (AADSTS7000218)", async () => {
      assertEntraError(
        await tokenRequest(clientCredentials({ grant_type: "password" })),
        400,
        "unsupported_grant_type",
        70003,
      );
      const { client_secret: _secret, ...noSecret } = clientCredentials();
      assertEntraError(await tokenRequest(noSecret), 401, "invalid_client", 7000218);
    });

    it("rejects an unknown refresh token (invalid_grant)", async () => {
      assertEntraError(await tokenRequest(refreshGrant({ refresh_token: "0.Anope" })), 400, "invalid_grant", 9002313);
    });

    it("revocation makes every refresh token fail with invalid_grant AADSTS50173, until a new one is issued", async () => {
      const rotated = (await tokenRequest(refreshGrant())).body.refresh_token as string;
      emulator().revokeRefreshTokens();
      assertEntraError(await tokenRequest(refreshGrant()), 400, "invalid_grant", 50173);
      assertEntraError(await tokenRequest(refreshGrant({ refresh_token: rotated })), 400, "invalid_grant", 50173);
      const fresh = emulator().issueRefreshToken();
      assert.equal((await tokenRequest(refreshGrant({ refresh_token: fresh }))).status, 200);
    });

    it("states no refresh-token lifetime by default, as Entra; setRefreshTokenLifetime states it and expires tokens", async () => {
      const unstated = await tokenRequest(refreshGrant());
      assert.equal(unstated.status, 200);
      assert.equal(unstated.body.refresh_token_expires_in, undefined, "Entra states no lifetime for this flow");

      emulator().setRefreshTokenLifetime(1);
      const stated = await tokenRequest(refreshGrant());
      assert.equal(stated.body.refresh_token_expires_in, 1, "the rotated token's lifetime is stated");
      const consented = emulator().issueRefreshToken();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assertEntraError(
        await tokenRequest(refreshGrant({ refresh_token: stated.body.refresh_token })),
        400,
        "invalid_grant",
        700082,
      );
      assertEntraError(await tokenRequest(refreshGrant({ refresh_token: consented })), 400, "invalid_grant", 700082);
      assert.equal((await tokenRequest(refreshGrant())).status, 200, "tokens issued before keep their 90 days");

      await emulator().reset();
      const restored = await tokenRequest(refreshGrant());
      assert.equal(restored.body.refresh_token_expires_in, undefined, "reset restores Entra's behaviour");
      assert.equal((await tokenRequest(refreshGrant({ refresh_token: restored.body.refresh_token }))).status, 200);
    });

    it("reset restores the demo refresh token after a revocation", async () => {
      emulator().revokeRefreshTokens();
      await emulator().reset();
      assert.equal((await tokenRequest(refreshGrant())).status, 200);
    });

    it("logs token requests with the kind of token issued", async () => {
      await getAppToken(emulator());
      await getUserToken(emulator());
      const tokenRequests = emulator()
        .requests()
        .filter((entry) => entry.path.includes("/oauth2/"));
      assert.deepEqual(
        tokenRequests.map((entry) => [entry.status, entry.tokenKind]),
        [
          [200, "app"],
          [200, "user"],
        ],
      );
    });

    it("serves OpenID discovery and the JWKS that verifies its tokens", async () => {
      const discovery = await emulatorRequest(
        emulator(),
        "GET",
        `/${emulator().tenantId}/v2.0/.well-known/openid-configuration`,
      );
      assert.equal(discovery.status, 200);
      assert.equal(discovery.body.token_endpoint, `${emulator().authority}/oauth2/v2.0/token`);
      assert.equal(discovery.body.issuer, `${emulator().authority}/v2.0`);
      const jwks = await emulatorRequest(emulator(), "GET", new URL(discovery.body.jwks_uri).pathname);
      const token = await getAppToken(emulator());
      assert.ok(jwks.body.keys.some((key: { kid: string }) => key.kid === decodeProtectedHeader(token).kid));
      assert.equal(jwks.body.keys[0].d, undefined, "no private material");
    });
  });

  describe("token lifetime and issuer clock skew", () => {
    it("tokens carry the configured lifetime", async () => {
      emulator().setTokenLifetime(120);
      const response = await tokenRequest(clientCredentials());
      assert.equal(response.body.expires_in, 120);
      const claims = decodeJwt(response.body.access_token);
      assert.equal((claims.exp as number) - (claims.iat as number), 120);
    });

    it("clock skew shifts iat/nbf/exp but not expires_in", async () => {
      emulator().setClockSkew(-3000);
      const response = await tokenRequest(clientCredentials());
      const claims = decodeJwt(response.body.access_token);
      const now = Math.floor(Date.now() / 1000);
      assert.ok(Math.abs((claims.iat as number) - (now - 3000)) <= 2);
      assert.equal(response.body.expires_in, 3600);
    });

    it("a token already expired by the skew is refused by Partner Center routes (401)", async () => {
      emulator().setTokenLifetime(60);
      emulator().setClockSkew(-3600);
      const token = (await tokenRequest(clientCredentials())).body.access_token;
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
      assert.equal(response.status, 401);
      assert.equal(response.body.code, 400);
      assert.match(String(response.headers["www-authenticate"]), /invalid_token/);
    });

    it("a token from an issuer clock far ahead is not valid yet (401)", async () => {
      emulator().setClockSkew(3600);
      const token = (await tokenRequest(clientCredentials())).body.access_token;
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
      assert.equal(response.status, 401);
    });

    it("App+User tokens can be issued without MFA, and Partner Center refuses them (401, 900421)", async () => {
      emulator().setMfa(false);
      const token = (await tokenRequest(refreshGrant())).body.access_token;
      assert.deepEqual(decodeJwt(token).amr, ["pwd"]);
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
      assert.equal(response.status, 401);
      assert.equal(response.body.code, 900421);
      // App-only tokens carry no MFA claim and need none.
      const app = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", {
        token: await getAppToken(emulator()),
      });
      assert.equal(app.status, 200);
    });
  });

  describe("Partner Center routes", () => {
    it("require a bearer token (401, 800001) and never act without one", async () => {
      const response = await emulatorRequest(emulator(), "POST", "/v1/customers", { json: {} });
      assert.equal(response.status, 401);
      assert.equal(response.body.code, 800001);
      assert.equal(response.body.source, "PartnerFD");
      assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
      const entry = emulator().requests().at(-1);
      assert.equal(entry?.status, 401);
      assert.equal(entry?.tokenKind, undefined);
    });

    it("refuse a token signed by another key (401)", async () => {
      const { privateKey } = await generateKeyPair("RS256");
      const forged = await new SignJWT({ tid: emulator().tenantId, idtyp: "user", appid: "x", oid: "y" })
        .setProtectedHeader({ alg: "RS256" })
        .setAudience("https://api.partnercenter.microsoft.com")
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime("1h")
        .sign(privateKey);
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token: forged });
      assert.equal(response.status, 401);
      assert.equal(response.body.code, 400);
    });

    it("refuse garbage and non-Bearer schemes (401)", async () => {
      for (const authorization of ["Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "Bearer"]) {
        const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", {
          headers: { authorization },
        });
        assert.equal(response.status, 401, authorization);
      }
    });

    it("ignore magic headers: no header can bypass authentication or inject faults", async () => {
      const response = await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", {
        headers: { "x-emulator-fault": "503", "x-emulator-auth": "bypass", "x-ms-fault": "reset" },
      });
      assert.equal(response.status, 401);
    });

    it("cannot be entered by an encoded path: the token check and the rate limit apply to the routed path", async () => {
      const before = emulator().state().customers.length;
      for (const [method, path] of [
        ["GET", "/%761/customers"],
        ["GET", "/v%31/customers?size=1"],
        ["GET", "/%76%31/customers/00000000-0000-0000-0000-000000000001"],
        ["POST", "/v%31/customers"],
        ["POST", "/%761/customers"],
      ] as const) {
        const response = await emulatorRequest(emulator(), method, path, method === "POST" ? { json: {} } : {});
        assert.equal(response.status, 401, `${method} ${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.code, 800001);
      }
      assert.equal(emulator().state().customers.length, before, "nothing was created");

      emulator().setRateLimit(1);
      try {
        const token = await getAppToken(emulator());
        await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token });
        const encoded = await emulatorRequest(emulator(), "GET", "/v%31/customers?size=1", { token });
        assert.equal(encoded.status, 429, "the rate limit counts the encoded spelling too");
      } finally {
        emulator().setRateLimit(undefined);
      }
    });

    it("replay an MS-RequestId whatever spelling of the path it comes with: no second customer", async () => {
      const token = await getAppToken(emulator());
      const requestId = randomUUID();
      const body = validCustomerArgs({ domain: `encoded${Date.now().toString(36)}.onmicrosoft.com` });
      const first = await emulatorRequest(emulator(), "POST", "/v1/customers", {
        token,
        json: body,
        headers: { "ms-requestid": requestId },
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      for (const spelling of ["/v%31/customers", "/%76%31/customers"]) {
        const again = await emulatorRequest(emulator(), "POST", spelling, {
          token,
          json: body,
          headers: { "ms-requestid": requestId },
        });
        assert.equal(again.status, 201, `${spelling}: ${JSON.stringify(again.body)}`);
        assert.equal(again.body.id, first.body.id, `${spelling}: Partner Center's replay, not a second customer`);
        assert.equal(emulator().requests().at(-1)?.replayed, true);
      }
    });

    it("log the token kind of each call", async () => {
      await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token: await getAppToken(emulator()) });
      await emulatorRequest(emulator(), "GET", "/v1/customers?size=1", { token: await getUserToken(emulator()) });
      const kinds = emulator()
        .requests()
        .filter((entry) => entry.path.startsWith("/v1/"))
        .map((entry) => entry.tokenKind);
      assert.deepEqual(kinds, ["app", "user"]);
    });
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { isPartnerCenterError, type PartnerCenterError } from "../../../provider/foundation/partnerCenterError";
import {
  describeCredentials,
  requireAppUser,
  requireCredentials,
  resolveProviderSettings,
} from "../../../provider/settings/providerSettings";

const SECRET = "s3cret-value-do-not-print";
const REFRESH = "0.refresh-token-do-not-print";
const PASSWORD = "cert-password-do-not-print";
const PEM = "-----BEGIN CERTIFICATE-----\nMIIcertificate-content-do-not-print\n-----END CERTIFICATE-----";

function config(values: Record<string, string | undefined>) {
  return (key: string) => values[key];
}

function catchError(fn: () => unknown): PartnerCenterError {
  try {
    fn();
  } catch (error) {
    assert.ok(isPartnerCenterError(error), `not a PartnerCenterError: ${String(error)}`);
    return error;
  }
  assert.fail("expected an error");
}

describe("resolveProviderSettings", () => {
  it("defaults to the public cloud with nothing configured, and describes no credentials", () => {
    const settings = resolveProviderSettings(config({}), {});
    assert.equal(settings.cloud, "public");
    assert.equal(settings.endpoint, "https://api.partnercenter.microsoft.com");
    assert.equal(settings.authority, undefined);
    assert.equal(settings.locale, "en-US");
    assert.equal(settings.timeoutSeconds, 100);
    assert.equal(settings.maxRetryWaitSeconds, 120);
    assert.equal(settings.sandbox, false);
    assert.equal(describeCredentials(settings), "none");
  });

  it("gives each cloud its Microsoft Graph endpoint and the public cloud its GDAP approval base; both overridable", () => {
    const graphOf = (cloud: string) => resolveProviderSettings(config({ cloud }), {});
    assert.equal(graphOf("public").graphEndpoint, "https://graph.microsoft.com");
    assert.equal(graphOf("public").gdapApprovalBase, "https://admin.microsoft.com");
    assert.equal(graphOf("usgov").graphEndpoint, "https://graph.microsoft.us");
    assert.equal(
      graphOf("usgov").gdapApprovalBase,
      undefined,
      "no link is built where the admin center is unconfirmed",
    );
    assert.equal(graphOf("china").graphEndpoint, "https://microsoftgraph.chinacloudapi.cn");
    const emulated = resolveProviderSettings(
      config({ graphEndpoint: "https://127.0.0.1:8443/", gdapApprovalBase: "https://127.0.0.1:8443" }),
      { PARTNERCENTER_GRAPH_ENDPOINT: "https://elsewhere.example" },
    );
    assert.equal(emulated.graphEndpoint, "https://127.0.0.1:8443");
    assert.equal(emulated.gdapApprovalBase, "https://127.0.0.1:8443");
    const bad = catchError(() => resolveProviderSettings(config({ graphEndpoint: "ftp://graph" }), {}));
    assert.match(bad.message, /graphEndpoint/);
  });

  it("takes config over PARTNERCENTER_* over AZURE_*, per key", () => {
    const env = {
      PARTNERCENTER_TENANT_ID: "env-tenant",
      AZURE_TENANT_ID: "azure-tenant",
      AZURE_CLIENT_ID: "azure-client",
      PARTNERCENTER_LOCALE: "fr-FR",
    };
    const settings = resolveProviderSettings(config({ tenantId: "config-tenant" }), env);
    assert.equal(settings.tenantId, "config-tenant");
    assert.equal(settings.sources.tenantId, "partnercenter:tenantId");
    assert.equal(settings.clientId, "azure-client");
    assert.equal(settings.sources.clientId, "AZURE_CLIENT_ID");
    assert.equal(settings.locale, "fr-FR");

    const fromEnv = resolveProviderSettings(config({}), env);
    assert.equal(fromEnv.tenantId, "env-tenant");
    assert.equal(fromEnv.sources.tenantId, "PARTNERCENTER_TENANT_ID");
  });

  it("treats empty values as unset", () => {
    const settings = resolveProviderSettings(config({ tenantId: "  " }), {
      PARTNERCENTER_TENANT_ID: "",
      AZURE_TENANT_ID: "t",
    });
    assert.equal(settings.tenantId, "t");
  });

  it("builds the authority from the cloud's host, or takes the override", () => {
    assert.equal(
      resolveProviderSettings(config({ tenantId: "contoso.onmicrosoft.com" }), {}).authority,
      "https://login.microsoftonline.com/contoso.onmicrosoft.com",
    );
    const china = resolveProviderSettings(config({ tenantId: "t1", cloud: "china" }), {});
    assert.equal(china.authority, "https://login.chinacloudapi.cn/t1");
    assert.equal(china.endpoint, "https://partner.partnercenterapi.microsoftonline.cn");
    const usgov = resolveProviderSettings(config({ tenantId: "t1", cloud: "USGov" }), {});
    assert.equal(usgov.authority, "https://login.microsoftonline.us/t1");
    assert.equal(usgov.endpoint, "https://api.partnercenter.microsoft.com");
    const emulator = resolveProviderSettings(
      config({ tenantId: "t1", authority: "https://127.0.0.1:8443/t1/", endpoint: "https://127.0.0.1:8443/v1/" }),
      {},
    );
    assert.equal(emulator.authority, "https://127.0.0.1:8443/t1");
    assert.equal(emulator.endpoint, "https://127.0.0.1:8443");
  });

  it("chooses the app credential by source first, then secret > certificate > federated token", () => {
    const both = resolveProviderSettings(config({ clientSecret: SECRET, clientCertificatePath: "/c.pem" }), {});
    assert.equal(both.appCredential, "clientSecret");
    // A stray AZURE_CLIENT_SECRET in CI does not override a configured certificate.
    const mixed = resolveProviderSettings(config({ clientCertificatePath: "/c.pem" }), { AZURE_CLIENT_SECRET: SECRET });
    assert.equal(mixed.appCredential, "clientCertificate");
    const federated = resolveProviderSettings(config({}), { AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" });
    assert.equal(federated.appCredential, "federatedToken");
    assert.equal(federated.federatedTokenFile, "/var/run/token");
  });

  it("describes app, app+user and none without any network", () => {
    const base = { tenantId: "t", clientId: "c" };
    assert.equal(describeCredentials(resolveProviderSettings(config({ ...base, clientSecret: SECRET }), {})), "app");
    assert.equal(
      describeCredentials(
        resolveProviderSettings(config({ ...base, clientSecret: SECRET, refreshToken: REFRESH }), {}),
      ),
      "app+user",
    );
    // A public client (native app) may redeem a refresh token without a secret.
    assert.equal(
      describeCredentials(resolveProviderSettings(config({ ...base, refreshToken: REFRESH }), {})),
      "app+user",
    );
    assert.equal(
      describeCredentials(resolveProviderSettings(config({ clientId: "c", clientSecret: SECRET }), {})),
      "none",
    );
    assert.equal(describeCredentials(resolveProviderSettings(config(base), {})), "none");
  });

  it("rejects invalid values with kind config, naming the key and its source", () => {
    const cloud = catchError(() => resolveProviderSettings(config({}), { PARTNERCENTER_CLOUD: "mars" }));
    assert.equal(cloud.kind, "config");
    assert.match(cloud.message, /PARTNERCENTER_CLOUD must be one of public, china, usgov/);
    const endpoint = catchError(() => resolveProviderSettings(config({ endpoint: "http://example.com" }), {}));
    assert.match(endpoint.message, /partnercenter:endpoint is invalid: .*https/);
    const timeout = catchError(() => resolveProviderSettings(config({ timeoutSeconds: "soon" }), {}));
    assert.match(timeout.message, /partnercenter:timeoutSeconds must be a number/);
    const sandbox = catchError(() => resolveProviderSettings(config({ sandbox: "maybe" }), {}));
    assert.match(sandbox.message, /partnercenter:sandbox must be true or false/);
    const authority = catchError(() => resolveProviderSettings(config({ authority: "login.microsoftonline.com" }), {}));
    assert.match(authority.message, /partnercenter:authority must be an https URL/);
    const password = catchError(() => resolveProviderSettings(config({ clientCertificatePassword: PASSWORD }), {}));
    assert.match(password.message, /clientCertificatePassword is set but no certificate/);
    assert.equal(password.message.includes(PASSWORD), false);
  });

  it("parses numbers and booleans", () => {
    const settings = resolveProviderSettings(
      config({ timeoutSeconds: "30", maxRetryWaitSeconds: "0", sandbox: "TRUE" }),
      {},
    );
    assert.equal(settings.timeoutSeconds, 30);
    assert.equal(settings.maxRetryWaitSeconds, 0);
    assert.equal(settings.sandbox, true);
  });

  it("never shows a secret in JSON, toString, inspect, spread or keys", () => {
    const settings = resolveProviderSettings(
      config({
        tenantId: "t",
        clientId: "c",
        clientSecret: SECRET,
        refreshToken: REFRESH,
        clientCertificate: PEM,
        clientCertificatePassword: PASSWORD,
      }),
      {},
    );
    assert.equal(settings.clientSecret, SECRET, "still readable by code that needs it");
    const views = [
      JSON.stringify(settings),
      String(settings),
      `${settings}`,
      inspect(settings, { depth: 10 }),
      JSON.stringify({ ...settings }),
      Object.keys(settings).join(","),
    ];
    for (const view of views) {
      for (const secret of [SECRET, REFRESH, PASSWORD, "certificate-content"]) {
        assert.equal(view.includes(secret), false, `leaked in ${view}`);
      }
    }
    assert.match(JSON.stringify(settings), /"clientSecret":"\[secret\]"/);
    assert.ok(Object.isFrozen(settings));
  });
});

describe("requireAppUser / requireCredentials", () => {
  it("says what to set for App+User, with the pulumi command and the environment variable", () => {
    const settings = resolveProviderSettings(config({ tenantId: "t", clientId: "c", clientSecret: SECRET }), {});
    const error = catchError(() => requireAppUser(settings, "Creating a customer for an indirect reseller"));
    assert.equal(error.kind, "config");
    assert.equal(
      error.message,
      "Creating a customer for an indirect reseller needs App+User credentials: set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken …) or PARTNERCENTER_REFRESH_TOKEN",
    );
    assert.equal(error.message.includes(SECRET), false);
  });

  it("names missing identity settings too", () => {
    const settings = resolveProviderSettings(config({ refreshToken: REFRESH }), {});
    const error = catchError(() => requireAppUser(settings, "Confirming an agreement"));
    assert.match(error.message, /partnercenter:clientId/);
    assert.match(error.message, /partnercenter:tenantId/);
    assert.equal(error.message.includes(REFRESH), false);
  });

  it("passes when satisfied", () => {
    const user = resolveProviderSettings(config({ tenantId: "t", clientId: "c", refreshToken: REFRESH }), {});
    requireAppUser(user, "x");
    requireCredentials(user, "x");
    const app = resolveProviderSettings(config({ tenantId: "t", clientId: "c" }), { AZURE_CLIENT_SECRET: SECRET });
    requireCredentials(app, "x");
  });

  it("requireCredentials lists the credential options when none is set", () => {
    const settings = resolveProviderSettings(config({ tenantId: "t", clientId: "c" }), {});
    const error = catchError(() => requireCredentials(settings, "Creating customer a.onmicrosoft.com"));
    assert.match(
      error.message,
      /^Creating customer a\.onmicrosoft\.com needs Partner Center credentials: set one credential: partnercenter:clientSecret/,
    );
  });
});

describe("partnercenter:refreshTokenFile", () => {
  const FILE_TOKEN = "0.file-kept-token-do-not-print";
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pc-settings-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const base = { tenantId: "t", clientId: "c", clientSecret: SECRET };

  it("a non-empty file holds the newest token and wins over partnercenter:refreshToken", () => {
    const file = join(dir, "wins");
    writeFileSync(file, `  ${FILE_TOKEN}\n`);
    const settings = resolveProviderSettings(config({ ...base, refreshToken: REFRESH, refreshTokenFile: file }), {});
    assert.equal(settings.refreshToken, FILE_TOKEN, "trimmed file content");
    assert.equal(settings.refreshTokenFile, file);
    assert.equal(settings.sources.refreshToken, "partnercenter:refreshTokenFile");
    assert.equal(describeCredentials(settings), "app+user");
    for (const view of [JSON.stringify(settings), String(settings), inspect(settings, { showHidden: true })]) {
      assert.equal(view.includes(FILE_TOKEN), false, view);
    }
  });

  it("the file alone makes App+User; PARTNERCENTER_REFRESH_TOKEN_FILE is its environment fallback", () => {
    const file = join(dir, "alone");
    writeFileSync(file, FILE_TOKEN);
    const settings = resolveProviderSettings(config(base), { PARTNERCENTER_REFRESH_TOKEN_FILE: file });
    assert.equal(settings.refreshToken, FILE_TOKEN);
    assert.equal(settings.sources.refreshTokenFile, "PARTNERCENTER_REFRESH_TOKEN_FILE");
    assert.equal(settings.sources.refreshToken, "PARTNERCENTER_REFRESH_TOKEN_FILE");
    requireAppUser(settings, "x");
  });

  it("a missing or empty file leaves the configured token (it seeds the file); a relative path is made absolute", () => {
    const empty = join(dir, "empty");
    writeFileSync(empty, " \n");
    for (const file of [join(dir, "missing"), empty]) {
      const settings = resolveProviderSettings(config({ ...base, refreshToken: REFRESH, refreshTokenFile: file }), {});
      assert.equal(settings.refreshToken, REFRESH);
      assert.equal(settings.sources.refreshToken, "partnercenter:refreshToken");
      assert.equal(settings.refreshTokenFile, file);
    }
    const relative = resolveProviderSettings(config({ ...base, refreshTokenFile: "state/token" }), {});
    assert.equal(relative.refreshTokenFile, join(process.cwd(), "state", "token"));
  });

  it("an unreadable path is a config error naming the setting and the path", () => {
    const error = catchError(() => resolveProviderSettings(config({ ...base, refreshTokenFile: dir }), {}));
    assert.equal(error.kind, "config");
    assert.match(error.message, /partnercenter:refreshTokenFile names .* which cannot be read \(EISDIR\)/);
  });

  it("without any token, requireAppUser says the file does not exist yet and is seeded from the configured token", () => {
    const file = join(dir, "not-yet");
    const settings = resolveProviderSettings(config({ ...base, refreshTokenFile: file }), {});
    assert.equal(describeCredentials(settings), "app");
    const error = catchError(() => requireAppUser(settings, "Confirming an agreement"));
    assert.match(error.message, /set partnercenter:refreshToken .* or PARTNERCENTER_REFRESH_TOKEN/);
    assert.ok(error.message.includes(`partnercenter:refreshTokenFile names ${file}, which does not exist or is empty`));
  });
});

import assert from "node:assert/strict";
import { createStaticTokenProvider } from "../../../provider/auth/staticTokenProvider";
import { createPartnerCenterClient } from "../../../provider/connect/createPartnerCenterClient";
import {
  DEFAULT_LOCALE,
  DEFAULT_RETRY_LIMIT,
  DEFAULT_TIMEOUT_MS,
  normalizeEndpoint,
  resolveClientOptions,
} from "../../../provider/foundation/clientOptions";
import { resolveProviderSettings } from "../../../provider/settings/providerSettings";
import { getPackageInfo } from "../../../provider/version";

const tokenProvider = createStaticTokenProvider("t");

describe("resolveClientOptions", () => {
  it("applies the DEFAULT_* constants once", () => {
    const resolved = resolveClientOptions({ tokenProvider });
    assert.equal(resolved.endpoint, "https://api.partnercenter.microsoft.com");
    assert.equal(resolved.apiRoot, "https://api.partnercenter.microsoft.com/v1/");
    assert.equal(resolved.locale, DEFAULT_LOCALE);
    assert.equal(resolved.retry.limit, DEFAULT_RETRY_LIMIT);
    assert.equal(resolved.timeoutMs, DEFAULT_TIMEOUT_MS);
    assert.equal(resolved.applicationName, `pulumi-partnercenter/${getPackageInfo().version}`);
  });

  it("picks the cloud's endpoint, and an explicit endpoint over the cloud", () => {
    assert.equal(
      resolveClientOptions({ tokenProvider, cloud: "china" }).endpoint,
      "https://partner.partnercenterapi.microsoftonline.cn",
    );
    assert.equal(
      resolveClientOptions({ tokenProvider, cloud: "china", endpoint: "https://127.0.0.1:9/" }).endpoint,
      "https://127.0.0.1:9",
    );
  });

  it("normalises and validates endpoints", () => {
    assert.equal(normalizeEndpoint("https://example.test/v1/"), "https://example.test");
    assert.equal(normalizeEndpoint("https://example.test/base"), "https://example.test/base");
    assert.equal(normalizeEndpoint("http://localhost:8080"), "http://localhost:8080");
    assert.throws(() => normalizeEndpoint("http://example.test"), /https/);
    assert.throws(() => normalizeEndpoint("https://u:p@example.test"), /credentials/);
    assert.throws(() => normalizeEndpoint("not a url"), /absolute URL/);
  });

  it("rejects negative numbers and a missing token provider", () => {
    assert.throws(() => resolveClientOptions({ tokenProvider, retry: { limit: -1 } }), /retry\.limit/);
    assert.throws(() => resolveClientOptions({ tokenProvider, timeoutMs: 0 }), /timeoutMs/);
    assert.throws(() => resolveClientOptions({} as never), /tokenProvider/);
  });

  it("createPartnerCenterClient maps settings onto client options; overrides win", () => {
    const settings = resolveProviderSettings(
      (key) =>
        ({ endpoint: "https://127.0.0.1:1", locale: "de-DE", timeoutSeconds: "7", maxRetryWaitSeconds: "3" })[key],
      {},
    );
    const client = createPartnerCenterClient(settings, { tokenProvider, retry: { limit: 1 } });
    assert.equal(client.options.endpoint, "https://127.0.0.1:1");
    assert.equal(client.options.locale, "de-DE");
    assert.equal(client.options.timeoutMs, 7000);
    assert.equal(client.options.retry.maxTotalWaitSeconds, 3);
    assert.equal(client.options.retry.limit, 1);
  });

  it("a client without credentials builds, and fails on first use with a config error", async () => {
    const client = createPartnerCenterClient(resolveProviderSettings(() => undefined, {}));
    await assert.rejects(client.getCustomer("x"), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, "config");
      assert.match(
        error.message,
        /^Getting customer x: no Partner Center credentials are configured: set partnercenter:clientId/,
      );
      return true;
    });
  });
});

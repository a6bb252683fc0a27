import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../../emulator";
import { createStaticTokenProvider } from "../../provider/auth/staticTokenProvider";
import { PartnerCenterClient } from "../../provider/client/partnerCenterClient";
import { isPartnerCenterError, type PartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { getApplicationName } from "../../provider/version";
import { useEmulator } from "../support/emulatorHooks";
import { emulatorClient, resetAuthCaches, usCustomerRequest } from "./clientTestSupport";

function expectError(check: (error: PartnerCenterError) => void) {
  return (error: unknown) => {
    assert.ok(isPartnerCenterError(error), `not a PartnerCenterError: ${String(error)}`);
    check(error);
    return true;
  };
}

describe("PartnerCenterClient: error mapping", () => {
  const emulator = useEmulator({ trustGlobally: true });
  beforeEach(resetAuthCaches);

  it("maps a missing registration number to HTTP 400 code 600049 with a self-describing message", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest("br");
    request.billingProfile.culture = "pt-BR";
    request.billingProfile.language = "pt";
    request.billingProfile.defaultAddress = {
      firstName: "Ana",
      lastName: "Souza",
      addressLine1: "Avenida Paulista 1000",
      city: "Sao Paulo",
      state: "SP",
      postalCode: "01310-100",
      country: "BR",
      phoneNumber: "11987654321",
    };
    await assert.rejects(
      client.createCustomer(request, { correlationId: "c0ffee00-0000-4000-8000-000000000049" }),
      expectError((error) => {
        assert.equal(error.kind, "http");
        assert.equal(error.statusCode, 400);
        assert.equal(error.code, 600049);
        assert.equal(error.correlationId, "c0ffee00-0000-4000-8000-000000000049");
        assert.match(error.requestId ?? "", /^[0-9a-f-]{36}$/);
        assert.ok(
          error.message.startsWith(`Creating customer ${request.companyProfile.domain}: Organization registration id`),
        );
        assert.ok(
          error.message.endsWith(
            `(HTTP 400, code 600049, correlation c0ffee00-0000-4000-8000-000000000049, request ${error.requestId})`,
          ),
          error.message,
        );
      }),
    );
  });

  it("maps a wrong registration number format to 600050 and a taken domain to 409", async () => {
    const client = emulatorClient(emulator());
    const request = usCustomerRequest("pl");
    request.companyProfile.organizationRegistrationNumber = "not-a-number";
    request.billingProfile.culture = "pl-PL";
    request.billingProfile.language = "pl";
    request.billingProfile.defaultAddress = {
      firstName: "Jan",
      lastName: "Kowalski",
      addressLine1: "ul. Marszalkowska 1",
      city: "Warszawa",
      postalCode: "00-001",
      country: "PL",
      phoneNumber: "221234567",
    };
    await assert.rejects(
      client.createCustomer(request),
      expectError((error) => {
        assert.equal(error.code, 600050);
      }),
    );
    const taken = usCustomerRequest();
    emulator().addTakenDomain(taken.companyProfile.domain);
    await assert.rejects(
      client.createCustomer(taken),
      expectError((error) => {
        assert.equal(error.statusCode, 409);
        assert.equal(error.kind, "http");
      }),
    );
  });

  it("explains 900421 (an App+User call without MFA, since April 2026) in words that say what to do", async () => {
    emulator().setMfa(false);
    try {
      const client = emulatorClient(emulator(), { credential: "app+user" });
      await assert.rejects(
        client.createCustomer(usCustomerRequest("mfa")),
        expectError((error) => {
          assert.equal(error.statusCode, 401);
          assert.equal(String(error.code), "900421");
          assert.match(error.message, /multi-factor authentication since 1 April 2026/);
          assert.match(error.message, /McaAcceptance needs no App\+User credentials/);
        }),
      );
    } finally {
      emulator().setMfa(true);
    }
  });

  it("explains 900329 and 13605 where Partner Center answers them", () => {
    const { withErrorAdvice } =
      require("../../provider/foundation/errorAdvice") as typeof import("../../provider/foundation/errorAdvice");
    assert.match(
      withErrorAdvice("This resource doesn't support application-only authentication.", 900329),
      /needs App\+User credentials/,
    );
    assert.match(withErrorAdvice("A partner confirmation … must be provided", "13605"), /declare an McaAcceptance/);
    assert.equal(withErrorAdvice("Something else.", 600049), "Something else.");
  });

  it("reports a body that breaks the wire schema as invalid_response with the field path", async () => {
    const client = emulatorClient(emulator());
    const { id } = await client.createCustomer(usCustomerRequest());
    await emulator().updateCustomer(id, { relationshipToPartner: 42 } as never);
    await assert.rejects(
      client.getCustomer(id),
      expectError((error) => {
        assert.equal(error.kind, "invalid_response");
        assert.equal(error.statusCode, 200);
        assert.match(error.message, /relationshipToPartner/);
      }),
    );
  });

  it("keeps unknown fields and unknown enum values instead of failing", async () => {
    const client = emulatorClient(emulator());
    const { id } = await client.createCustomer(usCustomerRequest());
    await emulator().updateCustomer(id, {
      relationshipToPartner: "future_relationship",
      brandNewField: { x: 1 },
    } as never);
    const customer = await client.getCustomer(id);
    assert.equal(customer.relationshipToPartner, "future_relationship");
    assert.deepEqual((customer as Record<string, unknown>).brandNewField, { x: 1 });
  });

  it("maps a connection refused to kind network without retrying forever", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new PartnerCenterClient({
      endpoint: `http://127.0.0.1:${port}`,
      tokenProvider: createStaticTokenProvider("t"),
      retry: { limit: 2, baseDelayMs: 10 },
    });
    await assert.rejects(
      client.getCustomer("x"),
      expectError((error) => {
        assert.equal(error.kind, "network");
        assert.equal(error.code, "ECONNREFUSED");
        assert.equal(error.attempts, 3);
      }),
    );
  });

  it("an untrusted certificate is kind network, not retried, with the NODE_EXTRA_CA_CERTS hint", async () => {
    // A client that trusts nothing extra: TLS verification is on, so the emulator's private CA is refused.
    const other = await startEmulator({ port: 0 });
    try {
      const client = new PartnerCenterClient({ endpoint: other.url, tokenProvider: createStaticTokenProvider("t") });
      await assert.rejects(
        client.getCustomer("x"),
        expectError((error) => {
          assert.equal(error.kind, "network");
          assert.equal(error.attempts, 1);
          assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
        }),
      );
    } finally {
      await other.close();
    }
  });
});

describe("PartnerCenterClient: request headers", () => {
  it("sends Authorization, MS-RequestId, MS-CorrelationId, X-Locale and MS-PartnerCenter-Application", async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { "content-type": "application/json" });
      // A BOM and PascalCase, as the real service sometimes sends.
      response.end(`\uFEFF${JSON.stringify({ Id: "c1", RelationshipToPartner: "none" })}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new PartnerCenterClient({
        endpoint: `http://127.0.0.1:${port}`,
        tokenProvider: createStaticTokenProvider("token-abc"),
        locale: "de-DE",
      });
      const customer = await client.getCustomer("c1", { requestId: "r-1", correlationId: "c-1" });
      assert.equal(customer.id, "c1");
      await client.createCustomer(usCustomerRequest()).catch(() => undefined);
      const [get, post] = seen;
      assert.equal(get?.authorization, "Bearer token-abc");
      assert.equal(get?.["ms-requestid"], "r-1");
      assert.equal(get?.["ms-correlationid"], "c-1");
      assert.equal(get?.["x-locale"], "de-DE");
      assert.equal(get?.["ms-partnercenter-application"], getApplicationName());
      assert.match(getApplicationName(), /^pulumi-partnercenter\/\d+\.\d+\.\d+/);
      assert.equal(get?.accept, "application/json");
      assert.equal(post?.["content-type"], "application/json");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { createTokenProvider } from "../../provider/connect/createTokenProvider";
import { isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { useEmulator } from "../support/emulatorHooks";
import {
  assertNoLeak,
  emulatorClient,
  emulatorSettings,
  renderings,
  resetAuthCaches,
  usCustomerRequest,
} from "./clientTestSupport";

/**
 * Every failure mode, one client logging every line: no secret, token, password or request-body value may appear in
 * a log line or in any rendering of an error (message, stack, JSON, inspect).
 */
describe("PartnerCenterClient: redaction under every failure mode", () => {
  const emulator = useEmulator({ trustGlobally: true });
  beforeEach(resetAuthCaches);

  it("never shows secrets, tokens, passwords or bodies", async function () {
    this.timeout(30_000);
    const em = emulator();
    const lines: string[] = [];
    const shown: string[] = [];
    const secrets: string[] = [em.credentials.clientSecret, em.credentials.refreshToken];
    const observe = async (promise: Promise<unknown>, expectFailure = true) => {
      try {
        await promise;
        if (expectFailure) assert.fail("expected a failure");
      } catch (error) {
        assert.ok(isPartnerCenterError(error), `not a PartnerCenterError: ${inspect(error)}`);
        shown.push(...renderings(error));
      }
    };

    const client = emulatorClient(em, { credential: "app+user", lines, overrides: { timeoutMs: 300 } });
    const userSettings = emulatorSettings(em, "app+user");

    // Success: the create response carries the admin password; the request carries personal data.
    const request = usCustomerRequest();
    const customer = await client.createCustomer(request);
    const bodyValues = [request.billingProfile.email, request.billingProfile.companyName, "4255550101", "Gena"];
    secrets.push(customer.userCredentials?.password ?? "", await createTokenProvider(userSettings).getAccessToken());

    // 400 with a service description
    em.faults.inject({ method: "POST", path: "/v1/customers", status: 400, code: 3000 });
    await observe(client.createCustomer(usCustomerRequest()));
    // a request rejected before sending (strict schema; the stray password must not be echoed)
    await observe(
      client.createCustomer({
        ...request,
        userCredentials: { userName: "admin", password: "Sneaky-P4ssw0rd!" },
      } as never),
    );
    secrets.push("Sneaky-P4ssw0rd!");
    // 401 twice: rejected token after one refresh
    em.faults.inject({ path: `/v1/customers/${customer.id}`, status: 401, count: 2 });
    await observe(client.getCustomer(customer.id));
    secrets.push(await createTokenProvider(userSettings).getAccessToken());
    // 429 beyond the cap
    em.faults.inject({ path: `/v1/customers/${customer.id}`, status: 429, retryAfterSeconds: 3600 });
    await observe(client.getCustomer(customer.id));
    // 5xx until the retry limit
    em.faults.inject({ path: `/v1/customers/${customer.id}`, status: 503, retryAfterSeconds: 0, count: 10 });
    await observe(client.getCustomer(customer.id));
    em.faults.clear();
    // per-attempt timeout
    em.faults.inject({ path: `/v1/customers/${customer.id}`, latencyMs: 2000, count: 10 });
    await observe(client.getCustomer(customer.id));
    em.faults.clear();
    // dropped connections
    em.faults.inject({ path: `/v1/customers/${customer.id}`, mode: "reset", count: 10 });
    await observe(client.getCustomer(customer.id));
    em.faults.clear();
    // invalid response
    await em.updateCustomer(customer.id, { relationshipToPartner: 42 } as never);
    await observe(client.getCustomer(customer.id));
    // rejected refresh token (invalid_grant)
    resetAuthCaches();
    em.revokeRefreshTokens();
    await observe(client.getCustomer(customer.id));
    // rejected client secret (invalid_client)
    const wrongSecret = "Wr0ng-client-secret-value";
    secrets.push(wrongSecret);
    await observe(emulatorClient(em, { lines, settings: { clientSecret: wrongSecret } }).getCustomer(customer.id));

    assert.ok(lines.length >= 10, `only ${lines.length} log lines`);
    assert.ok(shown.length >= 40);
    assertNoLeak([...lines, ...shown], [...secrets, ...bodyValues]);
    for (const text of [...lines, ...shown]) {
      assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/, "no JWT anywhere");
      assert.doesNotMatch(text, /Bearer [A-Za-z0-9]/, "no bearer value anywhere");
    }
    // The ids that support needs are all there.
    assert.ok(shown.some((text) => /correlation [0-9a-f-]{36}, request [0-9a-f-]{36}/.test(text)));
    assert.ok(lines.every((line) => /request [0-9a-f-]{36}/.test(line)));
  });
});

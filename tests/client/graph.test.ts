/**
 * The Microsoft Graph client (issue 20) against the emulator over HTTPS with real MSAL: App-only Graph tokens from
 * the same app credential, Graph's error body read into the one error type (status, Graph's code, Graph's
 * `request-id` as the correlation), `client-request-id` sent, and the Partner Center token refused by Graph.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createGraphClient } from "../../provider/connect/createGraphClient";
import { isPartnerCenterError, type PartnerCenterError } from "../../provider/foundation/partnerCenterError";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { emulatorRequest, getAppToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import { emulatorSettings } from "./clientTestSupport";

describe("Graph client (GDAP) against the emulator", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ trustGlobally: true });
  const graph = () =>
    createGraphClient(emulatorSettings(emulator(), "app", { graphEndpoint: emulator().url }), {
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    });

  async function customerTenant(): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: { ...usCustomerBody("graph"), enableGDAPByDefault: false },
    });
    return response.body.companyProfile.tenantId;
  }

  it("creates, locks, lists by name and customer, and reads a relationship with App-only Graph tokens", async () => {
    const tenantId = await customerTenant();
    const client = graph();
    const name = `graph-${randomUUID().slice(0, 8)}`;
    const made = await client.createRelationship({
      displayName: name,
      duration: "P30D",
      customer: { tenantId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Global Reader"]! }] },
    });
    assert.equal(made.status, "created");
    assert.ok(made["@odata.etag"], "Graph's ETag is read");
    await client.requestRelationshipAction(made.id, "lockForApproval");
    assert.equal((await client.getRelationship(made.id)).status, "approvalPending");
    assert.deepEqual(
      (await client.listRelationships({ displayName: name })).map((r) => r.id),
      [made.id],
    );
    assert.deepEqual(
      (await client.listRelationships({ customerTenantId: tenantId })).map((r) => r.id),
      [made.id],
    );
    const posts = emulator()
      .requests()
      .filter((r) => r.method === "POST" && r.path.startsWith("/v1.0/tenantRelationships"));
    assert.ok(posts.length >= 2 && posts.every((r) => r.tokenKind === "app"), "App-only");
  });

  it("reads Graph's error body into the one error type: status, Graph's code, request-id as the correlation", async () => {
    await assert.rejects(graph().getRelationship("no-such-relationship"), (error: unknown) => {
      assert.ok(isPartnerCenterError(error));
      const failure = error as PartnerCenterError;
      assert.equal(failure.kind, "http");
      assert.equal(failure.statusCode, 404);
      assert.equal(failure.code, "NotFound");
      assert.match(failure.message, /Reading GDAP relationship no-such-relationship/);
      assert.ok(failure.correlationId && failure.correlationId !== failure.requestId, "Graph's own request-id");
      return true;
    });
  });

  it("a Partner Center token is refused by Graph as an auth error naming Microsoft Graph", async () => {
    const token = await getAppToken(emulator());
    const answer = await emulatorRequest(emulator(), "GET", "/v1.0/tenantRelationships/delegatedAdminRelationships", {
      token,
    });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, "InvalidAuthenticationToken");
  });

  it("a refresh token alone cannot call Graph: the first call fails naming the application credential to set, nothing sent", async () => {
    const settings = emulatorSettings(emulator(), "app+user", {
      clientSecret: undefined,
      graphEndpoint: emulator().url,
    });
    const before = emulator().requests().length;
    await assert.rejects(createGraphClient(settings).getRelationship("x"), (error: unknown) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, /DelegatedAdminRelationship\.ReadWrite\.All/);
      assert.match(error.message, /partnercenter:clientSecret/);
      return true;
    });
    assert.deepEqual(emulator().requests().slice(before), [], "nothing sent, not even a token request");
  });

  it("explains Graph's Authorization_RequestDenied with the permission to grant", () => {
    const { withErrorAdvice } =
      require("../../provider/foundation/errorAdvice") as typeof import("../../provider/foundation/errorAdvice");
    assert.match(
      withErrorAdvice("Insufficient privileges to complete the operation.", "Authorization_RequestDenied"),
      /DelegatedAdminRelationship\.ReadWrite\.All/,
    );
  });
});

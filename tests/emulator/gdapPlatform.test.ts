/**
 * What surrounds the emulator's Graph GDAP routes (issue 20): Graph tokens from every credential of the same app and
 * the separation of the two audiences, the request pipeline on `/v1.0` (request log, faults, its own rate limit, no
 * `MS-RequestId` replay, no BOM), the Default GDAP relationship a customer create makes, the controls and admin routes
 * for the customer's side, the state file, and the approval page's answers for links it cannot act on.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfidentialClientApplication, type Configuration, ServerError } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { createClientCertificate, type EmulatorHandle, type EmulatorOptions, startEmulator } from "../../emulator";
import {
  DEFAULT_GDAP_ROLE_NAMES,
  DEFAULT_GDAP_ROLE_NAMES_INDIRECT_RESELLER,
  ENTRA_ROLES,
} from "../../provider/schemas/entraRoles";
import {
  approvalLink,
  DEFAULT_RELATIONSHIP_PREFIX,
  GraphErrorBodySchema,
  graphCollectionSchema,
  RelationshipSchema,
} from "../../provider/schemas/gdap";
import { approveGdapInBrowser } from "../support/browser";
import {
  type EmulatorResponse,
  emulatorRequest,
  getAppToken,
  partnerCenterHeaders,
  usCustomerBody,
} from "../support/emulatorClient";
import { trustCertificateGlobally, useEmulator } from "../support/emulatorHooks";

const BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const roleIds = (names: readonly string[]) => names.map((name) => ENTRA_ROLES[name]);

/** An MSAL client of the emulator's demo app with the given credential. */
function msal(handle: EmulatorHandle, auth: Partial<Configuration["auth"]>): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: handle.credentials.clientId,
      authority: handle.authority,
      knownAuthorities: [handle.knownAuthority],
      ...auth,
    },
  });
}

/**
 * Runs `body` against an extra emulator whose CA MSAL's default network client trusts for the duration (TLS checks
 * stay on), then closes it.
 */
async function withEmulator(options: EmulatorOptions, body: (handle: EmulatorHandle) => Promise<void>): Promise<void> {
  const handle = await startEmulator({ port: 0, ...options });
  const untrust = trustCertificateGlobally(handle.caCertificatePem);
  try {
    await body(handle);
  } finally {
    untrust();
    await handle.close();
  }
}

/** A Graph token for the demo app's client secret, from MSAL. */
async function graphToken(handle: EmulatorHandle): Promise<string> {
  const result = await msal(handle, { clientSecret: handle.credentials.clientSecret }).acquireTokenByClientCredential({
    scopes: [handle.graphScope],
  });
  assert.ok(result?.accessToken);
  return result.accessToken;
}

/** Creates a customer through Partner Center; `gdap` is sent as `enableGDAPByDefault` unless undefined. */
async function createCustomer(
  handle: EmulatorHandle,
  gdap: boolean | undefined,
  headers: Record<string, string> = {},
): Promise<EmulatorResponse> {
  const body = usCustomerBody("dflt");
  return emulatorRequest(handle, "POST", "/v1/customers", {
    token: await getAppToken(handle),
    headers,
    json: gdap === undefined ? body : { ...body, enableGDAPByDefault: gdap },
  });
}

/** The Graph list of a customer's relationships. */
async function relationshipsOf(handle: EmulatorHandle, customerId: string) {
  const response = await emulatorRequest(
    handle,
    "GET",
    `${BASE}?$filter=${encodeURIComponent(`customer/tenantId eq '${customerId}'`)}`,
    { token: await graphToken(handle) },
  );
  assert.equal(response.status, 200, response.text);
  return graphCollectionSchema(RelationshipSchema).parse(response.body).value;
}

describe("emulator: Graph GDAP platform", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ trustGlobally: true });

  async function graph(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) {
    return emulatorRequest(emulator(), method, `${BASE}${path}`, {
      token: options.token ?? (await graphToken(emulator())),
      json: options.json,
      headers: options.headers,
    });
  }

  async function newRelationship(customerId: string, displayName = `Rel ${randomUUID().slice(0, 8)}`) {
    const response = await graph("POST", "", {
      json: {
        displayName,
        duration: "P90D",
        customer: { tenantId: customerId },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Global Reader"] }] },
      },
    });
    assert.equal(response.status, 201, response.text);
    return RelationshipSchema.parse(response.body);
  }

  async function customerId(): Promise<string> {
    const response = await createCustomer(emulator(), false);
    assert.equal(response.status, 201, response.text);
    return response.body.id;
  }

  describe("tokens and audiences", () => {
    it("issues App-only Graph tokens for the secret, a certificate and a federated assertion of the same app", async () => {
      const certificate = await createClientCertificate();
      await emulator().registerClientCertificate(certificate.certificatePem);
      const credentials: Array<Partial<Configuration["auth"]>> = [
        { clientSecret: emulator().credentials.clientSecret },
        {
          clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKeyPem },
        },
        { clientAssertion: await emulator().issueFederatedToken() },
      ];
      const id = await customerId();
      for (const auth of credentials) {
        const result = await msal(emulator(), auth).acquireTokenByClientCredential({ scopes: [emulator().graphScope] });
        const claims = decodeJwt(result?.accessToken ?? "");
        assert.equal(claims.aud, "https://graph.microsoft.com");
        assert.equal(claims.idtyp, "app");
        assert.deepEqual(claims.roles, ["DelegatedAdminRelationship.ReadWrite.All"]);
        assert.equal(claims.tid, emulator().tenantId);
        const listed = await graph("GET", "", { token: result?.accessToken });
        assert.equal(listed.status, 200, listed.text);
      }
      await newRelationship(id);
      assert.ok(
        emulator()
          .requests()
          .filter((entry) => entry.path.startsWith("/v1.0/"))
          .every((entry) => entry.tokenKind === "app"),
      );
    });

    it("keeps the audiences apart: Graph tokens fail on Partner Center routes, Partner Center tokens on Graph routes", async () => {
      const graphAccess = await graphToken(emulator());
      const onPartnerCenter = await emulatorRequest(emulator(), "GET", "/v1/customers", { token: graphAccess });
      assert.equal(onPartnerCenter.status, 401);
      assert.equal(onPartnerCenter.body.code, 400, "Partner Center's own body");
      assert.match(onPartnerCenter.body.description, /audience/);

      const partnerCenterAccess = await getAppToken(emulator());
      const clientRequestId = randomUUID();
      const onGraph = await graph("GET", "", {
        token: partnerCenterAccess,
        headers: { "client-request-id": clientRequestId },
      });
      assert.equal(onGraph.status, 401);
      const body = GraphErrorBodySchema.parse(onGraph.body);
      assert.equal(body.error?.code, "InvalidAuthenticationToken");
      assert.equal(body.error?.message, "Access token validation failure. Invalid audience.");
      assert.equal(body.error?.innerError?.["client-request-id"], clientRequestId);
      assert.equal(body.error?.innerError?.["request-id"], onGraph.headers["request-id"]);
      assert.match(String(onGraph.headers["www-authenticate"]), /^Bearer /);

      const none = await emulatorRequest(emulator(), "GET", BASE);
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, "InvalidAuthenticationToken");
      assert.equal(none.body.error.message, "Access token is empty.");
      const garbage = await graph("GET", "", { token: "not-a-jwt" });
      assert.equal(garbage.status, 401);
      assert.equal(garbage.body.error.code, "InvalidAuthenticationToken");
      // No route acted for a refused token.
      assert.equal(emulator().state().gdap.relationships.length, 0);
    });

    it("issues Graph tokens App-only: a refresh-token grant for Graph is refused", async () => {
      const app = msal(emulator(), { clientSecret: emulator().credentials.clientSecret });
      await assert.rejects(
        app.acquireTokenByRefreshToken({
          refreshToken: emulator().credentials.refreshToken,
          scopes: [emulator().graphScope],
        }),
        (error) => {
          assert.ok(error instanceof ServerError);
          assert.equal(error.errorCode, "invalid_grant");
          return true;
        },
      );
    });
  });

  describe("request pipeline on /v1.0", () => {
    it("logs Graph requests with their client-request-id; faults answer with Graph's body", async () => {
      const id = await customerId();
      emulator().faults.inject({ path: "/v1.0/", status: 503 });
      const clientRequestId = randomUUID();
      const failed = await graph("GET", "", { headers: { "client-request-id": clientRequestId } });
      assert.equal(failed.status, 503);
      assert.equal(failed.body.error.code, "ServiceUnavailable");
      assert.equal(failed.headers["retry-after"], "1");
      assert.equal(failed.headers["client-request-id"], clientRequestId);
      const entry = emulator()
        .requests()
        .find((logged) => logged.requestId === clientRequestId);
      assert.deepEqual([entry?.method, entry?.path, entry?.status, entry?.fault], ["GET", BASE, 503, "respond"]);

      // A fault bound to one client-request-id: a retry of that operation fails again, others pass.
      emulator().faults.inject({ path: "/v1.0/", status: 500, requestId: clientRequestId, count: 1 });
      assert.equal((await graph("GET", "")).status, 200);
      assert.equal((await graph("GET", "", { headers: { "client-request-id": clientRequestId } })).status, 500);

      const before = emulator().requests().length;
      await newRelationship(id);
      const logged = emulator().requests().slice(before);
      assert.ok(
        logged.some((e) => e.method === "POST" && e.path === BASE && e.status === 201 && e.tokenKind === "app"),
      );
    });

    it("throttles Graph on its own budget, with Graph's body and Retry-After", async () => {
      emulator().setRateLimit(2);
      try {
        assert.equal((await graph("GET", "")).status, 200);
        assert.equal((await graph("GET", "")).status, 200);
        const throttled = await graph("GET", "");
        assert.equal(throttled.status, 429);
        assert.equal(throttled.body.error.code, "TooManyRequests");
        assert.match(String(throttled.headers["retry-after"]), /^\d+$/);
        const partnerCenter = await emulatorRequest(emulator(), "GET", "/v1/customers", {
          token: await getAppToken(emulator()),
        });
        assert.equal(partnerCenter.status, 200, "Partner Center's budget is untouched by Graph calls");
      } finally {
        emulator().setRateLimit(undefined);
      }
    });

    it("replays nothing by request id: Graph has no MS-RequestId idempotency", async () => {
      const id = await customerId();
      const requestId = randomUUID();
      const body = {
        displayName: "Once only",
        duration: "P30D",
        customer: { tenantId: id },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Global Reader"] }] },
      };
      const headers = { "MS-RequestId": requestId, "client-request-id": requestId };
      assert.equal((await graph("POST", "", { json: body, headers })).status, 201);
      const again = await graph("POST", "", { json: body, headers });
      assert.equal(again.status, 409, "acted again (and refused the duplicate name) rather than replaying the 201");
      assert.ok(
        !emulator()
          .requests()
          .some((entry) => entry.replayed),
      );
    });

    it("never prefixes Graph answers with a BOM, even when Partner Center's get one", async () => {
      await withEmulator({ bom: true }, async (withBom) => {
        const partnerCenter = await emulatorRequest(withBom, "GET", "/v1/customers", {
          token: await getAppToken(withBom),
        });
        assert.ok(partnerCenter.text.startsWith("\uFEFF"));
        const graphList = await emulatorRequest(withBom, "GET", BASE, { token: await graphToken(withBom) });
        assert.equal(graphList.status, 200);
        assert.ok(!graphList.text.startsWith("\uFEFF"));
        const graphError = await emulatorRequest(withBom, "GET", `${BASE}/nothing`, {
          token: await graphToken(withBom),
        });
        assert.equal(graphError.status, 404);
        assert.ok(!graphError.text.startsWith("\uFEFF"));
      });
    });
  });

  describe("Default GDAP", () => {
    it("a create with enableGDAPByDefault true makes an active Default_ relationship with the Default GDAP roles", async () => {
      const created = await createCustomer(emulator(), true);
      assert.equal(created.status, 201, created.text);
      const relationships = await relationshipsOf(emulator(), created.body.id);
      assert.equal(relationships.length, 1);
      const [relationship] = relationships;
      const prefix = String(created.body.companyProfile.domain).split(".")[0];
      assert.equal(relationship?.displayName, `${DEFAULT_RELATIONSHIP_PREFIX}${prefix}`);
      assert.equal(relationship?.status, "active", "auto-approved: no customer action");
      assert.equal(relationship?.duration, "P730D");
      assert.equal(relationship?.autoExtendDuration, "PT0S");
      assert.ok(relationship?.activatedDateTime && relationship.endDateTime);
      assert.deepEqual(relationship?.customer, { tenantId: created.body.id, displayName: "Wingtip Toys" });
      assert.deepEqual(
        relationship?.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId),
        roleIds(DEFAULT_GDAP_ROLE_NAMES),
      );
      // Access can be assigned on it at once.
      const assigned = await graph("POST", `/${relationship?.id}/accessAssignments`, {
        json: {
          accessContainer: { accessContainerId: randomUUID(), accessContainerType: "securityGroup" },
          accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Helpdesk Administrator"] }] },
        },
      });
      assert.equal(assigned.status, 201, assigned.text);
    });

    it("an omitted enableGDAPByDefault makes one too; false makes none; a replayed create makes no second", async () => {
      const omitted = await createCustomer(emulator(), undefined);
      assert.equal((await relationshipsOf(emulator(), omitted.body.id)).length, 1);
      const refused = await createCustomer(emulator(), false);
      assert.deepEqual(await relationshipsOf(emulator(), refused.body.id), []);

      const headers = partnerCenterHeaders();
      const first = await createCustomer(emulator(), true, headers);
      const replay = await createCustomer(emulator(), true, headers);
      assert.equal(replay.body.id, first.body.id, "the same create, replayed");
      assert.equal((await relationshipsOf(emulator(), first.body.id)).length, 1);
      assert.equal(emulator().state().gdap.relationships.length, 2);
    });

    it("an Indirect Reseller partner's Default GDAP leaves out the two application administrator roles", async () => {
      await withEmulator({ partnerType: "indirectReseller" }, async (reseller) => {
        const created = await createCustomer(reseller, true);
        const [relationship] = await relationshipsOf(reseller, created.body.id);
        const ids = relationship?.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId);
        assert.deepEqual(ids, roleIds(DEFAULT_GDAP_ROLE_NAMES_INDIRECT_RESELLER));
        assert.equal(ids?.length, 9);
        assert.ok(!ids?.includes(ENTRA_ROLES["Application Administrator"] ?? "missing"));
      });
    });
  });

  describe("controls, admin routes and the state file", () => {
    async function admin(method: string, path: string): Promise<EmulatorResponse> {
      return emulatorRequest(emulator(), method, `/_emulator${path}`);
    }

    it("approve and expire through /_emulator/gdap-relationships; reset forgets every relationship", async () => {
      const id = await customerId();
      const relationship = await newRelationship(id);
      const unknown = await admin("POST", `/gdap-relationships/${randomUUID()}-${randomUUID()}/approve`);
      assert.equal(unknown.status, 404);
      const early = await admin("POST", `/gdap-relationships/${relationship.id}/approve`);
      assert.equal(early.status, 409, "not locked for approval yet");
      assert.equal(early.body.status, "created");
      assert.equal(
        (await graph("POST", `/${relationship.id}/requests`, { json: { action: "lockForApproval" } })).status,
        201,
      );
      assert.equal((await admin("POST", `/gdap-relationships/${relationship.id}/approve`)).status, 204);
      const listed = await admin("GET", "/gdap-relationships");
      assert.equal(listed.body.relationships[0].status, "active");
      assert.equal((await admin("POST", `/gdap-relationships/${relationship.id}/expire`)).status, 204);
      assert.equal((await admin("POST", `/gdap-relationships/${relationship.id}/expire`)).status, 409);
      const state = await admin("GET", "/state");
      assert.equal(state.body.gdap.relationships[0].status, "expired");
      // Requests to the admin routes are not Graph's: not in the request log.
      assert.ok(
        !emulator()
          .requests()
          .some((entry) => entry.path.startsWith("/_emulator")),
      );

      await emulator().reset();
      assert.deepEqual(emulator().state().gdap, {
        relationships: [],
        requests: [],
        accessAssignments: [],
        operations: [],
      });
    });

    it("a state file keeps relationships, their requests and assignments across a restart, ETags included", async () => {
      const directory = await mkdtemp(join(tmpdir(), "pc-gdap-state-"));
      const stateFile = join(directory, "state.json");
      let first: EmulatorHandle | undefined;
      let second: EmulatorHandle | undefined;
      let untrust: (() => void) | undefined;
      try {
        first = await startEmulator({ port: 0, stateFile });
        // Both processes serve with the CA the state file keeps.
        untrust = trustCertificateGlobally(first.caCertificatePem);
        const customer = await createCustomer(first, true);
        const token = await graphToken(first);
        const created = await emulatorRequest(first, "POST", BASE, {
          token,
          json: {
            displayName: "Persisted",
            duration: "P60D",
            customer: { tenantId: customer.body.id },
            accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Global Reader"] }] },
          },
        });
        const id = created.body.id;
        await emulatorRequest(first, "POST", `${BASE}/${id}/requests`, { token, json: { action: "lockForApproval" } });
        assert.ok(await first.approveGdapRelationship(id));
        const assigned = await emulatorRequest(first, "POST", `${BASE}/${id}/accessAssignments`, {
          token,
          json: {
            accessContainer: { accessContainerId: randomUUID(), accessContainerType: "securityGroup" },
            accessDetails: { unifiedRoles: [{ roleDefinitionId: ENTRA_ROLES["Global Reader"] }] },
          },
        });
        assert.equal(assigned.status, 201);
        const before = await emulatorRequest(first, "GET", `${BASE}/${id}`, { token });
        const onDisk = JSON.parse(await readFile(stateFile, "utf8"));
        assert.equal(onDisk.gdap.relationships.length, 2, "the Default GDAP one and the persisted one");
        assert.equal(onDisk.gdap.accessAssignments.length, 1);
        const stateBefore = first.state();
        await first.close();

        second = await startEmulator({ port: 0, stateFile });
        assert.deepEqual(second.state().gdap, stateBefore.gdap);
        // The old Graph token still works against the new process (same keys), and the relationship is unchanged.
        const after = await emulatorRequest(second, "GET", `${BASE}/${id}`, { token });
        assert.equal(after.status, 200);
        assert.deepEqual(after.body, { ...before.body, "@odata.context": after.body["@odata.context"] });
        const assignments = await emulatorRequest(second, "GET", `${BASE}/${id}/accessAssignments`, { token });
        assert.equal(assignments.body.value.length, 1);
        assert.equal(assignments.body.value[0].status, "active");
      } finally {
        untrust?.();
        await first?.close();
        await second?.close();
        await rm(directory, { recursive: true, force: true });
      }
    });
  });

  describe("the approval page", () => {
    it("says what it cannot act on, offers no button, and renders names as text", async () => {
      const unknown = await approveGdapInBrowser(approvalLink(emulator().url, `${randomUUID()}-${randomUUID()}`));
      assert.equal(unknown.approved, false);
      assert.match(unknown.status, /no partner relationship request with this ID/);
      const bare = await approveGdapInBrowser(`${emulator().url}/AdminPortal/Home`);
      assert.match(bare.status, /names no partner relationship request/);

      const id = await customerId();
      const markup = await newRelationship(id, `<b>Ops</b> & "team" <img src=x>`);
      const notLocked = await approveGdapInBrowser(approvalLink(emulator().url, markup.id));
      assert.equal(notLocked.approved, false);
      assert.match(notLocked.status, /has not sent this request for approval/);
      assert.ok(notLocked.details.includes(`<b>Ops</b> & "team" <img src=x>`), "the name as text, not markup");
      assert.deepEqual(notLocked.roles, ["Global Reader"]);

      assert.equal(
        (await graph("POST", `/${markup.id}/requests`, { json: { action: "lockForApproval" } })).status,
        201,
      );
      assert.ok(await emulator().expireGdapRelationship(markup.id));
      const expired = await approveGdapInBrowser(approvalLink(emulator().url, markup.id));
      assert.equal(expired.approved, false);
      assert.match(expired.status, /expired/);

      const summary = await emulatorRequest(emulator(), "POST", `/AdminPortal/api/gdap/${markup.id}/approve`);
      assert.equal(summary.status, 409, "the page's endpoint refuses too");
      assert.equal((await graph("GET", `/${markup.id}`)).body.status, "expired");
    });
  });
});

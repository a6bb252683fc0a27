/**
 * The emulator's Microsoft Graph GDAP API (issue 20) over HTTPS with real MSAL Graph tokens: a relationship's whole
 * lifecycle — created, locked for approval, approved by the customer on the approval page in headless Chromium,
 * access assigned, roles changed, assignment removed, terminated — and every refusal of the relationship, request and
 * access-assignment routes, plus `$filter`, `$top` and `@odata.nextLink` paging. Answers are parsed with the
 * provider's own schemas (`provider/schemas/gdap.ts`), so a drift between what the emulator sends and what the
 * provider reads fails here.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { ConfidentialClientApplication } from "@azure/msal-node";
import type { EmulatorHandle } from "../../emulator";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import {
  AccessAssignmentSchema,
  approvalLink,
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  GraphErrorBodySchema,
  graphCollectionSchema,
  RelationshipActionSchema,
  RelationshipSchema,
} from "../../provider/schemas/gdap";
import { approveGdapInBrowser } from "../support/browser";
import { type EmulatorResponse, emulatorRequest, getAppToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";

const BASE = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const role = (name: string) => {
  const id = ENTRA_ROLES[name];
  assert.ok(id, name);
  return { roleDefinitionId: id };
};
const roles = (...names: string[]) => ({ unifiedRoles: names.map(role) });

describe("emulator: Microsoft Graph GDAP relationships", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ trustGlobally: true });
  const tokens = new WeakMap<EmulatorHandle, Promise<string>>();

  /** A Graph token from unmodified MSAL (client secret, `https://graph.microsoft.com/.default`), once per emulator. */
  function graphToken(): Promise<string> {
    const handle = emulator();
    let token = tokens.get(handle);
    if (!token) {
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: handle.credentials.clientId,
          clientSecret: handle.credentials.clientSecret,
          authority: handle.authority,
          knownAuthorities: [handle.knownAuthority],
        },
      });
      token = app.acquireTokenByClientCredential({ scopes: [handle.graphScope] }).then((result) => {
        assert.ok(result?.accessToken);
        return result.accessToken;
      });
      tokens.set(handle, token);
    }
    return token;
  }

  async function graph(
    method: string,
    path: string,
    options: { json?: unknown; ifMatch?: string; headers?: Record<string, string> } = {},
  ): Promise<EmulatorResponse> {
    return emulatorRequest(emulator(), method, `${BASE}${path}`, {
      token: await graphToken(),
      json: options.json,
      headers: { ...(options.ifMatch === undefined ? {} : { "If-Match": options.ifMatch }), ...options.headers },
    });
  }

  /** Asserts a Graph error answer: status, Graph's body shape (parsed by the provider's schema) and code. */
  function assertGraphError(response: EmulatorResponse, status: number, code: string): void {
    assert.equal(response.status, status, response.text);
    const body = GraphErrorBodySchema.parse(response.body);
    assert.equal(body.error?.code, code);
    assert.ok(body.error?.message);
    assert.match(body.error?.innerError?.["request-id"] ?? "", GUID);
    assert.match(body.error?.innerError?.date ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(response.headers["request-id"], body.error?.innerError?.["request-id"]);
  }

  async function newCustomer(): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: { ...usCustomerBody("gdap"), enableGDAPByDefault: false },
    });
    assert.equal(response.status, 201, response.text);
    return response.body.id;
  }

  const relationshipBody = (customerId: string, overrides: Record<string, unknown> = {}) => ({
    displayName: `Contoso helpdesk ${randomUUID().slice(0, 8)}`,
    duration: "P180D",
    customer: { tenantId: customerId },
    accessDetails: roles("Global Reader", "Helpdesk Administrator", "User Administrator"),
    ...overrides,
  });

  async function newRelationship(customerId: string, overrides: Record<string, unknown> = {}) {
    const response = await graph("POST", "", { json: relationshipBody(customerId, overrides) });
    assert.equal(response.status, 201, response.text);
    return RelationshipSchema.parse(response.body);
  }

  async function read(id: string) {
    const response = await graph("GET", `/${id}`);
    assert.equal(response.status, 200, response.text);
    return RelationshipSchema.parse(response.body);
  }

  async function act(id: string, action: string): Promise<EmulatorResponse> {
    return graph("POST", `/${id}/requests`, { json: { action } });
  }

  async function activeRelationship(customerId: string, overrides: Record<string, unknown> = {}) {
    const created = await newRelationship(customerId, overrides);
    assert.equal((await act(created.id, "lockForApproval")).status, 201);
    assert.ok(await emulator().approveGdapRelationship(created.id));
    return read(created.id);
  }

  describe("lifecycle", () => {
    it("create → lock → approve on the page in a real browser → assign → change roles → unassign → terminate", async () => {
      const customerId = await newCustomer();
      const clientRequestId = randomUUID();
      const createdResponse = await graph("POST", "", {
        json: relationshipBody(customerId, { displayName: "Contoso helpdesk" }),
        headers: { "client-request-id": clientRequestId },
      });
      assert.equal(createdResponse.status, 201, createdResponse.text);
      assert.equal(createdResponse.headers["client-request-id"], clientRequestId, "client-request-id echoed");
      assert.match(String(createdResponse.headers["request-id"]), GUID);
      assert.equal(createdResponse.headers["ms-requestid"], undefined, "no Partner Center headers on Graph");
      assert.ok(!createdResponse.text.startsWith("\uFEFF"));
      assert.match(String(createdResponse.headers["content-type"]), /^application\/json;odata\.metadata=minimal/);
      const created = RelationshipSchema.parse(createdResponse.body);
      assert.match(created.id, /^[0-9a-f-]{36}-[0-9a-f-]{36}$/, "Graph's {guid}-{guid} ids");
      assert.equal(created.status, "created");
      assert.equal(created.autoExtendDuration, "PT0S", "Graph's default");
      assert.equal(created.customer?.tenantId, customerId);
      assert.equal(created.customer?.displayName, "Wingtip Toys", "the tenant's name, from the customer");
      assert.match(created["@odata.etag"] ?? "", /^W\/"[A-Za-z0-9+/=]+"$/);
      assert.equal(createdResponse.headers.etag, created["@odata.etag"]);
      assert.equal(createdResponse.headers.location, `${emulator().url}${BASE}/${created.id}`);
      assert.equal(created.activatedDateTime, null);
      assert.ok(created.createdDateTime && created.createdDateTime === created.lastModifiedDateTime);

      const lock = await act(created.id, "lockForApproval");
      assert.equal(lock.status, 201, lock.text);
      const request = RelationshipActionSchema.parse(lock.body);
      assert.deepEqual([request.action, request.status], ["lockForApproval", "created"]);
      assert.match(request.id, GUID);
      const pending = await read(created.id);
      assert.equal(pending.status, "approvalPending");
      assert.notEqual(pending["@odata.etag"], created["@odata.etag"], "a new ETag with the change");

      const outcome = await approveGdapInBrowser(approvalLink(emulator().url, created.id));
      assert.equal(outcome.title, "Partner relationship request");
      assert.ok(outcome.approved, outcome.status);
      assert.match(outcome.status, /^Approved: the relationship is active/);
      assert.deepEqual(outcome.roles, ["Global Reader", "Helpdesk Administrator", "User Administrator"]);
      assert.match(outcome.details, /Wingtip Toys/);
      assert.match(outcome.details, /Contoso helpdesk/);
      assert.match(outcome.details, /180 days/);
      assert.match(outcome.details, /partneremulator\.onmicrosoft\.com/);

      const active = await read(created.id);
      assert.equal(active.status, "active");
      assert.ok(active.activatedDateTime);
      assert.equal(
        Date.parse(active.endDateTime ?? "") - Date.parse(active.activatedDateTime),
        180 * 24 * 60 * 60 * 1000,
        "ends its duration after activation",
      );

      const group = randomUUID();
      const assigned = await graph("POST", `/${created.id}/accessAssignments`, {
        json: {
          accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
          accessDetails: roles("Global Reader"),
        },
      });
      assert.equal(assigned.status, 201, assigned.text);
      const assignment = AccessAssignmentSchema.parse(assigned.body);
      assert.equal(assignment.status, "pending");
      assert.equal(
        assigned.headers.location,
        `${emulator().url}${BASE}/${created.id}/accessAssignments/${assignment.id}`,
      );
      const readAssignment = async () => {
        const response = await graph("GET", `/${created.id}/accessAssignments/${assignment.id}`);
        assert.equal(response.status, 200, response.text);
        return AccessAssignmentSchema.parse(response.body);
      };
      const activeAssignment = await readAssignment();
      assert.equal(activeAssignment.status, "active", "pending once, then active on the next read");
      assert.equal(activeAssignment.accessContainer.accessContainerId, group);

      const patched = await graph("PATCH", `/${created.id}/accessAssignments/${assignment.id}`, {
        json: { accessDetails: roles("Global Reader", "Helpdesk Administrator") },
        ifMatch: activeAssignment["@odata.etag"] ?? "",
      });
      assert.equal(patched.status, 202, patched.text);
      assert.equal(patched.headers["retry-after"], "1");
      const operationUrl = String(patched.headers.location);
      assert.ok(operationUrl.startsWith(`${emulator().url}${BASE}/${created.id}/operations/`), operationUrl);
      const operation = await emulatorRequest(emulator(), "GET", operationUrl, { token: await graphToken() });
      assert.equal(operation.status, 200, operation.text);
      assert.equal(operation.body.status, "succeeded");
      assert.equal(operation.body.operationType, "delegatedAdminAccessAssignmentUpdate");
      const changed = await readAssignment();
      assert.deepEqual(changed.accessDetails, roles("Global Reader", "Helpdesk Administrator"));
      assert.notEqual(changed["@odata.etag"], activeAssignment["@odata.etag"], "a new ETag with the change");

      const removed = await graph("DELETE", `/${created.id}/accessAssignments/${assignment.id}`, {
        ifMatch: changed["@odata.etag"] ?? "",
      });
      assert.equal(removed.status, 204, removed.text);
      assertGraphError(await graph("GET", `/${created.id}/accessAssignments/${assignment.id}`), 404, "NotFound");
      const listed = await graph("GET", `/${created.id}/accessAssignments`);
      assert.deepEqual(graphCollectionSchema(AccessAssignmentSchema).parse(listed.body).value, []);

      // Another group assigned, to see it go with the termination.
      const second = await graph("POST", `/${created.id}/accessAssignments`, {
        json: {
          accessContainer: { accessContainerId: randomUUID(), accessContainerType: "securityGroup" },
          accessDetails: roles("User Administrator"),
        },
      });
      assert.equal(second.status, 201, second.text);

      const terminate = await act(created.id, "terminate");
      assert.equal(terminate.status, 201, terminate.text);
      assert.equal(RelationshipActionSchema.parse(terminate.body).action, "terminate");
      const requested = await read(created.id);
      assert.equal(requested.status, "terminationRequested", "the intermediate state is shown once");
      const terminated = await read(created.id);
      assert.equal(terminated.status, "terminated");
      assert.ok(terminated.endDateTime && Date.parse(terminated.endDateTime) <= Date.now());
      const gone = await graph("GET", `/${created.id}/accessAssignments`);
      assert.deepEqual(gone.body.value, [], "a terminated relationship grants nothing");
      assert.equal(emulator().state().gdap.accessAssignments.length, 0);

      const requests = await graph("GET", `/${created.id}/requests`);
      assert.deepEqual(
        requests.body.value.map((r: { action: string; status: string }) => [r.action, r.status]),
        [
          ["lockForApproval", "succeeded"],
          ["terminate", "succeeded"],
        ],
      );

      const after = await approveGdapInBrowser(approvalLink(emulator().url, created.id));
      assert.equal(after.approved, false, "nothing to approve any more");
      assert.match(after.status, /terminated/);
    });
  });

  describe("relationship refusals", () => {
    it("refuses invalid bodies, durations out of range, Global Administrator with auto-extension and unknown tenants", async () => {
      const customerId = await newCustomer();
      const clientRequestId = randomUUID();
      const { duration: _duration, ...missing } = relationshipBody(customerId);
      const invalid = await graph("POST", "", { json: missing, headers: { "client-request-id": clientRequestId } });
      assertGraphError(invalid, 400, "BadRequest");
      assert.match(invalid.body.error.message, /duration/);
      assert.equal(invalid.body.error.innerError["client-request-id"], clientRequestId);
      assertGraphError(
        await graph("POST", "", { json: { ...relationshipBody(customerId), extra: 1 } }),
        400,
        "BadRequest",
      );
      assertGraphError(
        await graph("POST", "", { json: relationshipBody(customerId, { displayName: "x".repeat(51) }) }),
        400,
        "BadRequest",
      );
      assertGraphError(
        await graph("POST", "", {
          json: { ...relationshipBody(customerId), accessDetails: { unifiedRoles: [] } },
        }),
        400,
        "BadRequest",
      );
      for (const duration of ["P0D", "P731D", "P2Y"]) {
        assertGraphError(
          await graph("POST", "", { json: relationshipBody(customerId, { duration }) }),
          400,
          "BadRequest",
        );
      }
      assert.equal((await newRelationship(customerId, { duration: "P730D" })).duration, "P730D");
      assert.equal((await newRelationship(customerId, { duration: "P1D" })).duration, "P1D");

      const globalAdmin = {
        accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR_ROLE_ID }] },
      };
      const extended = await graph("POST", "", {
        json: relationshipBody(customerId, { ...globalAdmin, autoExtendDuration: "P180D" }),
      });
      assertGraphError(extended, 400, "BadRequest");
      assert.match(extended.body.error.message, /Global Administrator/);
      assert.equal((await newRelationship(customerId, globalAdmin)).autoExtendDuration, "PT0S");
      assert.equal(
        (await newRelationship(customerId, { autoExtendDuration: "P180D" })).autoExtendDuration,
        "P180D",
        "other roles may auto-extend",
      );

      const stranger = await graph("POST", "", { json: relationshipBody(randomUUID()) });
      assertGraphError(stranger, 400, "BadRequest");
      assert.match(stranger.body.error.message, /tenant/);
      assert.equal(emulator().state().gdap.relationships.length, 4, "only the four valid creates stored anything");
    });

    it("keeps display names unique across the partner's relationships, in any case", async () => {
      const first = await newCustomer();
      const second = await newCustomer();
      await newRelationship(first, { displayName: "Tier 1 support" });
      const duplicate = await graph("POST", "", { json: relationshipBody(second, { displayName: "TIER 1 SUPPORT" }) });
      assertGraphError(duplicate, 409, "Conflict");
      assert.match(duplicate.body.error.message, /already exists/);
    });

    it("answers 404 NotFound for unknown relationships on every route", async () => {
      const unknown = `${randomUUID()}-${randomUUID()}`;
      assertGraphError(await graph("GET", `/${unknown}`), 404, "NotFound");
      assertGraphError(await graph("PATCH", `/${unknown}`, { json: {}, ifMatch: "*" }), 404, "NotFound");
      assertGraphError(await graph("DELETE", `/${unknown}`, { ifMatch: "*" }), 404, "NotFound");
      assertGraphError(await act(unknown, "lockForApproval"), 404, "NotFound");
      assertGraphError(await graph("GET", `/${unknown}/accessAssignments`), 404, "NotFound");
      assertGraphError(await graph("GET", "/x/y/z"), 404, "NotFound");
    });

    it("updates need the current ETag: none is 400, an old one 412; while created every property may change", async () => {
      const customerId = await newCustomer();
      const created = await newRelationship(customerId);
      const etag = created["@odata.etag"] ?? "";
      assertGraphError(await graph("PATCH", `/${created.id}`, { json: { duration: "P30D" } }), 400, "BadRequest");
      assertGraphError(
        await graph("PATCH", `/${created.id}`, { json: { duration: "P30D" }, ifMatch: 'W/"c3RhbGU="' }),
        412,
        "PreconditionFailed",
      );
      const patched = await graph("PATCH", `/${created.id}`, {
        json: {
          displayName: "Renamed relationship",
          duration: "P30D",
          accessDetails: roles("Security Reader"),
          autoExtendDuration: "P180D",
        },
        ifMatch: etag,
      });
      assert.equal(patched.status, 200, patched.text);
      const updated = RelationshipSchema.parse(patched.body);
      assert.deepEqual(
        [updated.displayName, updated.duration, updated.accessDetails, updated.autoExtendDuration],
        ["Renamed relationship", "P30D", roles("Security Reader"), "P180D"],
      );
      assert.notEqual(updated["@odata.etag"], etag);
      assert.equal(patched.headers.etag, updated["@odata.etag"]);
      // The ETag it was read with is stale now.
      assertGraphError(
        await graph("PATCH", `/${created.id}`, { json: { duration: "P60D" }, ifMatch: etag }),
        412,
        "PreconditionFailed",
      );
      // The weak ETag matches with or without its W/ prefix (weak comparison), and "*" matches any version.
      const unprefixed = (updated["@odata.etag"] ?? "").replace(/^W\//, "");
      assert.equal(
        (await graph("PATCH", `/${created.id}`, { json: { duration: "P60D" }, ifMatch: unprefixed })).status,
        200,
      );
      assert.equal((await graph("PATCH", `/${created.id}`, { json: { duration: "P90D" }, ifMatch: "*" })).status, 200);

      const other = await newRelationship(customerId, { displayName: "Taken name" });
      assertGraphError(
        await graph("PATCH", `/${created.id}`, { json: { displayName: "taken NAME" }, ifMatch: "*" }),
        409,
        "Conflict",
      );
      assertGraphError(
        await graph("PATCH", `/${created.id}`, { json: { duration: "P800D" }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
      const withGlobalAdmin = await graph("PATCH", `/${other.id}`, {
        json: { accessDetails: { unifiedRoles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR_ROLE_ID }] } },
        ifMatch: "*",
      });
      assert.equal(withGlobalAdmin.status, 200, "Global Administrator without auto-extension");
      assertGraphError(
        await graph("PATCH", `/${other.id}`, { json: { autoExtendDuration: "P180D" }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
      assertGraphError(
        await graph("PATCH", `/${other.id}`, { json: { status: "active" }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
    });

    it("once locked nothing changes; once active only autoExtendDuration; deletes only while created", async () => {
      const customerId = await newCustomer();
      const locked = await newRelationship(customerId);
      assert.equal((await act(locked.id, "lockForApproval")).status, 201);
      assertGraphError(
        await graph("PATCH", `/${locked.id}`, { json: { autoExtendDuration: "P180D" }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
      assertGraphError(await graph("DELETE", `/${locked.id}`, { ifMatch: "*" }), 400, "BadRequest");

      const active = await activeRelationship(customerId);
      for (const json of [
        { duration: "P30D" },
        { displayName: "Another name" },
        { accessDetails: roles("Global Reader") },
      ]) {
        const refused = await graph("PATCH", `/${active.id}`, { json, ifMatch: "*" });
        assertGraphError(refused, 400, "BadRequest");
        assert.match(refused.body.error.message, /only autoExtendDuration/);
      }
      const extended = await graph("PATCH", `/${active.id}`, {
        json: { autoExtendDuration: "P180D", duration: active.duration },
        ifMatch: active["@odata.etag"] ?? "",
      });
      assert.equal(extended.status, 200, "autoExtendDuration changes; an unchanged duration is no change");
      assert.equal(extended.body.autoExtendDuration, "P180D");
      assert.notEqual(extended.body["@odata.etag"], active["@odata.etag"]);
      assertGraphError(await graph("DELETE", `/${active.id}`, { ifMatch: "*" }), 400, "BadRequest");

      const created = await newRelationship(customerId);
      assertGraphError(await graph("DELETE", `/${created.id}`), 400, "BadRequest");
      assertGraphError(await graph("DELETE", `/${created.id}`, { ifMatch: 'W/"b2xk"' }), 412, "PreconditionFailed");
      const deleted = await graph("DELETE", `/${created.id}`, { ifMatch: created["@odata.etag"] ?? "" });
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(deleted.text, "");
      assertGraphError(await graph("GET", `/${created.id}`), 404, "NotFound");
    });
  });

  describe("requests (lockForApproval, terminate, approve)", () => {
    it("only the customer approves: the partner's approve and reject are 403", async () => {
      const customerId = await newCustomer();
      const relationship = await newRelationship(customerId);
      assert.equal((await act(relationship.id, "lockForApproval")).status, 201);
      for (const action of ["approve", "reject"]) {
        const refused = await act(relationship.id, action);
        assertGraphError(refused, 403, "Forbidden");
        assert.match(refused.body.error.message, /customer/);
      }
      assert.equal((await read(relationship.id)).status, "approvalPending", "the refusals changed nothing");
    });

    it("refuses transitions the status does not allow, and actions that do not exist", async () => {
      const customerId = await newCustomer();
      const relationship = await newRelationship(customerId);
      assertGraphError(await act(relationship.id, "terminate"), 400, "BadRequest");
      assertGraphError(await act(relationship.id, "extend"), 400, "BadRequest");
      assertGraphError(await graph("POST", `/${relationship.id}/requests`, { json: {} }), 400, "BadRequest");
      assert.equal((await act(relationship.id, "lockForApproval")).status, 201);
      assertGraphError(await act(relationship.id, "lockForApproval"), 400, "BadRequest");
      assert.ok(!(await emulator().approveGdapRelationship(`${randomUUID()}-${randomUUID()}`)), "unknown id");

      // An invitation nobody approved yet may be withdrawn.
      assert.equal((await act(relationship.id, "terminate")).status, 201);
      assert.equal((await read(relationship.id)).status, "terminationRequested");
      assertGraphError(await act(relationship.id, "terminate"), 400, "BadRequest");
      assert.equal((await read(relationship.id)).status, "terminated");
      assertGraphError(await act(relationship.id, "lockForApproval"), 400, "BadRequest");
      assert.ok(!(await emulator().approveGdapRelationship(relationship.id)), "a terminated one cannot be approved");
    });
  });

  describe("access assignments", () => {
    const assignmentBody = (group: string, ...names: string[]) => ({
      accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
      accessDetails: roles(...names),
    });

    it("need an active relationship, its roles only, one per security group, and a security group", async () => {
      const customerId = await newCustomer();
      const created = await newRelationship(customerId);
      const early = await graph("POST", `/${created.id}/accessAssignments`, {
        json: assignmentBody(randomUUID(), "Global Reader"),
      });
      assertGraphError(early, 400, "BadRequest");
      assert.match(early.body.error.message, /active/);
      assert.equal((await act(created.id, "lockForApproval")).status, 201);
      assertGraphError(
        await graph("POST", `/${created.id}/accessAssignments`, {
          json: assignmentBody(randomUUID(), "Global Reader"),
        }),
        400,
        "BadRequest",
      );

      const active = await activeRelationship(customerId);
      const outside = await graph("POST", `/${active.id}/accessAssignments`, {
        json: assignmentBody(randomUUID(), "Global Reader", "Exchange Administrator"),
      });
      assertGraphError(outside, 400, "BadRequest");
      assert.match(outside.body.error.message, new RegExp(ENTRA_ROLES["Exchange Administrator"] ?? "missing"));
      assertGraphError(
        await graph("POST", `/${active.id}/accessAssignments`, {
          json: {
            accessContainer: { accessContainerId: randomUUID(), accessContainerType: "user" },
            accessDetails: roles("Global Reader"),
          },
        }),
        400,
        "BadRequest",
      );

      const group = randomUUID();
      assert.equal(
        (await graph("POST", `/${active.id}/accessAssignments`, { json: assignmentBody(group, "Global Reader") }))
          .status,
        201,
      );
      const again = await graph("POST", `/${active.id}/accessAssignments`, {
        json: assignmentBody(group.toUpperCase(), "User Administrator"),
      });
      assertGraphError(again, 409, "Conflict");
      // The same group on another relationship is another assignment.
      const other = await activeRelationship(customerId);
      assert.equal(
        (await graph("POST", `/${other.id}/accessAssignments`, { json: assignmentBody(group, "Global Reader") }))
          .status,
        201,
      );
      const listed = graphCollectionSchema(AccessAssignmentSchema).parse(
        (await graph("GET", `/${active.id}/accessAssignments`)).body,
      );
      assert.equal(listed.value.length, 1);
    });

    it("updates need If-Match and the relationship's roles; identical roles answer 200 with the object unchanged", async () => {
      const customerId = await newCustomer();
      const active = await activeRelationship(customerId);
      const created = await graph("POST", `/${active.id}/accessAssignments`, {
        json: assignmentBody(randomUUID(), "Global Reader"),
      });
      const assignment = AccessAssignmentSchema.parse(created.body);
      const path = `/${active.id}/accessAssignments/${assignment.id}`;
      const body = { accessDetails: roles("Helpdesk Administrator") };
      assertGraphError(await graph("PATCH", path, { json: body }), 400, "BadRequest");
      assertGraphError(await graph("PATCH", path, { json: body, ifMatch: 'W/"b2xk"' }), 412, "PreconditionFailed");
      assertGraphError(
        await graph("PATCH", path, { json: { accessDetails: roles("Exchange Administrator") }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
      assertGraphError(
        await graph("PATCH", path, { json: { ...body, accessContainer: assignment.accessContainer }, ifMatch: "*" }),
        400,
        "BadRequest",
      );
      const same = await graph("PATCH", path, { json: { accessDetails: roles("Global Reader") }, ifMatch: "*" });
      assert.equal(same.status, 200, same.text);
      assert.equal(AccessAssignmentSchema.parse(same.body).id, assignment.id);
      assertGraphError(await graph("DELETE", path), 400, "BadRequest");
      assertGraphError(await graph("DELETE", path, { ifMatch: 'W/"b2xk"' }), 412, "PreconditionFailed");
      assertGraphError(await graph("GET", `/${active.id}/accessAssignments/${randomUUID()}`), 404, "NotFound");
    });

    it("go with the relationship when it expires", async () => {
      const customerId = await newCustomer();
      const active = await activeRelationship(customerId);
      assert.equal(
        (
          await graph("POST", `/${active.id}/accessAssignments`, {
            json: assignmentBody(randomUUID(), "Global Reader"),
          })
        ).status,
        201,
      );
      assert.ok(await emulator().expireGdapRelationship(active.id));
      const expired = await read(active.id);
      assert.equal(expired.status, "expired");
      assert.deepEqual((await graph("GET", `/${active.id}/accessAssignments`)).body.value, []);
      assert.ok(!(await emulator().expireGdapRelationship(active.id)), "already expired");
    });
  });

  describe("list: $filter, $top and @odata.nextLink", () => {
    it("filters on customer/tenantId, displayName and both; decodes + and %20; pages with absolute next links", async () => {
      const first = await newCustomer();
      const second = await newCustomer();
      const names = ["Ops team", "O'Brien & co", "Audit", "Ops team 2", "Security + compliance"];
      for (const [index, name] of names.entries()) {
        await newRelationship(index % 2 === 0 ? first : second, { displayName: name });
      }
      const list = async (query: string) => {
        const response = await graph("GET", `?${query}`);
        assert.equal(response.status, 200, response.text);
        return graphCollectionSchema(RelationshipSchema).parse(response.body);
      };
      const namesOf = (page: { value: Array<{ displayName: string }> }) => page.value.map((r) => r.displayName);

      assert.deepEqual(namesOf(await list("")), names);
      assert.deepEqual(namesOf(await list(`$filter=customer/tenantId+eq+'${first}'`)), [
        "Ops team",
        "Audit",
        "Security + compliance",
      ]);
      assert.deepEqual(namesOf(await list("$filter=displayName%20eq%20'Ops%20team'")), ["Ops team"]);
      assert.deepEqual(namesOf(await list("%24filter=displayName+eq+'Ops+team+2'")), ["Ops team 2"]);
      assert.deepEqual(
        namesOf(await list(`$filter=${encodeURIComponent("displayName eq 'O''Brien & co'")}`)),
        ["O'Brien & co"],
        "a quote doubled inside the literal, & encoded",
      );
      assert.deepEqual(
        namesOf(await list(`$filter=${encodeURIComponent("displayName eq 'Security + compliance'")}`)),
        ["Security + compliance"],
        "a literal + sent as %2B",
      );
      const both = `customer/tenantId eq '${second}' and displayName eq 'ops TEAM 2'`;
      assert.deepEqual(namesOf(await list(`$filter=${encodeURIComponent(both)}`)), ["Ops team 2"]);
      const neither = `customer/tenantId eq '${first}' and displayName eq 'Ops team 2'`;
      assert.deepEqual(namesOf(await list(`$filter=${encodeURIComponent(neither)}`)), []);

      for (const bad of [
        "startswith(displayName,'Ops')",
        "displayName ne 'Ops team'",
        "duration eq 'P180D'",
        "displayName eq 'x' or id eq 'y'",
        "displayName eq 'open",
      ]) {
        assertGraphError(await graph("GET", `?$filter=${encodeURIComponent(bad)}`), 400, "BadRequest");
      }
      assertGraphError(await graph("GET", "?$top=0"), 400, "BadRequest");
      assertGraphError(await graph("GET", "?$top=two"), 400, "BadRequest");
      assertGraphError(await graph("GET", "?$skiptoken=garbage"), 400, "BadRequest");

      // Paging: $top=2 through every next link, each absolute on the emulator's base.
      const seen: string[] = [];
      let page = await list("$top=2");
      let pages = 1;
      for (;;) {
        seen.push(...namesOf(page));
        const next = page["@odata.nextLink"];
        if (!next) break;
        assert.ok(next.startsWith(`${emulator().url}${BASE}?`), next);
        assert.match(next, /%24top=2/);
        const response = await emulatorRequest(emulator(), "GET", next, { token: await graphToken() });
        page = graphCollectionSchema(RelationshipSchema).parse(response.body);
        pages++;
      }
      assert.deepEqual(seen, names);
      assert.equal(pages, 3);

      // The filter travels in the next link.
      const filtered = await list(`$top=1&$filter=${encodeURIComponent(`customer/tenantId eq '${first}'`)}`);
      assert.deepEqual(namesOf(filtered), ["Ops team"]);
      const nextPage = await emulatorRequest(emulator(), "GET", filtered["@odata.nextLink"] ?? "", {
        token: await graphToken(),
      });
      assert.deepEqual(namesOf(nextPage.body), ["Audit"]);
    });
  });
});

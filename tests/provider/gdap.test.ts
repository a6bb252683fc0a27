/**
 * `GdapRelationship` and `GdapAccessAssignment` (issue 20) through the real dynamic-provider host against the
 * emulator's Microsoft Graph: check refuses bad inputs with their path and no request; a custom relationship is made,
 * locked and waits on the customer (the approval link a secret output); a preview asks Graph once while it waits and
 * not at all once it is active; the customer approves (emulator control or the approval page in Chromium) and the
 * next update records it; the Default GDAP is adopted and left alone on destroy; access assignments wait for the
 * approval, then assign, change roles in place and go on destroy; refresh follows Graph. The safety cases (lost
 * answers, crashes, names taken, partial creates, replacements, the link in output) are in gdapSafety.test.ts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createGraphClient } from "../../provider/connect/createGraphClient";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { approvalLink } from "../../provider/schemas/gdap";
import { emulatorSettings } from "../client/clientTestSupport";
import { approveGdapInBrowser } from "../support/browser";
import { emulatorRequest, getAppToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import {
  ASSIGNMENT_TYPE,
  providerTextOf,
  RELATIONSHIP_TYPE,
  requestsFrom,
  startHostFor,
} from "../support/providerHarness";
import { type ProviderHost, SECRET_SIG_KEY, urnFor } from "../support/providerHost";

type Props = Record<string, unknown>;

const relUrn = (name: string) => urnFor(RELATIONSHIP_TYPE, name);
const asgUrn = (name: string) => urnFor(ASSIGNMENT_TYPE, name);
const GRAPH = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const id = (name: keyof typeof ENTRA_ROLES) => ENTRA_ROLES[name] as string;

/** Every approval link the suite saw (the last test checks that none reached the host's output). */
const links = new Set<string>();

/** A secret output's value, asserting it is wrapped as a secret. */
function secretOf(properties: Props, key: string): string {
  const wrapped = properties[key] as Record<string, unknown> | undefined;
  assert.ok(wrapped && SECRET_SIG_KEY in wrapped, `${key} is a secret output: ${JSON.stringify(wrapped)}`);
  if (key === "approvalUrl") links.add(String(wrapped.value));
  return String(wrapped.value);
}

describe("GDAP relationships and access assignments through the real provider host (App-only)", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ trustGlobally: true });
  let host: ProviderHost;
  let relationshipProvider: string;
  let assignmentProvider: string;

  before(async () => {
    relationshipProvider = await providerTextOf("GdapRelationship");
    assignmentProvider = await providerTextOf("GdapAccessAssignment");
    host = await startHostFor(emulator(), { credentials: "app" });
  });
  after(async () => {
    await host?.stop();
  });

  const gdap = () => emulator().state().gdap;
  const relationshipIn = (relationshipId: string) => gdap().relationships.find((r) => r.id === relationshipId);
  const graphCalls = (seen: () => ReturnType<ReturnType<typeof requestsFrom>>) =>
    seen().filter((r) => r.path.startsWith("/v1.0/"));

  /** A new customer's tenant ID; with its Default GDAP relationship unless `defaultGdap` is false. */
  async function newCustomer({ defaultGdap = false } = {}): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: { ...usCustomerBody("gdap"), enableGDAPByDefault: defaultGdap },
    });
    assert.equal(response.status, 201, response.text);
    return response.body.companyProfile.tenantId as string;
  }

  /** Resolves once the host's output after `mark` (a length of it) matches `pattern`: this test's own lines. */
  async function said(mark: number, pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const text = host.output().slice(mark);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`host output did not match ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const rel = (inputs: Props) => ({ ...inputs, __provider: relationshipProvider });
  const asg = (inputs: Props) => ({ ...inputs, __provider: assignmentProvider });

  async function checkedRelationship(name: string, inputs: Props): Promise<Props> {
    const result = await host.check(relUrn(name), {}, rel({ ...inputs, __createKey: `proj/test/${name}` }));
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }
  async function checkedAssignment(name: string, inputs: Props): Promise<Props> {
    const result = await host.check(asgUrn(name), {}, asg(inputs));
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  /** A custom relationship, created and waiting for the customer. */
  async function waitingRelationship(name: string, extra: Props = {}) {
    const customer = await newCustomer();
    const input = await checkedRelationship(name, {
      customerTenantId: customer,
      roles: ["Helpdesk Administrator", "Global Reader"],
      ...extra,
    });
    const created = await host.create(relUrn(name), input);
    secretOf(created.properties, "approvalUrl");
    return { customer, input, created, olds: rel(created.properties) };
  }

  /** The Default GDAP of a new customer, adopted. */
  async function adoptedDefault(name: string, extra: Props = {}) {
    const customer = await newCustomer({ defaultGdap: true });
    const input = await checkedRelationship(name, { customerTenantId: customer, adoptDefault: true, ...extra });
    const created = await host.create(relUrn(name), input);
    return { customer, input, created, olds: rel(created.properties) };
  }

  describe("check", () => {
    async function failuresOf(urn: string, news: Props) {
      const seen = requestsFrom(emulator());
      const result = await host.check(urn, {}, news);
      assert.deepEqual(seen(), [], "check sends nothing");
      return result.failures;
    }
    const tenant = "0f0e0d0c-0b0a-4909-8807-060504030201";

    it("names every bad relationship input's path, with a did-you-mean for a misspelt role", async () => {
      const failures = await failuresOf(
        relUrn("bad"),
        rel({
          customerTenantId: tenant,
          roles: ["Helpdesk Adminstrator", "Global Reader", "global reader"],
          durationDays: 0,
          displayName: "x".repeat(51),
          deletionPolicy: "destroy",
          colour: "blue",
        }),
      );
      assert.deepEqual(failures.map((f) => f.property).sort(), [
        "colour",
        "deletionPolicy",
        "displayName",
        "durationDays",
        "roles[0]",
        "roles[2]",
      ]);
      const reason = (path: string) => failures.find((f) => f.property === path)?.reason ?? "";
      assert.match(reason("roles[0]"), /did you mean "Helpdesk Administrator"/);
      assert.match(reason("roles[2]"), /listed twice/);
      assert.match(reason("displayName"), /1–50 characters/);
    });

    for (const [what, extra, path] of [
      ["durationDays 731", { durationDays: 731 }, "durationDays"],
      ["durationDays 1.5", { durationDays: 1.5 }, "durationDays"],
      ["empty roles", { roles: [] }, "roles"],
      [
        "a role given by name and by ID",
        { roles: ["helpdesk administrator", id("Helpdesk Administrator")] },
        "roles[1]",
      ],
      ["Global Administrator with autoExtend", { roles: ["Global Administrator"], autoExtend: true }, "autoExtend"],
      ["adoptDefault with roles", { adoptDefault: true }, "roles"],
      [
        "adoptDefault with existingRelationshipId",
        { adoptDefault: true, roles: undefined, existingRelationshipId: "r" },
        "existingRelationshipId",
      ],
      [
        "existingRelationshipId with durationDays",
        { roles: undefined, existingRelationshipId: "r", durationDays: 30 },
        "durationDays",
      ],
      ["no roles and no adoption", { roles: undefined }, "roles"],
      ["waitForApprovalSeconds 3601", { waitForApprovalSeconds: 3601 }, "waitForApprovalSeconds"],
      ["a customer that is no GUID", { customerTenantId: "contoso" }, "customerTenantId"],
    ] as const) {
      it(`refuses ${what} at ${path}`, async () => {
        const inputs: Props = { customerTenantId: tenant, roles: ["Global Reader"], ...extra };
        for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
        const failures = await failuresOf(relUrn("bad"), rel(inputs));
        assert.deepEqual(
          failures.map((f) => f.property),
          [path],
          JSON.stringify(failures),
        );
      });
    }

    it("names every bad assignment input's path; roles outside relationshipRoles at roles[i]", async () => {
      const failures = await failuresOf(
        asgUrn("bad"),
        asg({
          relationshipId: "rel-1",
          securityGroupId: "not-a-group",
          roles: ["Global Reader", "User Administrator", id("Helpdesk Administrator")],
          relationshipRoles: ["global reader", "Helpdesk Administrator"],
          extra: 1,
        }),
      );
      assert.deepEqual(failures.map((f) => f.property).sort(), ["extra", "roles[1]", "securityGroupId"]);
      assert.match(
        failures.find((f) => f.property === "roles[1]")?.reason ?? "",
        /not one of the relationship's roles/,
      );
    });

    it("keeps the hidden create key and normalises the customer's tenant ID", async () => {
      const result = await host.check(
        relUrn("ok"),
        {},
        rel({ customerTenantId: ` ${tenant.toUpperCase()} `, roles: ["Global Reader"], __createKey: "proj/test/ok" }),
      );
      assert.deepEqual(result.failures, []);
      assert.equal(result.inputs.customerTenantId, tenant);
      assert.equal(result.inputs.__createKey, "proj/test/ok");
    });
  });

  describe("GdapRelationship", () => {
    it("create makes the relationship, locks it and waits on the customer with a secret approval link", async () => {
      const customer = await newCustomer();
      const input = await checkedRelationship("custom", {
        customerTenantId: customer,
        roles: ["Helpdesk Administrator", "Global Reader"],
        durationDays: 90,
      });
      const seen = requestsFrom(emulator());
      const mark = host.output().length;
      const created = await host.create(relUrn("custom"), input);
      const props = created.properties;
      assert.equal(props.status, "waitingForCustomer", "a clear pending state, not a silent success");
      assert.equal(props.relationshipStatus, "approvalPending");
      assert.equal(props.adopted, false);
      assert.equal(props.relationshipDurationDays, 90);
      assert.deepEqual(props.roleIds, [id("Helpdesk Administrator"), id("Global Reader")]);
      assert.equal(created.id, props.relationshipId);
      const link = secretOf(props, "approvalUrl");
      assert.equal(link, approvalLink(emulator().url, created.id));

      const stored = relationshipIn(created.id);
      assert.equal(stored?.status, "approvalPending");
      assert.equal(stored?.displayName, props.relationshipName);
      assert.equal(stored?.duration, "P90D");
      assert.equal(stored?.autoExtendDuration, "PT0S");
      assert.equal(stored?.customer.tenantId, customer);
      assert.deepEqual(
        gdap().requests.map((r) => [r.relationshipId, r.action]),
        [[created.id, "lockForApproval"]],
      );
      const calls = graphCalls(seen).map((r) => `${r.method} ${r.path.split("?")[0]}`);
      assert.equal(calls.filter((c) => c === `POST ${GRAPH}`).length, 1, "one create");
      assert.deepEqual(
        calls.filter((c) => c.endsWith("/requests")),
        [`POST ${GRAPH}/${created.id}/requests`],
      );

      const output = await said(mark, /waiting for the customer's approval; no access is granted yet/);
      assert.ok(!output.includes(link), "no message shows the approval link");
      assert.ok(!output.includes("/AdminPortal/"), "nor any part of it");
    });

    it("a waiting relationship costs one request per preview; once approved, the update records it and a completed one costs none", async () => {
      const { created, olds, input } = await waitingRelationship("approve");
      let seen = requestsFrom(emulator());
      const pending = await host.diff(relUrn("approve"), created.id, olds, input);
      assert.deepEqual([pending.changes, pending.replaces], ["none", []]);
      assert.equal(seen().length, 1, "exactly one status request");
      assert.equal(seen()[0]?.method, "GET");

      assert.ok(await emulator().approveGdapRelationship(created.id));
      const mark = host.output().length;
      const approved = await host.diff(relUrn("approve"), created.id, olds, input);
      assert.deepEqual([approved.changes, approved.replaces], ["some", []], "the next up records it");
      await said(mark, /is now active: pulumi up records it/);

      seen = requestsFrom(emulator());
      const updated = await host.update(relUrn("approve"), created.id, olds, input);
      const props = updated.properties;
      assert.equal(props.status, "completed");
      assert.equal(props.relationshipStatus, "active");
      assert.equal(props.approvalUrl, undefined, "no link once there is nothing to approve");
      assert.equal(props.activatedAt, relationshipIn(created.id)?.activatedDateTime);
      assert.ok(props.endsAt);
      assert.ok(
        graphCalls(seen).every((r) => r.method === "GET"),
        "recording the approval changes nothing in Graph",
      );

      seen = requestsFrom(emulator());
      const done = await host.diff(relUrn("approve"), created.id, rel(props), input);
      assert.equal(done.changes, "none");
      assert.deepEqual(seen(), [], "0 requests for an active relationship");
    });

    it("the customer approves on the approval page in a browser; the next update records it", async function () {
      this.timeout(180_000);
      const { created, olds, input } = await waitingRelationship("browser");
      const outcome = await approveGdapInBrowser(secretOf(created.properties, "approvalUrl"));
      assert.ok(outcome.approved, outcome.status);
      assert.deepEqual([...outcome.roles].sort(), ["Global Reader", "Helpdesk Administrator"]);
      assert.equal(relationshipIn(created.id)?.status, "active");
      const diff = await host.diff(relUrn("browser"), created.id, olds, input);
      assert.equal(diff.changes, "some");
      const updated = await host.update(relUrn("browser"), created.id, olds, input);
      assert.equal(updated.properties.status, "completed");
      assert.equal(updated.properties.approvalUrl, undefined);
    });

    it("roles compare by role ID: a name for its ID is no change, another role replaces", async () => {
      const { created, olds, customer } = await waitingRelationship("roles");
      await emulator().approveGdapRelationship(created.id);
      const updated = await host.update(relUrn("roles"), created.id, olds, olds);
      const active = rel(updated.properties);
      const sameByid = await checkedRelationship("roles", {
        customerTenantId: customer,
        roles: [id("Global Reader"), "helpdesk administrator"],
      });
      const seen = requestsFrom(emulator());
      const same = await host.diff(relUrn("roles"), created.id, active, sameByid);
      assert.deepEqual([same.changes, same.replaces], ["none", []]);
      assert.deepEqual(seen(), [], "no request for an active relationship");

      const more = await checkedRelationship("roles", {
        customerTenantId: customer,
        roles: ["Helpdesk Administrator", "Global Reader", "User Administrator"],
      });
      const mark = host.output().length;
      const replaced = await host.diff(relUrn("roles"), created.id, active, more);
      assert.equal(replaced.changes, "some");
      assert.deepEqual(replaced.replaces, ["roles"]);
      assert.equal(replaced.deleteBeforeReplace, false, "the old relationship stays until the new one exists");
      await said(mark, /roles changed: replacing .* makes a new relationship the customer must approve again/);
      for (const [key, value] of [
        ["durationDays", 30],
        ["customerTenantId", await newCustomer()],
      ] as const) {
        const next = await checkedRelationship("roles", {
          customerTenantId: customer,
          roles: ["Helpdesk Administrator", "Global Reader"],
          [key]: value,
        });
        const diff = await host.diff(relUrn("roles"), created.id, active, next);
        assert.deepEqual(diff.replaces, [key]);
      }
    });

    it("autoExtend changes in place: the update PATCHes autoExtendDuration", async () => {
      const { created, olds, customer } = await waitingRelationship("extend");
      await emulator().approveGdapRelationship(created.id);
      const active = rel((await host.update(relUrn("extend"), created.id, olds, olds)).properties);
      const extend = await checkedRelationship("extend", {
        customerTenantId: customer,
        roles: ["Helpdesk Administrator", "Global Reader"],
        autoExtend: true,
      });
      const diff = await host.diff(relUrn("extend"), created.id, active, extend);
      assert.deepEqual([diff.changes, diff.replaces], ["some", []]);
      const before = relationshipIn(created.id)?.etag;
      const seen = requestsFrom(emulator());
      const updated = await host.update(relUrn("extend"), created.id, active, extend);
      const patches = graphCalls(seen).filter((r) => r.method === "PATCH");
      assert.deepEqual(
        patches.map((r) => r.path),
        [`${GRAPH}/${created.id}`],
      );
      assert.equal(patches[0]?.status, 200);
      assert.equal(relationshipIn(created.id)?.autoExtendDuration, "P180D");
      assert.notEqual(relationshipIn(created.id)?.etag, before);
      assert.equal(updated.properties.autoExtend, true);
      assert.equal(updated.properties.status, "completed");
      // Left out again: the default, false, for a relationship the stack made.
      const leftOut = await checkedRelationship("extend", {
        customerTenantId: customer,
        roles: ["Helpdesk Administrator", "Global Reader"],
      });
      const back = await host.diff(relUrn("extend"), created.id, rel(updated.properties), leftOut);
      assert.deepEqual([back.changes, back.replaces], ["some", []]);
      const off = await host.update(relUrn("extend"), created.id, rel(updated.properties), leftOut);
      assert.equal(relationshipIn(created.id)?.autoExtendDuration, "PT0S", "auto-extension off again");
      assert.equal(off.properties.autoExtend, undefined);
    });

    it("adoptDefault takes over the customer's Default GDAP; destroy leaves it in place", async () => {
      const customer = await newCustomer({ defaultGdap: true });
      const input = await checkedRelationship("default", { customerTenantId: customer, adoptDefault: true });
      const seen = requestsFrom(emulator());
      const created = await host.create(relUrn("default"), input);
      const props = created.properties;
      const stored = gdap().relationships.filter((r) => r.customer.tenantId === customer);
      assert.equal(stored.length, 1, "nothing new made");
      assert.equal(created.id, stored[0]?.id);
      assert.match(String(props.relationshipName), /^Default_/);
      assert.deepEqual(
        [props.status, props.relationshipStatus, props.adopted, props.approvalUrl],
        ["completed", "active", true, undefined],
      );
      assert.ok(
        graphCalls(seen).every((r) => r.method === "GET"),
        "adopting only reads",
      );
      const unchanged = await host.diff(relUrn("default"), created.id, rel(props), input);
      assert.equal(unchanged.changes, "none");

      const before = requestsFrom(emulator());
      const mark = host.output().length;
      await host.delete(relUrn("default"), created.id, rel(props));
      assert.deepEqual(graphCalls(before), [], "retain: not even a read");
      assert.equal(relationshipIn(created.id)?.status, "active");
      assert.equal(gdap().requests.length, 0, "no terminate request");
      await said(mark, /removed from the stack and left in place \(deletionPolicy retain\)/);
    });

    it("an adopted relationship with deletionPolicy terminate is terminated on destroy", async () => {
      const { created, olds } = await adoptedDefault("default-terminate", { deletionPolicy: "terminate" });
      assert.equal(created.properties.deletionPolicy, "terminate");
      await host.delete(relUrn("default-terminate"), created.id, olds);
      assert.equal(relationshipIn(created.id)?.status, "terminationRequested");
      assert.deepEqual(
        gdap().requests.map((r) => [r.relationshipId, r.action]),
        [[created.id, "terminate"]],
      );
    });

    it("existingRelationshipId adopts by ID, but never another customer's relationship", async () => {
      const { created: other } = await waitingRelationship("others");
      const customer = await newCustomer({ defaultGdap: true });
      const input = await checkedRelationship("steal", {
        customerTenantId: customer,
        existingRelationshipId: other.id,
      });
      const before = structuredClone(gdap());
      await assert.rejects(host.create(relUrn("steal"), input), (error: Error) => {
        assert.match(
          error.message,
          new RegExp(`it is with customer ${other.properties.customerTenantId}, not ${customer}`),
        );
        return true;
      });
      assert.deepEqual(gdap(), before, "nothing changed in Graph");

      const own = gdap().relationships.find((r) => r.customer.tenantId === customer);
      const adopt = await checkedRelationship("by-id", { customerTenantId: customer, existingRelationshipId: own?.id });
      const adopted = await host.create(relUrn("by-id"), adopt);
      assert.equal(adopted.id, own?.id);
      assert.equal(adopted.properties.adopted, true);
      assert.equal(adopted.properties.status, "completed");
    });

    it("adoptDefault for a customer without a Default GDAP fails, creating nothing", async function () {
      this.timeout(60_000);
      const customer = await newCustomer();
      const input = await checkedRelationship("no-default", { customerTenantId: customer, adoptDefault: true });
      await assert.rejects(host.create(relUrn("no-default"), input), /has no live Default GDAP relationship/);
      assert.equal(gdap().relationships.length, 0);
    });

    it("destroy terminates a waiting relationship and an active one the stack made", async () => {
      const waiting = await waitingRelationship("destroy-waiting");
      await host.delete(relUrn("destroy-waiting"), waiting.created.id, waiting.olds);
      assert.equal(relationshipIn(waiting.created.id)?.status, "terminationRequested");

      const active = await waitingRelationship("destroy-active");
      await emulator().approveGdapRelationship(active.created.id);
      const updated = await host.update(relUrn("destroy-active"), active.created.id, active.olds, active.input);
      const mark = host.output().length;
      await host.delete(relUrn("destroy-active"), active.created.id, rel(updated.properties));
      assert.equal(relationshipIn(active.created.id)?.status, "terminationRequested");
      assert.deepEqual(
        gdap()
          .requests.filter((r) => r.action === "terminate")
          .map((r) => r.relationshipId),
        [waiting.created.id, active.created.id],
      );
      await said(mark, /termination requested \(it was active\)/);

      // A second destroy (a re-run) finds it ending and asks nothing more.
      const seen = requestsFrom(emulator());
      await host.delete(relUrn("destroy-active"), active.created.id, rel(updated.properties));
      assert.equal(gdap().requests.filter((r) => r.action === "terminate").length, 2);
      assert.ok(graphCalls(seen).every((r) => r.method === "GET"));
    });

    it("refresh follows Graph: an expired relationship reads expired, and its preview records it", async () => {
      const { created, olds, input } = await waitingRelationship("expire");
      assert.ok(await emulator().expireGdapRelationship(created.id));
      const read = await host.read(relUrn("expire"), created.id, olds);
      assert.equal(read.id, created.id);
      assert.equal(read.properties.status, "expired");
      assert.equal(read.properties.relationshipStatus, "expired");
      assert.equal(read.properties.approvalUrl, undefined, "nothing left to approve");
      const seen = requestsFrom(emulator());
      const after = await host.diff(relUrn("expire"), created.id, rel(read.properties), input);
      assert.equal(after.changes, "none");
      assert.deepEqual(seen(), [], "an ended relationship costs no request");

      // Not refreshed: the preview sees it, and the update records the expiry with a warning.
      const { created: other, olds: otherOlds, input: otherInput } = await waitingRelationship("expire-diff");
      await emulator().expireGdapRelationship(other.id);
      assert.equal((await host.diff(relUrn("expire-diff"), other.id, otherOlds, otherInput)).changes, "some");
      const mark = host.output().length;
      const updated = await host.update(relUrn("expire-diff"), other.id, otherOlds, otherInput);
      assert.equal(updated.properties.status, "expired");
      await said(mark, /is expired: it grants no access\. Replace the resource/);
    });
  });

  describe("GdapAccessAssignment", () => {
    const group = () => randomUUID();

    it("roles changed in Partner Center behind the stack's back are put back by refresh + up; relationshipRoles alone changes nothing", async () => {
      const relationship = await waitingRelationship("for-drift");
      await emulator().approveGdapRelationship(relationship.created.id);
      const input = await checkedAssignment("drift", {
        relationshipId: relationship.created.id,
        securityGroupId: group(),
        roles: ["Global Reader"],
        relationshipRoles: ["Helpdesk Administrator", "Global Reader"],
      });
      const created = await host.create(asgUrn("drift"), input);
      assert.equal(created.properties.status, "completed");
      // Someone widens the group's roles in Partner Center (the Graph PATCH it makes).
      const graph = createGraphClient(emulatorSettings(emulator(), "app", { graphEndpoint: emulator().url }), {
        https: { certificateAuthority: emulator().caCertificatePem },
      });
      const assignmentId = String(created.properties.assignmentId);
      const current = await graph.getAccessAssignment(relationship.created.id, assignmentId);
      await graph.updateAccessAssignment(
        relationship.created.id,
        assignmentId,
        [id("Global Reader"), id("Helpdesk Administrator")],
        current["@odata.etag"] ?? "*",
      );
      const read = await host.read(asgUrn("drift"), created.id, asg(created.properties));
      assert.deepEqual(
        [...(read.properties.roleIds as string[])].sort(),
        [id("Global Reader"), id("Helpdesk Administrator")].sort(),
      );
      const drift = await host.diff(asgUrn("drift"), created.id, asg(read.properties), input);
      assert.equal(drift.changes, "some", "the declared roles differ from what Graph says the group holds");
      const repaired = await host.update(asgUrn("drift"), created.id, asg(read.properties), input);
      assert.deepEqual(repaired.properties.roleIds, [id("Global Reader")]);
      const stored = gdap().accessAssignments.find((a) => a.id === assignmentId);
      assert.deepEqual(
        stored?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
        [id("Global Reader")],
      );

      const seen = requestsFrom(emulator());
      const widened = await host.diff(asgUrn("drift"), created.id, asg(repaired.properties), {
        ...input,
        relationshipRoles: ["Helpdesk Administrator", "Global Reader", "User Administrator"],
      });
      assert.equal(widened.changes, "none", "relationshipRoles is never sent: no update for it alone");
      assert.deepEqual(seen(), []);
    });

    it("waits while the relationship is pending, assigns after approval, changes roles in place and goes on destroy", async () => {
      const relationship = await waitingRelationship("for-assignment");
      const securityGroupId = group();
      const input = await checkedAssignment("assign", {
        relationshipId: relationship.created.id,
        securityGroupId,
        roles: ["Global Reader"],
        relationshipRoles: ["Helpdesk Administrator", "Global Reader"],
      });
      let seen = requestsFrom(emulator());
      let mark = host.output().length;
      const waiting = await host.create(asgUrn("assign"), input);
      assert.equal(waiting.properties.status, "waitingForCustomer");
      assert.equal(waiting.properties.assignmentId, undefined);
      assert.deepEqual(waiting.properties.roleIds, [id("Global Reader")]);
      assert.deepEqual(
        graphCalls(seen).map((r) => r.method),
        ["GET"],
        "only the relationship is read",
      );
      assert.equal(gdap().accessAssignments.length, 0);
      await said(mark, /waiting for the customer's approval; no access is assigned yet/);

      seen = requestsFrom(emulator());
      const still = await host.diff(asgUrn("assign"), waiting.id, asg(waiting.properties), input);
      assert.equal(still.changes, "none");
      assert.equal(seen().length, 1, "one request per preview while waiting");

      await emulator().approveGdapRelationship(relationship.created.id);
      const approved = await host.diff(asgUrn("assign"), waiting.id, asg(waiting.properties), input);
      assert.deepEqual([approved.changes, approved.replaces], ["some", []]);
      const assigned = await host.update(asgUrn("assign"), waiting.id, asg(waiting.properties), input);
      const props = assigned.properties;
      assert.equal(props.status, "completed");
      assert.equal(props.assignmentStatus, "active");
      const stored = gdap().accessAssignments;
      assert.equal(stored.length, 1);
      assert.equal(props.assignmentId, stored[0]?.id);
      assert.equal(stored[0]?.accessContainer.accessContainerId, securityGroupId);
      assert.deepEqual(
        stored[0]?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
        [id("Global Reader")],
      );

      seen = requestsFrom(emulator());
      const done = await host.diff(asgUrn("assign"), waiting.id, asg(props), input);
      assert.equal(done.changes, "none");
      assert.deepEqual(seen(), [], "an assigned assignment costs no request");

      const more = await checkedAssignment("assign", { ...input, roles: ["Global Reader", "Helpdesk Administrator"] });
      const diff = await host.diff(asgUrn("assign"), waiting.id, asg(props), more);
      assert.deepEqual([diff.changes, diff.replaces], ["some", []], "roles change in place");
      seen = requestsFrom(emulator());
      const changed = await host.update(asgUrn("assign"), waiting.id, asg(props), more);
      assert.equal(changed.properties.assignmentId, props.assignmentId, "the same assignment");
      assert.deepEqual(
        graphCalls(seen)
          .filter((r) => r.method !== "GET")
          .map((r) => `${r.method} ${r.status}`),
        ["PATCH 202"],
      );
      assert.deepEqual(
        gdap()
          .accessAssignments[0]?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId)
          .sort(),
        [id("Global Reader"), id("Helpdesk Administrator")].sort(),
      );
      assert.equal(gdap().accessAssignments.length, 1);
      assert.equal(changed.properties.status, "completed");

      mark = host.output().length;
      await host.delete(asgUrn("assign"), waiting.id, asg(changed.properties));
      assert.deepEqual(gdap().accessAssignments, [], "the assignment is gone");
      await said(mark, new RegExp(`access of group ${securityGroupId} in GDAP relationship .*: removed`));
    });

    it("on an active relationship the create assigns at once; the ID-or-name spelling of a role is no change", async () => {
      const relationship = await adoptedDefault("default-for-assignment");
      const input = await checkedAssignment("direct", {
        relationshipId: relationship.created.id,
        securityGroupId: group(),
        roles: ["Helpdesk Administrator"],
      });
      const created = await host.create(asgUrn("direct"), input);
      assert.equal(created.properties.status, "completed");
      assert.equal(created.properties.assignmentStatus, "active");
      assert.equal(gdap().accessAssignments.length, 1);
      const byId = await checkedAssignment("direct", { ...input, roles: [id("Helpdesk Administrator")] });
      const seen = requestsFrom(emulator());
      const diff = await host.diff(asgUrn("direct"), created.id, asg(created.properties), byId);
      assert.equal(diff.changes, "none");
      assert.deepEqual(seen(), []);
    });

    it("roles outside the relationship are refused at create and update before anything is sent", async () => {
      const relationship = await adoptedDefault("default-subset");
      const outside = await checkedAssignment("outside", {
        relationshipId: relationship.created.id,
        securityGroupId: group(),
        roles: ["Global Administrator"],
      });
      let seen = requestsFrom(emulator());
      await assert.rejects(host.create(asgUrn("outside"), outside), /"Global Administrator" are not in relationship/);
      assert.ok(
        graphCalls(seen).every((r) => r.method === "GET"),
        "no POST",
      );
      assert.equal(gdap().accessAssignments.length, 0);

      const inside = await checkedAssignment("inside", { ...outside, roles: ["Helpdesk Administrator"] });
      const created = await host.create(asgUrn("inside"), inside);
      const wider = await checkedAssignment("inside", {
        ...inside,
        roles: ["Helpdesk Administrator", "Global Administrator"],
      });
      seen = requestsFrom(emulator());
      await assert.rejects(
        host.update(asgUrn("inside"), created.id, asg(created.properties), wider),
        /are not in relationship .*nothing was sent/,
      );
      assert.ok(
        graphCalls(seen).every((r) => r.method === "GET"),
        "no PATCH",
      );
      assert.deepEqual(
        gdap().accessAssignments[0]?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
        [id("Helpdesk Administrator")],
      );
    });

    it("destroying an assignment that still waits sends nothing; refresh drops one Graph no longer has", async () => {
      const relationship = await waitingRelationship("waiting-destroy");
      const input = await checkedAssignment("never", {
        relationshipId: relationship.created.id,
        securityGroupId: group(),
        roles: ["Global Reader"],
      });
      const waiting = await host.create(asgUrn("never"), input);
      let seen = requestsFrom(emulator());
      await host.delete(asgUrn("never"), waiting.id, asg(waiting.properties));
      assert.deepEqual(seen(), [], "nothing was assigned, nothing to remove");

      await emulator().approveGdapRelationship(relationship.created.id);
      const assigned = await host.create(asgUrn("gone"), { ...input, securityGroupId: group() });
      assert.equal(assigned.properties.status, "completed");
      // The relationship expires: Graph removes its access assignments with it.
      await emulator().expireGdapRelationship(relationship.created.id);
      assert.deepEqual(gdap().accessAssignments, []);
      seen = requestsFrom(emulator());
      const read = await host.read(asgUrn("gone"), assigned.id, asg(assigned.properties));
      assert.equal(read.id, "", "removed from the stack");
      assert.equal(graphCalls(seen).length, 1);
    });
  });

  // Last: mocha runs a suite's own tests before its child suites, so the check is a suite of its own.
  describe("the approval link", () => {
    it("no link this suite saw appears in the host's output", () => {
      assert.ok(links.size > 5, `the links were collected (${links.size})`);
      const output = host.output();
      for (const link of links) assert.ok(!output.includes(link), `the link ${link} is in the host's output`);
      assert.ok(!output.includes("/AdminPortal/"), "nor any approval link");
    });
  });
});

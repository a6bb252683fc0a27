/**
 * GDAP safety (issue 20) through the real dynamic-provider host against the emulator's Microsoft Graph, which has no
 * idempotency key: a create whose answer was lost, or whose host crashed after Graph made it, finds its relationship
 * by its deterministic name (never a second one); a name already used is refused with nothing made; a relationship
 * made but not locked is locked by the next up and deleted (not terminated) by destroy; a relationship that ended is
 * replaced by a new one rather than taken again; a replacement never ends the old relationship before the new one
 * exists; an autoExtend change waits for the approval rather than failing the up; an assignment made outside the stack
 * is never taken over; the approval link never reaches the host's output.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { derivedDisplayName } from "../../provider/resources/gdapRelationshipImplementation";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { approvalLink } from "../../provider/schemas/gdap";
import { emulatorRequest, getAppToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import {
  ASSIGNMENT_TYPE,
  providerTextOf,
  RELATIONSHIP_TYPE,
  requestsFrom,
  startHostFor,
} from "../support/providerHarness";
import { type HostError, type ProviderHost, SECRET_SIG_KEY, urnFor } from "../support/providerHost";

type Props = Record<string, unknown>;

const relUrn = (name: string) => urnFor(RELATIONSHIP_TYPE, name);
const asgUrn = (name: string) => urnFor(ASSIGNMENT_TYPE, name);
const GRAPH = "/v1.0/tenantRelationships/delegatedAdminRelationships";
/** The relationship create itself (not its `requests` or `accessAssignments`). */
const CREATE = new RegExp(`^${GRAPH.replace(/\./g, "\\.")}$`);
const ROLES = ["Helpdesk Administrator", "Global Reader"];
const id = (name: keyof typeof ENTRA_ROLES) => ENTRA_ROLES[name] as string;

function secretOf(properties: Props, key: string): string {
  const wrapped = properties[key] as Record<string, unknown> | undefined;
  assert.ok(wrapped && SECRET_SIG_KEY in wrapped, `${key} is a secret output: ${JSON.stringify(wrapped)}`);
  return String(wrapped.value);
}

describe("GDAP safety through the real provider host (App-only)", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let relationshipProvider: string;
  let assignmentProvider: string;
  /** Every approval link a test saw: none may appear in any host's output. */
  const links = new Set<string>();
  const outputs: string[] = [];

  before(async () => {
    relationshipProvider = await providerTextOf("GdapRelationship");
    assignmentProvider = await providerTextOf("GdapAccessAssignment");
    host = await startHostFor(emulator(), { credentials: "app" });
  });
  after(async () => {
    await host?.stop();
  });

  const gdap = () => emulator().state().gdap;
  /** What an assignment grants (its status moves on as Graph reads it: not compared). */
  const grants = () =>
    gdap().accessAssignments.map((a) => ({
      id: a.id,
      group: a.accessContainer.accessContainerId,
      roles: a.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
    }));
  const relationshipIn = (relationshipId: string) => gdap().relationships.find((r) => r.id === relationshipId);
  const relationshipsOf = (customer: string) => gdap().relationships.filter((r) => r.customer.tenantId === customer);
  const creates = (seen: () => ReturnType<ReturnType<typeof requestsFrom>>) =>
    seen().filter((r) => r.method === "POST" && CREATE.test(r.path));
  const rel = (inputs: Props) => ({ ...inputs, __provider: relationshipProvider });
  const asg = (inputs: Props) => ({ ...inputs, __provider: assignmentProvider });
  const linkOf = (properties: Props) => {
    const link = secretOf(properties, "approvalUrl");
    links.add(link);
    return link;
  };

  /** Resolves once `on`'s output after `mark` matches `pattern`. */
  async function said(on: ProviderHost, mark: number, pattern: RegExp): Promise<string> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const text = on.output().slice(mark);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`host output did not match ${pattern}:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function newCustomer({ defaultGdap = false } = {}): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: { ...usCustomerBody("safe"), enableGDAPByDefault: defaultGdap },
    });
    assert.equal(response.status, 201, response.text);
    return response.body.companyProfile.tenantId as string;
  }

  /** A call to Graph as a tool other than Pulumi would make it (App-only Graph token). */
  async function outsideGraph(method: string, path: string, json?: unknown) {
    const token = await emulatorRequest(emulator(), "POST", `/${emulator().tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: "client_credentials",
        client_id: emulator().credentials.clientId,
        client_secret: emulator().credentials.clientSecret,
        scope: emulator().graphScope,
      },
    });
    assert.equal(token.status, 200, token.text);
    return emulatorRequest(emulator(), method, `${GRAPH}${path}`, {
      token: token.body.access_token,
      json,
      headers: method === "PATCH" || method === "DELETE" ? { "If-Match": "*" } : {},
    });
  }

  async function checked(on: ProviderHost, name: string, inputs: Props): Promise<Props> {
    const result = await on.check(relUrn(name), {}, rel({ ...inputs, __createKey: `proj/test/${name}` }));
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  describe("creates Graph may have made", () => {
    it("a create whose answer was lost finds the relationship by its name: exactly one", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "lost", { customerTenantId: customer, roles: ROLES });
      const seen = requestsFrom(emulator());
      const mark = host.output().length;
      emulator().faults.inject({ method: "POST", path: CREATE, mode: "commitThenDrop", count: 1 });
      const created = await host.create(relUrn("lost"), input);
      assert.equal(creates(seen).length, 2, "the lost POST was sent again (and refused: the name is taken)");
      assert.deepEqual(
        creates(seen).map((r) => r.status),
        [0, 409],
      );
      const stored = relationshipsOf(customer);
      assert.equal(stored.length, 1, "one relationship");
      assert.equal(created.id, stored[0]?.id);
      assert.equal(stored[0]?.status, "approvalPending", "and it was locked for approval");
      assert.equal(created.properties.status, "waitingForCustomer");
      linkOf(created.properties);
      await said(host, mark, /the answer was lost, but Graph made it/);
    });

    it("a re-run on another host after a crash takes the relationship the first run made: same ID, one relationship", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "crash", { customerTenantId: customer, roles: ROLES, durationDays: 180 });
      const first = await host.create(relUrn("crash"), input);
      linkOf(first.properties);
      const rerun = await startHostFor(emulator(), { credentials: "app" });
      try {
        const seen = requestsFrom(emulator());
        const again = await rerun.create(relUrn("crash"), await checked(rerun, "crash", input));
        assert.equal(again.id, first.id);
        assert.equal(again.properties.relationshipName, first.properties.relationshipName);
        assert.equal(linkOf(again.properties), linkOf(first.properties));
        assert.deepEqual(creates(seen), [], "no second POST");
        await said(rerun, 0, /found the relationship an earlier run of this resource created/);
        outputs.push(rerun.output());
      } finally {
        await rerun.stop();
      }
      assert.equal(relationshipsOf(customer).length, 1);
      assert.equal(gdap().requests.length, 1, "locked once");
    });

    it("a lost answer to the lock for approval or to the terminate fails neither the create nor the destroy", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "lost-lock", { customerTenantId: customer, roles: ROLES });
      const requests = /\/requests$/;
      emulator().faults.inject({ method: "POST", path: requests, mode: "commitThenDrop", count: 1 });
      let seen = requestsFrom(emulator());
      const created = await host.create(relUrn("lost-lock"), input);
      assert.equal(created.properties.status, "waitingForCustomer");
      assert.equal(created.properties.relationshipStatus, "approvalPending");
      linkOf(created.properties);
      assert.deepEqual(
        seen()
          .filter((r) => r.method === "POST" && requests.test(r.path))
          .map((r) => r.status),
        [0, 400],
        "the retry was refused: it was locked already",
      );
      assert.deepEqual(
        gdap().requests.map((r) => r.action),
        ["lockForApproval"],
      );

      emulator().faults.inject({ method: "POST", path: requests, mode: "commitThenDrop", count: 1 });
      seen = requestsFrom(emulator());
      await host.delete(relUrn("lost-lock"), created.id, rel(created.properties));
      assert.deepEqual(
        seen()
          .filter((r) => r.method === "POST" && requests.test(r.path))
          .map((r) => r.status),
        [0, 400],
      );
      assert.equal(relationshipIn(created.id)?.status, "terminationRequested");
      assert.deepEqual(
        gdap().requests.map((r) => r.action),
        ["lockForApproval", "terminate"],
      );
    });

    it("the derived name is deterministic: the same create key and inputs give the same name, another key another", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "named", { customerTenantId: customer, roles: ROLES });
      const created = await host.create(relUrn("named"), input);
      linkOf(created.properties);
      const roleIds = ROLES.map((name) => id(name as keyof typeof ENTRA_ROLES));
      const inputs = { customerTenantId: customer, roles: ROLES };
      const name = derivedDisplayName("proj/test/named", inputs, roleIds);
      assert.equal(created.properties.relationshipName, name);
      assert.match(name, /^named-[0-9a-f]{10}$/);
      assert.ok(name.length <= 50);
      assert.equal(
        derivedDisplayName("proj/test/named", inputs, [...roleIds].reverse()),
        name,
        "role order is no matter",
      );
      assert.notEqual(derivedDisplayName("proj/other/named", inputs, roleIds), name, "another stack");
      assert.notEqual(derivedDisplayName("proj/test/named", { ...inputs, durationDays: 30 }, roleIds), name);
      assert.ok(derivedDisplayName(`proj/test/${"n".repeat(80)}`, inputs, roleIds).length <= 50);
    });

    it("a displayName already used for the same customer is refused, telling to adopt it by ID; nothing is made", async () => {
      const customer = await newCustomer();
      const first = await host.create(
        relUrn("mine"),
        await checked(host, "mine", { customerTenantId: customer, roles: ROLES, displayName: "Contoso support" }),
      );
      linkOf(first.properties);
      const input = await checked(host, "twin", {
        customerTenantId: customer,
        roles: ["Global Reader"],
        displayName: "Contoso support",
      });
      const seen = requestsFrom(emulator());
      await assert.rejects(host.create(relUrn("twin"), input), (error: Error) => {
        assert.match(error.message, /a relationship named "Contoso support" already exists for this customer/);
        assert.match(error.message, new RegExp(`adopt it with existingRelationshipId: ${first.id}`));
        return true;
      });
      assert.deepEqual(creates(seen), [], "no POST");
      assert.equal(relationshipsOf(customer).length, 1);
    });

    it("a displayName used with another customer is refused naming that customer; nothing is made", async () => {
      const [one, two] = [await newCustomer(), await newCustomer()];
      const first = await host.create(
        relUrn("first"),
        await checked(host, "first", { customerTenantId: one, roles: ROLES, displayName: "Shared name" }),
      );
      linkOf(first.properties);
      const seen = requestsFrom(emulator());
      const input = await checked(host, "second", { customerTenantId: two, roles: ROLES, displayName: "shared NAME" });
      await assert.rejects(
        host.create(relUrn("second"), input),
        new RegExp(`already exists with customer ${one}: display names are unique`),
      );
      assert.deepEqual(creates(seen), []);
      assert.deepEqual(relationshipsOf(two), []);
    });
  });

  describe("a relationship made but not locked for approval", () => {
    /** A create whose lock for approval is refused: the relationship stays `created`, kept in the stack. */
    async function partialCreate(name: string) {
      const customer = await newCustomer();
      const input = await checked(host, name, { customerTenantId: customer, roles: ROLES });
      emulator().faults.inject({ method: "POST", path: /\/requests$/, status: 400, count: 1 });
      let failure: HostError["initFailure"];
      await assert.rejects(host.create(relUrn(name), input), (error: HostError) => {
        failure = error.initFailure;
        assert.ok(failure, `a partial create, not a plain failure: ${String(error.details)}`);
        assert.match(error.details ?? "", /created, but locking it for the customer's approval failed/);
        return true;
      });
      const kept = failure as NonNullable<HostError["initFailure"]>;
      assert.equal(kept.properties.__provider, relationshipProvider, "refresh and destroy can work on it");
      assert.equal(kept.properties.status, "waitingForCustomer");
      assert.equal(kept.properties.relationshipStatus, "created");
      assert.equal(relationshipIn(kept.id)?.status, "created");
      return { customer, input, kept };
    }

    it("the next preview plans the lock, and the update locks it", async () => {
      const { input, kept } = await partialCreate("unlocked");
      const diff = await host.diff(relUrn("unlocked"), kept.id, kept.properties, input);
      assert.deepEqual([diff.changes, diff.replaces], ["some", []], "the next up must lock it");
      const updated = await host.update(relUrn("unlocked"), kept.id, kept.properties, input);
      assert.equal(updated.properties.status, "waitingForCustomer");
      assert.equal(updated.properties.relationshipStatus, "approvalPending");
      assert.equal(linkOf(updated.properties), approvalLink(emulator().url, kept.id));
      assert.equal(relationshipIn(kept.id)?.status, "approvalPending");
    });

    it("destroy deletes it (never locked: nothing to terminate); refresh then drops it from the stack", async () => {
      const { kept } = await partialCreate("never-locked");
      const seen = requestsFrom(emulator());
      await host.delete(relUrn("never-locked"), kept.id, kept.properties);
      assert.deepEqual(
        seen()
          .filter((r) => r.method !== "GET")
          .map((r) => `${r.method} ${r.path} ${r.status}`),
        [`DELETE ${GRAPH}/${kept.id} 204`],
      );
      assert.equal(relationshipIn(kept.id), undefined, "gone");
      const read = await host.read(relUrn("never-locked"), kept.id, kept.properties);
      assert.equal(read.id, "", "a relationship Graph no longer has leaves the stack");
    });
  });

  describe("replacements", () => {
    it("replacing an expired relationship (same inputs) makes a new one rather than taking the expired one again", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "renew", { customerTenantId: customer, roles: ROLES });
      const first = await host.create(relUrn("renew"), input);
      linkOf(first.properties);
      await emulator().expireGdapRelationship(first.id);
      const read = await host.read(relUrn("renew"), first.id, rel(first.properties));
      assert.equal(read.properties.status, "expired");
      const mark = host.output().length;
      // `pulumi up --replace`: create the new one, then delete the old one.
      const replacement = await host.create(relUrn("renew"), input);
      assert.notEqual(replacement.id, first.id, "a new relationship");
      assert.equal(replacement.properties.status, "waitingForCustomer");
      assert.notEqual(replacement.properties.relationshipName, first.properties.relationshipName);
      linkOf(replacement.properties);
      assert.equal(relationshipIn(replacement.id)?.status, "approvalPending");
      await host.delete(relUrn("renew"), first.id, rel(read.properties));
      assert.equal(relationshipIn(first.id)?.status, "expired", "the old one left as it was");
      assert.equal(relationshipIn(replacement.id)?.status, "approvalPending");
      assert.ok(!host.output().slice(mark).includes("found the relationship an earlier run"));

      // A re-run of that replacement (its answer lost) takes the new one, not a third.
      const again = await host.create(relUrn("renew"), input);
      assert.equal(again.id, replacement.id);
      assert.equal(relationshipsOf(customer).length, 2);
    });

    it("destroy then up again with the same inputs makes a new relationship, not the terminated one", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "again", { customerTenantId: customer, roles: ROLES });
      const first = await host.create(relUrn("again"), input);
      linkOf(first.properties);
      await host.delete(relUrn("again"), first.id, rel(first.properties));
      assert.equal(relationshipIn(first.id)?.status, "terminationRequested");
      const second = await host.create(relUrn("again"), input);
      assert.notEqual(second.id, first.id);
      assert.equal(second.properties.status, "waitingForCustomer");
      linkOf(second.properties);
    });

    it("a roles change under the same displayName never terminates the old relationship before a new one exists", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "named-replace", {
        customerTenantId: customer,
        roles: ROLES,
        displayName: "Contoso admins",
      });
      const created = await host.create(relUrn("named-replace"), input);
      linkOf(created.properties);
      await emulator().approveGdapRelationship(created.id);
      const active = (await host.update(relUrn("named-replace"), created.id, rel(created.properties), input))
        .properties;
      const wider = await checked(host, "named-replace", { ...input, roles: [...ROLES, "User Administrator"] });
      const mark = host.output().length;
      const diff = await host.diff(relUrn("named-replace"), created.id, rel(active), wider);
      assert.deepEqual(diff.replaces, ["roles"]);
      await said(host, mark, /keeps its displayName, which the current relationship holds: .*set another displayName/);
      // Play the engine's replacement as the diff asks for it.
      const replace = async () => {
        if (diff.deleteBeforeReplace) await host.delete(relUrn("named-replace"), created.id, rel(active));
        const made = await host.create(relUrn("named-replace"), wider);
        if (!diff.deleteBeforeReplace) await host.delete(relUrn("named-replace"), created.id, rel(active));
        return made;
      };
      await assert.rejects(replace(), /a relationship named "Contoso admins" already exists for this customer/);
      assert.equal(relationshipIn(created.id)?.status, "active", "the customer's access is intact");
      assert.equal(relationshipsOf(customer).length, 1);
    });
  });

  describe("changes while the customer has not approved", () => {
    it("autoExtend changed while the customer has not approved waits for the approval instead of failing the up", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "extend-later", { customerTenantId: customer, roles: ROLES });
      const created = await host.create(relUrn("extend-later"), input);
      linkOf(created.properties);
      const olds = rel(created.properties);
      const extend = await checked(host, "extend-later", { ...input, autoExtend: true });
      assert.equal((await host.diff(relUrn("extend-later"), created.id, olds, extend)).changes, "some");
      let seen = requestsFrom(emulator());
      const mark = host.output().length;
      const waiting = await host.update(relUrn("extend-later"), created.id, olds, extend);
      assert.deepEqual(
        seen().filter((r) => r.method !== "GET"),
        [],
        "Graph refuses changes to a relationship awaiting approval: none sent",
      );
      assert.equal(waiting.properties.status, "waitingForCustomer");
      assert.equal(waiting.properties.autoExtend, undefined, "not recorded as applied");
      assert.equal(relationshipIn(created.id)?.autoExtendDuration, "PT0S");
      await said(host, mark, /the first pulumi up after the customer's approval applies it/);

      await emulator().approveGdapRelationship(created.id);
      const next = rel(waiting.properties);
      assert.deepEqual((await host.diff(relUrn("extend-later"), created.id, next, extend)).changes, "some");
      seen = requestsFrom(emulator());
      const applied = await host.update(relUrn("extend-later"), created.id, next, extend);
      assert.deepEqual(
        seen()
          .filter((r) => r.method === "PATCH")
          .map((r) => r.status),
        [200],
      );
      assert.equal(relationshipIn(created.id)?.autoExtendDuration, "P180D");
      assert.equal(applied.properties.autoExtend, true);
      assert.equal(applied.properties.status, "completed");
      seen = requestsFrom(emulator());
      assert.equal(
        (await host.diff(relUrn("extend-later"), created.id, rel(applied.properties), extend)).changes,
        "none",
      );
      assert.deepEqual(seen(), []);
    });
  });

  describe("access assignments", () => {
    async function activeRelationship(name: string) {
      const customer = await newCustomer({ defaultGdap: true });
      const input = await checked(host, name, { customerTenantId: customer, adoptDefault: true });
      return host.create(relUrn(name), input);
    }
    async function checkedAssignment(name: string, inputs: Props): Promise<Props> {
      const result = await host.check(asgUrn(name), {}, asg(inputs));
      assert.deepEqual(result.failures, []);
      return result.inputs;
    }

    it("an assignment whose answer was lost is found by its group: exactly one", async () => {
      const relationship = await activeRelationship("lost-assignment-rel");
      const input = await checkedAssignment("lost-assignment", {
        relationshipId: relationship.id,
        securityGroupId: randomUUID(),
        roles: ["Helpdesk Administrator"],
      });
      const path = `${GRAPH}/${relationship.id}/accessAssignments`;
      emulator().faults.inject({ method: "POST", path, mode: "commitThenDrop", count: 1 });
      const seen = requestsFrom(emulator());
      const created = await host.create(asgUrn("lost-assignment"), input);
      assert.deepEqual(
        seen()
          .filter((r) => r.method === "POST" && r.path === path)
          .map((r) => r.status),
        [0, 409],
      );
      assert.equal(gdap().accessAssignments.length, 1);
      assert.equal(created.properties.assignmentId, gdap().accessAssignments[0]?.id);
      assert.equal(created.properties.status, "completed");
    });

    it("a group with an assignment made outside the stack is refused, at create and at the update after approval", async () => {
      const relationship = await activeRelationship("outside-rel");
      const group = randomUUID();
      const outside = await outsideGraph("POST", `/${relationship.id}/accessAssignments`, {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: id("Helpdesk Administrator") }] },
      });
      assert.equal(outside.status, 201, outside.text);
      const before = grants();
      const input = await checkedAssignment("takeover", {
        relationshipId: relationship.id,
        securityGroupId: group.toUpperCase(),
        roles: ["Helpdesk Administrator", "User Administrator"],
      });
      const seen = requestsFrom(emulator());
      await assert.rejects(
        host.create(asgUrn("takeover"), input),
        new RegExp(`already has access assignment ${outside.body.id} .*made outside this resource`),
      );
      assert.ok(
        seen().every((r) => r.method === "GET"),
        "nothing sent",
      );
      assert.deepEqual(grants(), before, "not taken over, not changed");

      // Waiting when the relationship was pending; the group got access elsewhere meanwhile.
      const customer = await newCustomer();
      const pending = await host.create(
        relUrn("pending-rel"),
        await checked(host, "pending-rel", { customerTenantId: customer, roles: ROLES }),
      );
      linkOf(pending.properties);
      const later = await checkedAssignment("later", {
        relationshipId: pending.id,
        securityGroupId: group,
        roles: ["Global Reader"],
      });
      const waiting = await host.create(asgUrn("later"), later);
      assert.equal(waiting.properties.status, "waitingForCustomer");
      await emulator().approveGdapRelationship(pending.id);
      const made = await outsideGraph("POST", `/${pending.id}/accessAssignments`, {
        accessContainer: { accessContainerId: group, accessContainerType: "securityGroup" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: id("Helpdesk Administrator") }] },
      });
      assert.equal(made.status, 201, made.text);
      const mine = grants();
      await assert.rejects(
        host.update(asgUrn("later"), waiting.id, asg(waiting.properties), later),
        /made outside this resource/,
      );
      assert.deepEqual(grants(), mine);
    });

    it("an assignment on an ended relationship is refused before anything is sent", async () => {
      const relationship = await activeRelationship("ended-rel");
      await emulator().expireGdapRelationship(relationship.id);
      const input = await checkedAssignment("ended", {
        relationshipId: relationship.id,
        securityGroupId: randomUUID(),
        roles: ["Helpdesk Administrator"],
      });
      const seen = requestsFrom(emulator());
      await assert.rejects(host.create(asgUrn("ended"), input), /the relationship is expired: it grants no access/);
      assert.ok(seen().every((r) => r.method === "GET"));
    });
  });

  describe("destroy of a relationship awaiting approval", () => {
    it("Graph refusing to terminate it is said loudly and the resource is forgotten: a destroy cannot fail on it", async () => {
      const customer = await newCustomer();
      const input = await checked(host, "refused", { customerTenantId: customer, roles: ROLES });
      const created = await host.create(relUrn("refused"), input);
      const mark = host.output().length;
      emulator().faults.inject({ method: "POST", path: /\/requests$/, status: 400, count: 1 });
      await host.delete(relUrn("refused"), created.id, rel(created.properties));
      const said = host.output().slice(mark);
      assert.match(said, /refused to terminate it .*the customer can still approve it/s);
      assert.equal(
        emulator()
          .state()
          .gdap.relationships.find((r) => r.id === created.id)?.status,
        "approvalPending",
        "nothing else was sent",
      );
    });
  });

  describe("the approval link", () => {
    it("appears in no host output line, not even in errors", async () => {
      // One more waiting relationship, previewed, refreshed, updated, destroyed: every step that says something.
      const customer = await newCustomer();
      const input = await checked(host, "quiet", { customerTenantId: customer, roles: ROLES });
      const created = await host.create(relUrn("quiet"), input);
      const link = linkOf(created.properties);
      const olds = rel(created.properties);
      await host.diff(relUrn("quiet"), created.id, olds, input);
      const read = await host.read(relUrn("quiet"), created.id, olds);
      assert.equal(secretOf(read.properties, "approvalUrl"), link, "still a secret after refresh");
      const extend = await checked(host, "quiet", { ...input, waitForApprovalSeconds: 0 });
      const updated = await host.update(relUrn("quiet"), created.id, olds, extend);
      assert.equal(secretOf(updated.properties, "approvalUrl"), link, "still a secret after an update");
      // A terminate Graph keeps failing (a refusal of a waiting one is a warning, not an error: see the delete).
      emulator().faults.inject({ method: "POST", path: /\/requests$/, status: 503, count: 20 });
      await assert.rejects(host.delete(relUrn("quiet"), created.id, olds), (error: HostError) => {
        assert.ok(!String(error.details).includes(link));
        return true;
      });
      assert.ok(links.has(link), "the links this suite saw are collected");
      for (const text of [host.output(), ...outputs]) {
        for (const seen of links) assert.ok(!text.includes(seen), `the link ${seen} is in the host's output`);
        assert.ok(!text.includes("/AdminPortal/"), "nor any approval link");
      }
    });
  });
});

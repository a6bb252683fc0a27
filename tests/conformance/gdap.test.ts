/**
 * Conformance of the GDAP resources (issue 20): the dynamic `GdapRelationship` and `GdapAccessAssignment` (under
 * Pulumi's dynamic-provider host) and the native plugin's `partnercenter:index:Gdap*` answer the engine the same way,
 * over gRPC, against one emulator. Each front end works on its own customer (created with its Default GDAP
 * relationship) through the same steps: check (failures with the same property paths), a custom relationship created
 * and waiting for the customer's approval, an assignment on it waiting too, the customer's approval, the relationship
 * recorded and the roles assigned by an update, the roles changed in place, reads with no drift, delete (assignment
 * removed, relationship terminated), and the Default GDAP adopted and left in place. Each case runs on both front
 * ends (frontEnds.ts); the two results, with each front end's own IDs, times and ETags replaced by placeholders, must
 * be deep-equal, then meet the case's own expectation.
 *
 * Needs `npm run build` (the native plugin runs from dist/).
 */
import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import { ENTRA_ROLES } from "../../provider/schemas/entraRoles";
import { useEmulator } from "../support/emulatorHooks";
import { customerInputs, requestsFrom } from "../support/providerHarness";
import { SECRET_SIG, SECRET_SIG_KEY } from "../support/providerHost";
import { dynamicFrontEnd, type FrontEnd, nativeFrontEnd, type Props } from "./frontEnds";

/** A resource as a front end holds it between cases: its checked inputs, ID and outputs. */
interface Held {
  inputs: Props;
  id: string;
  properties: Props;
}

/** What a front end carries from case to case. */
interface State {
  /** Its customer's tenant ID (the customer ID). */
  tenantId?: string;
  /** Its customer's Default GDAP relationship, as the emulator made it. */
  defaultId?: string;
  relationship?: Held;
  assignment?: Held;
}

interface Case {
  name: string;
  /** Runs on one front end; the value, {@link normalised}, must be the same for both. */
  run(frontEnd: FrontEnd, state: State, emulator: EmulatorHandle): Promise<unknown>;
  /** What that common value must be. */
  expect(result: unknown): void;
}

const CUSTOMER = "gdap-customer";
const RELATIONSHIP = "gdap";
const ASSIGNMENT = "gdap-operators";
const DEFAULT = "gdap-default";
/** A partner security group: the same for both front ends (their assignments are in different relationships). */
const GROUP = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const RELATIONSHIP_ROLES = ["Global Reader", "Security Reader", "Reports Reader"];

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;

/**
 * The value with what differs by nature between the front ends replaced: each one's own customer, relationship and
 * assignment IDs and the partner group (named placeholders, so a mix-up still shows; role IDs stay), times, Graph
 * ETags, and the digest of a derived display name (it covers the customer).
 */
function normalised(value: unknown, state: State): unknown {
  const named: [string | undefined, string][] = [
    [state.relationship?.id, "<relationship>"],
    [state.defaultId, "<default>"],
    [state.tenantId, "<customer>"],
    [state.assignment?.properties.assignmentId as string | undefined, "<assignment>"],
    [GROUP, "<group>"],
  ];
  const text = (input: string) => {
    let out = input;
    for (const [id, placeholder] of named) {
      if (id) {
        out = out.split(id).join(placeholder).split(encodeURIComponent(id)).join(placeholder);
      }
    }
    return out
      .replace(ISO_TIME, "<time>")
      .replace(/W\/"[A-Za-z0-9+/=]+"/g, "<etag>")
      .replace(/\b(gdap-[a-z-]*)[0-9a-f]{10}\b/g, "$1<digest>")
      .replace(/Default_[A-Za-z0-9]+/g, "Default_<customer>");
  };
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return text(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== "object") return item;
    return Object.fromEntries(
      Object.keys(item as Props)
        .sort()
        .map((key) => [key, walk((item as Props)[key])]),
    );
  };
  return walk(value);
}

/** The Graph requests since a mark, as `METHOD path` (IDs replaced later by {@link normalised}). */
function graphRequests(since: ReturnType<typeof requestsFrom>): string[] {
  return since()
    .filter((r) => /^\/v1(\.0)?\//.test(r.path))
    .map((r) => `${r.method} ${decodeURIComponent(r.path)}`);
}

const sortFailures = (failures: { property: string; reason: string }[]) =>
  [...failures].sort((a, b) => `${a.property}\0${a.reason}`.localeCompare(`${b.property}\0${b.reason}`));

const isSecret = (value: unknown) => (value as Props | undefined)?.[SECRET_SIG_KEY] === SECRET_SIG;
const ids = (...names: string[]) => names.map((name) => ENTRA_ROLES[name] as string);
const held = (value: Held | undefined): Held => {
  assert.ok(value, "an earlier case made it");
  return value;
};

/** The emulator's record of a front end's assignment (by group, in its relationship). */
function assignmentRecord(emulator: EmulatorHandle, state: State) {
  return emulator
    .state()
    .gdap.accessAssignments.find(
      (a) => a.accessContainer.accessContainerId === GROUP && a.id === state.assignment?.properties.assignmentId,
    );
}

const CASES: Case[] = [
  {
    name: "set-up: each front end's own customer, with its Default GDAP relationship",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.customer.check(CUSTOMER, {}, customerInputs({ enableGDAPByDefault: true }));
      assert.deepEqual(checked.failures, []);
      const created = await frontEnd.customer.create(CUSTOMER, checked.inputs);
      state.tenantId = String(created.properties.tenantId);
      const defaults = emulator
        .state()
        .gdap.relationships.filter(
          (r) => r.customer.tenantId === state.tenantId && r.displayName.startsWith("Default_"),
        );
      state.defaultId = defaults[0]?.id;
      return { defaults: defaults.map((r) => r.status) };
    },
    expect: (result) => assert.deepEqual(result, { defaults: ["active"] }),
  },
  {
    name: "relationship check: an unknown role name and other bad inputs fail with the same property paths and reasons",
    async run(frontEnd, state) {
      const tenant = state.tenantId;
      const bad: Props[] = [
        { customerTenantId: tenant, roles: ["Global Reader", "Helpdesk Admin"] },
        { customerTenantId: tenant, roles: ["Global Reader", "Global Reader"] },
        { customerTenantId: tenant, roles: ["Global Administrator"], autoExtend: true },
        { customerTenantId: "contoso", roles: [], durationDays: 731 },
        { customerTenantId: tenant, adoptDefault: true, roles: ["Global Reader"], deletionPolicy: "delete" },
        { customerTenantId: tenant },
      ];
      const results = [];
      for (const news of bad)
        results.push(sortFailures((await frontEnd.relationship.check(RELATIONSHIP, {}, news)).failures));
      return results;
    },
    expect(result) {
      const failures = result as { property: string; reason: string }[][];
      assert.deepEqual(
        failures.map((list) => list.map((f) => f.property)),
        [
          ["roles[1]"],
          ["roles[1]"],
          ["autoExtend"],
          ["customerTenantId", "durationDays", "roles"],
          ["deletionPolicy", "roles"],
          ["roles"],
        ],
      );
      assert.match(failures[0]?.[0]?.reason ?? "", /"Helpdesk Admin" is not a Microsoft Entra built-in role/);
    },
  },
  {
    name: "relationship check: valid inputs normalised alike, the create key the resource's own",
    async run(frontEnd, state) {
      const checked = await frontEnd.relationship.check(
        RELATIONSHIP,
        {},
        { customerTenantId: state.tenantId?.toUpperCase(), roles: RELATIONSHIP_ROLES, durationDays: 180 },
      );
      return { failures: checked.failures, inputs: checked.inputs };
    },
    expect(result) {
      const { failures, inputs } = result as { failures: unknown[]; inputs: Props };
      assert.deepEqual(failures, []);
      assert.equal(inputs.customerTenantId, "<customer>", "lower-cased: the customer's own ID");
      assert.equal(inputs.__createKey, `proj/test/${RELATIONSHIP}`);
    },
  },
  {
    name: "relationship create: locked for approval, waiting for the customer, the link a secret; diff asks Graph once and plans nothing",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.relationship.check(
        RELATIONSHIP,
        {},
        { customerTenantId: state.tenantId, roles: RELATIONSHIP_ROLES, durationDays: 180 },
      );
      const since = requestsFrom(emulator);
      const created = await frontEnd.relationship.create(RELATIONSHIP, checked.inputs);
      state.relationship = { inputs: checked.inputs, id: created.id, properties: created.properties };
      const createRequests = graphRequests(since);
      const diffSince = requestsFrom(emulator);
      const diff = await frontEnd.relationship.diff(RELATIONSHIP, created.id, created.properties, checked.inputs);
      const diffRequests = graphRequests(diffSince);
      // A refresh while it waits: the same outputs, the link still a secret.
      const read = await frontEnd.relationship.read(RELATIONSHIP, created.id, created.properties, checked.inputs);
      return {
        idIsTheRelationship: created.id === created.properties.relationshipId,
        properties: created.properties,
        approvalUrlSecret: isSecret(created.properties.approvalUrl),
        readUnchanged:
          read.id === created.id &&
          JSON.stringify(normalised(read.properties, state)) === JSON.stringify(normalised(created.properties, state)),
        inEmulator: emulator.state().gdap.relationships.find((r) => r.id === created.id)?.status,
        createRequests,
        diff,
        diffRequests,
      };
    },
    expect(result) {
      const r = result as {
        idIsTheRelationship: boolean;
        properties: Props;
        approvalUrlSecret: boolean;
        readUnchanged: boolean;
        inEmulator: string;
        createRequests: string[];
        diff: unknown;
        diffRequests: string[];
      };
      assert.equal(r.idIsTheRelationship, true);
      assert.equal(r.properties.status, "waitingForCustomer");
      assert.equal(r.properties.relationshipStatus, "approvalPending");
      assert.equal(r.properties.adopted, false);
      assert.equal(r.approvalUrlSecret, true);
      assert.equal(r.readUnchanged, true, "a refresh while waiting keeps every output, the link a secret");
      assert.match(
        String((r.properties.approvalUrl as Props).value),
        /\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\/<relationship>$/,
      );
      assert.deepEqual(r.properties.roleIds, ids(...RELATIONSHIP_ROLES));
      assert.equal(r.inEmulator, "approvalPending");
      assert.ok(
        r.createRequests.includes("POST /v1.0/tenantRelationships/delegatedAdminRelationships"),
        r.createRequests.join("\n"),
      );
      assert.ok(
        r.createRequests.includes("POST /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>/requests"),
        r.createRequests.join("\n"),
      );
      assert.deepEqual(r.diff, { changes: "none", replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(r.diffRequests, ["GET /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>"]);
    },
  },
  {
    name: "assignment check: an unknown role name, a role outside relationshipRoles and a bad group fail with the same property paths",
    async run(frontEnd, state) {
      const relationshipId = held(state.relationship).id;
      const bad: Props[] = [
        { relationshipId, securityGroupId: GROUP, roles: ["Global Reader", "Not A Role"] },
        {
          relationshipId,
          securityGroupId: GROUP,
          roles: ["Helpdesk Administrator"],
          relationshipRoles: RELATIONSHIP_ROLES,
        },
        { relationshipId, securityGroupId: "operators", roles: ["Global Reader"], waitForApprovalSeconds: -1 },
        { securityGroupId: GROUP, roles: [] },
      ];
      const results = [];
      for (const news of bad)
        results.push(sortFailures((await frontEnd.assignment.check(ASSIGNMENT, {}, news)).failures));
      return results;
    },
    expect(result) {
      const failures = result as { property: string; reason: string }[][];
      assert.deepEqual(
        failures.map((list) => list.map((f) => f.property)),
        [["roles[1]"], ["roles[0]"], ["securityGroupId", "waitForApprovalSeconds"], ["relationshipId", "roles"]],
      );
      assert.match(failures[1]?.[0]?.reason ?? "", /not one of the relationship's roles/);
    },
  },
  {
    name: "assignment create while the relationship waits: nothing assigned; diff asks Graph once and plans nothing",
    async run(frontEnd, state, emulator) {
      const relationship = held(state.relationship);
      const checked = await frontEnd.assignment.check(
        ASSIGNMENT,
        {},
        {
          relationshipId: relationship.id,
          securityGroupId: GROUP.toUpperCase(),
          roles: ["Global Reader"],
          relationshipRoles: RELATIONSHIP_ROLES,
        },
      );
      assert.deepEqual(checked.failures, []);
      const since = requestsFrom(emulator);
      const created = await frontEnd.assignment.create(ASSIGNMENT, checked.inputs);
      state.assignment = { inputs: checked.inputs, id: created.id, properties: created.properties };
      const createRequests = graphRequests(since);
      const diffSince = requestsFrom(emulator);
      const diff = await frontEnd.assignment.diff(ASSIGNMENT, created.id, created.properties, checked.inputs);
      const diffRequests = graphRequests(diffSince);
      const read = await frontEnd.assignment.read(ASSIGNMENT, created.id, created.properties, checked.inputs);
      return {
        readUnchanged:
          read.id === created.id &&
          JSON.stringify(normalised(read.properties, state)) === JSON.stringify(normalised(created.properties, state)),
        inputs: checked.inputs,
        id: created.id,
        properties: created.properties,
        createRequests,
        diff,
        diffRequests,
        assigned: emulator.state().gdap.accessAssignments.filter((a) => a.accessContainer.accessContainerId === GROUP)
          .length,
      };
    },
    expect(result) {
      const r = result as {
        readUnchanged: boolean;
        inputs: Props;
        id: string;
        properties: Props;
        createRequests: string[];
        diff: unknown;
        diffRequests: string[];
        assigned: number;
      };
      assert.equal(r.inputs.securityGroupId, "<group>", "lower-cased");
      assert.equal(r.id, "<relationship>/<group>");
      assert.equal(r.properties.status, "waitingForCustomer");
      assert.equal(r.properties.assignmentId, undefined);
      assert.deepEqual(r.properties.roleIds, ids("Global Reader"));
      assert.deepEqual(r.createRequests, ["GET /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>"]);
      assert.deepEqual(r.diff, { changes: "none", replaces: [], deleteBeforeReplace: false });
      assert.deepEqual(r.diffRequests, ["GET /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>"]);
      assert.equal(r.assigned, 0, "neither front end assigned anything yet");
      assert.equal(r.readUnchanged, true, "a refresh while waiting keeps it waiting");
    },
  },
  {
    name: "approval: the relationship's diff sees it (in place) and its update records it (completed, no link)",
    async run(frontEnd, state, emulator) {
      const relationship = held(state.relationship);
      const approved = await emulator.approveGdapRelationship(relationship.id);
      const diff = await frontEnd.relationship.diff(
        RELATIONSHIP,
        relationship.id,
        relationship.properties,
        relationship.inputs,
      );
      const since = requestsFrom(emulator);
      const updated = await frontEnd.relationship.update(
        RELATIONSHIP,
        relationship.id,
        relationship.properties,
        relationship.inputs,
      );
      relationship.properties = updated.properties;
      const after = await frontEnd.relationship.diff(
        RELATIONSHIP,
        relationship.id,
        updated.properties,
        relationship.inputs,
      );
      return { approved, diff, properties: updated.properties, requests: graphRequests(since), after };
    },
    expect(result) {
      const r = result as { approved: boolean; diff: unknown; properties: Props; requests: string[]; after: unknown };
      assert.equal(r.approved, true);
      assert.deepEqual(r.diff, { changes: "some", replaces: [], deleteBeforeReplace: false });
      assert.equal(r.properties.status, "completed");
      assert.equal(r.properties.relationshipStatus, "active");
      assert.equal(r.properties.approvalUrl, undefined, "no link once active");
      assert.equal(r.properties.activatedAt, "<time>");
      assert.deepEqual(r.requests, ["GET /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>"]);
      assert.deepEqual(r.after, { changes: "none", replaces: [], deleteBeforeReplace: false });
    },
  },
  {
    name: "assignment after approval: diff plans it (in place), update assigns the roles",
    async run(frontEnd, state, emulator) {
      const assignment = held(state.assignment);
      const diff = await frontEnd.assignment.diff(ASSIGNMENT, assignment.id, assignment.properties, assignment.inputs);
      const since = requestsFrom(emulator);
      const updated = await frontEnd.assignment.update(
        ASSIGNMENT,
        assignment.id,
        assignment.properties,
        assignment.inputs,
      );
      assignment.properties = updated.properties;
      const record = assignmentRecord(emulator, state);
      return {
        diff,
        properties: updated.properties,
        requests: graphRequests(since),
        record: record && {
          status: record.status,
          roles: record.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
        },
      };
    },
    expect(result) {
      const r = result as { diff: unknown; properties: Props; requests: string[]; record: Props };
      assert.deepEqual(r.diff, { changes: "some", replaces: [], deleteBeforeReplace: false });
      assert.equal(r.properties.status, "completed");
      assert.equal(r.properties.assignmentStatus, "active");
      assert.equal(r.properties.assignmentId, "<assignment>");
      assert.deepEqual(r.properties.roleIds, ids("Global Reader"));
      assert.ok(
        r.requests.includes(
          "POST /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>/accessAssignments",
        ),
        r.requests.join("\n"),
      );
      assert.deepEqual(r.record, { status: "active", roles: ids("Global Reader") });
    },
  },
  {
    name: "assignment roles change: in place, the same assignment, its roles changed in Graph",
    async run(frontEnd, state, emulator) {
      const assignment = held(state.assignment);
      const news = { ...assignment.inputs, roles: ["Global Reader", "Reports Reader"] };
      const diff = await frontEnd.assignment.diff(ASSIGNMENT, assignment.id, assignment.properties, news);
      const before = assignment.properties.assignmentId;
      const since = requestsFrom(emulator);
      const updated = await frontEnd.assignment.update(ASSIGNMENT, assignment.id, assignment.properties, news);
      assignment.inputs = news;
      assignment.properties = updated.properties;
      const record = assignmentRecord(emulator, state);
      return {
        diff,
        sameAssignment: updated.properties.assignmentId === before,
        properties: updated.properties,
        requests: graphRequests(since),
        roles: record?.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId).sort(),
      };
    },
    expect(result) {
      const r = result as {
        diff: unknown;
        sameAssignment: boolean;
        properties: Props;
        requests: string[];
        roles: string[];
      };
      assert.deepEqual(r.diff, { changes: "some", replaces: [], deleteBeforeReplace: false });
      assert.equal(r.sameAssignment, true);
      assert.deepEqual(r.properties.roles, ["Global Reader", "Reports Reader"]);
      assert.deepEqual(r.properties.roleIds, ids("Global Reader", "Reports Reader"));
      assert.ok(
        r.requests.some((line) =>
          /^PATCH \/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/<relationship>\/accessAssignments\/<assignment>$/.test(
            line,
          ),
        ),
        r.requests.join("\n"),
      );
      assert.deepEqual(r.roles, ids("Global Reader", "Reports Reader").sort());
    },
  },
  {
    name: "read: no drift for either resource; unchanged diffs send nothing; what replaces and what changes in place",
    async run(frontEnd, state, emulator) {
      const relationship = held(state.relationship);
      const assignment = held(state.assignment);
      const readRelationship = await frontEnd.relationship.read(
        RELATIONSHIP,
        relationship.id,
        relationship.properties,
        relationship.inputs,
      );
      const readAssignment = await frontEnd.assignment.read(
        ASSIGNMENT,
        assignment.id,
        assignment.properties,
        assignment.inputs,
      );
      const since = requestsFrom(emulator);
      const unchanged = [
        await frontEnd.relationship.diff(
          RELATIONSHIP,
          relationship.id,
          readRelationship.properties,
          relationship.inputs,
        ),
        await frontEnd.assignment.diff(ASSIGNMENT, assignment.id, readAssignment.properties, assignment.inputs),
      ];
      const unchangedRequests = since().length;
      const changes = {
        roles: await frontEnd.relationship.diff(RELATIONSHIP, relationship.id, relationship.properties, {
          ...relationship.inputs,
          roles: ["Global Reader"],
        }),
        autoExtend: await frontEnd.relationship.diff(RELATIONSHIP, relationship.id, relationship.properties, {
          ...relationship.inputs,
          autoExtend: true,
        }),
        group: await frontEnd.assignment.diff(ASSIGNMENT, assignment.id, assignment.properties, {
          ...assignment.inputs,
          securityGroupId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        }),
        rolesById: await frontEnd.assignment.diff(ASSIGNMENT, assignment.id, assignment.properties, {
          ...assignment.inputs,
          roles: ids("Global Reader", "Reports Reader"),
        }),
      };
      return {
        sameRelationship:
          JSON.stringify(normalised(readRelationship.properties, state)) ===
          JSON.stringify(normalised(relationship.properties, state)),
        sameAssignment:
          JSON.stringify(normalised(readAssignment.properties, state)) ===
          JSON.stringify(normalised(assignment.properties, state)),
        ids: [readRelationship.id === relationship.id, readAssignment.id === assignment.id],
        unchanged,
        unchangedRequests,
        changes,
      };
    },
    expect(result) {
      const none = { changes: "none", replaces: [], deleteBeforeReplace: false };
      assert.deepEqual(result, {
        sameRelationship: true,
        sameAssignment: true,
        ids: [true, true],
        unchanged: [none, none],
        unchangedRequests: 0,
        changes: {
          roles: { changes: "some", replaces: ["roles"], deleteBeforeReplace: false },
          autoExtend: { changes: "some", replaces: [], deleteBeforeReplace: false },
          group: { changes: "some", replaces: ["securityGroupId"], deleteBeforeReplace: false },
          rolesById: none,
        },
      });
    },
  },
  {
    name: "delete: the assignment removed, then the relationship terminated",
    async run(frontEnd, state, emulator) {
      const relationship = held(state.relationship);
      const assignment = held(state.assignment);
      const recordBefore = assignmentRecord(emulator, state);
      let since = requestsFrom(emulator);
      await frontEnd.assignment.delete(ASSIGNMENT, assignment.id, assignment.properties);
      const assignmentRequests = graphRequests(since);
      since = requestsFrom(emulator);
      await frontEnd.relationship.delete(RELATIONSHIP, relationship.id, relationship.properties);
      return {
        hadAssignment: recordBefore !== undefined,
        assignmentGone: assignmentRecord(emulator, state) === undefined,
        assignmentRequests,
        relationshipRequests: graphRequests(since),
        relationshipStatus: emulator.state().gdap.relationships.find((r) => r.id === relationship.id)?.status,
      };
    },
    expect(result) {
      const r = result as {
        hadAssignment: boolean;
        assignmentGone: boolean;
        assignmentRequests: string[];
        relationshipRequests: string[];
        relationshipStatus: string;
      };
      assert.equal(r.hadAssignment, true);
      assert.equal(r.assignmentGone, true);
      assert.ok(
        r.assignmentRequests.some((line) =>
          line.startsWith(
            "DELETE /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>/accessAssignments/",
          ),
        ),
        r.assignmentRequests.join("\n"),
      );
      assert.ok(
        r.relationshipRequests.includes(
          "POST /v1.0/tenantRelationships/delegatedAdminRelationships/<relationship>/requests",
        ),
        r.relationshipRequests.join("\n"),
      );
      assert.ok(
        ["terminationRequested", "terminating", "terminated"].includes(r.relationshipStatus),
        r.relationshipStatus,
      );
    },
  },
  {
    name: "adoptDefault: the Default GDAP adopted, active at once; an unchanged diff sends nothing; delete leaves it (retain) with no request",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.relationship.check(
        DEFAULT,
        {},
        { customerTenantId: state.tenantId, adoptDefault: true },
      );
      assert.deepEqual(checked.failures, []);
      let since = requestsFrom(emulator);
      const created = await frontEnd.relationship.create(DEFAULT, checked.inputs);
      const createRequests = graphRequests(since);
      since = requestsFrom(emulator);
      const diff = await frontEnd.relationship.diff(DEFAULT, created.id, created.properties, checked.inputs);
      await frontEnd.relationship.delete(DEFAULT, created.id, created.properties);
      return {
        idIsTheDefault: created.id === state.defaultId,
        properties: created.properties,
        createRequests,
        diff,
        diffAndDeleteRequests: since().length,
        afterDelete: emulator.state().gdap.relationships.find((r) => r.id === state.defaultId)?.status,
      };
    },
    expect(result) {
      const r = result as {
        idIsTheDefault: boolean;
        properties: Props;
        createRequests: string[];
        diff: unknown;
        diffAndDeleteRequests: number;
        afterDelete: string;
      };
      assert.equal(r.idIsTheDefault, true);
      assert.equal(r.properties.status, "completed");
      assert.equal(r.properties.adopted, true);
      assert.equal(r.properties.relationshipName, "Default_<customer>");
      assert.equal(r.properties.approvalUrl, undefined);
      assert.deepEqual(r.diff, { changes: "none", replaces: [], deleteBeforeReplace: false });
      assert.equal(r.diffAndDeleteRequests, 0);
      assert.equal(r.afterDelete, "active");
    },
  },
];

describe("conformance: the dynamic and the native front ends answer alike for GdapRelationship and GdapAccessAssignment", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ keepStateBetweenTests: true });
  const frontEnds: FrontEnd[] = [];
  const states = new Map<FrontEnd, State>();

  before(async () => {
    for (const start of [dynamicFrontEnd, nativeFrontEnd]) {
      const frontEnd = await start(emulator());
      frontEnds.push(frontEnd);
      states.set(frontEnd, {});
    }
  });

  after(async () => {
    await Promise.all(frontEnds.map((f) => f.stop()));
  });

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const [dynamic, native] = frontEnds as [FrontEnd, FrontEnd];
      const dynamicState = states.get(dynamic) as State;
      const nativeState = states.get(native) as State;
      const dynamicResult = normalised(await testCase.run(dynamic, dynamicState, emulator()), dynamicState);
      const nativeResult = normalised(await testCase.run(native, nativeState, emulator()), nativeState);
      assert.deepEqual(nativeResult, dynamicResult, "native and dynamic agree");
      testCase.expect(dynamicResult);
    });
  }
});

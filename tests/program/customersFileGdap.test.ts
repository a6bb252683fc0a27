/**
 * The customers file's `gdap:` block (issue 20): the loader runs the GDAP resources' own rules (gdapValidation.ts) and
 * the file's own (default or relationship, each group once, a group's roles among the relationship's, no Default GDAP
 * without enableGDAPByDefault), every refusal naming file, line and path down to the list item.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  type CustomerSpec,
  CustomersFileError,
  GDAP_NAME_SUFFIX,
  gdapAccessName,
  loadCustomersFile,
  parseCustomersFile,
} from "../../provider/gitops";
import { validCustomerArgs } from "../support/customerFixtures";

const FILE = "customers.yaml";
const HELPDESK_GROUP = "3b6f2a8e-9c41-4d7b-a5e2-1f0c8d9e7a61";
const LICENSING_GROUP = "7d2c5e90-4f18-4b3a-8e6d-92a1c0b4f5d3";

/** A valid entry with `gdap` as its GDAP block. */
function entryWith(gdap: unknown, customer: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...validCustomerArgs(), ...customer, gdap };
}

/** The text of a file whose one customer, contoso, has `gdap` as its GDAP block. */
function fileWithGdap(gdap: unknown, customer: Record<string, unknown> = {}): string {
  return stringify({ customers: { contoso: entryWith(gdap, customer) } });
}

/** Parses `text` expecting a CustomersFileError, and returns it. */
function expectInvalid(text: string): CustomersFileError {
  try {
    parseCustomersFile(text, FILE);
  } catch (error) {
    assert.ok(error instanceof CustomersFileError, `expected a CustomersFileError, got ${String(error)}`);
    return error;
  }
  assert.fail("the file was accepted");
}

const CUSTOM = {
  relationship: { roles: ["Global Reader", "Security Reader", "Reports Reader"], durationDays: 180 },
  access: [{ group: LICENSING_GROUP, roles: ["Global Reader"] }],
};

interface InvalidCase {
  title: string;
  gdap: unknown;
  /** Customer inputs next to the block (e.g. enableGDAPByDefault). */
  customer?: Record<string, unknown>;
  /** The issue's path below `customers.contoso.gdap` ("" for the block itself). */
  path: string;
  reason: RegExp;
  /** Text the issue's line holds, so the line points at the offending key or list item. */
  lineText: string;
}

const INVALID: InvalidCase[] = [
  {
    title: "a group's role that is not a Microsoft Entra role, naming the list item",
    gdap: { default: true, access: [{ group: HELPDESK_GROUP, roles: ["User Administrator", "Helpdesk Admin"] }] },
    path: "access[0].roles[1]",
    reason: /^"Helpdesk Admin" is not a Microsoft Entra built-in role .*did you mean "Helpdesk Administrator"/,
    lineText: "- Helpdesk Admin",
  },
  {
    title: "a relationship role that is not a Microsoft Entra role",
    gdap: { relationship: { roles: ["Global Reader", "Global Raeder"] } },
    path: "relationship.roles[1]",
    reason: /"Global Raeder" is not a Microsoft Entra built-in role/,
    lineText: "- Global Raeder",
  },
  {
    title: "a group listed twice (in another case)",
    gdap: {
      default: true,
      access: [
        { group: HELPDESK_GROUP, roles: ["Helpdesk Administrator"] },
        { group: HELPDESK_GROUP.toUpperCase(), roles: ["User Administrator"] },
      ],
    },
    path: "access[1].group",
    reason: new RegExp(`^"${HELPDESK_GROUP}" is also listed at access\\[0\\]: list each group once`),
    lineText: HELPDESK_GROUP.toUpperCase(),
  },
  {
    title: "default and relationship together",
    gdap: { default: true, relationship: { roles: ["Global Reader"] } },
    path: "relationship",
    reason: /cannot be given with `default: true`.*give one of them/,
    lineText: "relationship:",
  },
  {
    title: "default: true for a customer created with enableGDAPByDefault: false",
    gdap: { default: true },
    customer: { enableGDAPByDefault: false },
    path: "default",
    reason: /enableGDAPByDefault: false: Partner Center makes no Default GDAP relationship/,
    lineText: "default: true",
  },
  {
    title: "neither default nor relationship",
    gdap: { access: [{ group: HELPDESK_GROUP, roles: ["Helpdesk Administrator"] }] },
    path: "",
    reason: /^needs `default: true` .* or a relationship with roles/,
    lineText: "gdap:",
  },
  {
    title: "default: false and no relationship",
    gdap: { default: false },
    path: "",
    reason: /^needs `default: true`/,
    lineText: "gdap:",
  },
  {
    title: "an empty gdap block",
    gdap: null,
    path: "",
    reason: /^is empty: give `default: true` .* or remove the gdap block/,
    lineText: "gdap:",
  },
  {
    title: "a gdap block that is a list",
    gdap: ["default"],
    path: "",
    reason: /^must be a mapping \(default, relationship, access\), got an array/,
    lineText: "gdap:",
  },
  {
    title: "a misspelt key of the gdap block",
    gdap: { defualt: true },
    path: "defualt",
    reason: /unknown property \(did you mean "default"\?\)/,
    lineText: "defualt:",
  },
  {
    title: "default given as a string",
    gdap: { default: "yes" },
    path: "default",
    reason: /must be a boolean \(true or false\), got the string "yes"/,
    lineText: "default: yes",
  },
  {
    title: "a group's role outside the relationship's roles",
    gdap: { ...CUSTOM, access: [{ group: LICENSING_GROUP, roles: ["Global Reader", "Helpdesk Administrator"] }] },
    path: "access[0].roles[1]",
    reason: /"Helpdesk Administrator" is not one of the relationship's roles/,
    lineText: "- Helpdesk Administrator",
  },
  {
    title: "a group's role outside the Default GDAP relationship's roles",
    gdap: { default: true, access: [{ group: HELPDESK_GROUP, roles: ["Exchange Administrator"] }] },
    path: "access[0].roles[0]",
    reason:
      /"Exchange Administrator" is not a role of the Default GDAP relationship \(it holds Directory Readers, .*instead of default: true/,
    lineText: "- Exchange Administrator",
  },
  {
    title: "a group that is not an object ID",
    gdap: { default: true, access: [{ group: "Helpdesk agents", roles: ["Helpdesk Administrator"] }] },
    path: "access[0].group",
    reason: /must be the object ID \(a GUID\) of a security group in your partner tenant/,
    lineText: "group: Helpdesk agents",
  },
  {
    title: "a group written as securityGroupId (the resource's name for it)",
    gdap: { default: true, access: [{ securityGroupId: HELPDESK_GROUP, roles: ["Helpdesk Administrator"] }] },
    path: "access[0].securityGroupId",
    reason: /is written "group" here/,
    lineText: "securityGroupId:",
  },
  {
    title: "a group without roles",
    gdap: { default: true, access: [{ group: HELPDESK_GROUP }] },
    path: "access[0].roles",
    reason: /^is required: the relationship's roles this group gets/,
    lineText: HELPDESK_GROUP,
  },
  {
    title: "a group with an empty role list",
    gdap: { default: true, access: [{ group: HELPDESK_GROUP, roles: [] }] },
    path: "access[0].roles",
    reason: /must be a non-empty list of Microsoft Entra role names or IDs/,
    lineText: "roles: []",
  },
  {
    title: "access that is not a list",
    gdap: { default: true, access: { group: HELPDESK_GROUP, roles: ["Helpdesk Administrator"] } },
    path: "access",
    reason: /must be a list of partner security groups, each with group and roles, got an object/,
    lineText: "access:",
  },
  {
    title: "an access item that is not a mapping",
    gdap: { default: true, access: [HELPDESK_GROUP] },
    path: "access[0]",
    reason: /must be a mapping with group .* and roles, got a string/,
    lineText: `- ${HELPDESK_GROUP}`,
  },
  {
    title: "a misspelt key of an access item",
    gdap: { default: true, access: [{ group: HELPDESK_GROUP, role: ["Helpdesk Administrator"] }] },
    path: "access[0].role",
    reason: /did you mean "roles"\?/,
    lineText: "role:",
  },
  {
    title: "a relationship without roles",
    gdap: { relationship: { durationDays: 30 } },
    path: "relationship.roles",
    reason: /^is required: the Microsoft Entra roles you ask the customer for .*`default: true` instead/,
    lineText: "relationship:",
  },
  {
    title: "an empty relationship",
    gdap: { relationship: null },
    path: "relationship",
    reason: /^is empty: give at least roles/,
    lineText: "relationship:",
  },
  {
    title: "a relationship longer than two years",
    gdap: { relationship: { roles: ["Global Reader"], durationDays: 731 } },
    path: "relationship.durationDays",
    reason: /must be a whole number of days from 1 to 730/,
    lineText: "durationDays: 731",
  },
  {
    title: "auto-extend with Global Administrator",
    gdap: { relationship: { roles: ["Global Administrator"], autoExtend: true } },
    path: "relationship.autoExtend",
    reason: /cannot be true for a relationship holding Global Administrator/,
    lineText: "autoExtend: true",
  },
  {
    title: "an unknown deletion policy",
    gdap: { relationship: { roles: ["Global Reader"], deletionPolicy: "delete" } },
    path: "relationship.deletionPolicy",
    reason: /must be "terminate" or "retain"/,
    lineText: "deletionPolicy: delete",
  },
  {
    title: "a display name over Graph's 50 characters",
    gdap: { relationship: { roles: ["Global Reader"], displayName: "x".repeat(51) } },
    path: "relationship.displayName",
    reason: /must be 1–50 characters/,
    lineText: "displayName:",
  },
  {
    title: "the customer's tenant written in the relationship",
    gdap: { relationship: { roles: ["Global Reader"], customerTenantId: HELPDESK_GROUP } },
    path: "relationship.customerTenantId",
    reason: /is not set in the file: the relationship is with the customer this entry creates/,
    lineText: "customerTenantId:",
  },
  {
    title: "adoptDefault written in the relationship",
    gdap: { relationship: { roles: ["Global Reader"], adoptDefault: true } },
    path: "relationship.adoptDefault",
    reason: /is not set here: write `default: true` in the gdap block/,
    lineText: "adoptDefault:",
  },
  {
    title: "a misspelt key of the relationship",
    gdap: { relationship: { roles: ["Global Reader"], durationDay: 30 } },
    path: "relationship.durationDay",
    reason: /did you mean "durationDays"\?/,
    lineText: "durationDay: 30",
  },
];

describe("customers file: the gdap block (provider/gitops)", () => {
  it("takes default: true with access groups, group IDs lower-cased, roles as written", () => {
    const [spec] = parseCustomersFile(
      fileWithGdap({
        default: true,
        access: [
          { group: HELPDESK_GROUP.toUpperCase(), roles: ["Helpdesk Administrator", "user administrator"] },
          { group: ` ${LICENSING_GROUP} `, roles: ["4d6ac14f-3453-41d0-bef9-a3e0c569773a"] },
        ],
      }),
      FILE,
    ) as [CustomerSpec];
    assert.deepEqual(spec.gdap, {
      default: true,
      access: [
        { group: HELPDESK_GROUP, roles: ["Helpdesk Administrator", "user administrator"] },
        { group: LICENSING_GROUP, roles: ["4d6ac14f-3453-41d0-bef9-a3e0c569773a"] },
      ],
    });
  });

  it("takes a relationship the customer approves, normalised as GdapRelationship's check does", () => {
    const [spec] = parseCustomersFile(
      fileWithGdap({
        relationship: {
          roles: ["Global Reader", "Security Reader"],
          durationDays: 365,
          autoExtend: true,
          displayName: "  Contoso support  ",
          deletionPolicy: "retain",
          waitForApprovalSeconds: 60,
        },
      }),
      FILE,
    ) as [CustomerSpec];
    assert.deepEqual(spec.gdap, {
      relationship: {
        roles: ["Global Reader", "Security Reader"],
        durationDays: 365,
        autoExtend: true,
        displayName: "Contoso support",
        deletionPolicy: "retain",
        waitForApprovalSeconds: 60,
      },
    });
  });

  it("takes a gdap block on an adopted customer (existingCustomerId), and an empty access list", () => {
    const [spec] = parseCustomersFile(
      fileWithGdap({ default: true, access: [] }, { existingCustomerId: "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b" }),
      FILE,
    ) as [CustomerSpec];
    assert.deepEqual(spec.gdap, { default: true, access: [] });
    assert.equal(spec.customer.existingCustomerId, "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
  });

  it("names the resources <name>-gdap and <name>-gdap-<group>", () => {
    assert.equal(`contoso${GDAP_NAME_SUFFIX}`, "contoso-gdap");
    assert.equal(gdapAccessName("contoso", HELPDESK_GROUP), `contoso-gdap-${HELPDESK_GROUP}`);
  });

  it("loads the shipped customers.yaml: the Default GDAP with a group, and a relationship the customer approves", () => {
    const specs = loadCustomersFile("customers.yaml", { baseDirectory: join(__dirname, "..", "..") });
    const byName = new Map(specs.map((spec) => [spec.name, spec]));
    assert.deepEqual(byName.get("northwind-traders")?.gdap, {
      default: true,
      access: [{ group: HELPDESK_GROUP, roles: ["Helpdesk Administrator", "User Administrator"] }],
    });
    const custom = byName.get("fabrikam-polska")?.gdap;
    assert.deepEqual(custom?.relationship?.roles, [
      "Directory Readers",
      "Helpdesk Administrator",
      "License Administrator",
    ]);
    assert.deepEqual(custom?.access, [
      { group: LICENSING_GROUP, roles: ["Helpdesk Administrator", "License Administrator"] },
    ]);
  });

  it(`has at least 25 invalid cases (${INVALID.length})`, () => {
    assert.ok(INVALID.length >= 25);
  });

  for (const c of INVALID) {
    it(`rejects ${c.title}, naming file, line, entry and path`, () => {
      const text = fileWithGdap(c.gdap, c.customer);
      const error = expectInvalid(text);
      const path = c.path === "" ? "customers.contoso.gdap" : `customers.contoso.gdap.${c.path}`;
      const issue = error.issues.find((i) => i.path === path);
      assert.ok(issue, `an issue on "${path}"; got ${JSON.stringify(error.issues)}`);
      assert.match(issue.message, c.reason);
      assert.ok(issue.line, "the issue has a line");
      const lineText = text.split("\n")[issue.line - 1] ?? "";
      assert.ok(
        lineText.includes(c.lineText),
        `line ${issue.line} is "${lineText}", expected it to hold "${c.lineText}"`,
      );
      assert.ok(
        error.message.split("\n").includes(`  ${FILE}:${issue.line}: ${path}: ${issue.message}`),
        error.message,
      );
    });
  }

  it("reports every problem of a gdap block at once, in file order", () => {
    const text = [
      "customers:",
      "  contoso:",
      "    companyProfile: { domain: contosotest.onmicrosoft.com }",
      "    billingProfile:",
      "      email: billing@contoso.example",
      "      culture: en-US",
      "      language: en",
      "      companyName: Contoso Ltd",
      "      defaultAddress: { firstName: Ada, lastName: Ng, addressLine1: 1 Microsoft Way, city: Redmond, state: WA, postalCode: '98052', country: US }",
      "    enableGDAPByDefault: false",
      "    gdap:",
      "      default: true", // 12: no Default GDAP without enableGDAPByDefault
      "      access:",
      `        - group: ${HELPDESK_GROUP}`,
      "          roles: [Helpdesk Administrator, Helpdesk Admin]", // 15: roles[1]
      `        - group: ${HELPDESK_GROUP}`, // 16: twice
      "          roles: [User Administrator]",
      "",
    ].join("\n");
    const error = expectInvalid(text);
    assert.deepEqual(
      error.issues.map((i) => [i.line, i.path]),
      [
        [12, "customers.contoso.gdap.default"],
        [15, "customers.contoso.gdap.access[0].roles[1]"],
        [16, "customers.contoso.gdap.access[1].group"],
      ],
    );
    assert.match(
      error.message,
      /^ {2}customers\.yaml:15: customers\.contoso\.gdap\.access\[0\]\.roles\[1\]: "Helpdesk Admin" is not a Microsoft Entra built-in role this provider knows \(did you mean "Helpdesk Administrator"\?\)/m,
    );
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { CustomersFileError, parseCustomersFile, provisionCustomers } from "../../provider/gitops";
import { validCustomerArgs } from "../support/customerFixtures";
import {
  installRegistrationRecorder,
  outputValue,
  registrationsNamed,
  waitForRegistration,
} from "../support/programRegistrations";

/** A registration request as the (mock) engine receives it, with its property dependencies. */
interface SeenRequest {
  name: string;
  type: string;
  /** Input property name → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
}

const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Value } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

/**
 * Records every RegisterResource request from now until `stop()`, on top of the shared recorder (which keeps no
 * dependencies and has no "everything" view): "nothing was registered" must mean nothing, not "nothing by that name".
 *
 * `state` gives named registrations values (a `customerId`, a `tenantId`, a `relationshipId`) the shared mocks then
 * echo back as the resource's state, the way Partner Center's or Graph's answer would set them, so outputs that
 * depend on them carry a value and a dependency.
 */
function watchRegistrations(state: Record<string, Record<string, unknown>> = {}): {
  requests(): SeenRequest[];
  stop(): void;
} {
  // biome-ignore lint/suspicious/noExplicitAny: Pulumi's monitor type is internal.
  const monitor = (pulumi.runtime as any).getMonitor();
  const inner = monitor.registerResource;
  const requests: SeenRequest[] = [];
  let active = true;
  // biome-ignore lint/suspicious/noExplicitAny: the request is a generated protobuf message.
  monitor.registerResource = (request: any, callback: unknown) => {
    for (const [key, value] of Object.entries(state[request.getName()] ?? {})) {
      request.getObject().getFieldsMap().set(key, Value.fromJavaScript(value));
    }
    if (active) {
      const propertyDependencies: Record<string, string[]> = {};
      request.getPropertydependenciesMap().forEach((value: { getUrnsList(): string[] }, key: string) => {
        propertyDependencies[key] = value.getUrnsList();
      });
      requests.push({ name: request.getName(), type: request.getType(), propertyDependencies });
    }
    return inner(request, callback);
  };
  return {
    requests: () => requests,
    stop: () => {
      active = false;
    },
  };
}

const FILE = [
  "customers:",
  "  gitops-us:",
  "    companyProfile: { domain: GitOpsUsTest.onmicrosoft.com }",
  "    billingProfile:",
  "      email: billing@gitops-us.example",
  "      culture: EN-us",
  "      language: en",
  "      companyName: GitOps US Inc.",
  "      defaultAddress:",
  "        { firstName: Ada, lastName: Ng, addressLine1: 1 Microsoft Way, city: Redmond, state: WA, postalCode: '98052', country: us }",
  "    deletionPolicy: retain",
  "    agreement:",
  "      primaryContact: { firstName: Ada, lastName: Ng, email: ada@gitops-us.example }",
  "      dateAgreed: 2025-03-14T09:30:00Z",
  "  gitops-pl:",
  "    companyProfile: { domain: gitopspltest.onmicrosoft.com, organizationRegistrationNumber: '5260250274' }",
  "    billingProfile:",
  "      email: faktury@gitops-pl.example",
  "      culture: pl-PL",
  "      language: pl",
  "      companyName: GitOps PL sp. z o.o.",
  "      defaultAddress:",
  "        firstName: Katarzyna",
  "        lastName: Nowak",
  "        addressLine1: ul. Marszałkowska 126",
  "        city: Warszawa",
  "        postalCode: 00-008",
  "        country: PL",
  "        phoneNumber: '+48 22 555 01 23'",
  "",
].join("\n");

describe("provisionCustomers (Pulumi runtime mocks)", () => {
  before(async () => {
    await installRegistrationRecorder();
  });

  it("declares one PartnerCustomer per entry and a CustomerAgreement where the entry has one, with normalised inputs", async () => {
    const outputs = provisionCustomers(parseCustomersFile(FILE, "gitops.yaml"));
    assert.deepEqual(Object.keys(outputs), ["gitops-us", "gitops-pl"]);

    const us = await waitForRegistration("gitops-us");
    assert.equal(us.type, "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer");
    assert.deepEqual(us.additionalSecretOutputs, ["userCredentials"]);
    assert.deepEqual(us.inputs.companyProfile, { domain: "gitopsustest.onmicrosoft.com" });
    const billing = us.inputs.billingProfile as { culture: string; defaultAddress: { country: string } };
    assert.equal(billing.culture, "en-US");
    assert.equal(billing.defaultAddress.country, "US");
    assert.equal(us.inputs.deletionPolicy, "retain");
    assert.ok(!("agreement" in us.inputs), "the agreement block is not a PartnerCustomer input");
    assert.equal(typeof us.inputs.__provider, "string");

    const pl = await waitForRegistration("gitops-pl");
    assert.equal(
      (pl.inputs.companyProfile as { organizationRegistrationNumber: string }).organizationRegistrationNumber,
      "5260250274",
    );
    assert.deepEqual(registrationsNamed("gitops-pl-agreement"), [], "no agreement block, no CustomerAgreement");

    const agreement = await waitForRegistration("gitops-us-agreement");
    assert.equal(agreement.type, "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement");
    assert.deepEqual(agreement.inputs.primaryContact, {
      firstName: "Ada",
      lastName: "Ng",
      email: "ada@gitops-us.example",
    });
    assert.equal(agreement.inputs.agreementType, "MicrosoftCustomerAgreement");
    assert.equal(agreement.inputs.dateAgreed, "2025-03-14T09:30:00.000Z");
  });

  it("wires the agreement's customerId to its customer's customerId output", async () => {
    const customerId = "6a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    const seen = watchRegistrations({ "wired-us": { customerId } });
    const outputs = provisionCustomers(
      parseCustomersFile(FILE.replaceAll("gitops-us", "wired-us").replaceAll("gitops-pl", "wired-pl"), "gitops.yaml"),
    );
    assert.equal(await outputValue(outputs["wired-us"]!.customerId), customerId);
    const agreement = await waitForRegistration("wired-us-agreement");
    seen.stop();
    assert.equal(agreement.inputs.customerId, customerId);
    const request = seen.requests().find((r) => r.name === "wired-us-agreement");
    assert.ok(request);
    const customerUrn = await outputValue(
      pulumi.createUrn("wired-us", "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer"),
    );
    assert.deepEqual(request.propertyDependencies.customerId, [customerUrn]);
  });

  it("returns customerId, tenantId and commerceId in the clear and userCredentials as a secret", async () => {
    const outputs = provisionCustomers(
      parseCustomersFile(
        FILE.replaceAll("gitops-us", "outputs-us").replaceAll("gitops-pl", "outputs-pl"),
        "gitops.yaml",
      ),
    );
    const us = outputs["outputs-us"];
    assert.ok(us);
    assert.deepEqual(Object.keys(us).sort(), ["commerceId", "customerId", "tenantId", "userCredentials"]);
    await outputValue(us.customerId);
    assert.equal(await pulumi.isSecret(us.userCredentials), true);
    assert.equal(await pulumi.isSecret(us.customerId), false);
    assert.equal(await pulumi.isSecret(us.tenantId), false);
    assert.equal(await pulumi.isSecret(us.commerceId), false);
  });

  it("passes resourceOptions to every resource", async () => {
    provisionCustomers(
      parseCustomersFile(FILE.replaceAll("gitops-us", "opts-us").replaceAll("gitops-pl", "opts-pl"), "gitops.yaml"),
      { resourceOptions: { retainOnDelete: true } },
    );
    for (const name of ["opts-us", "opts-pl", "opts-us-agreement"]) {
      assert.equal((await waitForRegistration(name)).retainOnDelete, true, name);
    }
  });

  it("registers nothing at all when one spec of many is invalid", async () => {
    const specs = parseCustomersFile(
      FILE.replaceAll("gitops-us", "bad-us").replaceAll("gitops-pl", "bad-pl"),
      "gitops.yaml",
    );
    const broken = specs.map((spec) =>
      spec.name === "bad-pl"
        ? {
            ...spec,
            customer: {
              ...spec.customer,
              billingProfile: {
                ...spec.customer.billingProfile,
                defaultAddress: { ...spec.customer.billingProfile.defaultAddress, country: "UK" },
              },
            },
          }
        : spec,
    );
    const seen = watchRegistrations();
    assert.throws(
      () => provisionCustomers(broken, { source: "specs" }),
      (error: unknown) =>
        error instanceof CustomersFileError &&
        /^ {2}specs: customers\.bad-pl\.billingProfile\.defaultAddress\.country: "UK" .*use "GB"/m.test(error.message),
    );
    // A resource constructed before the throw would register asynchronously: give such a registration time to
    // arrive, so this assertion fails if provisioning declared anything before validating everything.
    await new Promise((resolve) => setTimeout(resolve, 200));
    seen.stop();
    assert.deepEqual(
      seen.requests().filter((r) => r.name.startsWith("bad-")),
      [],
      "the valid spec before the bad one was not declared either",
    );
  });

  it("refuses two specs with the same name", () => {
    const [spec] = parseCustomersFile(FILE, "gitops.yaml");
    assert.ok(spec);
    const twin = { ...spec, customer: { ...spec.customer, companyProfile: { domain: "twintest.onmicrosoft.com" } } };
    assert.throws(() => provisionCustomers([spec, twin]), /customers\.gitops-us: is given twice/);
  });
});

const RELATIONSHIP_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapRelationship";
const ASSIGNMENT_TYPE = "pulumi-nodejs:dynamic/partnercenter:GdapAccessAssignment";
const CUSTOMER_TYPE = "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer";
const TENANT_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const RELATIONSHIP_ID = "2c1f9a7e-0b3d-4e6f-9a8b-7c6d5e4f3a2b-1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const HELPDESK_GROUP = "3b6f2a8e-9c41-4d7b-a5e2-1f0c8d9e7a61";
const LICENSING_GROUP = "7d2c5e90-4f18-4b3a-8e6d-92a1c0b4f5d3";

/** A customers file with one customer `name` (its own domain) whose GDAP block is `gdap`. */
function gdapFile(name: string, gdap: unknown): string {
  return stringify({
    customers: {
      [name]: { ...validCustomerArgs({ domain: `${name.replaceAll("-", "")}test.onmicrosoft.com` }), gdap },
    },
  });
}

/** The registration of `name` without its serialized provider and hidden create key. */
async function inputsOf(name: string): Promise<Record<string, unknown>> {
  const { __provider, __createKey, ...inputs } = (await waitForRegistration(name)).inputs;
  return inputs;
}

describe("provisionCustomers: the gdap block (Pulumi runtime mocks)", () => {
  before(async () => {
    await installRegistrationRecorder();
  });

  it("default: true adopts the Default GDAP with the customer's tenantId and assigns each group in it", async () => {
    const roleNames = ["Helpdesk Administrator", "User Administrator"];
    const seen = watchRegistrations({
      "gd-default": { tenantId: TENANT_ID },
      "gd-default-gdap": { relationshipId: RELATIONSHIP_ID, roleNames, status: "completed" },
    });
    const outputs = provisionCustomers(
      parseCustomersFile(
        gdapFile("gd-default", {
          default: true,
          access: [
            { group: HELPDESK_GROUP.toUpperCase(), roles: ["Helpdesk Administrator", "User Administrator"] },
            { group: LICENSING_GROUP, roles: ["User Administrator"] },
          ],
        }),
        "gitops.yaml",
      ),
    );
    const relationship = await waitForRegistration("gd-default-gdap");
    assert.equal(relationship.type, RELATIONSHIP_TYPE);
    assert.deepEqual(relationship.additionalSecretOutputs, ["approvalUrl"]);
    assert.deepEqual(await inputsOf("gd-default-gdap"), {
      customerTenantId: TENANT_ID,
      adoptDefault: true,
      relationshipId: RELATIONSHIP_ID,
      roleNames,
      status: "completed",
    });
    const helpdesk = await waitForRegistration(`gd-default-gdap-${HELPDESK_GROUP}`);
    assert.equal(helpdesk.type, ASSIGNMENT_TYPE);
    assert.deepEqual(await inputsOf(`gd-default-gdap-${HELPDESK_GROUP}`), {
      relationshipId: RELATIONSHIP_ID,
      securityGroupId: HELPDESK_GROUP,
      roles: ["Helpdesk Administrator", "User Administrator"],
      // The Default GDAP's roles as Graph has them (by name): the preview's subset check once they are known.
      relationshipRoles: roleNames,
    });
    assert.deepEqual((await inputsOf(`gd-default-gdap-${LICENSING_GROUP}`)).roles, ["User Administrator"]);

    const customer = outputs["gd-default"];
    assert.ok(customer);
    assert.deepEqual(Object.keys(customer).sort(), [
      "commerceId",
      "customerId",
      "gdapAccess",
      "gdapRelationshipId",
      "gdapStatus",
      "tenantId",
      "userCredentials",
    ]);
    assert.equal(await outputValue(customer.gdapRelationshipId!), RELATIONSHIP_ID);
    assert.equal(await outputValue(customer.gdapStatus!), "completed");
    assert.deepEqual(Object.keys(customer.gdapAccess ?? {}), [HELPDESK_GROUP, LICENSING_GROUP]);
    seen.stop();

    // The relationship takes the customer's tenant and each assignment the relationship's ID, as dependencies.
    const urnOf = (name: string, type: string) => outputValue(pulumi.createUrn(name, type));
    const byName = (name: string) => seen.requests().find((r) => r.name === name);
    assert.deepEqual(byName("gd-default-gdap")?.propertyDependencies.customerTenantId, [
      await urnOf("gd-default", CUSTOMER_TYPE),
    ]);
    const relationshipUrn = await urnOf("gd-default-gdap", RELATIONSHIP_TYPE);
    for (const group of [HELPDESK_GROUP, LICENSING_GROUP]) {
      const request = byName(`gd-default-gdap-${group}`);
      assert.deepEqual(request?.propertyDependencies.relationshipId, [relationshipUrn]);
      assert.deepEqual(request?.propertyDependencies.relationshipRoles, [relationshipUrn]);
    }
  });

  it("a relationship: asked for with its inputs, groups checked against its roles as written, the link a secret", async () => {
    const seen = watchRegistrations({
      "gd-custom": { tenantId: TENANT_ID },
      "gd-custom-gdap": { relationshipId: RELATIONSHIP_ID },
    });
    const roles = ["Directory Readers", "Helpdesk Administrator", "License Administrator"];
    const outputs = provisionCustomers(
      parseCustomersFile(
        gdapFile("gd-custom", {
          relationship: { roles, durationDays: 365, autoExtend: true, deletionPolicy: "terminate" },
          access: [{ group: LICENSING_GROUP, roles: ["License Administrator"] }],
        }),
        "gitops.yaml",
      ),
      { resourceOptions: { retainOnDelete: true } },
    );
    assert.deepEqual(await inputsOf("gd-custom-gdap"), {
      customerTenantId: TENANT_ID,
      roles,
      durationDays: 365,
      autoExtend: true,
      deletionPolicy: "terminate",
      relationshipId: RELATIONSHIP_ID,
    });
    assert.deepEqual(await inputsOf(`gd-custom-gdap-${LICENSING_GROUP}`), {
      relationshipId: RELATIONSHIP_ID,
      securityGroupId: LICENSING_GROUP,
      roles: ["License Administrator"],
      relationshipRoles: roles,
    });
    for (const name of ["gd-custom-gdap", `gd-custom-gdap-${LICENSING_GROUP}`]) {
      assert.equal((await waitForRegistration(name)).retainOnDelete, true, `${name} takes the resource options`);
    }
    const customer = outputs["gd-custom"];
    assert.ok(customer?.gdapApprovalUrl, "a relationship the customer approves exports its link");
    assert.equal(await pulumi.isSecret(customer.gdapApprovalUrl), true, "the approval link is secret");
    assert.equal(await pulumi.isSecret(customer.gdapStatus!), false);
    seen.stop();
  });

  it("no access list: the relationship alone, no gdapAccess output", async () => {
    const outputs = provisionCustomers(parseCustomersFile(gdapFile("gd-alone", { default: true }), "gitops.yaml"));
    await waitForRegistration("gd-alone-gdap");
    assert.equal(outputs["gd-alone"]?.gdapAccess, undefined);
    assert.equal(outputs["gd-alone"]?.gdapApprovalUrl, undefined, "the Default GDAP needs no approval");
  });

  it("registers nothing when a spec built in code has an invalid gdap block", async () => {
    const [spec] = parseCustomersFile(gdapFile("gd-bad", { default: true }), "gitops.yaml");
    assert.ok(spec);
    const broken = {
      ...spec,
      gdap: {
        default: true,
        relationship: { roles: ["Global Reader"] },
        access: [{ group: HELPDESK_GROUP, roles: ["Helpdesk Admin"] }],
      },
    };
    const seen = watchRegistrations();
    assert.throws(
      () => provisionCustomers([broken], { source: "specs" }),
      (error: unknown) =>
        error instanceof CustomersFileError &&
        /^ {2}specs: customers\.gd-bad\.gdap\.relationship: cannot be given with `default: true`/m.test(
          error.message,
        ) &&
        /^ {2}specs: customers\.gd-bad\.gdap\.access\[0\]\.roles\[0\]: "Helpdesk Admin" is not/m.test(error.message),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    seen.stop();
    assert.deepEqual(
      seen.requests().filter((r) => r.name.startsWith("gd-bad")),
      [],
    );
  });
});

describe("root program (program/index.ts under runtime mocks)", () => {
  const programPath = require.resolve("../../program/index.ts");

  /** Runs the program afresh with `partnercenter:customersFile` set, as `pulumi up` would, and returns its exports. */
  function runProgram(customersFile: string): Record<string, unknown> {
    pulumi.runtime.setConfig("partnercenter:customersFile", customersFile);
    delete require.cache[programPath];
    return require(programPath);
  }

  before(async () => {
    await installRegistrationRecorder();
  });

  after(() => {
    pulumi.runtime.setConfig("partnercenter:customersFile", "customers.yaml");
  });

  it("provisions the shipped customers.yaml and exports per-customer IDs with the credentials secret", async () => {
    const exports = runProgram("customers.yaml");
    const customers = exports.customers as Record<string, Record<string, pulumi.Output<unknown>>>;
    assert.deepEqual(Object.keys(customers), ["northwind-traders", "fabrikam-polska"]);
    for (const name of ["northwind-traders", "fabrikam-polska"]) {
      const registration = await waitForRegistration(name);
      assert.equal(registration.type, "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer");
      const outputs = customers[name] as Record<string, pulumi.Output<unknown>>;
      // fabrikam-polska: a signatory agreement and a relationship the customer approves; northwind-traders: the
      // Default GDAP adopted.
      const acceptance = name === "fabrikam-polska" ? ["acceptanceStatus", "acceptanceUrl", "gdapApprovalUrl"] : [];
      const gdap = ["gdapAccess", "gdapRelationshipId", "gdapStatus"];
      assert.deepEqual(
        Object.keys(outputs).sort(),
        [...acceptance, ...gdap, "commerceId", "customerId", "tenantId", "userCredentials"].sort(),
      );
      if (outputs.gdapApprovalUrl) assert.equal(await pulumi.isSecret(outputs.gdapApprovalUrl), true);
      assert.equal(await pulumi.isSecret(outputs.userCredentials as pulumi.Output<unknown>), true);
      assert.equal(await pulumi.isSecret(outputs.customerId as pulumi.Output<unknown>), false);
      if (outputs.acceptanceUrl) assert.equal(await pulumi.isSecret(outputs.acceptanceUrl), true, "the link is secret");
    }
    const agreement = await waitForRegistration("northwind-traders-agreement");
    assert.equal(agreement.type, "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement");
    assert.equal(agreement.inputs.dateAgreed, "2025-03-14T09:30:00.000Z");
    // The signatory form: an McaAcceptance for the customer, its link and attestation additional secret outputs.
    const acceptance = await waitForRegistration("fabrikam-polska-mca");
    assert.equal(acceptance.type, "pulumi-nodejs:dynamic/partnercenter:McaAcceptance");
    assert.deepEqual(acceptance.additionalSecretOutputs, ["attestationId", "acceptanceUrl"]);
    assert.deepEqual(acceptance.inputs.signatory, {
      firstName: "Katarzyna",
      lastName: "Nowak",
      email: "katarzyna.nowak@fabrikam-polska.example",
    });
    assert.deepEqual(registrationsNamed("fabrikam-polska-agreement"), []);
    // The gdap blocks: the Default GDAP adopted for northwind-traders, a relationship asked of fabrikam-polska, and
    // one access assignment per group.
    assert.equal((await waitForRegistration("northwind-traders-gdap")).inputs.adoptDefault, true);
    assert.equal((await waitForRegistration(`northwind-traders-gdap-${HELPDESK_GROUP}`)).type, ASSIGNMENT_TYPE);
    assert.deepEqual((await waitForRegistration("fabrikam-polska-gdap")).inputs.roles, [
      "Directory Readers",
      "Helpdesk Administrator",
      "License Administrator",
    ]);
    assert.deepEqual((await waitForRegistration(`fabrikam-polska-gdap-${LICENSING_GROUP}`)).inputs.roles, [
      "Helpdesk Administrator",
      "License Administrator",
    ]);
  });

  it("stops on an invalid customers file before declaring any resource, listing every problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "root-program-"));
    try {
      const file = join(dir, "customers.yaml");
      writeFileSync(
        file,
        [
          "customers:",
          "  good-one:",
          "    companyProfile: { domain: goodonetest.onmicrosoft.com }",
          "    billingProfile:",
          "      email: a@good.example",
          "      culture: en-US",
          "      language: en",
          "      companyName: Good",
          "      defaultAddress: { firstName: A, lastName: B, addressLine1: 1 Main St, city: Seattle, state: WA, postalCode: '98101', country: US }",
          "  broken-one:",
          "    companyProfile: { domain: brokenone.onmicrosoft.com }",
          "    billingProfile:",
          "      email: a@broken.example",
          "      culture: en-GB",
          "      language: en",
          "      companyName: Broken",
          "      defaultAddress: { firstName: A, lastName: B, addressLine1: 1 High St, city: London, postalCode: SW1A 1AA, country: UK }",
          "",
        ].join("\n"),
      );
      const seen = watchRegistrations();
      assert.throws(
        () => runProgram(file),
        (error: unknown) =>
          error instanceof Error &&
          error.name === "CustomersFileError" &&
          pulumi.RunError.isInstance(error) &&
          error.message.includes(`${file}:17: customers.broken-one.billingProfile.defaultAddress.country: "UK"`),
      );
      // As above: a registration started before the throw would arrive asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen.stop();
      assert.deepEqual(seen.requests(), [], "no resource at all: no request can reach Partner Center");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

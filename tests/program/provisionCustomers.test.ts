import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CustomersFileError, parseCustomersFile, provisionCustomers } from "../../provider/gitops";
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
 * `customerIds` gives named registrations a `customerId` the shared mocks then echo back as the resource's state, the
 * way Partner Center's answer would set it, so outputs that depend on it carry a value and a dependency.
 */
function watchRegistrations(customerIds: Record<string, string> = {}): { requests(): SeenRequest[]; stop(): void } {
  // biome-ignore lint/suspicious/noExplicitAny: Pulumi's monitor type is internal.
  const monitor = (pulumi.runtime as any).getMonitor();
  const inner = monitor.registerResource;
  const requests: SeenRequest[] = [];
  let active = true;
  // biome-ignore lint/suspicious/noExplicitAny: the request is a generated protobuf message.
  monitor.registerResource = (request: any, callback: unknown) => {
    const customerId = customerIds[request.getName()];
    if (customerId !== undefined)
      request.getObject().getFieldsMap().set("customerId", Value.fromJavaScript(customerId));
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
    const seen = watchRegistrations({ "wired-us": customerId });
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
      const acceptance = name === "fabrikam-polska" ? ["acceptanceStatus", "acceptanceUrl"] : [];
      assert.deepEqual(
        Object.keys(outputs).sort(),
        [...acceptance, "commerceId", "customerId", "tenantId", "userCredentials"].sort(),
      );
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

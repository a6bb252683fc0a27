import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
// The package as users get it (dist/, through node_modules/pulumi-partnercenter), so the serialized provider is
// exactly what ships.
import { CustomerAgreement, PartnerCustomer } from "pulumi-partnercenter";
import { SKIPPED_PROMISE_STACK } from "../../provider/resources/skipPromiseLeakStacks";
import { validCustomerArgs } from "../support/customerFixtures";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "../support/programRegistrations";

const customerArgs = validCustomerArgs({
  domain: "registrationtest.onmicrosoft.com",
  email: "billing@example.com",
  companyName: "Registration Test Ltd",
});

describe("resource registration (Pulumi runtime mocks)", () => {
  before(async () => {
    await installRegistrationRecorder();
  });

  it("registers PartnerCustomer with its type token, inputs and userCredentials as an additional secret output", async () => {
    const customer = new PartnerCustomer("reg-customer", { ...customerArgs, deletionPolicy: "retain" });
    await outputValue(customer.urn);
    const registration = await waitForRegistration("reg-customer");
    assert.equal(registration.type, "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer");
    assert.deepEqual(registration.additionalSecretOutputs, ["userCredentials"]);
    assert.deepEqual(registration.inputs.companyProfile, customerArgs.companyProfile);
    assert.equal(registration.inputs.deletionPolicy, "retain");
    assert.equal(typeof registration.inputs.__provider, "string");
    assert.ok(!("userCredentials" in registration.inputs), "outputs are not sent as inputs");
  });

  it("makes the create key the organization's own (issue 18), but for a local backend's placeholder organization", async () => {
    // Pulumi's own test hook: setMocks is global and installed once per process.
    const settings = require("@pulumi/pulumi/runtime/settings");
    let previous = "";
    try {
      previous = pulumi.getOrganization();
    } catch {
      previous = "";
    }
    const keyOf = async (name: string, opts?: pulumi.CustomResourceOptions) => {
      const customer = new PartnerCustomer(name, customerArgs, opts);
      await outputValue(customer.urn);
      return (await waitForRegistration(name)).inputs.__createKey;
    };
    try {
      settings._setOrganization("acme");
      assert.equal(await keyOf("key-org"), "acme/proj/test/key-org");
      const parent = new pulumi.ComponentResource("test:index:Group", "key-parent");
      const parentUrn = await outputValue(parent.urn);
      assert.equal(await keyOf("key-child", { parent }), `acme/${parentUrn}/key-child`);
      // A local backend says "organization": it names no one, and earlier keys stay as they were.
      settings._setOrganization("organization");
      assert.equal(await keyOf("key-diy"), "proj/test/key-diy");
      // No organization at all (an old language host): as before.
      settings._setOrganization("");
      assert.equal(await keyOf("key-none"), "proj/test/key-none");
    } finally {
      settings._setOrganization(previous);
    }
  });

  it("keeps user-supplied additionalSecretOutputs next to userCredentials", async () => {
    const customer = new PartnerCustomer("reg-customer-2", customerArgs, { additionalSecretOutputs: ["commerceId"] });
    await outputValue(customer.urn);
    const registration = await waitForRegistration("reg-customer-2");
    assert.deepEqual(registration.additionalSecretOutputs.sort(), ["commerceId", "userCredentials"]);
  });

  it("serializes a thin provider that captures no client, schema or secret, only the runtime module name", async () => {
    const customer = new PartnerCustomer("reg-customer-3", customerArgs);
    await outputValue(customer.urn);
    const text = String((await waitForRegistration("reg-customer-3")).inputs.__provider);
    assert.match(text, /pulumi-partnercenter\/runtime/);
    assert.ok(text.length < 4000, `__provider stays small (${text.length} chars)`);
    for (const forbidden of ["got", "zod", "msal", "ConfidentialClientApplication", "clientSecret", "/work/"]) {
      assert.ok(!text.includes(forbidden), `__provider does not contain ${forbidden}`);
    }
  });

  describe("stack traces formatted while registering (skipPromiseLeakStacks)", () => {
    type Hook = (error: Error, sites: NodeJS.CallSite[]) => unknown;
    const programHook = Error.prepareStackTrace;
    let formatted: string[];
    // Stands in for the language host's source-map-support: a program-wide hook that formats every stack.
    const recordingHook: Hook = (error, sites) => {
      formatted.push(sites[0]?.getFunctionName() ?? "<anonymous>");
      return `${error}\n${sites.map((site) => `    at ${site}`).join("\n")}`;
    };
    beforeEach(() => {
      formatted = [];
      Error.prepareStackTrace = recordingHook;
    });
    afterEach(() => {
      Error.prepareStackTrace = programHook;
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    });

    it("hands no promise-leak stack to the program's hook, every other stack as before, and restores the hook", async () => {
      const customer = new PartnerCustomer("reg-stacks-customer", customerArgs);
      const agreement = new CustomerAgreement("reg-stacks-agreement", {
        customerId: customer.customerId,
        primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@example.com" },
      });
      assert.equal(Error.prepareStackTrace, recordingHook, "the program's hook is back after the constructors");
      // The registration's own source position still goes through the program's hook (source-mapped for users).
      assert.ok(formatted.includes("callsites"), `formatted: ${formatted.join(", ")}`);
      assert.ok(!formatted.includes("debuggablePromise"), `formatted: ${formatted.join(", ")}`);
      await outputValue(agreement.urn);
    });

    it("formats promise-leak stacks as before when PULUMI_DEBUG_PROMISE_LEAKS asks for them", async () => {
      process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
      const customer = new PartnerCustomer("reg-stacks-debug", customerArgs);
      assert.ok(formatted.includes("debuggablePromise"), `formatted: ${formatted.join(", ")}`);
      await outputValue(customer.urn);
    });

    it("leaves a placeholder that says how to get the stack", () => {
      assert.match(SKIPPED_PROMISE_STACK, /PULUMI_DEBUG_PROMISE_LEAKS/);
    });
  });

  it("registers CustomerAgreement with its type token and inputs", async () => {
    const agreement = new CustomerAgreement("reg-agreement", {
      customerId: "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d",
      primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@example.com" },
    });
    await outputValue(agreement.urn);
    const registration = await waitForRegistration("reg-agreement");
    assert.equal(registration.type, "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement");
    assert.equal(registration.inputs.customerId, "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d");
    assert.ok(!("agreementType" in registration.inputs), "defaults are applied by check, not the program");
  });
});

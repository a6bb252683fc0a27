import assert from "node:assert/strict";
// The package as users get it (dist/, through node_modules/pulumi-partnercenter), so the serialized provider is
// exactly what ships.
import { CustomerAgreement, PartnerCustomer } from "pulumi-partnercenter";
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

/**
 * The native plugin `pulumi-resource-partnercenter`, started through its launcher and driven over gRPC as the engine
 * drives it, against the emulator: schema, Configure (`partnercenter:config:*` variables and args), check, create,
 * diff, refresh read, import read (no old state) of customers and agreements made in and outside Pulumi, delete.
 */
import assert from "node:assert/strict";
import { validCustomerArgs } from "../support/customerFixtures";
import { OUTSIDE_AGREEMENT, recordAgreementOutsidePulumi } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import { type NativePlugin, startNativePlugin } from "../support/nativePlugin";
import { SECRET_SIG, SECRET_SIG_KEY, secretValue } from "../support/providerHost";

const CUSTOMER = "partnercenter:index:PartnerCustomer";
const AGREEMENT = "partnercenter:index:CustomerAgreement";
const urn = (type: string, name: string) => `urn:pulumi:test::proj::${type}::${name}`;
const DIFF_NONE = "none";
const MISSING_ID = "0d9a3f44-1b7c-4e2a-9d65-3c8f1a2b4e70";

describe("native plugin over gRPC against the emulator", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ keepStateBetweenTests: true });
  let plugin: NativePlugin;

  before(async () => {
    const pc = emulator();
    plugin = await startNativePlugin({ NODE_EXTRA_CA_CERTS: pc.caCertificatePath });
    const { acceptSecrets } = await plugin.configure(
      {
        "partnercenter:config:endpoint": pc.url,
        "partnercenter:config:authority": pc.authority,
        "partnercenter:config:tenantId": pc.tenantId,
        "partnercenter:config:clientId": pc.credentials.clientId,
        "partnercenter:config:refreshToken": pc.credentials.refreshToken,
      },
      // args win over variables, and may arrive as secrets.
      { clientSecret: secretValue(pc.credentials.clientSecret) },
    );
    assert.equal(acceptSecrets, false, "inputs arrive in plaintext, as for the dynamic host");
  });

  after(async () => {
    await plugin?.stop();
  });

  it("serves a schema with both resources, aliases to the dynamic types and secret config", async () => {
    const schema = (await plugin.getSchema()) as {
      resources: Record<string, { aliases: { type: string }[]; properties: Record<string, { secret?: boolean }> }>;
      config: { variables: Record<string, { secret?: boolean }> };
    };
    assert.deepEqual(schema.resources[CUSTOMER]?.aliases, [
      { type: "pulumi-nodejs:dynamic/partnercenter:PartnerCustomer" },
    ]);
    assert.deepEqual(schema.resources[AGREEMENT]?.aliases, [
      { type: "pulumi-nodejs:dynamic/partnercenter:CustomerAgreement" },
    ]);
    assert.equal(schema.resources[CUSTOMER]?.properties.userCredentials?.secret, true);
    assert.equal(schema.config.variables.clientSecret?.secret, true);
    assert.equal(schema.config.variables.refreshToken?.secret, true);
  });

  it("check, create, diff, refresh read, agreement create and import read, delete (retain)", async () => {
    const pc = emulator();
    const customerUrn = urn(CUSTOMER, "acme");
    const checked = await plugin.check(customerUrn, {}, validCustomerArgs({ domain: "nativeacme.onmicrosoft.com" }));
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.__createKey, "proj/test/acme", "the dynamic PartnerCustomer's create key");

    const created = await plugin.create(customerUrn, checked.inputs);
    assert.ok(
      pc.state().customers.some((c) => c.id === created.id),
      "created in the emulator",
    );
    const credentials = created.properties.userCredentials as Record<string, unknown>;
    assert.equal(credentials[SECRET_SIG_KEY], SECRET_SIG, "userCredentials is a secret on the wire");

    const diff = await plugin.diff(customerUrn, created.id, created.properties, checked.inputs);
    assert.equal(diff.changes, DIFF_NONE);

    const refreshed = await plugin.read(customerUrn, created.id, created.properties);
    assert.equal(refreshed.id, created.id);
    assert.equal(
      (refreshed.properties?.userCredentials as Record<string, unknown> | undefined)?.[SECRET_SIG_KEY],
      SECRET_SIG,
    );

    const agreementUrn = urn(AGREEMENT, "acme-mca");
    const contact = { firstName: "Ada", lastName: "Ng", email: "ada@nativeacme.example" };
    const agreementChecked = await plugin.check(agreementUrn, {}, { customerId: created.id, primaryContact: contact });
    assert.deepEqual(agreementChecked.failures, []);
    const agreement = await plugin.create(agreementUrn, agreementChecked.inputs);
    assert.match(agreement.id, new RegExp(`^${created.id}/[^/]+/[0-9a-f]{16}$`));

    const importedAgreement = await plugin.read(agreementUrn, agreement.id, {});
    assert.equal(importedAgreement.id, agreement.id);
    assert.deepEqual(importedAgreement.properties, agreement.properties);
    const reChecked = await plugin.check(agreementUrn, {}, importedAgreement.inputs ?? {});
    assert.deepEqual(reChecked.failures, []);

    await plugin.delete(customerUrn, created.id, refreshed.properties ?? {});
    assert.ok(
      pc.state().customers.some((c) => c.id === created.id),
      'deletionPolicy unset = "retain"',
    );
  });

  it("imports a customer made outside Pulumi: inputs rebuilt from Partner Center, adopted, accepted by check", async () => {
    const pc = emulator();
    const outside = await pc.createCustomer(validCustomerArgs({ domain: "nativeoutside.onmicrosoft.com" }));
    const customerUrn = urn(CUSTOMER, "outside");
    const imported = await plugin.read(customerUrn, outside.id, {});
    assert.equal(imported.id, outside.id);
    assert.equal(imported.inputs?.existingCustomerId, outside.id);
    assert.equal(imported.inputs?.deletionPolicy, undefined, 'no deletionPolicy: destroy only forgets ("retain")');
    assert.deepEqual(imported.inputs?.companyProfile, {
      domain: "nativeoutside.onmicrosoft.com",
      companyName: outside.companyProfile?.companyName,
    });
    assert.equal(imported.properties?.userCredentials, undefined, "credentials of an outside customer are unknown");
    const checked = await plugin.check(customerUrn, {}, imported.inputs ?? {});
    assert.deepEqual(checked.failures, []);
    const diff = await plugin.diff(customerUrn, outside.id, imported.properties ?? {}, checked.inputs);
    assert.equal(diff.changes, DIFF_NONE, "the imported inputs match the live customer");
  });

  it("imports an acceptance recorded outside Pulumi by its customer (and template) id; several are listed, not guessed", async () => {
    const pc = emulator();
    const outside = await pc.createCustomer(validCustomerArgs({ domain: "nativeoutsidemca.onmicrosoft.com" }));
    // Another tool records the acceptance: a plain POST, no Pulumi id anywhere.
    const mcaTemplate = await recordAgreementOutsidePulumi(pc, outside.id);
    const agreementUrn = urn(AGREEMENT, "outside-mca");
    const imported = await plugin.read(agreementUrn, outside.id, {});
    assert.match(imported.id, new RegExp(`^${outside.id}/${mcaTemplate}/[0-9a-f]{16}$`), "stored under its full id");
    assert.equal(imported.inputs?.customerId, outside.id);
    assert.equal(imported.inputs?.agreementType, "MicrosoftCustomerAgreement");
    assert.equal(imported.inputs?.dateAgreed, "2024-05-01T00:00:00.000Z");
    assert.deepEqual(imported.inputs?.primaryContact, OUTSIDE_AGREEMENT.primaryContact);
    const checked = await plugin.check(agreementUrn, {}, imported.inputs ?? {});
    assert.deepEqual(checked.failures, []);
    const diff = await plugin.diff(agreementUrn, imported.id, imported.properties ?? {}, checked.inputs);
    assert.equal(diff.changes, DIFF_NONE, "the imported inputs match the recorded acceptance");
    // The full id and the customer/template prefix find the same record.
    assert.equal((await plugin.read(agreementUrn, imported.id, {})).id, imported.id);
    assert.equal((await plugin.read(agreementUrn, `${outside.id}/${mcaTemplate}`, {})).id, imported.id);

    // A second acceptance (the cloud agreement): the customer id alone is now ambiguous, the template is not.
    const cloudTemplate = await recordAgreementOutsidePulumi(pc, outside.id, "MicrosoftCloudAgreement");
    await assert.rejects(
      plugin.read(agreementUrn, outside.id, {}),
      (error: Error) =>
        /2 acceptances are recorded for it; import one by its full id: /.test(error.message) &&
        error.message.includes(imported.id) &&
        error.message.includes(`${outside.id}/${cloudTemplate}/`),
    );
    const cloud = await plugin.read(agreementUrn, `${outside.id}/${cloudTemplate}`, {});
    assert.equal(cloud.inputs?.agreementType, "MicrosoftCloudAgreement");
    await assert.rejects(
      plugin.read(agreementUrn, `${outside.id}/${mcaTemplate}/0123456789abcdef`, {}),
      /has no agreement/,
    );
  });

  it("an import of a missing id is an error; a refresh of a missing id is gone", async () => {
    const customerUrn = urn(CUSTOMER, "missing");
    await assert.rejects(plugin.read(customerUrn, MISSING_ID, {}), /has no customer .*404/);
    await assert.rejects(
      plugin.read(urn(AGREEMENT, "missing"), `${MISSING_ID}/t/0123456789abcdef`, {}),
      /has no customer/,
    );
    await assert.rejects(plugin.read(urn(AGREEMENT, "bad"), "not-an-id", {}), /the id must be/);
    const gone = await plugin.read(customerUrn, MISSING_ID, {
      ...validCustomerArgs({ domain: "gone.onmicrosoft.com" }),
      customerId: MISSING_ID,
      tenantId: MISSING_ID,
    });
    assert.equal(gone.id, "", "refresh: 404 is gone");
  });
});

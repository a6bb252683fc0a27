import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCertificateAuthority, type EmulatorHandle, startEmulator } from "../../emulator";
import { emulatorRequest, getAppToken, getUserToken, usCustomerBody } from "../support/emulatorClient";

describe("emulator: state file", () => {
  let directory: string;
  const running: EmulatorHandle[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "pc-emulator-state-"));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.close()));
    await rm(directory, { recursive: true, force: true });
  });

  async function start(stateFile: string): Promise<EmulatorHandle> {
    const emulator = await startEmulator({ stateFile });
    running.push(emulator);
    return emulator;
  }

  it("a state file from before GDAP gets each customer's Default GDAP relationship, as a fresh emulator would", async () => {
    const stateFile = join(directory, "state.json");
    const first = await start(stateFile);
    const token = await getAppToken(first);
    const withDefault = await emulatorRequest(first, "POST", "/v1/customers", { token, json: usCustomerBody() });
    const without = await emulatorRequest(first, "POST", "/v1/customers", {
      token,
      json: { ...usCustomerBody(), enableGDAPByDefault: false },
    });
    await first.close();
    // What an emulator of the previous release wrote: no `gdap` key at all.
    const older = JSON.parse(await readFile(stateFile, "utf8"));
    delete older.gdap;
    await writeFile(stateFile, JSON.stringify(older));

    const second = await start(stateFile);
    const tenants = second.state().gdap.relationships.map((r) => r.customer.tenantId);
    assert.deepEqual(tenants, [withDefault.body.companyProfile.tenantId]);
    assert.ok(!tenants.includes(without.body.companyProfile.tenantId), "enableGDAPByDefault false: none");
    assert.match(second.state().gdap.relationships[0]?.displayName ?? "", /^Default_/);
  });

  it("survives a restart: customers, agreements, credentials, tokens and the CA", async () => {
    const stateFile = join(directory, "nested", "state.json");
    const first = await start(stateFile);
    const appToken = await getAppToken(first);
    const userToken = await getUserToken(first);
    const created = await emulatorRequest(first, "POST", "/v1/customers", { token: appToken, json: usCustomerBody() });
    assert.equal(created.status, 201);
    const agreement = await emulatorRequest(first, "POST", `/v1/customers/${created.body.id}/agreements`, {
      token: userToken,
      json: {
        primaryContact: { firstName: "Tania", lastName: "Carr", email: "tania@example.com" },
        templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
        dateAgreed: "2024-05-01T00:00:00Z",
        type: "MicrosoftCustomerAgreement",
      },
    });
    assert.equal(agreement.status, 201);
    const trustedCa = first.caCertificatePem;
    await first.close();

    const second = await start(stateFile);
    assert.equal(second.tenantId, first.tenantId);
    assert.deepEqual(second.credentials, first.credentials);
    assert.equal(second.caCertificatePath, first.caCertificatePath);
    assert.equal(second.caCertificatePem, trustedCa);
    assert.deepEqual(second.state(), first.state());
    // A client that trusted the old CA and holds an old token keeps working against the new process.
    const oldClient = { url: second.url, caCertificatePem: trustedCa };
    const customer = await emulatorRequest(oldClient, "GET", `/v1/customers/${created.body.id}`, { token: appToken });
    assert.equal(customer.status, 200);
    const agreements = await emulatorRequest(
      oldClient,
      "GET",
      `/v1/customers/${created.body.id}/agreements?agreementType=*`,
      {
        token: userToken,
      },
    );
    assert.equal(agreements.body.totalCount, 1);
    // The refresh token still redeems, and the domain is still taken.
    assert.ok(await getUserToken(second));
    const head = await emulatorRequest(second, "HEAD", `/v1/domains/${created.body.companyProfile.domain}`, {
      token: appToken,
    });
    assert.equal(head.status, 200);
  });

  it("writes every change to disk right away, atomically (no temporary files left behind)", async () => {
    const stateFile = join(directory, "state.json");
    const emulator = await start(stateFile);
    const token = await getAppToken(emulator);
    const created = await emulatorRequest(emulator, "POST", "/v1/customers", { token, json: usCustomerBody() });
    const onDisk = JSON.parse(await readFile(stateFile, "utf8"));
    assert.equal(onDisk.version, 1);
    assert.deepEqual(
      onDisk.customers.map((customer: { id: string }) => customer.id),
      [created.body.id],
    );
    assert.ok(!JSON.stringify(onDisk).includes(created.body.userCredentials.password), "no customer password stored");
    await emulatorRequest(emulator, "DELETE", `/v1/customers/${created.body.id}`, { token });
    assert.deepEqual(JSON.parse(await readFile(stateFile, "utf8")).customers, []);
    const files = await readdir(directory);
    assert.deepEqual(files.sort(), ["state.json", "state.json.ca.pem"]);
  });

  it("persists out-of-band changes and reset()", async () => {
    const stateFile = join(directory, "state.json");
    const emulator = await start(stateFile);
    const created = await emulator.createCustomer(usCustomerBody());
    await emulator.updateCustomer(created.id, { companyProfile: { companyName: "Renamed" } });
    let onDisk = JSON.parse(await readFile(stateFile, "utf8"));
    assert.equal(onDisk.customers[0].companyProfile.companyName, "Renamed");
    await emulator.reset();
    onDisk = JSON.parse(await readFile(stateFile, "utf8"));
    assert.deepEqual(onDisk.customers, []);
  });

  it("reuses a CA passed in options, so a trusted CA outlives the state", async () => {
    const ca = await createCertificateAuthority();
    const emulator = await startEmulator({ ca });
    running.push(emulator);
    assert.equal(emulator.caCertificatePem, ca.certificatePem);
    const client = { url: emulator.url, caCertificatePem: ca.certificatePem };
    const response = await emulatorRequest(client, "GET", "/v1/customers?size=1", {
      token: await getAppToken(emulator),
    });
    assert.equal(response.status, 200);
  });

  it("refuses a state file of another layout version", async () => {
    const stateFile = join(directory, "state.json");
    await writeFile(stateFile, JSON.stringify({ version: 99 }));
    await assert.rejects(startEmulator({ stateFile }), /version 99/);
  });
});

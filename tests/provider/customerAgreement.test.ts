import assert from "node:assert/strict";
import { AGREEMENT_TEMPLATES } from "../../emulator/routes/agreements";
import { useEmulator } from "../support/emulatorHooks";
import {
  agreementUrn,
  customerInputs,
  customerUrn,
  providerTextOf,
  requestsFrom,
  startHostFor,
} from "../support/providerHarness";
import { type HostError, type ProviderHost, UNKNOWN } from "../support/providerHost";

const contact = { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example", phoneNumber: "4255550100" };

describe("CustomerAgreement through the real provider host", function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let agreementProvider: string;
  let customerProvider: string;

  before(async () => {
    agreementProvider = await providerTextOf("CustomerAgreement");
    customerProvider = await providerTextOf("PartnerCustomer");
    host = await startHostFor(emulator());
  });
  after(async () => {
    await host?.stop();
  });

  async function newCustomerId(): Promise<string> {
    const checked = await host.check(customerUrn("c"), {}, { ...customerInputs(), __provider: customerProvider });
    return (await host.create(customerUrn("c"), checked.inputs)).id;
  }

  async function record(inputs: Record<string, unknown>) {
    const checked = await host.check(agreementUrn("mca"), {}, { ...inputs, __provider: agreementProvider });
    assert.deepEqual(checked.failures, []);
    return { checked: checked.inputs, ...(await host.create(agreementUrn("mca"), checked.inputs)) };
  }

  it("records the MCA next to its customer, looking the template up, and reads it back with no diff", async () => {
    const customerId = await newCustomerId();
    const seen = requestsFrom(emulator());
    const { id, properties, checked } = await record({ customerId, primaryContact: contact });
    const mca = AGREEMENT_TEMPLATES.find((t) => t.agreementType === "MicrosoftCustomerAgreement")!;
    assert.equal(checked.agreementType, "MicrosoftCustomerAgreement", "the default type");
    assert.equal(properties.templateId, mca.templateId, "the template was looked up, not hard-coded");
    assert.ok(
      seen().some((r) => r.method === "GET" && r.path === "/v1/agreements?agreementType=MicrosoftCustomerAgreement"),
      "the metadata lookup names the type explicitly",
    );
    assert.match(String(properties.dateAgreed), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/, "UTC, whole seconds");
    assert.ok(Date.parse(String(properties.dateAgreed)) <= Date.now());
    assert.equal(properties.agreementLink, mca.agreementLink);
    assert.ok(properties.userId, "Partner Center filled in the confirming user");
    assert.ok(id.startsWith(`${customerId}/${mca.templateId}/`));
    assert.equal(
      emulator()
        .state()
        .agreements.filter((a) => a.customerId === customerId).length,
      1,
    );

    const read = await host.read(agreementUrn("mca"), id, properties);
    assert.equal(read.id, id);
    const diff = await host.diff(agreementUrn("mca"), id, read.properties, {
      ...checked,
      __provider: agreementProvider,
    });
    assert.equal(diff.changes, "none");
  });

  it("looks up the MicrosoftCloudAgreement template when that type is asked for", async () => {
    const customerId = await newCustomerId();
    const { properties } = await record({
      customerId,
      primaryContact: contact,
      agreementType: "MicrosoftCloudAgreement",
    });
    const mcloud = AGREEMENT_TEMPLATES.find((t) => t.agreementType === "MicrosoftCloudAgreement")!;
    assert.equal(properties.templateId, mcloud.templateId);
    assert.equal(properties.agreementType, "MicrosoftCloudAgreement");
  });

  it("replaces on every input change and shows no change when inputs are unchanged", async () => {
    const customerId = await newCustomerId();
    const { id, properties, checked } = await record({
      customerId,
      primaryContact: contact,
      dateAgreed: "2024-05-01T00:00:00Z",
    });
    const same = await host.diff(agreementUrn("mca"), id, properties, checked);
    assert.equal(same.changes, "none");
    for (const [key, value] of [
      ["primaryContact", { ...contact, email: "other@contoso.example" }],
      ["agreementType", "MicrosoftCloudAgreement"],
      ["customerId", UNKNOWN],
    ] as const) {
      const diff = await host.diff(agreementUrn("mca"), id, properties, { ...checked, [key]: value });
      assert.deepEqual([diff.changes, diff.replaces], ["some", [key]], key);
    }
    // A new date alone cannot be recorded for the same contact (rejected, see below); with a new contact it can.
    const newContact = { ...contact, email: "other@contoso.example" };
    const both = await host.diff(agreementUrn("mca"), id, properties, {
      ...checked,
      primaryContact: newContact,
      dateAgreed: "2024-05-02T00:00:00.000Z",
    });
    assert.deepEqual([both.changes, [...both.replaces].sort()], ["some", ["dateAgreed", "primaryContact"]]);
  });

  it("adopts the existing record when the contact already confirmed (600061) instead of failing", async () => {
    const customerId = await newCustomerId();
    const first = await record({ customerId, primaryContact: contact, dateAgreed: "2024-05-01T00:00:00Z" });
    const seen = requestsFrom(emulator());
    // A second resource for the same contact (e.g. the state was lost): no date given, so the record is adopted.
    const second = await record({ customerId, primaryContact: { ...contact, email: contact.email.toUpperCase() } });
    assert.ok(
      seen().some((r) => r.method === "POST" && r.path.endsWith("/agreements") && r.status >= 400 && r.status < 500),
      "Partner Center refused the duplicate",
    );
    assert.equal(second.properties.templateId, first.properties.templateId);
    assert.equal(second.properties.dateAgreed, first.properties.dateAgreed, "the adopted record's own date");
    assert.equal(second.id, first.id, "the same record, the same id");
    assert.equal(
      emulator()
        .state()
        .agreements.filter((a) => a.customerId === customerId).length,
      1,
      "no second record",
    );
    const read = await host.read(agreementUrn("mca"), second.id, second.properties);
    assert.equal(read.id, second.id, "the adopted record is found again on refresh");
  });

  it("refuses to adopt a record with another date than the one asked for, naming the recorded date", async () => {
    const customerId = await newCustomerId();
    await record({ customerId, primaryContact: contact, dateAgreed: "2024-05-01T00:00:00Z" });
    const checked = await host.check(
      agreementUrn("other"),
      {},
      {
        customerId,
        primaryContact: contact,
        dateAgreed: "2024-06-01T00:00:00Z",
        __provider: agreementProvider,
      },
    );
    await assert.rejects(host.create(agreementUrn("other"), checked.inputs), (error: HostError) => {
      assert.match(String(error.details), /already confirmed the agreement on 2024-05-01/);
      assert.match(String(error.details), /code 600061/);
      return true;
    });
  });

  it("rejects at preview a replacement that changes only the date for the same contact", async () => {
    const customerId = await newCustomerId();
    const { checked } = await record({ customerId, primaryContact: contact, dateAgreed: "2024-05-01T00:00:00Z" });
    const seen = requestsFrom(emulator());
    const result = await host.check(agreementUrn("mca"), checked, { ...checked, dateAgreed: "2024-06-01T00:00:00Z" });
    assert.deepEqual(
      result.failures.map((f) => f.property),
      ["dateAgreed"],
    );
    assert.match(result.failures[0]!.reason, /600061/);
    const withNewContact = await host.check(agreementUrn("mca"), checked, {
      ...checked,
      dateAgreed: "2024-06-01T00:00:00Z",
      primaryContact: { ...contact, email: "someone.else@contoso.example" },
    });
    assert.deepEqual(withNewContact.failures, [], "a new contact records a new confirmation");
    assert.deepEqual(seen(), []);
  });

  it("rejects at diff a date-only replacement when the first record's date was left to Partner Center", async () => {
    const customerId = await newCustomerId();
    const { id, properties, checked } = await record({ customerId, primaryContact: contact });
    const seen = requestsFrom(emulator());
    await assert.rejects(
      host.diff(agreementUrn("mca"), id, properties, { ...checked, dateAgreed: "2024-06-01T00:00:00.000Z" }),
      (error: HostError) => {
        assert.match(String(error.details), /dateAgreed: changing only dateAgreed cannot record a new confirmation/);
        return true;
      },
    );
    assert.deepEqual(seen(), []);
  });

  it("accepts an unknown customerId at preview without calling the API", async () => {
    const seen = requestsFrom(emulator());
    const checked = await host.check(
      agreementUrn("mca"),
      {},
      { customerId: UNKNOWN, primaryContact: contact, __provider: agreementProvider },
    );
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(seen(), []);
  });

  it("rejects a future date at preview with zero requests", async () => {
    const seen = requestsFrom(emulator());
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const checked = await host.check(
      agreementUrn("mca"),
      {},
      {
        customerId: "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d",
        primaryContact: contact,
        dateAgreed: future,
        __provider: agreementProvider,
      },
    );
    assert.deepEqual(
      checked.failures.map((f) => f.property),
      ["dateAgreed"],
    );
    assert.deepEqual(seen(), []);
  });

  it("rejects app-only credentials at preview, saying how to configure a refresh token, with zero requests", async () => {
    const appOnly = await startHostFor(emulator(), { credentials: "app" });
    try {
      const seen = requestsFrom(emulator());
      const checked = await appOnly.check(
        agreementUrn("mca"),
        {},
        {
          customerId: "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d",
          primaryContact: contact,
          __provider: agreementProvider,
        },
      );
      assert.equal(checked.failures.length, 1);
      assert.match(checked.failures[0]!.reason, /partnercenter:refreshToken/);
      assert.deepEqual(seen(), []);
    } finally {
      await appOnly.stop();
    }
  });

  it("forgets the agreement on delete without failing or calling the API", async () => {
    const customerId = await newCustomerId();
    const { id, properties } = await record({ customerId, primaryContact: contact });
    const seen = requestsFrom(emulator());
    await host.delete(agreementUrn("mca"), id, properties);
    assert.deepEqual(seen(), []);
    await host.waitForOutput(/no API to withdraw an agreement/);
    assert.equal(
      emulator()
        .state()
        .agreements.filter((a) => a.customerId === customerId).length,
      1,
    );
  });

  it("drops the agreement from state on refresh when its customer is gone", async () => {
    const customerId = await newCustomerId();
    const { id, properties } = await record({ customerId, primaryContact: contact });
    await emulator().removeCustomer(customerId);
    const read = await host.read(agreementUrn("mca"), id, properties);
    assert.equal(read.id, "");
  });

  it("asks once more under a fresh request ID after a refusal, which may replay an earlier run's answer", async () => {
    const customerId = await newCustomerId();
    const dateAgreed = "2026-01-15T10:00:00Z";
    const path = `/v1/customers/${customerId}/agreements`;
    // A refusal on the first ask only (a stale replay, say): the fresh ask records the agreement.
    emulator().faults.inject({ method: "POST", path, status: 403, count: 1 });
    const seen = requestsFrom(emulator());
    await record({ customerId, primaryContact: contact, dateAgreed });
    const posts = seen().filter((r) => r.method === "POST" && r.path === path);
    assert.deepEqual(
      posts.map((r) => r.status),
      [403, 201],
    );
    assert.notEqual(posts[0]?.requestId, posts[1]?.requestId, "the second ask has a fresh MS-RequestId");
  });

  it("fails clearly for an unknown customer", async () => {
    const checked = await host.check(
      agreementUrn("mca"),
      {},
      {
        customerId: "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d",
        primaryContact: contact,
        __provider: agreementProvider,
      },
    );
    await assert.rejects(host.create(agreementUrn("mca"), checked.inputs), (error: HostError) => {
      assert.match(String(error.details), /HTTP 404/);
      return true;
    });
  });
});

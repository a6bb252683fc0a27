import assert from "node:assert/strict";
import { hasErrorCode, isConflict, isPartnerCenterError } from "../../provider/foundation/partnerCenterError";
import type { CreateAgreementRequest } from "../../provider/schemas/agreement";
import { useEmulator } from "../support/emulatorHooks";
import { apiRequests, emulatorClient, resetAuthCaches, usCustomerRequest } from "./clientTestSupport";

describe("PartnerCenterClient: agreements", () => {
  const emulator = useEmulator({ trustGlobally: true });
  beforeEach(resetAuthCaches);

  function agreement(templateId: string, email = "ada@wingtiptoys.example"): CreateAgreementRequest {
    return {
      primaryContact: { firstName: "Ada", lastName: "Ng", email, phoneNumber: "4255550100" },
      dateAgreed: "2024-05-01T00:00:00Z",
      templateId,
      type: "MicrosoftCustomerAgreement",
    };
  }

  it("getAgreementMetadata always sends agreementType explicitly", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const mca = await client.getAgreementMetadata("MicrosoftCustomerAgreement");
    assert.ok(mca.length >= 1);
    assert.ok(mca.every((m) => m.agreementType === "MicrosoftCustomerAgreement"));
    const all = await client.getAgreementMetadata("*");
    assert.ok(all.length > mca.length);
    const paths = (await apiRequests(emulator())).map((r) => r.path);
    assert.deepEqual(paths, [
      "/v1/agreements?agreementType=MicrosoftCustomerAgreement",
      "/v1/agreements?agreementType=*",
    ]);
  });

  it("getCurrentAgreementTemplate picks the type's lowest versionRank", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const template = await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement");
    const all = await client.getAgreementMetadata("MicrosoftCustomerAgreement");
    const lowest = Math.min(...all.map((m) => m.versionRank ?? 0));
    assert.equal(template.agreementType, "MicrosoftCustomerAgreement");
    assert.equal(template.versionRank ?? 0, lowest);
    const cloud = await client.getCurrentAgreementTemplate("MicrosoftCloudAgreement");
    assert.notEqual(cloud.templateId, template.templateId);
  });

  it("createCustomerAgreement confirms; listCustomerAgreements reads it back by type", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const { id } = await client.createCustomer(usCustomerRequest());
    const { templateId } = await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement");
    const created = await client.createCustomerAgreement(id, agreement(templateId));
    assert.equal(created.templateId, templateId);
    assert.equal(created.type, "MicrosoftCustomerAgreement");
    assert.ok(created.userId, "filled in from the App+User token");
    const listed = await client.listCustomerAgreements(id, "MicrosoftCustomerAgreement");
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.primaryContact?.email, "ada@wingtiptoys.example");
    assert.equal(listed[0]?.dateAgreed?.slice(0, 10), "2024-05-01");
    assert.deepEqual(await client.listCustomerAgreements(id, "MicrosoftCloudAgreement"), []);
    const lists = (await apiRequests(emulator())).filter((r) => r.path.includes("/agreements?"));
    assert.ok(lists.every((r) => /agreementType=Microsoft/.test(r.path)));
  });

  it("a duplicate confirmation surfaces code 600061 (PartnerConfirmedAgreementAlreadyExists)", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    const { id } = await client.createCustomer(usCustomerRequest());
    const { templateId } = await client.getCurrentAgreementTemplate("MicrosoftCustomerAgreement");
    await client.createCustomerAgreement(id, agreement(templateId));
    await assert.rejects(client.createCustomerAgreement(id, agreement(templateId)), (error) => {
      assert.ok(hasErrorCode(error, 600061));
      assert.ok(isConflict(error));
      assert.equal(error.errorName, "PartnerConfirmedAgreementAlreadyExists");
      assert.equal(error.isRetryable, false);
      assert.match(error.message, /^Confirming the MicrosoftCustomerAgreement of customer /);
      return true;
    });
    // Another contact is a new confirmation.
    await client.createCustomerAgreement(id, agreement(templateId, "grace@wingtiptoys.example"));
    assert.equal((await client.listCustomerAgreements(id, "MicrosoftCustomerAgreement")).length, 2);
  });

  it("agreement routes refuse App-only tokens (403)", async () => {
    const client = emulatorClient(emulator());
    await assert.rejects(client.getAgreementMetadata("MicrosoftCustomerAgreement"), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.statusCode, 403);
      return true;
    });
  });

  it("an invalid agreement request fails before anything is sent", async () => {
    const client = emulatorClient(emulator(), { credential: "app+user" });
    await assert.rejects(
      client.createCustomerAgreement("00000000-0000-4000-8000-000000000000", {
        ...agreement("t"),
        dateAgreed: "last tuesday",
      }),
      (error) => {
        assert.ok(isPartnerCenterError(error));
        assert.equal(error.kind, "config");
        assert.match(error.message, /dateAgreed/);
        return true;
      },
    );
    assert.equal((await apiRequests(emulator())).length, 0);
  });
});

/**
 * The import step the native e2e suites share: a customer made outside Pulumi (through the emulator's controls) and
 * its agreement acceptance recorded by another tool (a plain POST), both brought into a stack with `pulumi import`,
 * then checked as the lifecycle-safety rule wants them: adopted, `retain`, protected, inputs rebuilt from Partner
 * Center, the agreement stored under its full id whatever id form imported it.
 */
import assert from "node:assert/strict";
import type { Stack } from "@pulumi/pulumi/automation";
import type { EmulatorHandle } from "../../emulator";
import { validCustomerArgs } from "./customerFixtures";
import { OUTSIDE_AGREEMENT, recordAgreementOutsidePulumi } from "./emulatorClient";
import { type ExportedResource, exportedResources, pulumiCommand } from "./pulumiCli";

export interface OutsideImport {
  customerId: string;
  templateId: string;
  customer: ExportedResource;
  agreement: ExportedResource;
}

/**
 * Creates the outside customer (domain `domain`) and its acceptance, imports them as `outside` and
 * `outsideAgreement` — the agreement by `agreementImportId(customerId, templateId)`, default the customer id alone —
 * and returns their state records. `--generate-code=false`: the Node.js host v3.68.0 has no `GenerateProgram`.
 */
export async function importOutsideCustomer(
  stack: Stack,
  emulator: EmulatorHandle,
  domain: string,
  agreementImportId: (customerId: string, templateId: string) => string = (customerId) => customerId,
): Promise<OutsideImport> {
  const outside = await emulator.createCustomer(validCustomerArgs({ domain }));
  const templateId = await recordAgreementOutsidePulumi(emulator, outside.id);
  const cli = (...args: string[]) => pulumiCommand(stack, ...args, "--yes", "--generate-code=false");
  await cli("import", "partnercenter:index:PartnerCustomer", "outside", outside.id);
  await cli(
    "import",
    "partnercenter:index:CustomerAgreement",
    "outsideAgreement",
    agreementImportId(outside.id, templateId),
  );

  const resources = await exportedResources(stack);
  const customer = resources.find((r) => r.urn.endsWith("::outside"));
  const agreement = resources.find((r) => r.urn.endsWith("::outsideAgreement"));
  assert.ok(customer && agreement, "both imported resources are in state");
  assert.equal(customer.id, outside.id);
  assert.equal(customer.protect, true, "imported resources arrive protected");
  assert.equal(customer.inputs?.existingCustomerId, outside.id, "imported = adopted");
  assert.equal(customer.inputs?.deletionPolicy, undefined, 'no deletionPolicy: "retain"');
  assert.deepEqual(customer.inputs?.companyProfile, {
    domain,
    companyName: outside.companyProfile?.companyName,
  });
  assert.match(String(agreement.id), new RegExp(`^${outside.id}/${templateId}/[0-9a-f]{16}$`), "its full id");
  assert.equal(agreement.protect, true);
  assert.deepEqual(agreement.inputs?.primaryContact, OUTSIDE_AGREEMENT.primaryContact);
  return { customerId: outside.id, templateId, customer, agreement };
}

/** `pulumi state unprotect` of each record: the user asking on those resources, so a destroy may proceed. */
export async function unprotect(stack: Stack, ...records: ExportedResource[]): Promise<void> {
  for (const record of records) await pulumiCommand(stack, "state", "unprotect", record.urn, "--yes");
}

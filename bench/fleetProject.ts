/**
 * The throwaway Pulumi project of the fleet benchmarks (bench/fleetBench.ts): one plain-JavaScript program that,
 * by stack config, declares either N `PartnerCustomer`s each with a `CustomerAgreement` ("ours"), or the same
 * number of resources of a trivial dynamic provider in the same shape ("trivial": the engine's own floor for this
 * program). Written by tests/support/tempProject.ts, whose `node_modules` links to the repository's.
 */
import type { EmulatorHandle } from "../emulator";
import { emulatorStackConfig, type TestStack } from "../tests/support/pulumiCli";
import { type TempProject, writeJavaScriptProject } from "../tests/support/tempProject";

const PROGRAM = `"use strict";
// Fleet benchmark program. fleet:kind "ours": fleet:count PartnerCustomers (customer-<i>, domain <fleet:prefix><i>,
// country fleet:countries[i % length]) each with a CustomerAgreement (agreement-<i>) unless fleet:withAgreements is
// false. fleet:kind "trivial": the same resources, inputs and dependencies, of a dynamic provider that does nothing.
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config("fleet");
const kind = config.get("kind") ?? "ours";
const count = config.getNumber("count") ?? 1;
const prefix = config.require("prefix");
const withAgreements = config.getBoolean("withAgreements") ?? true;
const countries = (config.get("countries") ?? "US").split(",");

const ADDRESSES = {
  US: { city: "Redmond", state: "WA", postalCode: "98052", phoneNumber: "4255550100" },
  GB: { city: "London", postalCode: "SW1A 1AA" },
  DE: { city: "Berlin", postalCode: "10115" },
  FR: { city: "Paris", postalCode: "75001" },
};
const CULTURES = { US: "en-US", GB: "en-GB", DE: "en-US", FR: "en-US" };

function customerArgs(i) {
  const country = countries[i % countries.length];
  return {
    companyProfile: { domain: \`\${prefix}\${i}.onmicrosoft.com\` },
    billingProfile: {
      email: "billing@contoso.example",
      culture: CULTURES[country] ?? "en-US",
      language: "en",
      companyName: "Contoso Fleet Ltd",
      defaultAddress: {
        firstName: "Ada",
        lastName: "Ng",
        addressLine1: \`\${i + 1} Fleet Way\`,
        country,
        ...(ADDRESSES[country] ?? ADDRESSES.US),
      },
    },
  };
}
const contact = { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" };

// "shaped": the trivial provider, but each resource declares the same properties as ours (outputs as undefined), to
// tell the SDK's per-property cost from our provider's.
const SHAPED_CUSTOMER = {
  associatedPartnerId: undefined,
  enableGDAPByDefault: undefined,
  existingCustomerId: undefined,
  deletionPolicy: undefined,
  preflight: undefined,
  __createKey: "fleet",
  tenantId: undefined,
  commerceId: undefined,
  relationshipToPartner: undefined,
  allowDelegatedAccess: undefined,
  billingProfileId: undefined,
  userCredentials: undefined,
};
const SHAPED_AGREEMENT = { agreementType: undefined, templateId: undefined, dateAgreed: undefined, agreementLink: undefined, userId: undefined };

if (kind === "trivial" || kind === "shaped") {
  const shaped = kind === "shaped";
  // One provider object for the whole program, as ours: @pulumi/pulumi serializes each provider object once.
  const provider = {
    async check(_olds, news) {
      return { inputs: news };
    },
    async create(inputs) {
      return { id: inputs.companyProfile ? inputs.companyProfile.domain : \`\${inputs.customerId}/agreement\`, outs: inputs };
    },
  };
  class TrivialCustomer extends pulumi.dynamic.Resource {
    constructor(name, args) {
      super(provider, name, { ...(shaped ? SHAPED_CUSTOMER : {}), ...args, customerId: undefined }, undefined, "fleet", "TrivialCustomer");
    }
  }
  class TrivialAgreement extends pulumi.dynamic.Resource {
    constructor(name, args) {
      super(provider, name, { ...(shaped ? SHAPED_AGREEMENT : {}), ...args }, undefined, "fleet", "TrivialAgreement");
    }
  }
  for (let i = 0; i < count; i++) {
    const customer = new TrivialCustomer(\`customer-\${i}\`, customerArgs(i));
    if (withAgreements) new TrivialAgreement(\`agreement-\${i}\`, { customerId: customer.id, primaryContact: contact });
  }
} else {
  const { CustomerAgreement, PartnerCustomer } = require("pulumi-partnercenter");
  for (let i = 0; i < count; i++) {
    const customer = new PartnerCustomer(\`customer-\${i}\`, customerArgs(i));
    if (withAgreements) {
      new CustomerAgreement(\`agreement-\${i}\`, { customerId: customer.customerId, primaryContact: contact });
    }
  }
}
exports.resources = count * (withAgreements ? 2 : 1);
`;

/** The temporary project. */
export type FleetProject = TempProject;

/** Writes the project into a new temporary directory. */
export function createFleetProject(): FleetProject {
  return writeJavaScriptProject("fleet-bench", PROGRAM, "Fleet benchmark (bench/fleetProject.ts).");
}

/** What a fleet stack declares. */
export interface FleetShape {
  kind: "ours" | "trivial" | "shaped";
  count: number;
  prefix: string;
  withAgreements?: boolean;
  countries?: readonly string[];
}

/** Points the stack at `emulator` (both kinds get the same config, so the engine handles the same amount) and shapes it. */
export async function configureFleetStack(test: TestStack, emulator: EmulatorHandle, shape: FleetShape): Promise<void> {
  await test.stack.setAllConfig({
    ...emulatorStackConfig(emulator),
    "fleet:kind": { value: shape.kind },
    "fleet:count": { value: String(shape.count) },
    "fleet:prefix": { value: shape.prefix },
    "fleet:withAgreements": { value: String(shape.withAgreements ?? true) },
    "fleet:countries": { value: (shape.countries ?? ["US"]).join(",") },
  });
}

/**
 * Conformance: the dynamic `PartnerCustomer` and `CustomerAgreement` (under Pulumi's dynamic-provider host) and the
 * native plugin answer the engine the same way, over gRPC, against one emulator: check, create, diff, read, update,
 * delete. (Import reads exist only in the native plugin: tests/e2e-native/plugin.test.ts.) One table of cases; each runs on both front ends (see
 * frontEnds.ts for the adapters) and the two results must be deep-equal, then meet the case's own expectation.
 *
 * Needs `npm run build` (the native plugin runs from dist/).
 */
import assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import { useEmulator } from "../support/emulatorHooks";
import { customerInputs, requestsFrom } from "../support/providerHarness";
import { SECRET_SIG, SECRET_SIG_KEY } from "../support/providerHost";
import { dynamicFrontEnd, type FrontEnd, nativeFrontEnd, type Props } from "./frontEnds";

type Inputs = Props & { companyProfile: Props; billingProfile: Props & { defaultAddress: Props } };

/** What a front end carries from case to case: its own customer (created once, with its own domain). */
interface State {
  /** The checked inputs of its customer. */
  inputs?: Props;
  id?: string;
  properties?: Props;
  /** Its customer's agreement. */
  agreement?: { inputs: Props; id: string; properties: Props };
}

interface Case {
  name: string;
  /** Runs on one front end; the value must be the same for both. */
  run(frontEnd: FrontEnd, state: State, emulator: EmulatorHandle): Promise<unknown>;
  /** What that common value must be. */
  expect(result: unknown): void;
}

const NAME = "conformance";
/** The agreement cases' contact. */
const CONTACT = { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" };
/** One set of valid inputs shared by the check cases (check sends nothing to Partner Center). */
const SHARED = customerInputs() as Inputs;

function changed(change: (inputs: Inputs) => void): Inputs {
  const copy = structuredClone(SHARED);
  change(copy);
  return copy;
}

const BAD_INPUTS: Inputs[] = [
  changed((i) => delete (i as Props).billingProfile),
  changed((i) => (i.companyProfile.domain = "contoso.com")),
  changed((i) => (i.companyProfile.domain = 42)),
  changed((i) => (i.billingProfile.email = "not-an-email")),
  changed((i) => (i.billingProfile.culture = "en-UK")),
  changed((i) => delete i.billingProfile.defaultAddress.city),
  changed((i) => (i.billingProfile.defaultAddress.country = "ZZ")),
  changed((i) => (i.deletionPolicy = "destroy")),
  changed((i) => {
    i.billingProfile.email = "nope";
    i.billingProfile.defaultAddress.firstName = "x".repeat(51);
  }),
];

const sortFailures = (failures: { property: string; reason: string }[]) =>
  [...failures].sort((a, b) => `${a.property}\0${a.reason}`.localeCompare(`${b.property}\0${b.reason}`));

const CASES: Case[] = [
  {
    name: "check: bad inputs fail with the same property paths and reasons",
    async run(frontEnd) {
      const results = [];
      for (const inputs of BAD_INPUTS) {
        results.push(sortFailures((await frontEnd.customer.check(NAME, {}, inputs)).failures));
      }
      return results;
    },
    expect(result) {
      for (const failures of result as unknown[][]) assert.ok(failures.length > 0, "every bad input fails");
    },
  },
  {
    name: "check: valid inputs, normalised the same way",
    async run(frontEnd) {
      const sloppy = changed((i) => {
        i.billingProfile.culture = "EN-us";
        i.billingProfile.language = "EN";
        i.billingProfile.defaultAddress.country = "us";
      });
      const checked = await frontEnd.customer.check(NAME, {}, sloppy);
      return { failures: checked.failures, inputs: checked.inputs };
    },
    expect(result) {
      const { failures, inputs } = result as { failures: unknown[]; inputs: Inputs };
      assert.deepEqual(failures, []);
      assert.equal(inputs.billingProfile.culture, "en-US");
      assert.equal(inputs.__createKey, `proj/test/${NAME}`);
    },
  },
  {
    name: "create: one tenant, admin credentials secret",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.customer.check(NAME, {}, customerInputs());
      assert.deepEqual(checked.failures, []);
      state.inputs = checked.inputs;
      const created = await frontEnd.customer.create(NAME, checked.inputs);
      state.id = created.id;
      state.properties = created.properties;
      const domain = (checked.inputs.companyProfile as Props).domain;
      const credentials = created.properties.userCredentials as Props | undefined;
      return {
        tenants: emulator.state().customers.filter((c) => c.companyProfile?.domain === domain).length,
        idIsTheCustomer: emulator.state().customers.some((c) => c.id === created.id),
        tenantIdIsTheId: created.properties.tenantId === created.id,
        credentialsSecret: credentials?.[SECRET_SIG_KEY] === SECRET_SIG,
        credentialKeys: Object.keys((credentials?.value as Props | undefined) ?? {}).sort(),
        outputKeys: Object.keys(created.properties).sort(),
      };
    },
    expect(result) {
      const r = result as Record<string, unknown>;
      assert.equal(r.tenants, 1);
      assert.equal(r.idIsTheCustomer, true);
      assert.equal(r.credentialsSecret, true);
    },
  },
  {
    name: "diff: no change",
    run: (frontEnd, state) =>
      frontEnd.customer.diff(NAME, state.id as string, state.properties ?? {}, state.inputs ?? {}),
    expect: (result) => assert.deepEqual(result, { changes: "none", replaces: [], deleteBeforeReplace: false }),
  },
  {
    name: "diff: a domain change replaces",
    async run(frontEnd, state) {
      const news = structuredClone(state.inputs) as Inputs;
      news.companyProfile.domain = `other${Date.now().toString(36)}.onmicrosoft.com`;
      return frontEnd.customer.diff(NAME, state.id as string, state.properties ?? {}, news);
    },
    expect(result) {
      const diff = result as { changes: string; replaces: string[]; deleteBeforeReplace: boolean };
      assert.equal(diff.changes, "some");
      assert.ok(diff.replaces.length > 0, "replaces");
      assert.equal(diff.deleteBeforeReplace, false, 'old deletionPolicy unset ("retain"): create first');
    },
  },
  {
    name: 'diff: a billing change (same domain) with old deletionPolicy "delete" deletes before replacing',
    async run(frontEnd, state) {
      const news = structuredClone(state.inputs) as Inputs;
      news.billingProfile.email = "other@contoso.example";
      news.deletionPolicy = "delete";
      const olds = { ...state.properties, deletionPolicy: "delete" };
      return frontEnd.customer.diff(NAME, state.id as string, olds, news);
    },
    expect(result) {
      const diff = result as { changes: string; replaces: string[]; deleteBeforeReplace: boolean };
      assert.equal(diff.changes, "some");
      assert.equal(diff.deleteBeforeReplace, true);
    },
  },
  {
    name: "diff: a deletionPolicy change is in place",
    run: (frontEnd, state) =>
      frontEnd.customer.diff(NAME, state.id as string, state.properties ?? {}, {
        ...state.inputs,
        deletionPolicy: "removeRelationship",
      }),
    expect: (result) => assert.deepEqual(result, { changes: "some", replaces: [], deleteBeforeReplace: false }),
  },
  {
    name: "read: no drift right after create",
    async run(frontEnd, state) {
      const read = await frontEnd.customer.read(NAME, state.id as string, state.properties ?? {}, state.inputs);
      const diff = await frontEnd.customer.diff(NAME, read.id, read.properties, state.inputs ?? {});
      return {
        sameId: read.id === state.id,
        sameProperties: JSON.stringify(sorted(read.properties)) === JSON.stringify(sorted(state.properties ?? {})),
        diff,
      };
    },
    expect: (result) =>
      assert.deepEqual(result, {
        sameId: true,
        sameProperties: true,
        diff: { changes: "none", replaces: [], deleteBeforeReplace: false },
      }),
  },
  {
    name: "update: a deletionPolicy change, in place, sends nothing and keeps every output",
    async run(frontEnd, state, emulator) {
      const since = requestsFrom(emulator);
      const news = { ...state.inputs, deletionPolicy: "removeRelationship" };
      const updated = await frontEnd.customer.update(NAME, state.id as string, state.properties ?? {}, news);
      const changedBesides = Object.keys(state.properties ?? {}).filter(
        (key) =>
          key !== "deletionPolicy" &&
          JSON.stringify(sorted(updated.properties[key])) !== JSON.stringify(sorted(state.properties?.[key])),
      );
      // Back to the stack's inputs for the cases after this one.
      const restored = await frontEnd.customer.update(NAME, state.id as string, updated.properties, state.inputs ?? {});
      state.properties = restored.properties;
      return {
        requests: since().map((r) => `${r.method} ${r.path}`),
        deletionPolicy: updated.properties.deletionPolicy,
        changedBesides,
        restored: restored.properties.deletionPolicy ?? null,
      };
    },
    expect: (result) =>
      assert.deepEqual(result, {
        requests: [],
        deletionPolicy: "removeRelationship",
        changedBesides: [],
        restored: null,
      }),
  },
  {
    name: "agreement check: defaults applied, bad inputs fail with the same paths",
    async run(frontEnd, state) {
      const good = await frontEnd.agreement.check(`${NAME}-mca`, {}, { customerId: state.id, primaryContact: CONTACT });
      const bad = await frontEnd.agreement.check(
        `${NAME}-mca`,
        {},
        {
          customerId: "not-a-guid",
          primaryContact: { ...CONTACT, email: "nope" },
          agreementType: "MicrosoftPartnerAgreement",
          dateAgreed: "2999-01-01T00:00:00Z",
        },
      );
      return {
        inputs: {
          ...good.inputs,
          customerId: good.inputs.customerId === state.id ? "<its customer>" : good.inputs.customerId,
        },
        failures: good.failures,
        // The reason for a future date quotes the clock: each front end reads it a few milliseconds apart.
        badFailures: sortFailures(bad.failures).map((f) => ({
          ...f,
          reason: f.reason.replace(/now is [^)]+/, "now is …"),
        })),
      };
    },
    expect(result) {
      const r = result as { inputs: Props; failures: unknown[]; badFailures: { property: string }[] };
      assert.deepEqual(r.failures, []);
      assert.equal(r.inputs.agreementType, "MicrosoftCustomerAgreement");
      assert.ok(r.badFailures.length >= 4, JSON.stringify(r.badFailures));
    },
  },
  {
    name: "agreement create: one acceptance recorded, id customer/template/hash",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.agreement.check(
        `${NAME}-mca`,
        {},
        { customerId: state.id, primaryContact: CONTACT },
      );
      const created = await frontEnd.agreement.create(`${NAME}-mca`, checked.inputs);
      state.agreement = { inputs: checked.inputs, id: created.id, properties: created.properties };
      // Each front end records for its own customer, at its own moment.
      const { dateAgreed: _date, customerId, ...stable } = created.properties;
      return {
        recorded: emulator.state().agreements.filter((a) => a.customerId === state.id).length,
        idForm: created.id.replace(state.id as string, "<customer>").replace(/[0-9a-f]{16}$/, "<hash>"),
        properties: { ...stable, customerId: customerId === state.id ? "<its customer>" : customerId },
        outputKeys: Object.keys(created.properties).sort(),
      };
    },
    expect(result) {
      const r = result as { recorded: number; idForm: string };
      assert.equal(r.recorded, 1);
      assert.match(r.idForm, /^<customer>\/[0-9a-f-]{36}\/<hash>$/);
    },
  },
  {
    name: "agreement diff: none; a contact change replaces",
    async run(frontEnd, state) {
      const agreement = state.agreement as NonNullable<State["agreement"]>;
      const none = await frontEnd.agreement.diff(`${NAME}-mca`, agreement.id, agreement.properties, agreement.inputs);
      const contact = await frontEnd.agreement.diff(`${NAME}-mca`, agreement.id, agreement.properties, {
        ...agreement.inputs,
        primaryContact: { ...CONTACT, email: "other@contoso.example" },
      });
      return { none, contact };
    },
    expect(result) {
      const r = result as { none: unknown; contact: { changes: string; replaces: string[] } };
      assert.deepEqual(r.none, { changes: "none", replaces: [], deleteBeforeReplace: false });
      assert.equal(r.contact.changes, "some");
      assert.ok(r.contact.replaces.includes("primaryContact"), JSON.stringify(r.contact));
    },
  },
  {
    name: "agreement read: no drift right after create; delete sends nothing and keeps the acceptance",
    async run(frontEnd, state, emulator) {
      const agreement = state.agreement as NonNullable<State["agreement"]>;
      const read = await frontEnd.agreement.read(`${NAME}-mca`, agreement.id, agreement.properties, agreement.inputs);
      const since = requestsFrom(emulator);
      await frontEnd.agreement.delete(`${NAME}-mca`, agreement.id, read.properties);
      return {
        sameId: read.id === agreement.id,
        sameProperties: JSON.stringify(sorted(read.properties)) === JSON.stringify(sorted(agreement.properties)),
        deleteRequests: since().map((r) => `${r.method} ${r.path}`),
        recorded: emulator.state().agreements.filter((a) => a.customerId === state.id).length,
      };
    },
    expect: (result) =>
      assert.deepEqual(result, { sameId: true, sameProperties: true, deleteRequests: [], recorded: 1 }),
  },
  {
    name: "MCA acceptance check: bad inputs fail with the same paths; defaults applied alike",
    async run(frontEnd, state) {
      const bad = await frontEnd.acceptance.check(
        NAME,
        {},
        { customerId: "nope", signatory: { firstName: "Ada", email: "x" }, language: "english" },
      );
      const good = await frontEnd.acceptance.check(
        NAME,
        {},
        { customerId: (state.id as string).toUpperCase(), signatory: CONTACT, country: "us" },
      );
      const { customerId, ...rest } = good.inputs;
      return {
        bad: sortFailures(bad.failures),
        good: rest,
        customerIdLowerCased: customerId === state.id,
        goodFailures: good.failures,
      };
    },
    expect(result) {
      const { bad, good, goodFailures, customerIdLowerCased } = result as {
        bad: { property: string }[];
        good: Props;
        goodFailures: [];
        customerIdLowerCased: boolean;
      };
      assert.equal(customerIdLowerCased, true);
      assert.deepEqual(bad.map((f) => f.property).sort(), [
        "customerId",
        "language",
        "signatory.email",
        "signatory.lastName",
      ]);
      assert.deepEqual(goodFailures, []);
      assert.equal(good.country, "US");
    },
  },
  {
    name: "MCA acceptance create: one attestation (its status read afresh), waiting, link and ID secret; diff asks once",
    async run(frontEnd, state, emulator) {
      const checked = await frontEnd.acceptance.check(NAME, {}, { customerId: state.id, signatory: CONTACT });
      const since = requestsFrom(emulator);
      const created = await frontEnd.acceptance.create(NAME, checked.inputs);
      const diff = await frontEnd.acceptance.diff(NAME, created.id, created.properties, checked.inputs);
      const wrapped = (key: string) =>
        (created.properties[key] as Record<string, unknown> | undefined)?.[SECRET_SIG_KEY] === SECRET_SIG;
      const requests = since()
        .filter((r) => r.path.startsWith("/v1/"))
        .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, "<id>")}`);
      return {
        status: created.properties.status,
        secrets: [wrapped("attestationId"), wrapped("acceptanceUrl")],
        attested: [created.properties.attestedCountry, created.properties.attestedLanguage],
        diff: diff.changes,
        requests,
        attestations: emulator.state().attestations.filter((a) => a.customerTenantId === state.id).length,
      };
    },
    expect: (result) =>
      assert.deepEqual(result, {
        status: "waitingForCustomer",
        secrets: [true, true],
        attested: ["US", "en"],
        diff: "none",
        requests: [
          "GET /v1/customers/<id>",
          "POST /v1/attestations/enhanced",
          "GET /v1/attestations/<id>",
          "GET /v1/attestations/<id>",
        ],
        attestations: 1,
      }),
  },
  {
    name: 'delete with deletionPolicy unset ("retain"): no request at all, the customer stays',
    async run(frontEnd, state, emulator) {
      const since = requestsFrom(emulator);
      await frontEnd.customer.delete(NAME, state.id as string, state.properties ?? {});
      return {
        requests: since().map((r) => `${r.method} ${r.path}`),
        stillThere: emulator.state().customers.some((c) => c.id === state.id),
      };
    },
    expect: (result) => assert.deepEqual(result, { requests: [], stillThere: true }),
  },
];

/** Keys sorted at every level, for a comparison that ignores key order. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value as Props)
      .sort()
      .map((key) => [key, sorted((value as Props)[key])]),
  );
}

describe("conformance: the dynamic and the native front ends answer the engine alike", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ keepStateBetweenTests: true });
  const frontEnds: FrontEnd[] = [];
  const states = new Map<FrontEnd, State>();

  before(async () => {
    for (const start of [dynamicFrontEnd, nativeFrontEnd]) {
      const frontEnd = await start(emulator());
      frontEnds.push(frontEnd);
      states.set(frontEnd, {});
    }
  });

  after(async () => {
    await Promise.all(frontEnds.map((f) => f.stop()));
  });

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const [dynamic, native] = frontEnds as [FrontEnd, FrontEnd];
      const dynamicResult = await testCase.run(dynamic, states.get(dynamic) as State, emulator());
      const nativeResult = await testCase.run(native, states.get(native) as State, emulator());
      assert.deepEqual(sorted(nativeResult), sorted(dynamicResult), "native and dynamic agree");
      testCase.expect(dynamicResult);
    });
  }
});

/**
 * Conformance: the dynamic `PartnerCustomer` (under Pulumi's dynamic-provider host) and the native plugin answer
 * the engine the same way, over gRPC, against one emulator. One table of cases; each runs on both front ends (see
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
}

interface Case {
  name: string;
  /** Runs on one front end; the value must be the same for both. */
  run(frontEnd: FrontEnd, state: State, emulator: EmulatorHandle): Promise<unknown>;
  /** What that common value must be. */
  expect(result: unknown): void;
}

const NAME = "conformance";
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
        results.push(sortFailures((await frontEnd.check(NAME, {}, inputs)).failures));
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
      const checked = await frontEnd.check(NAME, {}, sloppy);
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
      const checked = await frontEnd.check(NAME, {}, customerInputs());
      assert.deepEqual(checked.failures, []);
      state.inputs = checked.inputs;
      const created = await frontEnd.create(NAME, checked.inputs);
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
    run: (frontEnd, state) => frontEnd.diff(NAME, state.id as string, state.properties ?? {}, state.inputs ?? {}),
    expect: (result) => assert.deepEqual(result, { changes: "none", replaces: [], deleteBeforeReplace: false }),
  },
  {
    name: "diff: a domain change replaces",
    async run(frontEnd, state) {
      const news = structuredClone(state.inputs) as Inputs;
      news.companyProfile.domain = `other${Date.now().toString(36)}.onmicrosoft.com`;
      return frontEnd.diff(NAME, state.id as string, state.properties ?? {}, news);
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
      return frontEnd.diff(NAME, state.id as string, olds, news);
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
      frontEnd.diff(NAME, state.id as string, state.properties ?? {}, {
        ...state.inputs,
        deletionPolicy: "removeRelationship",
      }),
    expect: (result) => assert.deepEqual(result, { changes: "some", replaces: [], deleteBeforeReplace: false }),
  },
  {
    name: "read: no drift right after create",
    async run(frontEnd, state) {
      const read = await frontEnd.read(NAME, state.id as string, state.properties ?? {}, state.inputs);
      const diff = await frontEnd.diff(NAME, read.id, read.properties, state.inputs ?? {});
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
    name: 'delete with deletionPolicy unset ("retain"): no request at all, the customer stays',
    async run(frontEnd, state, emulator) {
      const since = requestsFrom(emulator);
      await frontEnd.delete(NAME, state.id as string, state.properties ?? {});
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

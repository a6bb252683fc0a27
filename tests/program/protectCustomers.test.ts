/**
 * Issue 21, item 6(a): the GitOps program protects every customer (`protect: true`), so a merged pull request that
 * removes an entry or replaces a customer (a new domain: a second tenant) fails at preview instead of leaving a
 * tenant live and billed outside the stack; the way out is the entry's own `protect: false`, validated by the loader.
 * Under Pulumi's runtime mocks: what each RegisterResource request asks for (`protect`), per resource.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { CustomersFileError, parseCustomersFile, provisionCustomers } from "../../provider/gitops";
import { validCustomerArgs } from "../support/customerFixtures";
import { installRegistrationRecorder, outputValue, waitForRegistration } from "../support/programRegistrations";

const GROUP = "3b6f2a8e-9c41-4d7b-a5e2-1f0c8d9e7a61";

/** Whether each registration asked for protection (`undefined`: the option was not sent), by resource name. */
const protectedByName = new Map<string, boolean | undefined>();

/** Records `protect` of every RegisterResource request on top of the shared recorder (mocks are process-wide). */
async function recordProtect(): Promise<void> {
  await installRegistrationRecorder();
  // biome-ignore lint/suspicious/noExplicitAny: Pulumi's monitor type is internal.
  const monitor = (pulumi.runtime as any).getMonitor();
  if (monitor.__protectRecorded) return;
  monitor.__protectRecorded = true;
  const inner = monitor.registerResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: the request is a generated protobuf message.
  monitor.registerResource = (request: any, callback: unknown) => {
    const has = typeof request.hasProtect === "function" ? request.hasProtect() : true;
    protectedByName.set(request.getName(), has ? request.getProtect() : undefined);
    return inner(request, callback);
  };
}

/** Waits for `name`'s registration and returns whether it was protected (`false` when not asked). */
async function isProtected(name: string): Promise<boolean> {
  await waitForRegistration(name);
  for (let i = 0; i < 100 && !protectedByName.has(name); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(protectedByName.has(name), `no RegisterResource request for ${name}`);
  return protectedByName.get(name) === true;
}

/** A customers file: each name an entry with a signatory agreement and a gdap block, plus `extra` keys per name. */
function customersFile(entries: Record<string, Record<string, unknown>>): string {
  return stringify({
    customers: Object.fromEntries(
      Object.entries(entries).map(([name, extra]) => [
        name,
        {
          ...validCustomerArgs({ domain: `${name.replaceAll("-", "")}test.onmicrosoft.com` }),
          agreement: { signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" } },
          gdap: { default: true, access: [{ group: GROUP, roles: ["Helpdesk Administrator"] }] },
          ...extra,
        },
      ]),
    ),
  });
}

describe("protected customers: the customers file's protect key (loader)", () => {
  it("takes protect: true and protect: false into the spec, and leaves it out when absent", () => {
    const specs = parseCustomersFile(
      customersFile({ "keep-a": { protect: true }, "free-b": { protect: false }, "plain-c": {} }),
      "customers.yaml",
    );
    assert.deepEqual(
      specs.map((spec) => [spec.name, spec.protect]),
      [
        ["keep-a", true],
        ["free-b", false],
        ["plain-c", undefined],
      ],
    );
    assert.ok(!("protect" in (specs[0]?.customer ?? {})), "protect is no PartnerCustomer input");
  });

  it("refuses a protect that is not a boolean, with file, line and path, naming what true and false do", () => {
    const text = customersFile({
      "word-a": { protect: "no" },
      "quoted-b": { protect: "false" },
      "number-c": { protect: 0 },
    });
    assert.throws(
      () => parseCustomersFile(text, "customers.yaml"),
      (error: unknown) => {
        assert.ok(error instanceof CustomersFileError);
        const message = (error as Error).message;
        assert.match(
          message,
          /customers\.yaml:\d+: customers\.word-a\.protect: must be a boolean \(true or false\), got the string "no": true keeps pulumi up and pulumi destroy from deleting or replacing the customer, false lifts that/,
        );
        assert.match(
          message,
          /customers\.quoted-b\.protect: must be a boolean \(true or false\), got the string "false"/,
        );
        assert.match(message, /customers\.number-c\.protect: must be a boolean \(true or false\), got a number/);
        return true;
      },
    );
  });

  it("suggests protect for a near miss", () => {
    assert.throws(
      () => parseCustomersFile(customersFile({ "typo-a": { protected: false } }), "customers.yaml"),
      /customers\.typo-a\.protected: unknown property \(did you mean "protect"\?\)/,
    );
  });
});

describe("protected customers: provisionCustomers (Pulumi runtime mocks)", () => {
  before(recordProtect);

  it("protects nothing unless asked (the library's default is unchanged)", async () => {
    provisionCustomers(parseCustomersFile(customersFile({ "lib-default": {} }), "customers.yaml"));
    assert.equal(await isProtected("lib-default"), false);
  });

  it("protectCustomers: the customers only, not their acceptance, GDAP relationship or access assignments", async () => {
    provisionCustomers(parseCustomersFile(customersFile({ "prot-a": {} }), "customers.yaml"), {
      protectCustomers: true,
    });
    assert.equal(await isProtected("prot-a"), true, "the customer (a tenant) is protected");
    assert.equal(await isProtected("prot-a-mca"), false, "its MCA acceptance is not");
    assert.equal(await isProtected("prot-a-gdap"), false, "its GDAP relationship is not");
    assert.equal(await isProtected(`prot-a-gdap-${GROUP}`), false, "taking a group's access away stays one change");
  });

  it("an entry's protect: false wins over protectCustomers, and protect: true over a program that protects none", async () => {
    provisionCustomers(
      parseCustomersFile(customersFile({ "out-a": { protect: false }, "in-b": {} }), "customers.yaml"),
      { protectCustomers: true },
    );
    assert.equal(await isProtected("out-a"), false, "the way out");
    assert.equal(await isProtected("in-b"), true);
    provisionCustomers(parseCustomersFile(customersFile({ "opt-in-c": { protect: true } }), "customers.yaml"));
    assert.equal(await isProtected("opt-in-c"), true);
  });

  it("resourceOptions.protect still protects every resource; the entry decides for its customer", async () => {
    provisionCustomers(
      parseCustomersFile(customersFile({ "all-a": {}, "all-b": { protect: false } }), "customers.yaml"),
      { resourceOptions: { protect: true } },
    );
    assert.equal(await isProtected("all-a"), true);
    assert.equal(await isProtected("all-a-mca"), true);
    assert.equal(await isProtected("all-b"), false, "the entry's protect: false");
    assert.equal(await isProtected("all-b-mca"), true, "resourceOptions for the rest");
  });

  it("a spec built in code with a non-boolean protect registers nothing", async () => {
    const [spec] = parseCustomersFile(customersFile({ "code-a": {} }), "customers.yaml");
    assert.ok(spec);
    assert.throws(
      () => provisionCustomers([{ ...spec, protect: "yes" as unknown as boolean }]),
      /customers\.code-a\.protect: must be a boolean/,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(protectedByName.has("code-a"), false);
  });
});

describe("protected customers: the root program (program/index.ts under runtime mocks)", () => {
  const programPath = require.resolve("../../program/index.ts");
  let dir: string;

  function runProgram(file: string): Record<string, unknown> {
    pulumi.runtime.setConfig("partnercenter:customersFile", file);
    delete require.cache[programPath];
    return require(programPath);
  }

  before(async () => {
    await recordProtect();
    dir = mkdtempSync(join(tmpdir(), "protect-program-"));
  });
  after(() => {
    pulumi.runtime.setConfig("partnercenter:customersFile", "customers.yaml");
    rmSync(dir, { recursive: true, force: true });
  });

  it("protects every customer, but one whose entry says protect: false", async () => {
    const file = join(dir, "customers.yaml");
    writeFileSync(file, customersFile({ "root-kept": {}, "root-leaving": { protect: false } }));
    const exports = runProgram(file);
    await outputValue(
      (exports.customers as Record<string, { customerId: pulumi.Output<string> }>)["root-kept"]!.customerId,
    );
    assert.equal(await isProtected("root-kept"), true);
    assert.equal(await isProtected("root-leaving"), false);
    assert.equal(await isProtected("root-kept-gdap"), false);
  });
});

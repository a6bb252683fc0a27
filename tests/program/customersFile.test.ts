import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type CustomerSpec, CustomersFileError, loadCustomersFile, parseCustomersFile } from "../../provider/gitops";
import { validCustomerArgs } from "../support/customerFixtures";

const repositoryRoot = join(__dirname, "..", "..");
const FILE = "customers.yaml";

// A valid US entry and a valid Polish one; every invalid case below breaks exactly one thing in a copy.
const US_ENTRY = {
  ...validCustomerArgs(),
  agreement: {
    primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
    dateAgreed: "2025-01-02T03:04:05Z",
  },
};

const PL_ENTRY = {
  companyProfile: { domain: "fabrikamtest.onmicrosoft.com", organizationRegistrationNumber: "5260250274" },
  billingProfile: {
    email: "faktury@fabrikam.example",
    culture: "pl-PL",
    language: "pl",
    companyName: "Fabrikam sp. z o.o.",
    defaultAddress: {
      firstName: "Katarzyna",
      lastName: "Nowak",
      addressLine1: "ul. Marszałkowska 126",
      city: "Warszawa",
      postalCode: "00-008",
      country: "PL",
      phoneNumber: "+48 22 555 01 23",
    },
  },
};

/** A deep copy of `entry` with the dotted `path` set to `value` (`undefined` removes it). */
function mutate(entry: object, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(entry) as Record<string, unknown>;
  const keys = path.split(".");
  const last = keys.pop() as string;
  let target = copy;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

/** The YAML text of a customers file holding `entries`. */
function fileWith(entries: Record<string, unknown>): string {
  return stringify({ customers: entries });
}

/** Parses `text` expecting a CustomersFileError, and returns it. */
function expectInvalid(text: string): CustomersFileError {
  try {
    parseCustomersFile(text, FILE);
  } catch (error) {
    assert.ok(error instanceof CustomersFileError, `expected a CustomersFileError, got ${String(error)}`);
    assert.equal(error.fileName, FILE);
    assert.ok(error.issues.length > 0);
    return error;
  }
  assert.fail("the file was accepted");
}

/** `text` with `search` replaced, failing loudly when it is not there (so a case cannot silently test nothing). */
function replaceOnce(text: string, search: string, replacement: string): string {
  assert.ok(text.includes(search), `"${search}" not found in the generated file`);
  return text.replace(search, replacement);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface InvalidCase {
  title: string;
  text: string;
  /** The issue's path: file + entry + field; "" for a problem of the whole document. */
  path: string;
  reason: RegExp;
  /** The exact line, where the case pins it. */
  line?: number;
}

const INVALID: InvalidCase[] = [
  {
    title: "a YAML syntax error, with its line",
    text: "customers:\n  contoso:\n    companyProfile: { domain: contoso.onmicrosoft.com\n    billingProfile: {}\n",
    path: "",
    reason: /^YAML syntax error: .*\(column \d+\)$/,
    line: 4,
  },
  {
    title: "the same customer name twice (YAML duplicate key)",
    text: "customers:\n  contoso: {}\n  fabrikam: {}\n  contoso: {}\n",
    path: "",
    reason: /^YAML syntax error: Map keys must be unique/,
    line: 4,
  },
  {
    title: "two YAML documents in one file",
    text: "customers: {}\n---\ncustomers: {}\n",
    path: "",
    reason: /multiple documents/,
  },
  {
    title: "an unresolved YAML tag",
    text: "customers:\n  contoso: !customer {}\n",
    path: "",
    reason: /^YAML: Unresolved tag: !customer/,
    line: 2,
  },
  {
    title: "an empty file",
    text: "",
    path: "",
    reason: /top-level "customers:" key, got an empty document/,
  },
  {
    title: "a top-level key typo",
    text: "customer:\n  contoso: {}\n",
    path: "customer",
    reason: /unknown top-level key/,
    line: 1,
  },
  {
    title: "customers: with nothing under it",
    text: "customers:\n",
    path: "customers",
    reason: /must be a mapping of customer names to entries, got null \(write `customers: \{\}`/,
    line: 1,
  },
  {
    title: "an entry that is a list",
    text: "customers:\n  contoso:\n    - domain: contoso.onmicrosoft.com\n",
    path: "customers.contoso",
    reason: /must be a mapping of PartnerCustomer inputs, got an array/,
    line: 2,
  },
  {
    title: "an invalid customer name",
    text: fileWith({ Contoso_Ltd: US_ENTRY }),
    path: "customers.Contoso_Ltd",
    reason: /is not a valid customer name: .*"contoso-ltd"/,
  },
  {
    title: "an entry-level key typo",
    text: fileWith({ contoso: { ...US_ENTRY, deletePolicy: "retain" } }),
    path: "customers.contoso.deletePolicy",
    reason: /unknown property \(did you mean "deletionPolicy"\?\)/,
  },
  {
    title: "a misspelt agreement block",
    text: fileWith({ contoso: mutate({ ...US_ENTRY, agrement: US_ENTRY.agreement }, "agreement", undefined) }),
    path: "customers.contoso.agrement",
    reason: /did you mean "agreement"\?/,
  },
  {
    title: "a nested key typo",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.defaultAddress.postcode", "98052") }),
    path: "customers.contoso.billingProfile.defaultAddress.postcode",
    reason: /did you mean "postalCode"\?/,
  },
  {
    title: "a missing domain",
    text: fileWith({ contoso: mutate(US_ENTRY, "companyProfile.domain", undefined) }),
    path: "customers.contoso.companyProfile.domain",
    reason: /^is required$/,
  },
  {
    title: "a missing billing profile",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile", undefined) }),
    path: "customers.contoso.billingProfile",
    reason: /^is required$/,
  },
  {
    title: "a missing city",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.defaultAddress.city", undefined) }),
    path: "customers.contoso.billingProfile.defaultAddress.city",
    reason: /^is required$/,
  },
  {
    title: "UK instead of GB",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.defaultAddress.country", "UK") }),
    path: "customers.contoso.billingProfile.defaultAddress.country",
    reason: /"UK" is not an ISO 3166-1 alpha-2 country code; use "GB"/,
  },
  {
    title: "a custom domain instead of an initial one",
    text: fileWith({ contoso: mutate(US_ENTRY, "companyProfile.domain", "contoso.com") }),
    path: "customers.contoso.companyProfile.domain",
    reason: /"contoso\.com" is not an initial domain/,
  },
  {
    title: "a hyphen in the domain prefix",
    text: fileWith({ contoso: mutate(US_ENTRY, "companyProfile.domain", "contoso-ltd.onmicrosoft.com") }),
    path: "customers.contoso.companyProfile.domain",
    reason: /may only contain letters and digits/,
  },
  {
    title: "a Polish customer without a registration number",
    text: fileWith({ fabrikam: mutate(PL_ENTRY, "companyProfile.organizationRegistrationNumber", undefined) }),
    path: "customers.fabrikam.companyProfile.organizationRegistrationNumber",
    reason: /is required for customers in "PL"/,
  },
  {
    title: "a Polish customer without a phone number",
    text: fileWith({ fabrikam: mutate(PL_ENTRY, "billingProfile.defaultAddress.phoneNumber", undefined) }),
    path: "customers.fabrikam.billingProfile.defaultAddress.phoneNumber",
    reason: /is required for customers in "PL"/,
  },
  {
    title: "a registration number where none is accepted",
    text: fileWith({ contoso: mutate(US_ENTRY, "companyProfile.organizationRegistrationNumber", "123456789") }),
    path: "customers.contoso.companyProfile.organizationRegistrationNumber",
    reason: /is not supported for customers in "US"/,
  },
  {
    title: "an unquoted postal code YAML reads as a number",
    text: replaceOnce(fileWith({ contoso: US_ENTRY }), 'postalCode: "98052"', "postalCode: 02134"),
    path: "customers.contoso.billingProfile.defaultAddress.postalCode",
    reason: /must be a string, got a number: YAML reads 02134 as a number; put it in quotes: "02134"/,
  },
  {
    title: "a culture that is not language-REGION",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.culture", "english") }),
    path: "customers.contoso.billingProfile.culture",
    reason: /"english" is not a culture/,
  },
  {
    title: "a culture with the UK region",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.culture", "en-UK") }),
    path: "customers.contoso.billingProfile.culture",
    reason: /use "en-GB"/,
  },
  {
    title: "a culture given as the language",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.language", "en-US") }),
    path: "customers.contoso.billingProfile.language",
    reason: /that is a culture; the language is the two-letter part, "en"/,
  },
  {
    title: "a bad billing email",
    text: fileWith({ contoso: mutate(US_ENTRY, "billingProfile.email", "billing at contoso") }),
    path: "customers.contoso.billingProfile.email",
    reason: /is not a valid email address/,
  },
  {
    title: "an unknown deletion policy",
    text: fileWith({ contoso: mutate(US_ENTRY, "deletionPolicy", "destroy") }),
    path: "customers.contoso.deletionPolicy",
    reason: /"destroy" is not a deletion policy/,
  },
  {
    title: "preflight as a string",
    text: fileWith({ contoso: mutate(US_ENTRY, "preflight", "no") }),
    path: "customers.contoso.preflight",
    reason: /must be a boolean \(true or false\), got the string "no"/,
  },
  {
    title: "an associatedPartnerId that is not a GUID",
    text: fileWith({ contoso: mutate(US_ENTRY, "associatedPartnerId", "reseller-one") }),
    path: "customers.contoso.associatedPartnerId",
    reason: /"reseller-one" is not a GUID/,
  },
  {
    title: "the same domain in two entries (case-insensitively)",
    text: fileWith({
      contoso: US_ENTRY,
      "contoso-again": mutate(US_ENTRY, "companyProfile.domain", "ContosoTest.onmicrosoft.com"),
    }),
    path: "customers.contoso-again.companyProfile.domain",
    reason: /"contosotest\.onmicrosoft\.com" is also the domain of customers\.contoso/,
  },
  {
    title: "the same existing customer adopted twice",
    text: fileWith({
      contoso: mutate(US_ENTRY, "existingCustomerId", "8d2f3c1a-4b5e-4f60-9a7b-1c2d3e4f5a6b"),
      fabrikam: mutate(PL_ENTRY, "existingCustomerId", "8D2F3C1A-4B5E-4F60-9A7B-1C2D3E4F5A6B"),
    }),
    path: "customers.fabrikam.existingCustomerId",
    reason: /is also adopted by customers\.contoso/,
  },
  {
    title: "an agreement date that does not exist",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.dateAgreed", "2024-02-30T00:00:00Z") }),
    path: "customers.contoso.agreement.dateAgreed",
    reason: /is not a real date and time/,
  },
  {
    title: "an agreement date without a time zone",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.dateAgreed", "2024-05-01T10:00:00") }),
    path: "customers.contoso.agreement.dateAgreed",
    reason: /has no time zone, so it is a local time/,
  },
  {
    title: "an agreement date in the future",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.dateAgreed", "2999-01-01T00:00:00Z") }),
    path: "customers.contoso.agreement.dateAgreed",
    reason: /is in the future/,
  },
  {
    title: "a bad agreement contact email",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.primaryContact.email", "ada@") }),
    path: "customers.contoso.agreement.primaryContact.email",
    reason: /is not a valid email address/,
  },
  {
    title: "a missing agreement contact name",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.primaryContact.lastName", undefined) }),
    path: "customers.contoso.agreement.primaryContact.lastName",
    reason: /^is required$/,
  },
  {
    title: "an unknown agreement type",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.agreementType", "MCA") }),
    path: "customers.contoso.agreement.agreementType",
    reason: /"MCA" is not an agreement type/,
  },
  {
    title: "a customerId in the agreement block",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.customerId", "8d2f3c1a-4b5e-4f60-9a7b-1c2d3e4f5a6b") }),
    path: "customers.contoso.agreement.customerId",
    reason: /is not set in the file: the agreement is recorded for the customer this entry creates/,
  },
  {
    title: "a key typo in the agreement block",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement.dateAgred", "2024-05-01T00:00:00Z") }),
    path: "customers.contoso.agreement.dateAgred",
    reason: /did you mean "dateAgreed"\?/,
  },
  {
    title: "an empty agreement block",
    text: fileWith({ contoso: mutate(US_ENTRY, "agreement", null) }),
    path: "customers.contoso.agreement",
    reason: /is empty: give at least primaryContact/,
  },
];

describe("customers file (provider/gitops)", () => {
  it("loads the shipped customers.yaml: two customers, normalised, one agreement of each form", () => {
    const specs = loadCustomersFile("customers.yaml", { baseDirectory: repositoryRoot });
    assert.deepEqual(
      specs.map((s) => s.name),
      ["northwind-traders", "fabrikam-polska"],
    );
    const [us, pl] = specs as [CustomerSpec, CustomerSpec];
    assert.equal(us.customer.billingProfile.defaultAddress.country, "US");
    assert.equal(us.agreement?.agreementType, "MicrosoftCustomerAgreement");
    assert.equal(us.agreement?.dateAgreed, "2025-03-14T09:30:00.000Z", "normalised as check normalises it");
    assert.equal(pl.customer.companyProfile.organizationRegistrationNumber, "5260250274");
    assert.equal(pl.agreement, undefined, "its agreement block names a signatory: the MCA as taken today");
    assert.deepEqual(pl.acceptance?.signatory, {
      firstName: "Katarzyna",
      lastName: "Nowak",
      email: "katarzyna.nowak@fabrikam-polska.example",
    });
    assert.notEqual(us.customer.companyProfile.domain, pl.customer.companyProfile.domain);
  });

  it("takes an agreement block with a signatory as an MCA acceptance, normalised as its check does", () => {
    const [spec] = parseCustomersFile(
      fileWith({
        contoso: {
          ...validCustomerArgs(),
          agreement: {
            signatory: { firstName: " Ada ", lastName: "Ng", email: "ada@contoso.example" },
            country: "us",
            waitForAcceptanceSeconds: 30,
          },
        },
      }),
      FILE,
    ) as [CustomerSpec];
    assert.equal(spec.agreement, undefined);
    assert.deepEqual(spec.acceptance, {
      signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
      country: "US",
      waitForAcceptanceSeconds: 30,
    });
  });

  it("refuses an agreement block that mixes the signatory and the seed's primaryContact forms, naming both", () => {
    const error = expectInvalid(
      fileWith({
        contoso: {
          ...validCustomerArgs(),
          agreement: {
            signatory: { firstName: "Ada", lastName: "Ng", email: "not-an-email" },
            primaryContact: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
          },
        },
      }),
    );
    const paths = error.issues.map((i) => i.path);
    assert.ok(paths.includes("customers.contoso.agreement.primaryContact"), JSON.stringify(error.issues));
    assert.ok(paths.includes("customers.contoso.agreement.signatory.email"), JSON.stringify(error.issues));
    assert.match(
      error.issues.find((i) => i.path === "customers.contoso.agreement.primaryContact")?.message ?? "",
      /give signatory .* or primaryContact .*, not both/,
    );
  });

  it("accepts `customers: {}` as a file without customers", () => {
    assert.deepEqual(parseCustomersFile("customers: {}\n", FILE), []);
  });

  it("normalises as the resources' check does (domain and country case, trimmed strings, empty optionals dropped)", () => {
    const entry = mutate(
      mutate(
        mutate(US_ENTRY, "companyProfile.domain", " ContosoTest.OnMicrosoft.com "),
        "billingProfile.culture",
        "EN-us",
      ),
      "billingProfile.defaultAddress.addressLine2",
      "  ",
    );
    const [spec] = parseCustomersFile(
      fileWith({ contoso: mutate(entry, "billingProfile.defaultAddress.country", "us") }),
      FILE,
    );
    assert.equal(spec?.customer.companyProfile.domain, "contosotest.onmicrosoft.com");
    assert.equal(spec?.customer.billingProfile.culture, "en-US");
    assert.equal(spec?.customer.billingProfile.defaultAddress.country, "US");
    assert.ok(!("addressLine2" in (spec?.customer.billingProfile.defaultAddress ?? {})));
  });

  it(`has at least 25 invalid cases (${INVALID.length})`, () => {
    assert.ok(INVALID.length >= 25);
  });

  for (const c of INVALID) {
    it(`rejects ${c.title}, naming file, entry and field`, () => {
      const error = expectInvalid(c.text);
      const issue = error.issues.find((i) => i.path === c.path);
      assert.ok(issue, `an issue on "${c.path}"; got ${JSON.stringify(error.issues)}`);
      assert.match(issue.message, c.reason);
      if (c.line !== undefined) assert.equal(issue.line, c.line, `line of ${JSON.stringify(issue)}`);
      const where = c.path === "" ? "" : `${escapeRegExp(c.path)}: `;
      const line = c.line === undefined ? "\\d+" : String(c.line);
      assert.match(error.message, new RegExp(`^  ${escapeRegExp(FILE)}(:${line})?: ${where}\\S`, "m"));
    });
  }

  it("reports every problem of every entry at once, in file order, with lines", () => {
    const text = [
      "customers:",
      "  contoso:",
      "    companyProfile:",
      "      domain: contoso-ltd.onmicrosoft.com", // 4: hyphen
      "    billingProfile:",
      "      email: billing@contoso.example",
      "      culture: en-US",
      "      language: en",
      "      companyName: Contoso Ltd",
      "      defaultAddress:",
      "        firstName: Ada",
      "        lastName: Ng",
      "        addressLine1: 1 Microsoft Way",
      "        city: Redmond",
      "        postalCode: '98052'",
      "        country: UK", // 16
      "  fabrikam:",
      "    companyProfile:",
      "      domain: fabrikamtest.onmicrosoft.com",
      "    billingProfil: {}", // 20: typo, so billingProfile is also missing (reported on the entry, line 17)
      "",
    ].join("\n");
    const error = expectInvalid(text);
    assert.deepEqual(
      error.issues.map((i) => [i.line, i.path]),
      [
        [4, "customers.contoso.companyProfile.domain"],
        [16, "customers.contoso.billingProfile.defaultAddress.country"],
        [17, "customers.fabrikam.billingProfile"],
        [20, "customers.fabrikam.billingProfil"],
      ],
    );
    assert.match(error.message, /^customers\.yaml is invalid \(4 problems\):$/m);
    assert.match(
      error.message,
      /^ {2}customers\.yaml:16: customers\.contoso\.billingProfile\.defaultAddress\.country: "UK"/m,
    );
  });

  it("names a missing file", () => {
    const dir = mkdtempSync(join(tmpdir(), "customers-file-"));
    try {
      assert.throws(
        () => loadCustomersFile("missing.yaml", { baseDirectory: dir }),
        (error: unknown) =>
          error instanceof CustomersFileError && /^ {2}missing\.yaml: the file does not exist$/m.test(error.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resolves a relative path against baseDirectory and names it as given", () => {
    const dir = mkdtempSync(join(tmpdir(), "customers-file-"));
    try {
      writeFileSync(join(dir, "team-a.yaml"), fileWith({ contoso: mutate(US_ENTRY, "billingProfile.email", "nope") }));
      assert.throws(
        () => loadCustomersFile("team-a.yaml", { baseDirectory: dir }),
        /^ {2}team-a\.yaml:\d+: customers\.contoso\.billingProfile\.email: is not a valid email address/m,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is a Pulumi RunError, so a program that lets it escape prints the issues without a stack trace", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const error = expectInvalid("customers:\n");
    assert.ok(pulumi.RunError.isInstance(error));
  });
});

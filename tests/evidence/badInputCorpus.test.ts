/**
 * The bad-input corpus (badInputs.ts), each case two ways: as resource args through the real provider host's `check`
 * (the failure names the property, and not a single request reaches the emulator), and as an entry of a
 * `customers.yaml` through the customers-file loader (a `CustomersFileError` naming file, entry and field).
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { parseCustomersFile } from "../../provider/gitops/customersFile";
import { CustomersFileError } from "../../provider/gitops/customersFileError";
import { useEmulator } from "../support/emulatorHooks";
import {
  agreementUrn,
  customerInputs,
  customerUrn,
  providerTextOf,
  requestsFrom,
  startHostFor,
} from "../support/providerHarness";
import type { ProviderHost } from "../support/providerHost";
import { AGREEMENT_BAD_INPUTS, BAD_INPUTS, type BadInputCase, CUSTOMER_BAD_INPUTS } from "./badInputs";

const FILE_NAME = "customers.yaml";

/** The customers-file entry of a case, and the issue path the loader must report. */
function asFileEntry(testCase: BadInputCase, name: string): { text: string; path: string } {
  if (testCase.resource === "PartnerCustomer") {
    return {
      text: stringify({ customers: { [name]: testCase.args } }),
      path: `customers.${name}.${testCase.property}`,
    };
  }
  // An agreement rides on a valid customer entry; the file never sets customerId, so that case keeps it in the block.
  const { customerId, ...block } = testCase.args;
  const agreement = testCase.property === "customerId" ? { customerId, ...block } : block;
  return {
    text: stringify({ customers: { [name]: { ...customerInputs(), agreement } } }),
    path: `customers.${name}.agreement.${testCase.property}`,
  };
}

describe("evidence: the bad-input corpus", function () {
  this.timeout(60_000);

  it(`has at least 50 cases (${BAD_INPUTS.length}: ${CUSTOMER_BAD_INPUTS.length} customer, ${AGREEMENT_BAD_INPUTS.length} agreement)`, () => {
    assert.ok(BAD_INPUTS.length >= 50);
    assert.ok(CUSTOMER_BAD_INPUTS.length >= 20 && AGREEMENT_BAD_INPUTS.length >= 20);
    assert.equal(new Set(BAD_INPUTS.map((c) => c.description)).size, BAD_INPUTS.length, "descriptions are unique");
  });

  describe("as resource args: check names the property and sends nothing", () => {
    const emulator = useEmulator();
    let host: ProviderHost;
    const providers: Record<BadInputCase["resource"], string> = { PartnerCustomer: "", CustomerAgreement: "" };

    before(async () => {
      providers.PartnerCustomer = await providerTextOf("PartnerCustomer");
      providers.CustomerAgreement = await providerTextOf("CustomerAgreement");
      host = await startHostFor(emulator());
    });
    after(async () => {
      await host?.stop();
    });

    for (const testCase of BAD_INPUTS) {
      it(`${testCase.resource}: ${testCase.description} → ${testCase.property}`, async () => {
        const seen = requestsFrom(emulator());
        const urn = testCase.resource === "PartnerCustomer" ? customerUrn("bad") : agreementUrn("bad");
        const result = await host.check(urn, {}, { ...testCase.args, __provider: providers[testCase.resource] });
        assert.ok(
          result.failures.some((f) => f.property === testCase.property),
          `expected a failure on ${testCase.property}, got ${JSON.stringify(result.failures)}`,
        );
        for (const failure of result.failures) assert.ok(failure.reason.length > 10, "each failure states the rule");
        assert.deepEqual(seen(), [], "no request reached Partner Center (token endpoint included)");
      });
    }
  });

  describe("as a customers.yaml entry: the loader names file, entry and field", () => {
    BAD_INPUTS.forEach((testCase, index) => {
      const name = `bad-${index}`;
      it(`${testCase.resource}: ${testCase.description} → ${testCase.property}`, () => {
        const { text, path } = asFileEntry(testCase, name);
        assert.throws(
          () => parseCustomersFile(text, FILE_NAME),
          (error: unknown) => {
            assert.ok(error instanceof CustomersFileError, String(error));
            assert.equal(error.fileName, FILE_NAME);
            const issue = error.issues.find((i) => i.path === path);
            assert.ok(issue, `expected an issue at ${path}, got ${JSON.stringify(error.issues)}`);
            assert.ok(issue.line !== undefined && issue.line > 0, "the issue has a line");
            // The message is what CI prints: it must name the file (with the line), the entry and the field.
            assert.ok(error.message.includes(`${FILE_NAME}:${issue.line}: ${path}: `), error.message);
            return true;
          },
        );
      });
    });
  });
});

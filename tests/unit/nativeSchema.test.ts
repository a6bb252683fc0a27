import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PLUGIN_DOWNLOAD_URL, packageSchema, type SchemaDocs } from "../../provider/native/schema";
import { getPackageInfo } from "../../provider/version";
import { readSchemaDocs } from "../../scripts/schemaDocs";
import { repositoryRoot } from "../support/providerHost";

type Schema = {
  version: string;
  pluginDownloadURL: string;
  config: { variables: Record<string, { secret?: boolean; description: string }> };
  types: Record<string, { description: string; properties: Record<string, { description: string }> }>;
  resources: Record<string, { description: string; properties: Record<string, { description: string }> }>;
};

const docs = readSchemaDocs(repositoryRoot);
const generated = packageSchema(getPackageInfo().version, docs) as Schema;

/** `docs` with one member's TSDoc replaced (or the member removed, with `undefined`). */
function withMember(declaration: string, member: string, text: string | undefined): SchemaDocs {
  const copy: SchemaDocs = structuredClone(docs);
  const entry = copy[declaration];
  assert.ok(entry, declaration);
  if (text === undefined) delete entry.members[member];
  else entry.members[member] = text;
  return copy;
}

describe("native provider schema (provider/native/schema.ts, descriptions from the TSDoc)", () => {
  it("is what the plugin serves: provider/native/schema.json is current (npx tsx scripts/native-schema.ts)", () => {
    const committed = JSON.parse(readFileSync(join(repositoryRoot, "provider/native/schema.json"), "utf8"));
    assert.deepEqual(committed, JSON.parse(JSON.stringify(generated)));
  });

  it("describes every type and property with the words of the TypeScript package's TSDoc", () => {
    const customer = generated.resources["partnercenter:index:PartnerCustomer"];
    assert.ok(customer);
    // Verbatim from PartnerCustomerArgs.deletionPolicy, line breaks joined.
    assert.match(
      customer.properties.deletionPolicy?.description ?? "",
      /^What destroying \(or replacing\) the resource does\. `"retain"` \(default\): nothing, the tenant stays with you\. `"delete"`/,
    );
    assert.match(
      customer.description,
      /^A Microsoft Partner Center customer: .*\n\nCreates are idempotent.*\n\nImport id: the customer ID/s,
    );
    const address = generated.types["partnercenter:index:CustomerAddress"];
    assert.equal(
      address?.properties.country?.description,
      "Required ISO 3166-1 alpha-2 code, e.g. `US`, `GB` (not `UK`).",
    );
    for (const [token, entry] of [...Object.entries(generated.types), ...Object.entries(generated.resources)]) {
      assert.ok(entry.description, `${token} has a description`);
      for (const [key, property] of Object.entries(entry.properties)) {
        assert.ok(property.description, `${token}.${key} has a description`);
        assert.doesNotMatch(property.description, /\{@link|\n(?!\n)/, `${token}.${key}: plain text`);
      }
    }
  });

  it("refuses an undocumented property, a declared one it has no type for, and a typed one no longer declared", () => {
    assert.throws(
      () => packageSchema("1.0.0", withMember("PartnerCustomerArgs", "preflight", "")),
      /PartnerCustomerArgs\.preflight has no TSDoc/,
    );
    assert.throws(
      () => packageSchema("1.0.0", withMember("CustomerAddressArgs", "county", "A new field.")),
      /no type for CustomerAddressArgs\.county/,
    );
    assert.throws(
      () => packageSchema("1.0.0", withMember("AgreementContactArgs", "phoneNumber", undefined)),
      /AgreementContactArgs does not declare phoneNumber/,
    );
  });

  it("marks secret config and outputs, names a release download URL and carries the package's version", () => {
    const secrets = Object.entries(generated.config.variables)
      .filter(([, variable]) => variable.secret)
      .map(([key]) => key);
    assert.deepEqual(secrets.sort(), [
      "clientCertificate",
      "clientCertificatePassword",
      "clientSecret",
      "refreshToken",
    ]);
    assert.match(
      generated.config.variables.clientSecret?.description ?? "",
      /Environment: PARTNERCENTER_CLIENT_SECRET, AZURE_CLIENT_SECRET\./,
    );
    assert.equal(generated.pluginDownloadURL, PLUGIN_DOWNLOAD_URL);
    assert.match(PLUGIN_DOWNLOAD_URL, /^github:\/\/api\.github\.com\/[\w-]+\/[\w-]+$/);
    assert.equal(generated.version, getPackageInfo().version);
  });
});

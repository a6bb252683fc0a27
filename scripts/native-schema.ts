/**
 * Writes the native provider's package schema (`provider/native/schema.ts`, with the descriptions from the resources'
 * TSDoc, `scripts/schemaDocs.ts`) to `provider/native/schema.json`: the file the plugin serves and SDK generation
 * reads. Run: `npx tsx scripts/native-schema.ts` (`--check` fails when the file is stale; formatting aside).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageSchema } from "../provider/native/schema";
import { getPackageInfo } from "../provider/version";
import { readSchemaDocs } from "./schemaDocs";

const file = join(__dirname, "..", "provider", "native", "schema.json");
const root = join(__dirname, "..");
const text = `${JSON.stringify(packageSchema(getPackageInfo().version, readSchemaDocs(root)), null, 2)}\n`;
if (process.argv.includes("--check")) {
  let current: unknown;
  try {
    current = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // missing or unreadable: stale
  }
  // Compared as JSON: the file may be reformatted by biome.
  if (JSON.stringify(current) !== JSON.stringify(JSON.parse(text))) {
    console.error(`${file} is stale: run npx tsx scripts/native-schema.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

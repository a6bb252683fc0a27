// Sets the execute bits on the files package.json names as `bin`, after tsc wrote them.
//
// Why: tsc writes every file with mode 0644. npm sets the bits when it installs the package, so users never notice,
// but in this repository `npx partner-center-emulator` resolves the package's own bin to dist/emulator/cli.js and
// runs it through sh, which fails with "Permission denied" on a clean clone without them.
import { chmodSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { bin = {} } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
for (const file of typeof bin === "string" ? [bin] : Object.values(bin)) {
  const path = join(root, file);
  chmodSync(path, statSync(path).mode | 0o111);
}

// Makes `require("pulumi-partnercenter/...")` resolve inside this repository.
//
// Why: the serialized dynamic provider loads its implementation at run time with
// `require("pulumi-partnercenter/runtime")` from the Pulumi provider host, whose module has no file name, so Node
// resolves the request from the host's working directory (the Pulumi project) through node_modules only; a
// package's self-reference does not apply there. Users get the package from node_modules; the root program,
// the tests and the benchmarks in this repository get this relative symlink to the package root instead.
import { existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const link = join(root, "node_modules", "pulumi-partnercenter");
mkdirSync(dirname(link), { recursive: true });
if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false })) {
  const stat = lstatSync(link);
  if (stat.isSymbolicLink() && readlinkSync(link) === "..") process.exit(0);
  // A real installed copy (e.g. from npm install of a tarball) would shadow the working tree: replace it.
  if (!stat.isSymbolicLink()) {
    console.error(`link-self: ${link} is not a symlink; leaving it alone`);
    process.exit(0);
  }
  unlinkSync(link);
}
symlinkSync("..", link, "dir");

/**
 * What importing the package costs a Pulumi program on every run: the index and the runtime the provider host loads
 * must not load zod, got, MSAL or yaml — each is loaded by the first operation that needs it (BENCHMARKS.md, profile
 * finding 2: zod alone took ~90 ms of every program start). Checked in a fresh Node process, as a program starts.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { repositoryRoot } from "../support/providerHost";

const HEAVY = ["zod", "got", "@azure/msal-node", "@azure/msal-common", "yaml"];

/** The packages (of {@link HEAVY}) in `require.cache` after `require(specifier)` in a fresh process. */
function heavyPackagesLoadedBy(specifier: string): string[] {
  const script = `
    require("@pulumi/pulumi");
    require(${JSON.stringify(specifier)});
    const heavy = ${JSON.stringify(HEAVY)};
    const loaded = Object.keys(require.cache).map((file) => file.split("/node_modules/").pop() ?? "");
    console.log(JSON.stringify(heavy.filter((name) => loaded.some((file) => file.startsWith(name + "/")))));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repositoryRoot, encoding: "utf8" }));
}

describe("loading the package (what every program start and provider host pays)", function () {
  this.timeout(30_000);

  it("the index loads none of zod, got, MSAL or yaml", () => {
    assert.deepEqual(heavyPackagesLoadedBy("pulumi-partnercenter"), []);
  });

  it("the provider host's runtime loads none of them either until an operation needs one", () => {
    assert.deepEqual(heavyPackagesLoadedBy("pulumi-partnercenter/runtime"), []);
  });

  it("can tell: the client's wire schemas do load zod", () => {
    assert.deepEqual(heavyPackagesLoadedBy("./dist/provider/schemas"), ["zod"]);
  });
});

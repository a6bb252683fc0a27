// Bundles the native plugin entry (dist/provider/native/pluginMain.js, from `npm run build`) and everything it
// loads into one CommonJS file for a Node single-executable application (scripts/package-plugin.sh).
//
//   node scripts/package-plugin.mjs <outfile> <version>
//
// Two build-time rewrites, because a SEA's `require` loads built-in modules only and has no package.json nearby:
// - provider/native/nativeServer.js loads grpc-js, google-protobuf and the proto modules through a `createRequire`
//   rooted at @pulumi/pulumi's folder (so they are the copies @pulumi/pulumi itself uses). Here those become static
//   `require`s resolved from the same folder, so esbuild bundles exactly those copies, once, shared with
//   @pulumi/pulumi's own code in the bundle.
// - provider/version.js reads name and version from package.json at run time; here they are fixed at build time.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [outfile, version] = process.argv.slice(2);
if (!outfile || !version) {
  console.error("usage: node scripts/package-plugin.mjs <outfile> <version>");
  process.exit(2);
}
const pulumiDir = join(root, "node_modules", "@pulumi", "pulumi");
// Resolves as @pulumi/pulumi itself does: the copies it loads.
const fromPulumi = createRequire(join(pulumiDir, "package.json"));
const name = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name;

/** Replaces `pattern` in `text`, failing loudly when the compiled code no longer has it. */
function rewrite(text, pattern, replacement, what) {
  if (!pattern.test(text)) throw new Error(`package-plugin: cannot find ${what}; update scripts/package-plugin.mjs`);
  return text.replace(pattern, replacement);
}

const rewrites = {
  name: "partnercenter-plugin-rewrites",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]provider[\\/]native[\\/]nativeServer\.js$/ }, (args) => {
      let text = readFileSync(args.path, "utf8");
      text = rewrite(
        text,
        /const load = \(0, node_module_1\.createRequire\)\([^\n]*\n/,
        "",
        "the createRequire loader",
      );
      text = rewrite(
        text,
        /load\("([^"]+)"\)/g,
        (_, id) => `require(${JSON.stringify(fromPulumi.resolve(id))})`,
        "the proto module loads",
      );
      return { contents: text, loader: "js", resolveDir: dirname(args.path) };
    });
    b.onLoad({ filter: /[\\/]dist[\\/]provider[\\/]version\.js$/ }, (args) => {
      const text = rewrite(
        readFileSync(args.path, "utf8"),
        /^let cached;$/m,
        `let cached = ${JSON.stringify({ name, version })};`,
        "the package-info cache",
      );
      return { contents: text, loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

const result = await build({
  stdin: {
    contents:
      'require("./dist/provider/native/pluginMain.js").main().catch((error) => {\n' +
      "  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));\n" +
      "  process.exit(1);\n});\n",
    resolveDir: root,
    sourcefile: "plugin-entry.js",
    loader: "js",
  },
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  outfile,
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  plugins: [rewrites],
});
const inputs = Object.keys(result.metafile.inputs);
const grpcCopies = new Set(inputs.map((p) => /(.*node_modules\/@grpc\/grpc-js)\//.exec(p)?.[1]).filter(Boolean));
console.log(`package-plugin: bundled ${inputs.length} modules; grpc-js copies: ${[...grpcCopies].join(", ")}`);
if (grpcCopies.size !== 1) throw new Error("package-plugin: expected exactly one copy of @grpc/grpc-js in the bundle");

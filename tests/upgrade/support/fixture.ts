/**
 * Upgrade fixtures (issue 21, item 4): a stack state written by a release, checked in with the program that made it
 * and the emulator state it was made against, one folder per release: `tests/upgrade/fixtures/v<version>/`.
 *
 *   fixture.json              what made it: package, CLI and YAML-host versions, the emulator's port, the stack
 *   emulator-state.json       the emulator's state file afterwards (emulator data only: its demo secrets in the clear)
 *   dynamic/                  the TypeScript program (the GitOps program and its customers.yaml), Pulumi.upgrade.yaml
 *                             (stack config, secrets encrypted) and state.json (`pulumi stack export`, secrets encrypted)
 *   native/                   the Pulumi YAML program on the native plugin, its stack config and state
 *
 * Every secret in the state and config is encrypted by Pulumi's passphrase secrets provider with
 * {@link UPGRADE_FIXTURE_PASSPHRASE}, a fixed test passphrase that protects emulator data only. `scripts/make-upgrade-
 * fixture.sh` writes a new folder; old folders are kept, so each later version is tested against all of them.
 */
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The passphrase of every fixture stack (emulator data only; never a real stack's). */
export const UPGRADE_FIXTURE_PASSPHRASE = "pulumi-partnercenter-upgrade-fixture";
/** The stack name of every fixture (URNs carry it, so the tests import into a stack of the same name). */
export const UPGRADE_FIXTURE_STACK = "upgrade";
/**
 * The emulator's port when a fixture is made, and when the CLI tests run it: the native plugin's default provider
 * keeps its configuration (the emulator's URL) in the state, and another URL would be a change of the provider.
 * Below Linux's ephemeral range, so no `port: 0` emulator of another test takes it.
 */
export const UPGRADE_FIXTURE_PORT = 18643;

/** The folder holding every fixture. */
export const FIXTURES_DIR = join(__dirname, "..", "fixtures");
/** The programs a new fixture is made from (the generator copies them into the fixture). */
export const PROGRAMS_DIR = join(__dirname, "..", "programs");

/** The two front ends a fixture covers. */
export type FrontEndName = "dynamic" | "native";
export const FRONT_ENDS: readonly FrontEndName[] = ["dynamic", "native"];

/** `fixture.json`. */
export interface FixtureInfo {
  /** The package version that wrote the fixture. */
  version: string;
  /** When (ISO 8601). */
  createdAt: string;
  /** `pulumi version` that ran the programs. */
  pulumiVersion: string;
  /** The Pulumi YAML language host's version. */
  yamlHostVersion: string;
  /** The emulator's port when the fixture was made. */
  emulatorPort: number;
  /** The stack name. */
  stack: string;
  /** Per front end: the Pulumi project name and the resources of each type the state holds. */
  frontEnds: Record<FrontEndName, { project: string; resources: Record<string, number> }>;
}

/** A resource of a `pulumi stack export`. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  protect?: boolean;
  provider?: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** `pulumi stack export` (version 3 deployments). */
export interface ExportedState {
  version: number;
  deployment: {
    manifest?: Record<string, unknown>;
    secrets_providers?: { type: string; state?: { salt?: string } };
    resources?: StateResource[];
  };
}

/** One fixture folder. */
export interface Fixture {
  readonly dir: string;
  readonly info: FixtureInfo;
  /** The project folder of a front end. */
  projectDir(frontEnd: FrontEndName): string;
  /** Its exported state, as stored (secrets encrypted). */
  state(frontEnd: FrontEndName): ExportedState;
  /** Its exported state with every secret decrypted (for driving providers directly: the engine does the same). */
  decryptedState(frontEnd: FrontEndName): ExportedState;
}

/** The fixture folders, oldest version first. */
export function fixtureVersions(): string[] {
  if (!existsSync(FIXTURES_DIR)) return [];
  return readdirSync(FIXTURES_DIR)
    .filter((name) => /^v\d+\.\d+\.\d+/.test(name) && existsSync(join(FIXTURES_DIR, name, "fixture.json")))
    .sort((a, b) => compareVersions(a.slice(1), b.slice(1)));
}

/** Orders `1.2.10` after `1.2.9`. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Loads the fixture of `folder` (`v0.1.0`). */
export function loadFixture(folder: string): Fixture {
  const dir = join(FIXTURES_DIR, folder);
  const info = JSON.parse(readFileSync(join(dir, "fixture.json"), "utf8")) as FixtureInfo;
  const state = (frontEnd: FrontEndName) =>
    JSON.parse(readFileSync(join(dir, frontEnd, "state.json"), "utf8")) as ExportedState;
  return {
    dir,
    info,
    projectDir: (frontEnd) => join(dir, frontEnd),
    state,
    decryptedState: (frontEnd) => decryptState(state(frontEnd), UPGRADE_FIXTURE_PASSPHRASE),
  };
}

/** Pulumi's marker of a secret value in state: `{ [SECRET_SIG_KEY]: SECRET_SIG, ciphertext | plaintext }`. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Pulumi's passphrase crypter, read-only: the key is PBKDF2-SHA256 of the passphrase over the salt of
 * `secrets_providers.state.salt` (`v1:<salt>:v1:<nonce>:<sealed "pulumi">`), 1,000,000 rounds, 32 bytes; each
 * secret is `v1:<nonce>:<AES-256-GCM ciphertext and tag>` (base64) of the value's JSON.
 */
export function passphraseDecrypter(salt: string, passphrase: string): (ciphertext: string) => unknown {
  const [, saltB64, , checkNonce, checkSealed] = salt.split(":");
  if (!saltB64) throw new Error(`not a passphrase salt: ${salt}`);
  const key = pbkdf2Sync(passphrase, Buffer.from(saltB64, "base64"), 1_000_000, 32, "sha256");
  const open = (nonceB64: string, sealedB64: string): string => {
    const sealed = Buffer.from(sealedB64, "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64"));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString("utf8");
  };
  if (checkNonce && checkSealed && open(checkNonce, checkSealed) !== "pulumi") {
    throw new Error("the passphrase does not open this state's salt");
  }
  return (ciphertext) => {
    const [version, nonce, sealed] = ciphertext.split(":");
    if (version !== "v1" || !nonce || !sealed) throw new Error("not a v1 passphrase ciphertext");
    return JSON.parse(open(nonce, sealed));
  };
}

/** A copy of `state` with every encrypted secret replaced by its plaintext value. */
export function decryptState(state: ExportedState, passphrase: string): ExportedState {
  const salt = state.deployment.secrets_providers?.state?.salt;
  if (state.deployment.secrets_providers?.type !== "passphrase" || !salt) {
    throw new Error("the fixture's state is not encrypted with a passphrase");
  }
  const decrypt = passphraseDecrypter(salt, passphrase);
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) {
      if (typeof record.ciphertext === "string") return walk(decrypt(record.ciphertext));
      throw new Error("a secret in the fixture's state is not encrypted");
    }
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, walk(inner)]));
  };
  return walk(state) as ExportedState;
}

/** Every secret of `state` as stored: `{ path, ciphertext? , plaintext? }`, for checks that none is in the clear. */
export function secretsOf(state: ExportedState): { path: string; encrypted: boolean }[] {
  const found: { path: string; encrypted: boolean }[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${path}[${index}]`);
    } else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (record[SECRET_SIG_KEY] === SECRET_SIG) {
        found.push({ path, encrypted: typeof record.ciphertext === "string" && !("plaintext" in record) });
        return;
      }
      for (const [key, inner] of Object.entries(record)) walk(inner, path ? `${path}.${key}` : key);
    }
  };
  walk(state, "");
  return found;
}

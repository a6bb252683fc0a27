/**
 * The emulator's state file: customers, agreements, attestations, GDAP relationships, the CA and the auth material, as one JSON document written
 * atomically (temporary file + rename) so a crash never leaves a half-written file behind.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CertificateAuthorityPem } from "./certificates";
import type { Agreement, Attestation, Customer } from "./model";
import type { GdapState } from "./store";
import type { TokenServiceState } from "./tokenService";

/** Version of the state-file layout; bump when the shape changes incompatibly. */
export const STATE_FILE_VERSION = 1;

/** What the state file holds. */
export interface PersistedState {
  version: typeof STATE_FILE_VERSION;
  /** Customers in creation order. */
  customers: Customer[];
  /** Agreements by customer id. */
  agreements: Record<string, Agreement[]>;
  /** Domains that stay taken although no visible customer holds them (tenants outside the partner's view). */
  retainedDomains: string[];
  /** Enhanced MCA attestations (absent in files written before they existed). */
  attestations?: Attestation[];
  /** GDAP relationships, their requests, access assignments and operations (absent in files written before them). */
  gdap?: GdapState;
  /** The CA, so clients trusting its file keep working after a restart. */
  ca: CertificateAuthorityPem;
  /** Keys, identity and refresh tokens. */
  auth: TokenServiceState;
}

/** Reads the state file, or returns `undefined` when it does not exist yet. */
export async function loadStateFile(path: string): Promise<PersistedState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(text) as PersistedState;
  if (state.version !== STATE_FILE_VERSION) {
    throw new Error(
      `State file ${path} has version ${String(state.version)}; this emulator reads ${STATE_FILE_VERSION}.`,
    );
  }
  return state;
}

/** Writes the state file whenever asked, coalescing bursts of changes into as few writes as possible. */
export interface StateFileWriter {
  /** Schedules a write of the current state; resolves once a write that includes it is on disk. */
  save(): Promise<void>;
}

/**
 * Creates a writer for `path`. Each `save()` resolves after a write that started after the call, so a caller that
 * awaits it knows its change is durable; concurrent calls share one write.
 * @param path The state file.
 * @param snapshot Returns the state to write (called when a write starts, so it is always the newest).
 */
export function createStateFileWriter(path: string, snapshot: () => PersistedState): StateFileWriter {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let counter = 0;

  async function writeOnce(): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    // A unique temporary name per write: rename() over the target is atomic on POSIX and replaces on Windows.
    const temporary = `${path}.${process.pid}.${++counter}.tmp`;
    await writeFile(temporary, JSON.stringify(snapshot()), { mode: 0o600 });
    await rename(temporary, path);
  }

  function save(): Promise<void> {
    if (!running) {
      running = writeOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    // A write is in flight and may have taken its snapshot before this change: queue exactly one more.
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return save();
        });
    }
    return queued;
  }

  return { save };
}

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PartnerCenterError } from "../foundation/partnerCenterError";

/** Permissions of a refresh-token file: read and write for its owner only. */
export const REFRESH_TOKEN_FILE_MODE = 0o600;

/**
 * Reads the refresh token kept in `path` (`partnercenter:refreshTokenFile`): the file's content without surrounding
 * whitespace. Returns `undefined` when the file does not exist or holds only whitespace — the configured refresh
 * token then seeds it at the first rotation. Any other failure (a directory, no permission) throws the Node.js error,
 * whose message names the path and never the content.
 */
export function readRefreshTokenFile(path: string): string | undefined {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const token = content.trim();
  return token === "" ? undefined : token;
}

/**
 * Replaces the content of `path` with `refreshToken` (and a newline), atomically and owner-only: the token goes to a
 * new file in the same directory created with mode 0600 (and `fchmod`ed to it, whatever the umask), is flushed to
 * disk, and is renamed over `path`. A reader — another stack's provider, a CI step copying the file back to a secret
 * store — sees the old token or the new one, never half of one. On Windows the mode is not enforced; protect the
 * directory instead.
 *
 * Fails with {@link PartnerCenterError} kind `config` naming the file (never the token) when the directory is
 * missing or not writable: the rotated token would otherwise be lost without a word.
 */
export async function writeRefreshTokenFile(path: string, refreshToken: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temporary, "wx", REFRESH_TOKEN_FILE_MODE);
    created = true;
    try {
      await handle.chmod(REFRESH_TOKEN_FILE_MODE);
      await handle.writeFile(`${refreshToken}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    if (created) await unlink(temporary).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? "unwritable";
    throw new PartnerCenterError({
      kind: "config",
      operation: "Keeping the rotated refresh token",
      description:
        `cannot write ${path} (${code}): the App+User refresh token was rotated and the new one must be kept ` +
        "there. Make its directory exist and be writable by this process, or change partnercenter:refreshTokenFile " +
        "(PARTNERCENTER_REFRESH_TOKEN_FILE)",
      isRetryable: false,
    });
  }
}

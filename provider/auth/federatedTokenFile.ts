import { readFile, stat } from "node:fs/promises";
import { PartnerCenterError } from "../foundation/partnerCenterError";

/**
 * Returns a function that reads a workload identity federation token (a JWT client assertion) from `path`, as
 * written by Kubernetes (`AZURE_FEDERATED_TOKEN_FILE`) or a CI step. The file is rotated underneath us (projected
 * service account tokens last about an hour), so it is stat'ed on every call and re-read when it changed; the
 * content is cached only while the file is unchanged.
 */
export function createFederatedTokenReader(path: string): () => Promise<string> {
  let cached: { version: string; token: string } | undefined;
  return async () => {
    try {
      const info = await stat(path);
      const version = `${info.ino}:${info.size}:${info.mtimeMs}`;
      if (cached?.version === version) return cached.token;
      const token = (await readFile(path, "utf8")).trim();
      if (token === "") throw Object.assign(new Error("empty"), { code: "EMPTY" });
      cached = { version, token };
      return token;
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unreadable";
      throw new PartnerCenterError({
        kind: "config",
        operation: "Reading the federated token file",
        description: `cannot read ${path} (${code}); check partnercenter:federatedTokenFile / AZURE_FEDERATED_TOKEN_FILE`,
      });
    }
  };
}

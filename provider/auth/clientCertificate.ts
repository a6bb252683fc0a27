import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { PartnerCenterError } from "../foundation/partnerCenterError";

/** A client certificate in the shape MSAL's `clientCertificate` option takes. */
export interface LoadedClientCertificate {
  /** Hex SHA-256 thumbprint of the leaf certificate (MSAL signs a PS256 assertion with `x5t#S256`). */
  readonly thumbprintSha256: string;
  /** Unencrypted PKCS#8 PEM private key. Secret. */
  readonly privateKey: string;
  /** The certificate chain as PEM (leaf first), for `x5c` (subject name / issuer authentication). */
  readonly x5c: string;
}

/** Where a certificate comes from. */
export interface ClientCertificateSource {
  /** PEM content (certificate and private key), or base64 of that PEM. */
  readonly pem?: string | undefined;
  /** Path of a PEM file. Used when `pem` is not given. */
  readonly path?: string | undefined;
  /** Password of an encrypted private key. */
  readonly password?: string | undefined;
  /** Setting names for messages, e.g. `partnercenter:clientCertificatePath`. */
  readonly settingName?: string | undefined;
}

const OPERATION = "Loading the client certificate";

/**
 * Loads a PEM client certificate: finds the private key (decrypting it with `password` when needed), the certificate
 * whose public key matches it, and computes the thumbprint from the certificate itself — users never supply one.
 * Failures are kind `config`; no message ever contains key material or the password.
 */
export async function loadClientCertificate(source: ClientCertificateSource): Promise<LoadedClientCertificate> {
  const setting = source.settingName ?? "the client certificate setting";
  let text: string;
  if (source.pem) {
    text = source.pem;
  } else if (source.path) {
    let content: Buffer;
    try {
      content = await readFile(source.path);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unreadable";
      throw configError(`cannot read ${source.path} (${code}); check ${setting}`);
    }
    text = content.toString("utf8");
    if (!text.includes("-----BEGIN") && content[0] === 0x30) {
      throw configError(
        `${source.path} looks like PKCS#12 (.pfx); convert it to PEM: openssl pkcs12 -in cert.pfx -out cert.pem -nodes (or keep the key encrypted and set the password)`,
      );
    }
  } else {
    throw configError("no certificate given");
  }
  if (!text.includes("\n") && text.includes("\\n")) {
    // A PEM squeezed into one environment-variable line with literal "\n" sequences.
    text = text.replaceAll("\\n", "\n");
  }
  if (!text.includes("-----BEGIN")) {
    // Secrets stores and CI variables often hold base64 of the PEM file.
    const decoded = Buffer.from(text.trim(), "base64").toString("utf8");
    if (decoded.includes("-----BEGIN")) text = decoded;
  }

  const certificates = [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => m[0],
  );
  const keyBlock =
    /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(
      text,
    )?.[0];
  if (certificates.length === 0) throw configError(`no "BEGIN CERTIFICATE" block found; check ${setting}`);
  if (!keyBlock)
    throw configError(`no private key block found (the PEM must hold the certificate and its key); check ${setting}`);

  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: keyBlock,
      format: "pem",
      ...(source.password ? { passphrase: source.password } : {}),
    });
  } catch {
    throw configError(
      source.password
        ? "the private key could not be decrypted with the configured password; check partnercenter:clientCertificatePassword"
        : "the private key could not be read (if it is encrypted, set partnercenter:clientCertificatePassword)",
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw configError(`the private key is ${key.asymmetricKeyType ?? "unknown"}; Microsoft Entra needs an RSA key`);
  }

  const parsed = certificates.map((pem) => ({ pem, cert: new X509Certificate(pem) }));
  const leaf = parsed.find((c) => c.cert.checkPrivateKey(key));
  if (!leaf) throw configError("none of the certificates matches the private key");
  const chain = [leaf, ...parsed.filter((c) => c !== leaf)];
  if (Date.parse(leaf.cert.validTo) < Date.now()) {
    throw configError(`the certificate expired on ${leaf.cert.validTo}`);
  }
  return {
    thumbprintSha256: leaf.cert.fingerprint256.replaceAll(":", "").toLowerCase(),
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    x5c: chain.map((c) => c.pem).join("\n"),
  };
}

function configError(description: string): PartnerCenterError {
  return new PartnerCenterError({ kind: "config", operation: OPERATION, description });
}

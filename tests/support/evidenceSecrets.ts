/**
 * Secret-scan helpers: a client certificate made independently of the emulator (node:crypto keys, an @peculiar/x509
 * certificate), the forms in which a secret could leak, and the scan itself.
 */
// @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs the Reflect metadata API first.
import "reflect-metadata";
import { KeyObject, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { SECRET_SIG, SECRET_SIG_KEY } from "./providerHost";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A self-signed client certificate and its private key, both PEM. */
export interface TestClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Generates an RSA-2048 key with node:crypto's WebCrypto and a self-signed certificate for it (RSA: Entra and MSAL
 * sign client assertions with RS256/PS256 only).
 */
export async function generateClientCertificate(subject = "CN=evidence-secret-scan"): Promise<TestClientCertificate> {
  const algorithm = {
    name: "RSASSA-PKCS1-v1_5",
    hash: "SHA-256",
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const day = 86_400_000;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys: keys as unknown as x509.X509CertificateCreateSelfSignedParams["keys"],
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 30 * day),
    signingAlgorithm: algorithm,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const privateKeyPem = KeyObject.from(keys.privateKey).export({ type: "pkcs8", format: "pem" }).toString();
  return { certificatePem: certificate.toString("pem"), privateKeyPem };
}

/**
 * The searchable forms of a PEM private key: the base64 body on one line and each full 64-character line, so a key
 * that leaks re-wrapped, or only in part, is still found.
 */
export function pemNeedles(pem: string): string[] {
  const lines = pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("-----"));
  return [lines.join(""), ...lines.filter((line) => line.length === 64)];
}

/** Replaces every Pulumi wire-secret wrapper by a marker: what is inside a wrapper is allowed to hold a secret. */
export function withoutWireSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutWireSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return "[wire secret]";
  return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, withoutWireSecrets(member)]));
}

/** The values inside wire-secret wrappers of `value` (to prove the passwords are there, and only there). */
export function wireSecretValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(wireSecretValues);
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return [record.value];
  return Object.values(record).flatMap(wireSecretValues);
}

/** Something searched: a label and its text. */
export interface Haystack {
  label: string;
  text: string;
}

/** A secret to look for: a label and every form of it (see {@link pemNeedles}). */
export interface Needle {
  label: string;
  values: string[];
}

/** Every (secret, place) pair where a form of the secret occurs; empty when nothing leaked. */
export function findLeaks(haystacks: readonly Haystack[], needles: readonly Needle[]): string[] {
  const leaks: string[] = [];
  for (const needle of needles) {
    const values = needle.values.filter((value) => value.length >= 8);
    if (values.length === 0) throw new Error(`secret ${needle.label} has no searchable form`);
    for (const haystack of haystacks) {
      if (values.some((value) => haystack.text.includes(value))) leaks.push(`${needle.label} in ${haystack.label}`);
    }
  }
  return leaks;
}

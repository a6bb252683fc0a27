/**
 * TLS material for the emulator: a private certificate authority plus a server certificate for 127.0.0.1, ::1 and
 * localhost, generated with @peculiar/x509 over Node's WebCrypto (no hand-written crypto).
 *
 * The CA can be handed back in (or persisted next to the state file) so that a client trusting the CA file keeps
 * working across restarts; the server certificate is re-issued on every start, signed by that CA.
 */
// @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs the Reflect metadata API: load the
// polyfill before the library.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// The project compiles without the DOM lib, so WebCrypto types are spelled through @peculiar/x509's signatures.
type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type X509KeyPair = x509.X509CertificateCreateSelfSignedParams["keys"];
type X509PrivateKey = x509.X509CertificateCreateWithKeyParams["signingKey"];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

/** ECDSA P-256: fast to generate (milliseconds, unlike RSA) and accepted by every TLS client Node ships. */
const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate authority in PEM form: what {@link createCertificateAuthority} makes and the state file keeps. */
export interface CertificateAuthorityPem {
  /** The CA certificate (PEM). Clients trust this. */
  certificatePem: string;
  /** The CA private key (PKCS#8 PEM). Keep it private; it signs server certificates. */
  privateKeyPem: string;
}

/** A server certificate and its key, ready for `https.createServer({ cert, key })`. */
export interface ServerCertificatePem {
  /** Server certificate followed by nothing else (the CA is trusted separately). */
  certificatePem: string;
  /** Server private key (PKCS#8 PEM). */
  privateKeyPem: string;
}

async function exportPrivateKeyPem(key: X509PrivateKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function generateKeys(): Promise<X509KeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"])) as unknown as X509KeyPair;
}

/** Creates a new self-signed CA valid for ten years. */
export async function createCertificateAuthority(): Promise<CertificateAuthorityPem> {
  const keys = await generateKeys();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=Partner Center Emulator Local CA, O=pulumi-partnercenter",
    keys,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/**
 * Issues a server certificate for `localhost`, `127.0.0.1` and `::1` (plus any extra host names), signed by `ca`.
 * @param ca The CA that signs it.
 * @param extraHostNames More DNS names or IP addresses to put in the subject alternative name.
 */
export async function issueServerCertificate(
  ca: CertificateAuthorityPem,
  extraHostNames: readonly string[] = [],
): Promise<ServerCertificatePem> {
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    x509.PemConverter.decodeFirst(ca.privateKeyPem),
    KEY_ALGORITHM,
    false,
    ["sign"],
  );
  const keys = await generateKeys();
  const now = Date.now();
  const names: x509.JsonGeneralNames = [
    { type: "dns", value: "localhost" },
    { type: "ip", value: "127.0.0.1" },
    { type: "ip", value: "::1" },
    ...extraHostNames.map((name) =>
      /^[\d.]+$|:/.test(name) ? { type: "ip" as const, value: name } : { type: "dns" as const, value: name },
    ),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    subject: "CN=localhost",
    issuer: caCertificate.subject,
    publicKey: keys.publicKey,
    signingKey: caKey as unknown as X509PrivateKey,
    notBefore: new Date(now - DAY_MS),
    // Short enough that no client pins it, long enough for any test run or demo session.
    notAfter: new Date(now + 90 * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/**
 * SHA-1 and SHA-256 thumbprints of a certificate, base64url-encoded as they appear in a JWT `x5t` / `x5t#S256`
 * header. Used to match a client assertion to a registered client certificate.
 */
export async function certificateThumbprints(certificatePem: string): Promise<{ x5t: string; x5tS256: string }> {
  const certificate = new x509.X509Certificate(certificatePem);
  const [sha1, sha256] = await Promise.all([certificate.getThumbprint("SHA-1"), certificate.getThumbprint("SHA-256")]);
  return {
    x5t: Buffer.from(sha1).toString("base64url"),
    x5tS256: Buffer.from(sha256).toString("base64url"),
  };
}

/** A self-signed RSA client certificate for certificate credentials (what an app registration would hold). */
export interface ClientCertificate {
  /** The certificate (PEM): register it with the emulator. */
  certificatePem: string;
  /** Its RSA private key (PKCS#8 PEM): give it to MSAL's `clientCertificate.privateKey`. */
  privateKeyPem: string;
  /** SHA-1 thumbprint, upper-case hex (MSAL's `clientCertificate.thumbprint`). */
  thumbprint: string;
  /** SHA-256 thumbprint, upper-case hex (MSAL's `clientCertificate.thumbprintSha256`). */
  thumbprintSha256: string;
}

/**
 * Creates a self-signed RSA-2048 certificate for the client-assertion (certificate credential) flow. RSA because
 * Entra ID and MSAL sign client assertions with RS256 / PS256 only.
 * @param subject Distinguished name, default `CN=partner-center-emulator-client`.
 */
export async function createClientCertificate(
  subject = "CN=partner-center-emulator-client",
): Promise<ClientCertificate> {
  const algorithm: webcrypto.RsaHashedKeyGenParams = {
    name: "RSASSA-PKCS1-v1_5",
    hash: "SHA-256",
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as unknown as X509KeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    signingAlgorithm: algorithm,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const [sha1, sha256] = await Promise.all([certificate.getThumbprint("SHA-1"), certificate.getThumbprint("SHA-256")]);
  return {
    certificatePem: certificate.toString("pem"),
    privateKeyPem: await exportPrivateKeyPem(keys.privateKey),
    thumbprint: Buffer.from(sha1).toString("hex").toUpperCase(),
    thumbprintSha256: Buffer.from(sha256).toString("hex").toUpperCase(),
  };
}

import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClientCertificate } from "../../../emulator";
import { loadClientCertificate } from "../../../provider/auth/clientCertificate";
import { isPartnerCenterError } from "../../../provider/foundation/partnerCenterError";

describe("loadClientCertificate", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "pc-cert-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("computes the SHA-256 thumbprint from the certificate and exports an unencrypted PKCS#8 key", async () => {
    const certificate = await createClientCertificate();
    const loaded = await loadClientCertificate({ pem: `${certificate.privateKeyPem}\n${certificate.certificatePem}` });
    assert.equal(loaded.thumbprintSha256, certificate.thumbprintSha256.toLowerCase());
    assert.match(loaded.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.ok(loaded.x5c.includes("BEGIN CERTIFICATE"));
  });

  it("reads files, base64 content and one-line PEM with literal \\n", async () => {
    const certificate = await createClientCertificate();
    const pem = `${certificate.certificatePem}\n${certificate.privateKeyPem}`;
    const path = join(dir, "c.pem");
    await writeFile(path, pem);
    const expected = certificate.thumbprintSha256.toLowerCase();
    assert.equal((await loadClientCertificate({ path })).thumbprintSha256, expected);
    assert.equal(
      (await loadClientCertificate({ pem: Buffer.from(pem).toString("base64") })).thumbprintSha256,
      expected,
    );
    assert.equal((await loadClientCertificate({ pem: pem.replaceAll("\n", "\\n") })).thumbprintSha256, expected);
  });

  it("decrypts an encrypted key with the password, and says so (without echoing it) when wrong", async () => {
    const certificate = await createClientCertificate();
    const encrypted = createPrivateKey(certificate.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "right-password" })
      .toString();
    const pem = `${certificate.certificatePem}\n${encrypted}`;
    const loaded = await loadClientCertificate({ pem, password: "right-password" });
    assert.equal(loaded.thumbprintSha256, certificate.thumbprintSha256.toLowerCase());
    await assert.rejects(loadClientCertificate({ pem, password: "wrong-password" }), (error) => {
      assert.ok(isPartnerCenterError(error));
      assert.equal(error.kind, "config");
      assert.match(error.message, /clientCertificatePassword/);
      assert.equal(error.message.includes("wrong-password"), false);
      return true;
    });
    await assert.rejects(loadClientCertificate({ pem }), /clientCertificatePassword/);
  });

  it("rejects what Entra cannot use, with kind config", async () => {
    const certificate = await createClientCertificate();
    const other = await createClientCertificate("CN=other");
    const cases: Array<[Parameters<typeof loadClientCertificate>[0], RegExp]> = [
      [{ pem: certificate.certificatePem }, /no private key/],
      [{ pem: certificate.privateKeyPem }, /no "BEGIN CERTIFICATE"/],
      [{ pem: `${certificate.certificatePem}\n${other.privateKeyPem}` }, /matches the private key/],
      [{ path: join(dir, "missing.pem") }, /ENOENT/],
    ];
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
    cases.push([{ pem: `${certificate.certificatePem}\n${ec}` }, /RSA/]);
    const pfx = join(dir, "c.pfx");
    await writeFile(pfx, Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02]));
    cases.push([{ path: pfx }, /PKCS#12/]);
    for (const [source, pattern] of cases) {
      await assert.rejects(loadClientCertificate(source), (error) => {
        assert.ok(isPartnerCenterError(error));
        assert.equal(error.kind, "config");
        assert.match(error.message, pattern);
        assert.equal(error.message.includes("PRIVATE KEY-----"), false);
        return true;
      });
    }
  });
});

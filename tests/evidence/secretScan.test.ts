/**
 * Secret scan: full lifecycles through the real provider host with every credential kind the settings support
 * (client secret, certificate PEM, refresh token, federated token file), with errors caused on purpose, then a search
 * of everything that leaves the provider — `__provider` texts, every inputs/outputs struct, host stdout/stderr, every
 * error message, the emulator's request log — for every secret value. Generated admin passwords may appear only
 * inside the wire-secret wrapper of create (and read) outputs.
 *
 * The same scan over `pulumi stack export`, CLI output and engine events is in tests/e2e/evidence.test.ts.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../emulator";
import type { PersistedState } from "../../emulator/stateFile";
import { domainOf, startConfiguredHost } from "../support/evidenceHarness";
import {
  findLeaks,
  generateClientCertificate,
  type Haystack,
  type Needle,
  pemNeedles,
  wireSecretValues,
  withoutWireSecrets,
} from "../support/evidenceSecrets";
import { agreementUrn, customerInputs, customerUrn, providerTextOf } from "../support/providerHarness";
import { type HostError, type ProviderHost, secretValue } from "../support/providerHost";

const contact = { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" };

describe("evidence: no secret leaves the provider, whatever the credential kind", function () {
  this.timeout(180_000);
  let emulator: EmulatorHandle;
  let workDir: string;
  const haystacks: Haystack[] = [];
  const needles: Needle[] = [];
  const passwords: string[] = [];
  const created: string[] = [];
  const failures: string[] = [];
  const providers = { customer: "", agreement: "" };

  /** Records something that left the provider, wire-secret wrappers blanked. */
  const keep = (label: string, value: unknown) =>
    haystacks.push({ label, text: typeof value === "string" ? value : JSON.stringify(withoutWireSecrets(value)) });
  const secret = (label: string, ...values: string[]) => needles.push({ label, values });

  /** The resource operations of one lifecycle, each recording what the host answered. */
  function operations(host: ProviderHost, kind: string) {
    return {
      async createCustomer(inputs = customerInputs()) {
        const checked = await host.check(customerUrn(kind), {}, { ...inputs, __provider: providers.customer });
        keep(`${kind}: customer check`, checked);
        assert.deepEqual(checked.failures, []);
        const result = await host.create(customerUrn(kind), checked.inputs);
        keep(`${kind}: customer create outputs`, result);
        for (const value of wireSecretValues(result.properties))
          passwords.push((value as { password: string }).password);
        const read = await host.read(customerUrn(kind), result.id, result.properties);
        keep(`${kind}: customer read`, read);
        created.push(`${kind}: customer ${result.id}`);
        return result;
      },
      async recordAgreement(customerId: string) {
        const checked = await host.check(
          agreementUrn(kind),
          {},
          { customerId, primaryContact: contact, __provider: providers.agreement },
        );
        keep(`${kind}: agreement check`, checked);
        const result = await host.create(agreementUrn(kind), checked.inputs);
        keep(`${kind}: agreement create outputs`, result);
        keep(`${kind}: agreement read`, await host.read(agreementUrn(kind), result.id, result.properties));
        created.push(`${kind}: agreement ${result.id}`);
      },
      /** A check that must fail (bad credentials, app-only agreement): its failures are kept. */
      async failingCheck(what: string, urn: string, args: Record<string, unknown>) {
        const checked = await host.check(urn, {}, args);
        keep(`${kind}: ${what} (check failures)`, checked);
        assert.notDeepEqual(checked.failures, [], what);
        failures.push(`${kind}: ${what}`);
      },
      /** A create that must fail: its message and gRPC details are kept. */
      async failingCreate(what: string, urn: string, args: Record<string, unknown>) {
        const checked = await host.check(urn, {}, args);
        await assert.rejects(host.create(urn, checked.inputs), (error: HostError) => {
          keep(`${kind}: ${what} (error)`, `${error.message}\n${error.details ?? ""}`);
          return true;
        });
        failures.push(`${kind}: ${what}`);
      },
    };
  }

  /** Runs one lifecycle with its own host; the host's stdout/stderr is kept afterwards. */
  async function lifecycle(
    kind: string,
    config: Record<string, unknown>,
    steps: (ops: ReturnType<typeof operations>) => Promise<void>,
  ) {
    const host = await startConfiguredHost(emulator, config);
    try {
      await steps(operations(host, kind));
    } finally {
      await host.stop();
      keep(`${kind}: host stdout/stderr`, host.output());
    }
  }

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), "pc-secret-scan-"));
    const stateFile = join(workDir, "emulator-state.json");
    emulator = await startEmulator({ port: 0, stateFile });
    providers.customer = await providerTextOf("PartnerCustomer");
    providers.agreement = await providerTextOf("CustomerAgreement");
    keep("PartnerCustomer __provider", providers.customer);
    keep("CustomerAgreement __provider", providers.agreement);
    const identity = {
      "partnercenter:tenantId": emulator.tenantId,
      "partnercenter:clientId": emulator.credentials.clientId,
    };
    const clientSecret = { "partnercenter:clientSecret": secretValue(emulator.credentials.clientSecret) };
    const customerArgs = (inputs: Record<string, unknown>) => ({ ...inputs, __provider: providers.customer });
    secret("client secret", emulator.credentials.clientSecret);

    await lifecycle("client secret", { ...identity, ...clientSecret }, async (ops) => {
      const customer = await ops.createCustomer();
      await ops.failingCheck("agreement with app-only credentials", agreementUrn("x"), {
        customerId: customer.id,
        primaryContact: contact,
        __provider: providers.agreement,
      });
      const taken = customerInputs({ preflight: false });
      emulator.addTakenDomain(domainOf(taken));
      await ops.failingCreate("create of a taken domain (HTTP 409)", customerUrn("taken"), customerArgs(taken));
    });

    const wrongSecret = `${randomBytes(2).toString("hex").slice(0, 3)}8Q~${randomBytes(27).toString("base64url")}`;
    secret("wrong client secret", wrongSecret);
    await lifecycle(
      "wrong client secret",
      { ...identity, "partnercenter:clientSecret": secretValue(wrongSecret) },
      (ops) =>
        ops.failingCheck(
          "preflight with a rejected secret (invalid_client)",
          customerUrn("x"),
          customerArgs(customerInputs()),
        ),
    );

    const certificate = await generateClientCertificate();
    await emulator.registerClientCertificate(certificate.certificatePem);
    secret("certificate private key", ...pemNeedles(certificate.privateKeyPem));
    const certificateConfig = (pem: string) => ({ ...identity, "partnercenter:clientCertificate": secretValue(pem) });
    await lifecycle(
      "certificate",
      certificateConfig(certificate.certificatePem + certificate.privateKeyPem),
      async (ops) => {
        await ops.createCustomer();
      },
    );
    const unregistered = await generateClientCertificate("CN=evidence-unregistered");
    secret("unregistered certificate private key", ...pemNeedles(unregistered.privateKeyPem));
    await lifecycle(
      "unregistered certificate",
      certificateConfig(unregistered.certificatePem + unregistered.privateKeyPem),
      (ops) =>
        ops.failingCheck(
          "preflight with an unregistered certificate",
          customerUrn("x"),
          customerArgs(customerInputs()),
        ),
    );

    const tokenFile = join(workDir, "federated-token");
    const federatedToken = await emulator.issueFederatedToken();
    writeFileSync(tokenFile, federatedToken);
    secret("federated token", federatedToken);
    await lifecycle("federated token", { ...identity, "partnercenter:federatedTokenFile": tokenFile }, async (ops) => {
      await ops.createCustomer();
    });
    const expiredFile = join(workDir, "expired-federated-token");
    const expiredToken = await emulator.issueFederatedToken({ lifetimeSeconds: -3600 });
    writeFileSync(expiredFile, expiredToken);
    secret("expired federated token", expiredToken);
    await lifecycle(
      "expired federated token",
      { ...identity, "partnercenter:federatedTokenFile": expiredFile },
      (ops) =>
        ops.failingCheck("preflight with an expired federated token", customerUrn("x"), customerArgs(customerInputs())),
    );

    const appUser = {
      ...identity,
      ...clientSecret,
      "partnercenter:refreshToken": secretValue(emulator.credentials.refreshToken),
    };
    await lifecycle("refresh token", appUser, async (ops) => {
      const customer = await ops.createCustomer();
      await ops.recordAgreement(customer.id);
      await ops.failingCreate("agreement for an unknown customer (HTTP 404)", agreementUrn("unknown"), {
        customerId: "3b7b4f0e-9a5e-4c6f-8d3a-1e2f3a4b5c6d",
        primaryContact: contact,
        __provider: providers.agreement,
      });
    });
    const customerId = emulator.state().customers[0]?.id ?? "";
    emulator.revokeRefreshTokens();
    await lifecycle("revoked refresh token", appUser, (ops) =>
      ops.failingCreate("agreement with a revoked refresh token (invalid_grant)", agreementUrn("revoked"), {
        customerId,
        primaryContact: { ...contact, email: "revoked@contoso.example" },
        __provider: providers.agreement,
      }),
    );

    keep("emulator request log", emulator.requests());
    await emulator.close();
    // Every refresh token the emulator issued, the rotated ones included, is in its state file.
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as PersistedState;
    const refreshTokens = [...new Set([state.auth.demoRefreshToken, ...Object.keys(state.auth.refreshTokens)])];
    for (const [index, token] of refreshTokens.entries()) secret(`refresh token #${index}`, token);
  });

  after(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("ran every credential kind through a lifecycle, and every error on purpose happened", () => {
    for (const kind of ["client secret", "certificate", "federated token", "refresh token"]) {
      assert.ok(
        created.some((entry) => entry.startsWith(`${kind}: customer`)),
        `${kind} created a customer`,
      );
    }
    assert.ok(
      created.some((entry) => entry.startsWith("refresh token: agreement")),
      "an agreement was recorded",
    );
    assert.equal(failures.length, 7, failures.join("\n"));
    assert.ok(
      needles.filter((n) => n.label.startsWith("refresh token #")).length >= 2,
      "the rotated refresh token was observed",
    );
  });

  it("finds a planted secret (the scan can fail)", () => {
    const planted = needles[0]!;
    assert.deepEqual(findLeaks([{ label: "planted", text: `x${planted.values[0]}y` }], [planted]), [
      `${planted.label} in planted`,
    ]);
  });

  it("finds no credential in __provider texts, inputs, outputs, host output, errors or the request log", () => {
    assert.ok(haystacks.length > 30, `${haystacks.length} places searched`);
    assert.deepEqual(findLeaks(haystacks, needles), []);
  });

  it("keeps generated admin passwords inside the wire-secret wrapper and nowhere else", () => {
    assert.ok(passwords.length >= 4, `${passwords.length} passwords seen inside wrappers`);
    const passwordNeedles = passwords.map((password, index) => ({
      label: `admin password #${index}`,
      values: [password],
    }));
    assert.deepEqual(findLeaks(haystacks, passwordNeedles), []);
  });
});

/**
 * `McaAcceptance` (issue 19) through the real dynamic-provider host against the emulator, App-only credentials: the
 * attestation is created once and waits on the customer (the link a secret, never in a message), a preview asks at
 * most once whether they accepted, the customer accepts on the emulator's page in headless Chromium, the next update
 * records the agreement once, and a completed acceptance costs no request.
 */
import assert from "node:assert/strict";
import { acceptInBrowser } from "../support/browser";
import { emulatorRequest, getAppToken, usCustomerBody } from "../support/emulatorClient";
import { useEmulator } from "../support/emulatorHooks";
import { ACCEPTANCE_TYPE, providerTextOf, requestsFrom, startHostFor } from "../support/providerHarness";
import { type ProviderHost, urnFor } from "../support/providerHost";

type Props = Record<string, unknown>;

const urn = (name: string) => urnFor(ACCEPTANCE_TYPE, name);
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** A secret output's value, asserting it is wrapped as a secret. */
function secretOf(properties: Props, key: string): string {
  const wrapped = properties[key] as Record<string, unknown> | undefined;
  assert.ok(wrapped && SECRET_SIG in wrapped, `${key} is a secret output`);
  return String(wrapped.value);
}

describe("McaAcceptance through the real provider host (App-only)", function () {
  this.timeout(120_000);
  const emulator = useEmulator();
  let host: ProviderHost;
  let provider: string;

  before(async () => {
    provider = await providerTextOf("McaAcceptance");
    host = await startHostFor(emulator(), { credentials: "app" });
  });
  after(async () => {
    await host?.stop();
  });

  async function newCustomer(): Promise<string> {
    const response = await emulatorRequest(emulator(), "POST", "/v1/customers", {
      token: await getAppToken(emulator()),
      json: usCustomerBody("mca"),
    });
    return response.body.id;
  }

  const inputsFor = (customerId: string, extra: Props = {}) => ({
    customerId,
    signatory: { firstName: "Ada", lastName: "Ng", email: "ada@contoso.example" },
    ...extra,
  });

  async function checked(name: string, news: Props): Promise<Props> {
    const result = await host.check(urn(name), {}, { ...news, __provider: provider });
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  it("check names every bad input's path and sends nothing", async () => {
    const seen = requestsFrom(emulator());
    const result = await host.check(
      urn("bad"),
      {},
      {
        customerId: "not-a-guid",
        signatory: { firstName: "", lastName: "Ng", email: "nope", fax: "1" },
        country: "USA",
        waitForAcceptanceSeconds: 99_999,
        __provider: provider,
      },
    );
    const paths = result.failures.map((f) => f.property).sort();
    assert.deepEqual(paths, [
      "country",
      "customerId",
      "signatory.email",
      "signatory.fax",
      "signatory.firstName",
      "waitForAcceptanceSeconds",
    ]);
    assert.deepEqual(seen(), []);
  });

  it("waits on the customer, then records the agreement once they accepted in a browser; completed costs nothing", async () => {
    const customerId = await newCustomer();
    const input = await checked("mca", inputsFor(customerId));
    const created = await host.create(urn("mca"), input);
    const props = created.properties;
    assert.equal(props.status, "waitingForCustomer", "a clear pending state, not a silent success");
    assert.equal(props.attestedCountry, "US", "country from the customer's billing profile");
    assert.equal(props.attestedLanguage, "en");
    const attestationId = secretOf(props, "attestationId");
    const link = secretOf(props, "acceptanceUrl");
    assert.equal(link, `${emulator().url}/mca/?attestationid=${attestationId}`);
    assert.ok(!created.id.includes(attestationId), "the resource ID does not give the attestation away");
    const output = await host.waitForOutput(/has not accepted the Microsoft Customer Agreement yet/);
    assert.ok(!output.includes(attestationId), "no message shows the attestation ID or the link");
    assert.equal(emulator().state().attestations.length, 1);
    assert.equal(emulator().state().agreements.length, 0, "nothing recorded yet");

    // A preview while the customer has not accepted: one status request, no change.
    let seen = requestsFrom(emulator());
    const pending = await host.diff(urn("mca"), created.id, { ...props, __provider: provider }, input);
    assert.equal(pending.changes, "none");
    assert.equal(seen().length, 1, "at most one status request per preview");

    const outcome = await acceptInBrowser(link);
    assert.match(outcome.status, /accepted/);

    seen = requestsFrom(emulator());
    const accepted = await host.diff(urn("mca"), created.id, { ...props, __provider: provider }, input);
    assert.equal(accepted.changes, "some", "the next up records it");
    assert.deepEqual(accepted.replaces, []);
    const updated = await host.update(urn("mca"), created.id, { ...props, __provider: provider }, input);
    assert.equal(updated.properties.status, "completed");
    assert.equal(secretOf(updated.properties, "attestationId"), attestationId, "still a secret after the update");
    const agreements = emulator().state().agreements;
    assert.equal(agreements.length, 1);
    assert.equal(agreements[0]?.attestationId, attestationId);

    // Completed: an unchanged preview sends nothing; a second update (a re-run) records nothing more.
    seen = requestsFrom(emulator());
    const done = await host.diff(urn("mca"), created.id, { ...updated.properties, __provider: provider }, input);
    assert.equal(done.changes, "none");
    assert.deepEqual(seen(), [], "0 requests for a recorded acceptance");
    assert.equal(emulator().state().agreements.length, 1);
  });

  it("a re-run after a crash between the attestation and the agreement replays the attestation: never a second", async () => {
    const customerId = await newCustomer();
    const input = await checked("crash", inputsFor(customerId));
    const first = await host.create(urn("crash"), input);
    // The engine never saw that answer (the host died): the next `pulumi up` creates again.
    const rerun = await startHostFor(emulator(), { credentials: "app" });
    try {
      const second = await rerun.create(urn("crash"), input);
      assert.equal(second.id, first.id);
      assert.equal(secretOf(second.properties, "attestationId"), secretOf(first.properties, "attestationId"));
    } finally {
      await rerun.stop();
    }
    assert.equal(
      emulator()
        .state()
        .attestations.filter((a) => a.customerTenantId === customerId).length,
      1,
    );
  });

  it("an attestation whose answer was lost is recovered by Partner Center's replay of the same request ID", async () => {
    const customerId = await newCustomer();
    const input = await checked("lost", inputsFor(customerId));
    const seen = requestsFrom(emulator());
    emulator().faults.inject({
      method: "POST",
      path: "/v1/attestations/enhanced",
      mode: "commitThenDrop",
      bindToRequestId: true,
      count: 1,
    });
    const created = await host.create(urn("lost"), input);
    assert.equal(created.properties.status, "waitingForCustomer");
    const posts = seen().filter((r) => r.method === "POST" && r.path === "/v1/attestations/enhanced");
    assert.ok(posts.length >= 2, "the lost answer was asked again");
    assert.equal(new Set(posts.map((r) => r.requestId)).size, 1, "under the same request ID");
    assert.equal(
      emulator()
        .state()
        .attestations.filter((a) => a.customerTenantId === customerId).length,
      1,
    );
  });

  it("refresh reads the customer's acceptance into state; update then records it", async () => {
    const customerId = await newCustomer();
    const input = await checked("refresh", inputsFor(customerId, { companyName: "Contoso Europe" }));
    const created = await host.create(urn("refresh"), input);
    assert.equal(created.properties.attestedCompanyName, "Contoso Europe", "the input wins over the profile");
    await acceptInBrowser(secretOf(created.properties, "acceptanceUrl"));
    const read = await host.read(urn("refresh"), created.id, { ...created.properties, __provider: provider });
    assert.equal(read.properties.status, "accepted");
    secretOf(read.properties, "acceptanceUrl");
    const updated = await host.update(urn("refresh"), created.id, { ...read.properties, __provider: provider }, input);
    assert.equal(updated.properties.status, "completed");
  });

  it("an expired attestation is recorded as expired, not silently replaced; replacing it makes a new one", async () => {
    const customerId = await newCustomer();
    const input = await checked("expired", inputsFor(customerId));
    const created = await host.create(urn("expired"), input);
    const expiredId = secretOf(created.properties, "attestationId");
    assert.ok(await emulator().expireAttestation(expiredId));
    const olds = { ...created.properties, __provider: provider };
    const diff = await host.diff(urn("expired"), created.id, olds, input);
    assert.equal(diff.changes, "some", "the update records that it expired");
    await host.waitForOutput(/expired unaccepted: pulumi up records that; replace the resource/);
    const updated = await host.update(urn("expired"), created.id, olds, input);
    assert.equal(updated.properties.status, "expired");
    const seen = requestsFrom(emulator());
    const after = await host.diff(urn("expired"), created.id, { ...updated.properties, __provider: provider }, input);
    assert.equal(after.changes, "none");
    assert.deepEqual(seen(), [], "an expired acceptance costs no request");

    // `pulumi up --replace`: the same request body replays the expired attestation, so a new one is asked for under
    // an ID derived from it — once.
    const replacement = await host.create(urn("expired"), input);
    assert.notEqual(secretOf(replacement.properties, "attestationId"), expiredId);
    assert.equal(replacement.properties.status, "waitingForCustomer");
    const again = await host.create(urn("expired"), input);
    assert.equal(secretOf(again.properties, "attestationId"), secretOf(replacement.properties, "attestationId"));
    assert.equal(
      emulator()
        .state()
        .attestations.filter((a) => a.customerTenantId === customerId).length,
      2,
    );
  });

  it("a signatory change replaces (with a warning once accepted); writing down the attested country does not", async () => {
    const customerId = await newCustomer();
    const input = await checked("changes", inputsFor(customerId));
    const created = await host.create(urn("changes"), input);
    const olds = { ...created.properties, __provider: provider };
    const pinned = await checked("changes", inputsFor(customerId, { country: "US", language: "en" }));
    const same = await host.diff(urn("changes"), created.id, olds, pinned);
    assert.deepEqual([same.changes, same.replaces], ["none", []], "the values the attestation already used");
    const other = await checked(
      "changes",
      inputsFor(customerId, { signatory: { firstName: "Bo", lastName: "Li", email: "bo@contoso.example" } }),
    );
    await acceptInBrowser(secretOf(created.properties, "acceptanceUrl"));
    const read = await host.read(urn("changes"), created.id, olds);
    const replaced = await host.diff(urn("changes"), created.id, { ...read.properties, __provider: provider }, other);
    assert.deepEqual(replaced.replaces, ["signatory"]);
    await host.waitForOutput(
      /already accepted; the replacement creates a new attestation that the customer must accept again/,
    );
  });

  it("refresh keeps a pending acceptance when the status answers a 404 that is not the attestation's own", async () => {
    const customerId = await newCustomer();
    const input = await checked("status404", inputsFor(customerId));
    const created = await host.create(urn("status404"), input);
    emulator().faults.inject({ method: "GET", path: "/v1/attestations/", status: 404, count: 1 });
    const read = await host.read(urn("status404"), created.id, { ...created.properties, __provider: provider });
    emulator().faults.clear();
    assert.equal(read.id, created.id, "kept: a plain 404 may be the (inferred) endpoint, not the attestation");
    assert.equal(secretOf(read.properties, "acceptanceUrl"), secretOf(created.properties, "acceptanceUrl"));
    await host.waitForOutput(/could not be read .*; it is kept in the stack unchanged/);
  });

  it("with App+User credentials configured as well, the attestation calls still go App-only", async () => {
    const both = await startHostFor(emulator(), { credentials: "app+user" });
    try {
      const customerId = await newCustomer();
      const news = { ...inputsFor(customerId), __provider: provider };
      const result = await both.check(urn("both"), {}, news);
      assert.deepEqual(result.failures, []);
      const seen = requestsFrom(emulator());
      const created = await both.create(urn("both"), result.inputs);
      assert.equal(created.properties.status, "waitingForCustomer");
      const attestationCalls = seen().filter((r) => r.path.startsWith("/v1/attestations"));
      assert.ok(attestationCalls.length > 0);
      assert.ok(
        attestationCalls.every((r) => r.tokenKind === "app"),
        JSON.stringify(attestationCalls),
      );
    } finally {
      await both.stop();
    }
  });

  it("a preview of more waiting acceptances than the partner's rate limit allows waits the throttling out", async function () {
    this.timeout(180_000);
    const waiting: { id: string; properties: Props; input: Props }[] = [];
    for (let i = 0; i < 6; i++) {
      const input = await checked(`fleet-${i}`, inputsFor(await newCustomer()));
      const created = await host.create(urn(`fleet-${i}`), input);
      waiting.push({ id: created.id, properties: created.properties, input });
    }
    // Partner Center allows so many requests a minute; the emulator, here, three: the other diffs get 429.
    emulator().setRateLimit(3);
    try {
      const seen = requestsFrom(emulator());
      const diffs = await Promise.all(
        waiting.map((w, i) => host.diff(urn(`fleet-${i}`), w.id, { ...w.properties, __provider: provider }, w.input)),
      );
      assert.deepEqual(
        diffs.map((d) => d.changes),
        waiting.map(() => "none"),
        "every preview answer arrives: no failure",
      );
      const answered = seen().filter((r) => r.status === 200 && r.path.startsWith("/v1/attestations/"));
      assert.equal(answered.length, waiting.length, "one status request answered per acceptance");
      assert.ok(
        seen().some((r) => r.status === 429),
        "the limit was met, and waited out",
      );
    } finally {
      emulator().setRateLimit(undefined);
    }
  });

  it("App+User credentials alone are refused at preview, naming what to set", async () => {
    const userOnly = await startHostFor(emulator(), {
      credentials: "none",
      config: { refreshToken: emulator().credentials.refreshToken },
    });
    try {
      const result = await userOnly.check(urn("user"), {}, { ...inputsFor(await newCustomer()), __provider: provider });
      assert.match(result.failures.map((f) => f.reason).join(" "), /needs App-only credentials/);
    } finally {
      await userOnly.stop();
    }
  });
});

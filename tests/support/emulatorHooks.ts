/**
 * Mocha hooks for suites that run against the Partner Center emulator: one emulator per suite (`before`), a clean
 * slate per test (`beforeEach` → `reset()`), closed in `after`.
 *
 * ```ts
 * describe("createCustomer", () => {
 *   const emulator = useEmulator();
 *   it("creates", async () => { const { url, credentials } = emulator(); … });
 * });
 * ```
 */
import tls from "node:tls";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../../emulator";

/** Options of {@link useEmulator}: the emulator's own options plus test wiring. */
export interface UseEmulatorOptions extends EmulatorOptions {
  /**
   * Also trust the emulator's CA process-wide (`tls.setDefaultCACertificates`) for the suite, so clients that
   * take no `ca` option (MSAL's default network client, got without `https.certificateAuthority`) can reach it.
   * Default false. TLS verification stays on either way.
   */
  trustGlobally?: boolean;
  /** Skip the per-test `reset()` (for suites that build state across tests). Default false. */
  keepStateBetweenTests?: boolean;
}

/**
 * Adds a CA certificate to Node's default trust store (Node ≥ 22.19) and returns a function that restores the
 * previous store.
 * @param certificatePem The CA certificate to trust.
 */
export function trustCertificateGlobally(certificatePem: string): () => void {
  const previous = tls.getCACertificates("default");
  tls.setDefaultCACertificates([...previous, certificatePem]);
  return () => tls.setDefaultCACertificates(previous);
}

/**
 * Registers the hooks and returns a getter for the suite's emulator (valid inside tests and hooks that run after
 * `before`).
 * @param options Emulator options (`port` defaults to 0) and test wiring.
 */
export function useEmulator(options: UseEmulatorOptions = {}): () => EmulatorHandle {
  const { trustGlobally = false, keepStateBetweenTests = false, ...emulatorOptions } = options;
  let handle: EmulatorHandle | undefined;
  let untrust: (() => void) | undefined;

  before(async function () {
    this.timeout(30_000);
    handle = await startEmulator({ port: 0, ...emulatorOptions });
    if (trustGlobally) untrust = trustCertificateGlobally(handle.caCertificatePem);
  });
  if (!keepStateBetweenTests) {
    beforeEach(async () => {
      await handle?.reset();
    });
  }
  after(async () => {
    untrust?.();
    untrust = undefined;
    await handle?.close();
    handle = undefined;
  });

  return () => {
    if (!handle) throw new Error("The emulator is not running: call the getter inside a test or a later hook.");
    return handle;
  };
}

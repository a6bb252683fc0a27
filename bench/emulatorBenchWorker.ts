/**
 * Server side of the emulator benchmark, run in a worker thread so the server and the load generator each get a
 * core: either a real emulator (`kind: "emulator"`) or the baseline, a trivial fastify HTTPS route
 * (`kind: "baseline"`). Posts a {@link BenchServerReady} once listening; closes on any message.
 */
import { parentPort, workerData } from "node:worker_threads";
import Fastify from "fastify";
import { createCertificateAuthority, startEmulator } from "../emulator";
import { issueServerCertificate } from "../emulator/certificates";
import { benchCustomerInput } from "./emulatorBench";

/** Ready message from the worker. */
export interface BenchServerReady {
  /** Base URL. */
  url: string;
  /** CA certificate to trust. */
  ca: string;
  /** Emulator only: where to get a token (tenant path) and with what. */
  tokenRequest?: { path: string; form: Record<string, string> };
  /** Emulator only: an existing customer to GET. */
  customerId?: string;
}

interface RunningServer {
  ready: BenchServerReady;
  close: () => Promise<void>;
}

async function startBaseline(): Promise<RunningServer> {
  const ca = await createCertificateAuthority();
  const certificate = await issueServerCertificate(ca);
  const app = Fastify({ https: { cert: certificate.certificatePem, key: certificate.privateKeyPem } });
  app.get("/ping/:id", async (request) => ({ id: (request.params as { id: string }).id, ok: true }));
  app.post("/ping", async (_request, reply) => reply.code(201).send({ ok: true }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  return { ready: { url: `https://127.0.0.1:${port}`, ca: ca.certificatePem }, close: () => app.close() };
}

async function startEmulatorServer(): Promise<RunningServer> {
  const emulator = await startEmulator({ port: 0 });
  const customer = await emulator.createCustomer(benchCustomerInput("benchcustomer.onmicrosoft.com"));
  return {
    ready: {
      url: emulator.url,
      ca: emulator.caCertificatePem,
      customerId: customer.id,
      tokenRequest: {
        path: `/${emulator.tenantId}/oauth2/v2.0/token`,
        form: {
          grant_type: "client_credentials",
          client_id: emulator.credentials.clientId,
          client_secret: emulator.credentials.clientSecret,
          scope: emulator.scopes.appOnly,
        },
      },
    },
    close: () => emulator.close(),
  };
}

async function run(): Promise<void> {
  const kind = (workerData as { kind: "emulator" | "baseline" }).kind;
  const server = kind === "emulator" ? await startEmulatorServer() : await startBaseline();
  parentPort?.postMessage(server.ready);
  parentPort?.once("message", () => {
    void server.close().finally(() => parentPort?.close());
  });
}

void run();

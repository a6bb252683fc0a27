/**
 * Pulumi's `ResourceProvider` gRPC service for the native `partnercenter` provider, served directly from
 * `@pulumi/pulumi/proto/provider_grpc_pb` (the SDK's `provider.main` ignores `Configure`, so provider configuration
 * would never reach the implementation). Every resource call is dispatched by type token to the implementation the
 * dynamic resources use (`require("../runtime")`), so both front ends behave the same.
 *
 * As the dynamic-provider host does, `Configure` answers `acceptSecrets: false`: inputs and old state arrive in
 * plaintext and the engine re-marks secret properties by key; outputs wrapped as secrets (`userCredentials`) stay
 * secret in state.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CREATE_KEY } from "../resources/createKey";
import { withSecretKeys } from "../resources/providerOutput";
import type * as Runtime from "../runtime";
import { importAgreement, importCustomer } from "./importRead";
import { configureRequestOf, settingsFromConfigure } from "./nativeConfig";
import {
  CUSTOMER_AGREEMENT_TYPE,
  GDAP_ACCESS_ASSIGNMENT_TYPE,
  GDAP_RELATIONSHIP_TYPE,
  MCA_ACCEPTANCE_TYPE,
  PARTNER_CUSTOMER_TYPE,
} from "./schema";

/** The generated protobuf and gRPC modules have no types. */
// biome-ignore lint/suspicious/noExplicitAny: untyped generated modules
type Untyped = any;
type Props = Record<string, unknown>;
type Callback = (error: unknown, value?: unknown, metadata?: unknown) => void;
type Call = { request: Untyped };

/** gRPC and protobuf modules, all from the copy of `@pulumi/pulumi` this package resolves (one grpc-js instance). */
export interface ProtoModules {
  grpc: typeof import("@grpc/grpc-js");
  Struct: Untyped;
  Any: Untyped;
  Empty: Untyped;
  provrpc: Untyped;
  pb: Untyped;
  plugin: Untyped;
  status: Untyped;
  engineRpc: Untyped;
  enginePb: Untyped;
}

/** The URN of the call being served, so provider messages are scoped to their resource in the CLI. */
const servedUrn = new AsyncLocalStorage<string | undefined>();

/** The URN of the resource the current call works on, if any. */
export function currentUrn(): string | undefined {
  return servedUrn.getStore();
}

/** Loads the modules that `@pulumi/pulumi` itself loads. */
export function loadProtoModules(): ProtoModules {
  const load = createRequire(join(dirname(require.resolve("@pulumi/pulumi/package.json")), "package.json"));
  return {
    grpc: load("@grpc/grpc-js"),
    Struct: load("google-protobuf/google/protobuf/struct_pb").Struct,
    Any: load("google-protobuf/google/protobuf/any_pb").Any,
    Empty: load("google-protobuf/google/protobuf/empty_pb").Empty,
    provrpc: load("./proto/provider_grpc_pb"),
    pb: load("./proto/provider_pb"),
    plugin: load("./proto/plugin_pb"),
    status: load("./proto/status_pb"),
    // The engine's own service: the plugin sends its messages to the engine's log.
    engineRpc: load("./proto/engine_grpc_pb"),
    enginePb: load("./proto/engine_pb"),
  };
}

/** One resource's implementation, as `runtime.ts` exports it. */
type Implementation =
  | (typeof Runtime)["partnerCustomer"]
  | (typeof Runtime)["customerAgreement"]
  | (typeof Runtime)["mcaAcceptance"]
  | (typeof Runtime)["gdapRelationship"]
  | (typeof Runtime)["gdapAccessAssignment"];

/** The resource type of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`), without parent types. */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

/**
 * The `__createKey` the dynamic `PartnerCustomer` gives a top-level resource: `<project>/<stack>/<name>`. For a
 * resource with a parent the dynamic class uses the parent's URN, which a provider cannot know; the URN itself (as
 * unique, and as stable) is used instead.
 */
export function createKeyOfUrn(urn: string): string {
  const [prefix = "", project = "", qualified = "", ...rest] = urn.split("::");
  const stack = prefix.replace(/^urn:pulumi:/, "");
  const name = rest.join("::");
  return qualified.includes("$") ? urn : `${project}/${stack}/${name}`;
}

/** Whether props hold no state (an import's Read): nothing but `__` keys. */
function isEmpty(props: Props): boolean {
  return Object.keys(props).every((key) => key.startsWith("__"));
}

/** The outputs of each type that are secrets, whatever the implementation returned. */
const SECRET_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  [PARTNER_CUSTOMER_TYPE]: ["userCredentials"],
  [MCA_ACCEPTANCE_TYPE]: ["attestationId", "acceptanceUrl"],
  [GDAP_RELATIONSHIP_TYPE]: ["approvalUrl"],
};

/** The type's secret outputs wrapped as secrets (once), whatever the implementation returned. */
function withSecretOutputs(type: string, props: Props | undefined): Props | undefined {
  return props && withSecretKeys(props, SECRET_OUTPUTS[type] ?? []);
}

/** The service's handlers, for `server.addService(provrpc.ResourceProviderService, …)`. */
export function createResourceProviderService(
  modules: ProtoModules,
  runtime: typeof Runtime,
  options: { version: string; schema: string },
): Record<string, (call: Call, callback: Callback) => void> {
  const { grpc, Struct, pb } = modules;
  const unimplemented = (name: string) => (_call: Call, callback: Callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by the partnercenter provider` });

  const implementationFor = (urn: string): Implementation => {
    const type = typeOfUrn(urn);
    if (type === PARTNER_CUSTOMER_TYPE) return runtime.partnerCustomer;
    if (type === CUSTOMER_AGREEMENT_TYPE) return runtime.customerAgreement;
    if (type === MCA_ACCEPTANCE_TYPE) return runtime.mcaAcceptance;
    if (type === GDAP_RELATIONSHIP_TYPE) return runtime.gdapRelationship;
    if (type === GDAP_ACCESS_ASSIGNMENT_TYPE) return runtime.gdapAccessAssignment;
    throw new Error(`unknown resource type ${type}`);
  };

  /** Runs `handler`, answering its result or its error (create/update pack a partial create's state). */
  const handle =
    (handler: (request: Untyped) => Promise<unknown>, packInitFailure = false) =>
    (call: Call, callback: Callback) => {
      const urn = typeof call.request?.getUrn === "function" ? call.request.getUrn() : undefined;
      servedUrn
        .run(urn || undefined, () => handler(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => {
            const response = errorResponse(modules, error, packInitFailure);
            callback(response, null, response.metadata);
          },
        );
    };

  const toJs = (struct: Untyped): Props => (struct ? (struct.toJavaScript() as Props) : {});
  const toStruct = (value: Props | undefined) => Struct.fromJavaScript(value ?? {});

  return {
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    checkConfig: unimplemented("CheckConfig"),
    diffConfig: unimplemented("DiffConfig"),
    invoke: unimplemented("Invoke"),
    call: unimplemented("Call"),
    construct: unimplemented("Construct"),
    attach: unimplemented("Attach"),
    getMapping: unimplemented("GetMapping"),
    getMappings: unimplemented("GetMappings"),
    list: (call: Untyped) =>
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: "List is not implemented" }),
    cancel: (_call, callback) => callback(null, new modules.Empty()),
    getPluginInfo: (_call, callback) => {
      const info = new modules.plugin.PluginInfo();
      info.setVersion(options.version);
      callback(null, info);
    },
    getSchema: (call, callback) => {
      if (call.request.getVersion() !== 0) {
        callback(new Error(`unsupported schema version ${call.request.getVersion()}`));
        return;
      }
      const response = new pb.GetSchemaResponse();
      response.setSchema(options.schema);
      callback(null, response);
    },
    configure: handle(async (request) => {
      const variables = new Map<string, string>();
      for (const [key, value] of request.getVariablesMap().entries()) variables.set(key, value);
      const settings = settingsFromConfigure(request.getArgs() ? toJs(request.getArgs()) : undefined, variables);
      await runtime.configure(configureRequestOf(settings));
      const response = new pb.ConfigureResponse();
      response.setAcceptsecrets(false);
      response.setSupportspreview(false);
      return response;
    }),
    check: handle(async (request) => {
      const urn: string = request.getUrn();
      const olds = toJs(request.getOlds());
      const news = toJs(request.getNews());
      const keyed = typeOfUrn(urn) === PARTNER_CUSTOMER_TYPE || typeOfUrn(urn) === GDAP_RELATIONSHIP_TYPE;
      if (keyed && news[CREATE_KEY] === undefined) {
        // Keep the key of a resource moved from the dynamic PartnerCustomer (its replayed create stays its own).
        news[CREATE_KEY] = typeof olds[CREATE_KEY] === "string" ? olds[CREATE_KEY] : createKeyOfUrn(urn);
      }
      const result = await implementationFor(urn).check(olds, news);
      const response = new pb.CheckResponse();
      response.setInputs(toStruct(result.inputs));
      response.setFailuresList(
        result.failures.map((failure) => {
          const wire = new pb.CheckFailure();
          wire.setProperty(failure.property);
          wire.setReason(failure.reason);
          return wire;
        }),
      );
      return response;
    }),
    diff: handle(async (request) => {
      const result: { changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean } = await implementationFor(
        request.getUrn(),
      ).diff(request.getId(), toJs(request.getOlds()), toJs(request.getNews()));
      const response = new pb.DiffResponse();
      const { DiffChanges } = pb.DiffResponse;
      response.setChanges(
        result.changes === true
          ? DiffChanges.DIFF_SOME
          : result.changes === false
            ? DiffChanges.DIFF_NONE
            : DiffChanges.DIFF_UNKNOWN,
      );
      if (result.replaces?.length) response.setReplacesList(result.replaces);
      if (result.deleteBeforeReplace) response.setDeletebeforereplace(true);
      return response;
    }),
    create: handle(async (request) => {
      const urn: string = request.getUrn();
      const result = await implementationFor(urn).create(toJs(request.getProperties()));
      const response = new pb.CreateResponse();
      response.setId(result.id);
      response.setProperties(toStruct(withSecretOutputs(typeOfUrn(urn), result.outs)));
      return response;
    }, true),
    read: handle(async (request) => {
      const urn: string = request.getUrn();
      const type = typeOfUrn(urn);
      const id: string = request.getId();
      const props = toJs(request.getProperties());
      const implementation = implementationFor(urn);
      const read = (readId: string, readProps: Props) => implementation.read(readId, readProps);
      // No old state: an import. A missing customer or agreement is an error there, never "gone".
      if (isEmpty(props) && type === MCA_ACCEPTANCE_TYPE) {
        // Its state holds the attestation ID and link, which Partner Center never hands out again.
        throw new Error(
          "an McaAcceptance cannot be imported: declare it, and its next pulumi up creates (or replays) the attestation",
        );
      }
      if (isEmpty(props) && (type === GDAP_RELATIONSHIP_TYPE || type === GDAP_ACCESS_ASSIGNMENT_TYPE)) {
        // Adoption is an input (existingRelationshipId / adoptDefault), reviewed in a preview like any other change.
        throw new Error(
          "GDAP resources are not imported: adopt a relationship with existingRelationshipId (or adoptDefault) on a declared GdapRelationship",
        );
      }
      const result: { id: string; props?: Props; inputs?: Props } = isEmpty(props)
        ? type === PARTNER_CUSTOMER_TYPE
          ? await importCustomer(id, read)
          : await importAgreement(id, read)
        : await read(id, props);
      const response = new pb.ReadResponse();
      response.setId(result.id);
      if (result.id) {
        response.setProperties(toStruct(withSecretOutputs(type, result.props)));
        if (result.inputs) response.setInputs(toStruct(result.inputs));
      }
      return response;
    }),
    update: handle(async (request) => {
      const urn: string = request.getUrn();
      const result = await implementationFor(urn).update(
        request.getId(),
        toJs(request.getOlds()),
        toJs(request.getNews()),
      );
      const response = new pb.UpdateResponse();
      response.setProperties(toStruct(withSecretOutputs(typeOfUrn(urn), result.outs)));
      return response;
    }, true),
    delete: handle(async (request) => {
      await implementationFor(request.getUrn()).delete(request.getId(), toJs(request.getProperties()));
      return new modules.Empty();
    }),
  };
}

/**
 * The gRPC error for a failed call. A create that made the resource but could not finish throws an error carrying
 * `id`/`properties`/`reasons` (as for the dynamic host); that is packed as `ErrorResourceInitFailed` so the engine
 * keeps the resource in state.
 */
function errorResponse(
  modules: ProtoModules,
  error: unknown,
  packInitFailure: boolean,
): { code: number; details: string; metadata: unknown } {
  const { grpc, pb, status, Struct, Any } = modules;
  const failure = error as { message?: string; id?: string; properties?: Props; reasons?: string[] };
  const message = failure?.message ?? String(error);
  const metadata = new grpc.Metadata();
  if (packInitFailure && failure?.id) {
    const detail = new pb.ErrorResourceInitFailed();
    detail.setId(failure.id);
    detail.setProperties(Struct.fromJavaScript(failure.properties ?? {}));
    detail.setReasonsList(failure.reasons ?? []);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const packed = new status.Status();
    packed.setCode(grpc.status.UNKNOWN);
    packed.setMessage(message);
    packed.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(packed.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}

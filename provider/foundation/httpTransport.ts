import type { Got } from "got";

/** HTTP methods the client uses. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One HTTP attempt, fully prepared by the client. */
export interface HttpRequest {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Relative to `<endpoint>/v1/` (no leading slash), or absolute (a `links.next` on the same origin). */
  readonly url: string;
  /** Request headers, Authorization included (never logged). */
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized JSON body. */
  readonly body?: string | undefined;
  /** Timeout of this attempt. */
  readonly timeoutMs: number;
  /** The caller's cancellation. */
  readonly signal?: AbortSignal | undefined;
}

/** What came back: status, lower-cased headers and the body as text (UTF-8, BOM already stripped). */
export interface HttpResponse {
  /** HTTP status. */
  readonly statusCode: number;
  /** HTTP reason phrase, used when an error body has no description. */
  readonly statusMessage: string | undefined;
  /** Response headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Body text without BOM. */
  readonly body: string;
}

/** Sends one attempt; throws got's `RequestError` family on transport failures. Never retries by itself. */
export interface HttpTransport {
  /** Sends one attempt. */
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** Options of {@link createGotTransport}. */
export interface GotTransportOptions {
  /** `<endpoint>/v1/`. */
  readonly prefixUrl: string;
  /** Extra trusted CA(s), for tests. */
  readonly certificateAuthority?: string | Buffer | Array<string | Buffer> | undefined;
}

// got is ESM-only and this package compiles to CommonJS: load it once, lazily, with a real dynamic import.
let gotModule: Promise<typeof import("got")> | undefined;

function loadGot(): Promise<typeof import("got")> {
  gotModule ??= import("got");
  return gotModule;
}

/**
 * Creates the client's transport: ONE got instance (created on first use) with the API root as `prefixUrl`, text
 * responses, no HTTP-error throwing and no retries of its own — status handling and retries live in the client, where
 * the `MS-RequestId` of the logical operation is known.
 */
export function createGotTransport(options: GotTransportOptions): HttpTransport {
  let instance: Promise<Got> | undefined;
  const getInstance = (): Promise<Got> => {
    instance ??= loadGot().then(({ default: got }) =>
      got.extend({
        prefixUrl: options.prefixUrl,
        throwHttpErrors: false,
        retry: { limit: 0 },
        followRedirect: false,
        responseType: "text",
        decompress: true,
        ...(options.certificateAuthority ? { https: { certificateAuthority: options.certificateAuthority } } : {}),
      }),
    );
    return instance;
  };
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const got = await getInstance();
      const absolute = /^https?:\/\//i.test(request.url);
      const response = await got(request.url, {
        // An absolute link bypasses the prefix; the client has already checked it stays on the endpoint's origin.
        ...(absolute ? { prefixUrl: "" } : {}),
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        timeout: { request: request.timeoutMs },
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const text = typeof response.body === "string" ? response.body : "";
      return {
        statusCode: response.statusCode,
        statusMessage: response.statusMessage,
        headers: response.headers,
        // Partner Center prefixes some JSON bodies with a UTF-8 byte-order mark, which JSON.parse rejects.
        body: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
      };
    },
  };
}

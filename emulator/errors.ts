/**
 * Partner Center–shaped error bodies and the numeric codes the emulator answers with.
 *
 * Codes come from Partner Center's error-code table (`partner-center-api.md` §6). Where Partner Center documents no
 * code for a situation, the constant below says which one the emulator picked and why, so a client never depends on
 * an invented number by accident.
 */

/** The body Partner Center sends with most errors: numeric `code`, `description`, `data` and `source: "PartnerFD"`. */
export interface PartnerCenterErrorBody {
  /** Partner Center's numeric error code. */
  code: number;
  /** Human-readable details (Partner Center caps them at 1024 characters). */
  description: string;
  /** Extra values; the emulator puts the offending property paths here. */
  data: unknown[];
  /** Always `"PartnerFD"`, the front door that produced the error. */
  source: "PartnerFD";
}

/** The newer error body (seen with `600061`): adds `message`, `errorName`, `isRetryable`, `parameters`. */
export interface PartnerCenterNewErrorBody {
  /** Partner Center's numeric error code. */
  code: number;
  /** Short message. */
  message: string;
  /** Details; the same text as `message` in the documented sample. */
  description: string;
  /** Symbolic name of the error, e.g. `PartnerConfirmedAgreementAlreadyExists`. */
  errorName: string;
  /** Whether repeating the call could succeed. */
  isRetryable: boolean;
  /** Named values of the error. */
  parameters: Record<string, unknown>;
  /** `InternalErrorCode=<code>`. */
  errorMessageExtended: string;
}

/** The throttling body, which has its own shape: `{ statusCode: 429, message }`. */
export interface ThrottlingErrorBody {
  /** Always 429. */
  statusCode: 429;
  /** `Rate limit is exceeded. Try again in N seconds.` */
  message: string;
}

/** Partner Center error codes used by the emulator. */
export const ErrorCode = {
  /** 400: generic "invalid property"; also the emulator's pick for undocumented validation failures. */
  invalidProperty: 3000,
  /** 400: address invalid (legacy address-validation code, reused for creates with an invalid address). */
  addressInvalid: 2007,
  /** 400: the ETag sent with a billing-profile update is stale. */
  etagInvalid: 2055,
  /** 400: organizationRegistrationNumber is missing for a country that requires it. */
  registrationNumberMissing: 600049,
  /** 400: organizationRegistrationNumber has the wrong format; the description carries the expected regex. */
  registrationNumberFormat: 600050,
  /** 400: billingProfile.defaultAddress.phoneNumber is missing for a country that requires it. */
  phoneNumberMissing: 600051,
  /** 400: organizationRegistrationNumber is not supported for the customer's country. */
  registrationNumberNotSupported: 600002,
  /** 400: the request body could not be read. */
  invalidRequestInput: 800002,
  /** 400: the customer id is not a GUID. */
  invalidCustomerId: 900118,
  /** 401: access denied (the token is invalid or expired). */
  accessDenied401: 400,
  /** 401: no bearer token at all. */
  partnerTokenMissing: 800001,
  /**
   * 403: access denied. The emulator's pick for an app-only token on an App+User-only route; Partner Center documents
   * the route restriction but not the code it answers with.
   */
  accessDenied: 2032,
  /**
   * 403: "The requested action is not allowed". The emulator's pick for DELETE /v1/customers/{id} outside the
   * sandbox, where Partner Center cannot delete tenants at all.
   */
  actionNotAllowed: 600006,
  /** 404: not found (unknown customer, unknown country). */
  notFound: 1000,
  /**
   * 409: domain already in use. Partner Center documents no code for this; the emulator answers HTTP 409 (the .NET
   * SDK maps 409 to `AlreadyExists`) with the generic 3000, so clients key on the status and the HEAD pre-check.
   */
  domainExists: 3000,
  /** Duplicate MCA confirmation (same contact twice). */
  agreementAlreadyExists: 600061,
} as const;

/**
 * An error a route throws to answer with a Partner Center body. The server's error handler turns it into the
 * response, so routes can `throw` from deep inside validation.
 */
export class PartnerCenterHttpError extends Error {
  /** HTTP status to answer with. */
  readonly statusCode: number;
  /** Body to answer with. */
  readonly body: PartnerCenterErrorBody | PartnerCenterNewErrorBody | ThrottlingErrorBody;
  /** Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  /**
   * @param statusCode HTTP status.
   * @param body Response body.
   * @param headers Extra response headers.
   */
  constructor(
    statusCode: number,
    body: PartnerCenterErrorBody | PartnerCenterNewErrorBody | ThrottlingErrorBody,
    headers: Record<string, string> = {},
  ) {
    super("message" in body ? body.message : body.description);
    this.name = "PartnerCenterHttpError";
    this.statusCode = statusCode;
    this.body = body;
    this.headers = headers;
  }
}

/** Builds the classic `{code, description, data, source}` body. */
export function errorBody(code: number, description: string, data: unknown[] = []): PartnerCenterErrorBody {
  return { code, description, data, source: "PartnerFD" };
}

/** Shorthand for `new PartnerCenterHttpError(status, errorBody(code, description, data))`. */
export function partnerCenterError(
  statusCode: number,
  code: number,
  description: string,
  data: unknown[] = [],
): PartnerCenterHttpError {
  return new PartnerCenterHttpError(statusCode, errorBody(code, description, data));
}

/** A 400 "invalid property" naming the offending property path in `data`. */
export function invalidProperty(path: string, description: string): PartnerCenterHttpError {
  return partnerCenterError(400, ErrorCode.invalidProperty, description, [path]);
}

/** The 429 answer: throttling body plus `Retry-After` in whole seconds. */
export function throttled(retryAfterSeconds: number): PartnerCenterHttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new PartnerCenterHttpError(
    429,
    { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
    { "Retry-After": String(seconds) },
  );
}

/** The duplicate-agreement error in the newer body shape Partner Center documents for it. */
export function agreementAlreadyExists(): PartnerCenterHttpError {
  const message =
    "Partner has already confirmed the agreement for this customer with the same primary contact. Change the contact details to confirm again.";
  // HTTP 409: Partner Center does not state the status for 600061; a conflict is what the duplicate is.
  return new PartnerCenterHttpError(409, {
    code: ErrorCode.agreementAlreadyExists,
    message,
    description: message,
    errorName: "PartnerConfirmedAgreementAlreadyExists",
    isRetryable: false,
    parameters: {},
    errorMessageExtended: `InternalErrorCode=${ErrorCode.agreementAlreadyExists}`,
  });
}

/** The answer to an App+User-only operation called with an App-only token. */
export function appUserOnly(): PartnerCenterHttpError {
  return partnerCenterError(
    403,
    ErrorCode.accessDenied,
    "Access denied. This operation supports App+User credentials only; app-only tokens are not allowed.",
  );
}

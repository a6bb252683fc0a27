/**
 * Redaction for everything the client shows: log lines, error messages, header dumps.
 *
 * Two layers, as in Azure's sanitizer: an allow-list for header names (anything not known to be harmless is
 * replaced), and a text scrubber that removes the secrets we know about (tokens we hold, configured secrets) plus
 * anything that looks like a credential (bearer tokens, JWTs, `client_secret=`, `"password": "…"`).
 */

/** What replaces a redacted value. */
export const REDACTED = "REDACTED";

/** Header names (lower case) whose values are safe to show. Everything else, `Authorization` first, is redacted. */
export const SAFE_HEADER_NAMES: ReadonlySet<string> = new Set([
  "accept",
  "content-type",
  "content-length",
  "date",
  "etag",
  "if-match",
  "location",
  "ms-correlationid",
  "ms-requestid",
  "ms-cv",
  "ms-serverid",
  "ms-partnercenter-application",
  "ms-contract-version",
  "retry-after",
  "user-agent",
  "x-locale",
]);

/**
 * Returns a copy of `headers` in which every header not in {@link SAFE_HEADER_NAMES} (case-insensitive) has its value
 * replaced by {@link REDACTED}. Array values are joined first.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    result[name] = SAFE_HEADER_NAMES.has(name.toLowerCase()) ? text : REDACTED;
  }
  return result;
}

// Credential-looking fragments. Kept as a function rather than module-level RegExp objects: global regexes carry
// `lastIndex` state, and these modules may be loaded into the long-lived provider host.
function credentialPatterns(): RegExp[] {
  return [
    // Authorization: Bearer <token>
    /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi,
    // JWTs (header.payload[.signature]) — access tokens, id tokens, client assertions.
    /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g,
    // form / query encoded credentials
    /\b(client_secret|refresh_token|access_token|id_token|client_assertion|password|assertion)=[^&\s"']+/gi,
    // JSON encoded credentials
    /("(?:password|clientSecret|client_secret|refreshToken|refresh_token|accessToken|access_token|clientAssertion|client_assertion|privateKey)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    // PEM private keys
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  ];
}

/**
 * Removes secrets from free text: every occurrence of each value in `secrets` (values shorter than 4 characters are
 * ignored — redacting "a" would shred the text without protecting anything), then credential-looking fragments.
 */
export function redactText(text: string, secrets: Iterable<string | undefined> = []): string {
  let result = text;
  const known = [...secrets].filter((s): s is string => typeof s === "string" && s.length >= 4);
  // Longest first, so a secret that contains another is removed whole.
  known.sort((a, b) => b.length - a.length);
  for (const secret of known) {
    result = result.split(secret).join(REDACTED);
  }
  const [bearer, jwt, form, json, pem] = credentialPatterns() as [RegExp, RegExp, RegExp, RegExp, RegExp];
  result = result.replace(bearer, `$1 ${REDACTED}`);
  result = result.replace(jwt, REDACTED);
  result = result.replace(form, `$1=${REDACTED}`);
  result = result.replace(json, `$1"${REDACTED}"`);
  result = result.replace(pem, REDACTED);
  return result;
}

/** Shortens `text` to `max` characters, marking the cut. Service descriptions are documented as up to 1024 chars. */
export function truncate(text: string, max = 1024): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The slice of OData query options the emulator's Graph routes understand: `$filter` with `eq` on string properties
 * joined by `and`, `$top`, and `$skiptoken` paging [MS: the list supports `$filter`, `$top` (up to 300) and
 * `$skipToken`]. Other options (`$select`, `$orderby`, `$count`) are ignored, so answers carry every property in
 * creation order.
 */
import { randomBytes } from "node:crypto";
import { GraphErrorCode, graphError } from "./graphError";

/** One `<property> eq '<value>'` term of a filter. */
export interface ODataEquality {
  /** The property path as written, e.g. `customer/tenantId`. */
  property: string;
  /** The string literal, unescaped (`''` → `'`). */
  value: string;
}

/** The query options of a list request. */
export interface ODataListQuery {
  filter: ODataEquality[];
  /** Page size: `$top`, else {@link DEFAULT_PAGE_SIZE}. */
  top: number;
  /** Whether the client sent `$top` (carried into next links). */
  topGiven: boolean;
  /** The raw `$filter`, carried into next links. */
  rawFilter?: string;
  /** Id of the last item of the previous page (from `$skiptoken`). */
  after?: string;
}

/** [MS] "`$top` supports up to 300 objects"; integrators report pages of 300 without it [3P]. */
export const DEFAULT_PAGE_SIZE = 300;

function invalidFilter(filter: string, reason: string): Error {
  return graphError(400, GraphErrorCode.badRequest, `Invalid filter clause '${filter}': ${reason}.`);
}

/**
 * Parses `$filter` into equality terms.
 * @param filter The decoded `$filter` value.
 * @param properties The property paths that may be filtered on (matched in any case).
 * @throws GraphHttpError 400 for anything else (other operators, functions, `or`, parentheses).
 */
export function parseODataFilter(filter: string, properties: readonly string[]): ODataEquality[] {
  const terms: ODataEquality[] = [];
  let at = 0;
  const skipSpaces = () => {
    while (at < filter.length && /\s/.test(filter[at] as string)) at++;
  };
  for (;;) {
    skipSpaces();
    const property = /^[A-Za-z][A-Za-z0-9/]*/.exec(filter.slice(at))?.[0];
    if (!property) throw invalidFilter(filter, "expected a property name");
    const known = properties.find((candidate) => candidate.toLowerCase() === property.toLowerCase());
    if (!known) throw invalidFilter(filter, `filtering on '${property}' is not supported`);
    at += property.length;
    const operator = /^\s+eq\s+/i.exec(filter.slice(at))?.[0];
    if (!operator) throw invalidFilter(filter, "only the eq operator is supported");
    at += operator.length;
    if (filter[at] !== "'") throw invalidFilter(filter, "expected a quoted string");
    at++;
    let value = "";
    for (;;) {
      if (at >= filter.length) throw invalidFilter(filter, "unterminated string");
      const char = filter[at] as string;
      if (char === "'") {
        // OData escapes a quote inside a string by doubling it.
        if (filter[at + 1] === "'") {
          value += "'";
          at += 2;
          continue;
        }
        at++;
        break;
      }
      value += char;
      at++;
    }
    terms.push({ property: known, value });
    skipSpaces();
    if (at >= filter.length) return terms;
    const and = /^and\s+/i.exec(filter.slice(at))?.[0];
    if (!and) throw invalidFilter(filter, "terms must be joined by 'and'");
    at += and.length;
  }
}

/** A `$skiptoken`: opaque to clients, here the id after which the next page starts. */
export function encodeSkipToken(afterId: string): string {
  return Buffer.from(JSON.stringify({ after: afterId, nonce: randomBytes(4).toString("base64url") })).toString(
    "base64url",
  );
}

function decodeSkipToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // falls through to the 400
  }
  throw graphError(400, GraphErrorCode.badRequest, "The $skiptoken is not valid.");
}

/**
 * Reads the list options of a request URL. The query is decoded with `URLSearchParams` (`+` and `%20` are spaces,
 * `%24filter` is `$filter`); option names match in any case, as OData allows.
 * @param url The request URL (path and query).
 * @param properties The property paths `$filter` may name.
 */
export function readODataListQuery(url: string, properties: readonly string[]): ODataListQuery {
  const queryAt = url.indexOf("?");
  const params = new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1));
  const option = (name: string): string | undefined => {
    for (const [key, value] of params) if (key.toLowerCase() === name) return value;
    return undefined;
  };
  const rawFilter = option("$filter");
  const rawTop = option("$top");
  const skipToken = option("$skiptoken");
  let top = DEFAULT_PAGE_SIZE;
  if (rawTop !== undefined) {
    const parsed = Number(rawTop);
    if (!/^\d+$/.test(rawTop) || parsed < 1) {
      throw graphError(
        400,
        GraphErrorCode.badRequest,
        `Invalid value '${rawTop}' for $top: expected a positive integer.`,
      );
    }
    // [inferred] A larger $top is capped at the documented maximum rather than refused.
    top = Math.min(parsed, DEFAULT_PAGE_SIZE);
  }
  return {
    filter: rawFilter === undefined || rawFilter.trim() === "" ? [] : parseODataFilter(rawFilter, properties),
    top,
    topGiven: rawTop !== undefined,
    ...(rawFilter !== undefined && rawFilter.trim() !== "" ? { rawFilter } : {}),
    ...(skipToken !== undefined ? { after: decodeSkipToken(skipToken) } : {}),
  };
}

/**
 * One page of `items` for `query`: the items after the `$skiptoken` position, at most `top` of them, and the query
 * string of the next page when more follow.
 * @param items The filtered items in order.
 * @param query The list options.
 * @param idOf An item's id (the page cursor).
 */
export function pageOf<T>(
  items: readonly T[],
  query: ODataListQuery,
  idOf: (item: T) => string,
): { page: T[]; nextQuery?: string } {
  let rest = items;
  if (query.after !== undefined) {
    const after = query.after.toLowerCase();
    const index = items.findIndex((item) => idOf(item).toLowerCase() === after);
    // A cursor whose item disappeared yields nothing rather than restarting, like the customer list.
    rest = index >= 0 ? items.slice(index + 1) : [];
  }
  const page = rest.slice(0, query.top);
  const last = page[page.length - 1];
  if (last === undefined || page.length >= rest.length) return { page };
  const next = new URLSearchParams();
  if (query.rawFilter !== undefined) next.set("$filter", query.rawFilter);
  if (query.topGiven) next.set("$top", String(query.top));
  next.set("$skiptoken", encodeSkipToken(idOf(last)));
  return { page, nextQuery: next.toString() };
}

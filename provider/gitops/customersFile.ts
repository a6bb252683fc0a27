/**
 * The customers file: Partner Center customers described in YAML, for GitOps (a pull request adds a customer, CI
 * runs `pulumi preview`, the merge runs `pulumi up`).
 *
 * ```yaml
 * customers:                      # required; `customers: {}` for none
 *   contoso:                      # the resource name: lowercase letters, digits, hyphens; keep it stable
 *     companyProfile:             # PartnerCustomerArgs, field for field
 *       domain: contosodemo.onmicrosoft.com
 *     billingProfile:
 *       email: billing@contoso.example
 *       culture: en-US
 *       language: en
 *       companyName: Contoso Ltd
 *       defaultAddress:
 *         firstName: Ada
 *         lastName: Ng
 *         addressLine1: 1 Microsoft Way
 *         city: Redmond
 *         state: WA
 *         postalCode: "98052"     # quote numbers-looking text: YAML would read 98052 as a number
 *         country: US
 *     associatedPartnerId: …      # optional, as are enableGDAPByDefault, existingCustomerId, deletionPolicy, preflight
 *     agreement:                  # optional: a CustomerAgreement named `contoso-agreement` for this customer
 *       primaryContact: { firstName: Ada, lastName: Ng, email: ada@contoso.example }
 *       agreementType: MicrosoftCustomerAgreement   # optional, as are templateId and dateAgreed
 *     gdap:                       # optional: a GdapRelationship `contoso-gdap` with the customer's tenant
 *       default: true             # adopt the Default GDAP relationship (or `relationship: { roles: [...] }`)
 *       access:                   # optional: a GdapAccessAssignment `contoso-gdap-<group>` per group
 *         - group: 0d5e…          # a partner security group's object ID
 *           roles: [Helpdesk Administrator]
 * ```
 *
 * The file is YAML 1.2 (core schema: `NO` and `on` stay strings, dates stay strings), one document, unique keys.
 * Every entry passes the same rules the resources run in `check` before anything is provisioned, so a bad file fails
 * before any request reaches Partner Center, with every problem listed at once.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { LineCounter, Node, YAMLError } from "yaml";
import type { z } from "zod";
import { describeType, joinPath } from "../resources/checkFailures";
import { zodOnFirstUse } from "../schemas/zodOnFirstUse";
import type { CustomerSpec } from "./customerSpec";
import { CustomersFileError, type CustomersFileIssue } from "./customersFileError";
import { CUSTOMERS_KEY, validateCustomerEntries } from "./validateCustomerEntries";

/**
 * The `yaml` module, loaded on first use: a program that only declares resources never parses a customers file, and
 * loading `yaml` with the package index cost every program start about 35 ms.
 */
function yaml(): typeof import("yaml") {
  return require("yaml");
}

/** Options of {@link parseCustomersFile}. */
export interface ParseCustomersFileOptions {
  /** The clock `agreement.dateAgreed` must not be ahead of. Default: now. */
  now?: Date;
}

/** Options of {@link loadCustomersFile}. */
export interface LoadCustomersFileOptions extends ParseCustomersFileOptions {
  /**
   * Directory a relative `path` is resolved against (e.g. the Pulumi project root). Default: the working directory.
   * Messages keep naming the file as given, so they stay short and match what the user wrote in config.
   */
  baseDirectory?: string;
}

/**
 * Reads and validates a customers file (format: see the module documentation and the header of the repository's
 * `customers.yaml`).
 *
 * @param path The file; relative paths resolve against `options.baseDirectory`, else the working directory.
 * @returns One {@link CustomerSpec} per entry, in file order, normalised exactly as the resources' `check` would.
 * @throws {@link CustomersFileError} listing every problem (unreadable file, YAML syntax, structure, field rules,
 *   duplicate domains), each as `<file>:<line>: customers.<name>.<field>: <reason>`.
 */
export function loadCustomersFile(path: string, options: LoadCustomersFileOptions = {}): CustomerSpec[] {
  let text: string;
  try {
    text = readFileSync(resolve(options.baseDirectory ?? process.cwd(), path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "the file does not exist" : `the file cannot be read (${code ?? String(error)})`;
    throw new CustomersFileError(path, [{ path: "", message: reason }]);
  }
  return parseCustomersFile(text, path, options);
}

/**
 * Validates the text of a customers file.
 *
 * @param text The YAML text.
 * @param fileName How to name the file in messages, e.g. `customers.yaml`.
 * @returns One {@link CustomerSpec} per entry, in file order.
 * @throws {@link CustomersFileError} listing every problem at once.
 */
export function parseCustomersFile(
  text: string,
  fileName: string,
  options: ParseCustomersFileOptions = {},
): CustomerSpec[] {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: `country: NO` stays a string (1.1 would make it false) and dates stay strings.
  const document = parseDocument(text.replace(/^\uFEFF/, ""), {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    version: "1.2",
    schema: "core",
    strict: true,
  });
  // Warnings count as errors: an unresolved tag would otherwise turn into a plain string without anyone noticing.
  const syntax = [...document.errors, ...document.warnings].map(yamlIssue);
  if (syntax.length > 0) throw new CustomersFileError(fileName, syntax);

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new CustomersFileError(fileName, [{ path: "", message: `YAML: ${(error as Error).message}` }]);
  }

  const envelope = customersFileSchema().safeParse(data);
  if (!envelope.success) {
    const issues = envelope.error.issues.flatMap(envelopeIssues);
    throw new CustomersFileError(fileName, locate(issues, document.contents, lineCounter));
  }

  const { specs, issues } = validateCustomerEntries(Object.entries(envelope.data.customers), options);
  if (issues.length > 0) {
    const hinted = issues.map((issue) => withYamlTypeHint(issue, document.contents));
    throw new CustomersFileError(fileName, locate(hinted, document.contents, lineCounter));
  }
  return specs;
}

// ---------------------------------------------------------------------------------------------------------------
// The envelope: a mapping with exactly one key, `customers`, holding a mapping of entries. The entries themselves
// are checked by the resources' own rules (validateCustomerEntries), which report one precise failure per field.

const EMPTY_HINT = "write `customers: {}` for a file without customers";

/** The envelope's schema, built (and zod loaded) on the first parse, like `yaml` above. */
const customersFileSchema = zodOnFirstUse(({ z }) =>
  z.strictObject(
    {
      [CUSTOMERS_KEY]: z.record(z.string(), z.unknown(), {
        error: (issue) =>
          issue.input === undefined
            ? `is required: the file needs a top-level "customers:" mapping of customer names to entries (${EMPTY_HINT})`
            : `must be a mapping of customer names to entries, got ${describeType(issue.input)}` +
              (issue.input === null ? ` (${EMPTY_HINT})` : ""),
      }),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? undefined
          : `the file must be a YAML mapping with a top-level "customers:" key, got ${
              issue.input === null || issue.input === undefined ? "an empty document" : describeType(issue.input)
            }`,
    },
  ),
);

/** A zod issue of the envelope as customers-file issues (one per unknown top-level key). */
function envelopeIssues(issue: z.core.$ZodIssue): CustomersFileIssue[] {
  const path = issue.path.reduce<string>((prefix, key) => joinPath(prefix, key as string | number), "");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: joinPath(path, key),
      message: `unknown top-level key: the file holds only "${CUSTOMERS_KEY}:" (did you indent an entry wrongly?)`,
    }));
  }
  return [{ path, message: issue.message }];
}

/** A YAML parse error or warning as an issue on the whole document, with its line. */
function yamlIssue(error: YAMLError): CustomersFileIssue {
  const position = error.linePos?.[0];
  // prettyErrors appends " at line L, column C:" and a source excerpt; the line goes into the prefix instead.
  const text = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
  const column = position === undefined ? "" : ` (column ${position.col})`;
  const kind = error.name === "YAMLWarning" ? "YAML" : "YAML syntax error";
  return { path: "", message: `${kind}: ${text}${column}`, ...(position === undefined ? {} : { line: position.line }) };
}

/**
 * Splits an issue path into the keys to walk in the document: names for mappings, numbers for list items
 * (`customers.contoso.gdap.access[0].roles[1]` → `customers`, `contoso`, `gdap`, `access`, 0, `roles`, 1).
 */
function pathKeys(path: string): Array<string | number> {
  if (path === "") return [];
  return path.split(".").flatMap((segment) => {
    const indexed = /^(.*?)((?:\[\d+\])+)$/.exec(segment);
    if (!indexed) return [segment];
    const indexes = [...(indexed[2] ?? "").matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    return indexed[1] ? [indexed[1], ...indexes] : indexes;
  });
}

/**
 * The node at `path` and the line of the deepest key (or list item) on the way that exists: the offending key
 * itself, or, for a missing field, the object that lacks it.
 */
function findNode(root: unknown, path: string, lineCounter?: LineCounter): { node?: Node; line?: number } {
  const { isMap, isScalar, isSeq } = yaml();
  let current: unknown = root;
  let line: number | undefined;
  if (lineCounter && isMap(current) && current.range) line = lineCounter.linePos(current.range[0]).line;
  for (const key of pathKeys(path)) {
    let at: Node | undefined;
    if (typeof key === "number") {
      const item = isSeq(current) ? current.items[key] : undefined;
      at = item as Node | undefined;
      current = item;
    } else {
      const pair = isMap(current)
        ? current.items.find((entry) => isScalar(entry.key) && String(entry.key.value) === key)
        : undefined;
      at = pair?.key as Node | undefined;
      current = pair?.value;
    }
    if (at === undefined) return { line };
    if (lineCounter && at.range) line = lineCounter.linePos(at.range[0]).line;
  }
  return { node: current as Node, line };
}

/** Adds lines to issues and sorts them into file order (issues without a line keep their place at the end). */
function locate(issues: CustomersFileIssue[], root: unknown, lineCounter: LineCounter): CustomersFileIssue[] {
  return issues
    .map((issue) => {
      const { line } = findNode(root, issue.path, lineCounter);
      return line === undefined ? issue : { ...issue, line };
    })
    .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

/**
 * The most common YAML slip: a postal code, phone or registration number written unquoted is read as a number
 * (and `02134` loses its zero). Tell the user to quote it, showing the text as written.
 */
function withYamlTypeHint(issue: CustomersFileIssue, root: unknown): CustomersFileIssue {
  if (!/^must be a string, got a (number|boolean)/.test(issue.message)) return issue;
  const { node } = findNode(root, issue.path);
  if (!yaml().isScalar(node)) return issue;
  const written = typeof node.source === "string" ? node.source : String(node.value);
  return {
    ...issue,
    message: `${issue.message}: YAML reads ${written} as a ${typeof node.value}; put it in quotes: "${written}"`,
  };
}

import * as pulumi from "@pulumi/pulumi";
import { describeType, isPlainObject, joinPath } from "../resources/checkFailures";

/** One problem found in a customers file. */
export interface CustomersFileIssue {
  /**
   * Dotted path of the offending value, from the top of the file: `customers.contoso.billingProfile.email`, or
   * `customers` / `""` (the whole document) for structural problems.
   */
  readonly path: string;
  /** What is wrong and, where we know it, how to fix it. */
  readonly message: string;
  /** 1-based line of the value (or of the closest enclosing key that exists), when known. */
  readonly line?: number;
}

/**
 * Every problem of a customers file at once, thrown by {@link parseCustomersFile}, {@link loadCustomersFile} and
 * {@link provisionCustomers} before any resource is registered.
 *
 * The message has one line per issue, `<file>:<line>: <path>: <message>`, the format editors and CI logs turn into
 * links. It extends Pulumi's `RunError` so that a program which lets it escape ends with just that message, not a
 * stack trace of our internals.
 */
export class CustomersFileError extends pulumi.RunError {
  /** The file name as given to the loader (used as the prefix of every message line). */
  readonly fileName: string;
  /** The problems, in file order. Never empty. */
  readonly issues: readonly CustomersFileIssue[];

  /**
   * @param fileName The file as the user knows it, e.g. `customers.yaml`.
   * @param issues At least one problem.
   */
  constructor(fileName: string, issues: readonly CustomersFileIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super([`${fileName} is invalid (${count}):`, ...issues.map((i) => formatIssue(fileName, i))].join("\n  "));
    this.name = "CustomersFileError";
    this.fileName = fileName;
    this.issues = issues;
  }
}

/** One issue as a message line: `customers.yaml:12: customers.contoso.billingProfile.email: is required`. */
export function formatIssue(fileName: string, issue: CustomersFileIssue): string {
  const where = issue.line === undefined ? fileName : `${fileName}:${issue.line}`;
  return issue.path === "" ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** Reports a problem at a path relative to the block being checked (`""` for the block itself). */
export type Report = (property: string, message: string) => void;

/** A {@link Report} for the block at `key` (a name, or a path such as `access[0]`) inside the block `report` serves. */
export function nestedReport(report: Report, key: string): Report {
  return (property, message) => report(property === "" ? key : joinPath(key, property), message);
}

/**
 * `raw` when it is a mapping, else `undefined` after reporting it on the block itself: `emptyReason` for a block
 * left empty (`agreement:` with nothing under it: almost always half written), else that it must be a mapping of
 * `keys`.
 */
export function mappingOf(
  raw: unknown,
  keys: readonly string[],
  emptyReason: string,
  report: Report,
): Record<string, unknown> | undefined {
  if (raw === null || raw === undefined) report("", emptyReason);
  else if (!isPlainObject(raw)) report("", `must be a mapping (${keys.join(", ")}), got ${describeType(raw)}`);
  else return raw;
  return undefined;
}

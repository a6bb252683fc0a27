/**
 * Reads the TSDoc of the dynamic resources' argument interfaces and classes, so the native provider's schema
 * (`provider/native/schema.ts`) describes every type and property with the same words the TypeScript package's
 * users see. Run by `scripts/native-schema.ts`; the TypeScript compiler is a development dependency only.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import type { SchemaDocs } from "../provider/native/schema";

/** The files whose exported interfaces and classes document the resources. */
export const DOCUMENTED_FILES = [
  "provider/resources/partnerCustomer.ts",
  "provider/resources/partnerCustomerTypes.ts",
  "provider/resources/customerAgreement.ts",
  "provider/resources/mcaAcceptance.ts",
  "provider/resources/gdapRelationship.ts",
  "provider/resources/gdapAccessAssignment.ts",
];

/** TSDoc text as plain Markdown: `{@link X}` becomes `X`, line breaks within a paragraph become spaces. */
function plain(text: string): string {
  return text
    .replace(/\{@link\s+([^}|\s]+)\s*(?:\|\s*([^}]+))?\}/g, (_, target: string, label?: string) =>
      (label ?? target).trim(),
    )
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .join("\n\n");
}

/** The summary of a declaration's last TSDoc block, if it has one. */
function docOf(node: ts.Node): string | undefined {
  const blocks = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const comment = ts.getTextOfJSDocComment(blocks.at(-1)?.comment);
  return comment ? plain(comment) : undefined;
}

/** Every exported interface and class of `files` (relative to `root`) with its TSDoc and its members'. */
export function readSchemaDocs(root: string, files: readonly string[] = DOCUMENTED_FILES): SchemaDocs {
  const docs: SchemaDocs = {};
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!(ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement)) || !statement.name) continue;
      const members: Record<string, string> = {};
      for (const member of statement.members) {
        const name = member.name;
        if (!name || !(ts.isIdentifier(name) || ts.isStringLiteral(name))) continue;
        members[name.text] = docOf(member) ?? "";
      }
      docs[statement.name.text] = { description: docOf(statement), members };
    }
  }
  return docs;
}

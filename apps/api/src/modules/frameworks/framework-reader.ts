import type { ImportFrameworkBody, ImportProblem } from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import { findFramework, listParsedGroups, listParsedRequirements } from "./frameworks.repository.ts";
import { readOscalCatalog, type OscalCatalog } from "./oscal/oscal-catalog-reader.ts";
import { resolveOscalProfile, type OscalProfile } from "./oscal/oscal-profile-resolver.ts";
import { isSupportedOscalVersion, validateOscal, type OscalModel } from "./oscal/oscal-schema.ts";
import type { ParsedFramework } from "./parsed-framework.ts";
import { readCsv, type Sheet } from "./sheets/csv-reader.ts";
import { readSheetFramework } from "./sheets/sheet-framework.ts";
import { readXlsx, WorkbookError } from "./sheets/xlsx-reader.ts";

/** An OSCAL document that breaks the schema: 422 with every error (up to the cap) by JSON path. */
export class OscalInvalidError extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    super(
      422,
      "oscal_invalid",
      "Invalid OSCAL document",
      `The document does not validate against the OSCAL 1.2.1 schema (${problems.length} errors)`,
      problems.map((problem) => ({ path: problem.path ?? "$", message: problem.message })),
    );
  }
}

/**
 * Reads an import body into a framework with its problems. OSCAL documents are validated against the official
 * 1.2.1 schema first (a document that fails it answers 422 before anything else is looked at), and must declare
 * OSCAL 1.0.x–1.2.x.
 */
export async function readImport(db: Queryable, body: ImportFrameworkBody): Promise<ParsedFramework> {
  switch (body.format) {
    case "oscal-catalog": {
      assertOscal("catalog", body.document);
      return readOscalCatalog(body.document.catalog as OscalCatalog);
    }
    case "oscal-profile": {
      assertOscal("profile", body.document);
      const base = await findFramework(db, body.frameworkId);
      if (!base) throw new NotFoundError("framework", body.frameworkId);
      const [groups, requirements] = await Promise.all([
        listParsedGroups(db, base.id),
        listParsedRequirements(db, base.id),
      ]);
      return resolveOscalProfile(body.document.profile as OscalProfile, { id: base.id, groups, requirements });
    }
    case "csv":
      return readSheetFramework(readCsv(body.content), body.columns, { ...body, source: "csv" });
    case "xlsx": {
      const sheet = await readWorkbook(Buffer.from(body.contentBase64, "base64"), body.sheet);
      return readSheetFramework(sheet, body.columns, { ...body, source: "xlsx" });
    }
  }
}

async function readWorkbook(content: Buffer, sheetName: string | undefined): Promise<Sheet> {
  try {
    return await readXlsx(content, sheetName);
  } catch (error) {
    if (error instanceof WorkbookError)
      throw new AppError(422, "import_invalid", "Unreadable workbook", error.message, [
        { path: "body.contentBase64", message: error.message },
      ]);
    throw error;
  }
}

function assertOscal(model: Extract<OscalModel, "catalog" | "profile">, document: Record<string, unknown>): void {
  const root = document[model];
  const declared = (root as { metadata?: { "oscal-version"?: unknown } } | undefined)?.metadata?.["oscal-version"];
  if (typeof declared === "string" && !isSupportedOscalVersion(declared))
    throw new AppError(
      422,
      "oscal_version_unsupported",
      "Unsupported OSCAL version",
      `The document declares OSCAL ${declared}; STATUS reads OSCAL 1.0.x to 1.2.x`,
      [{ path: `$.${model}.metadata.oscal-version`, message: `OSCAL ${declared} is not supported` }],
    );
  const problems = validateOscal(model, document);
  if (problems.length > 0) throw new OscalInvalidError(problems);
}

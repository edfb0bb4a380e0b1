import {
  PREVIEW_ROW_COUNT,
  type ImportCounts,
  type ImportFrameworkBody,
  type ImportPreview,
  type ImportProblem,
  type ImportResult,
} from "@status/shared";
import { withTransaction, type Queryable } from "../../db/database.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AppDeps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { readImport } from "./framework-reader.ts";
import {
  findFramework,
  findFrameworkIdByIdentity,
  insertFramework,
  listRequirementDigests,
  updateFrameworkRow,
  upsertGroups,
  upsertRequirements,
} from "./frameworks.repository.ts";
import { hasErrors, type ParsedFramework, type ParsedRequirement } from "./parsed-framework.ts";

export type ImportAnswer = (ImportPreview | ImportResult) & { isNew: boolean };

/**
 * Imports a framework, or with `dryRun` answers what it would store: counts, the first rows as stored and every
 * problem. A stored import of a name and version that exists updates it in place by requirement key (idempotent:
 * the same document twice changes nothing); keys the new document lacks are kept, since mappings may point at them.
 */
export async function importFramework(
  deps: AppDeps,
  actor: Actor,
  input: { body: ImportFrameworkBody; dryRun: boolean },
): Promise<ImportAnswer> {
  const parsed = await readImport(deps.db, input.body);
  if (input.dryRun) return { ...(await previewImport(deps.db, parsed)), isNew: false };
  if (hasErrors(parsed.problems)) throw importRefused(parsed.problems);
  return storeFramework(deps, actor, parsed);
}

/** How a job watches a store: progress after each batch, and a last write in the same transaction. */
export interface StoreHooks {
  batchSize: number;
  onProgress: (processed: number) => Promise<void>;
  beforeCommit: (tx: Queryable, result: ImportResult) => Promise<void>;
}

/** Stores an already-read framework in one transaction (the library and import jobs store through here too). */
export async function storeFramework(
  deps: AppDeps,
  actor: Actor,
  parsed: ParsedFramework,
  hooks?: StoreHooks,
): Promise<ImportAnswer> {
  return withTransaction(deps.db, async (tx) => {
    const existingId = await findFrameworkIdByIdentity(tx, parsed, { forUpdate: true });
    const id = existingId ?? (await insertFramework(tx, parsed, actor.userId));
    const problems = [...parsed.problems, ...(existingId ? await keptKeysWarning(tx, existingId, parsed) : [])];
    if (existingId) await updateFrameworkRow(tx, id, parsed);
    await upsertGroups(tx, id, parsed.groups);
    const { created, updated } = await upsertRequirements(tx, id, parsed.requirements, {
      batchSize: hooks?.batchSize,
      onBatch: hooks?.onProgress,
    });
    const framework = (await findFramework(tx, id))!;
    const counts = countsOf(parsed, { created, updated });
    await recordAudit(tx, actor, {
      action: existingId ? "update" : "create",
      resourceType: "framework",
      resourceId: id,
      after: { name: framework.name, version: framework.version, source: framework.source, counts },
    });
    const result: ImportResult = { dryRun: false, framework, counts, problems };
    await hooks?.beforeCommit(tx, result);
    return { ...result, isNew: !existingId };
  });
}

async function previewImport(db: Queryable, parsed: ParsedFramework): Promise<ImportPreview> {
  const existingId = (await findFrameworkIdByIdentity(db, parsed)) ?? null;
  const stored = existingId ? await listRequirementDigests(db, existingId) : new Map<string, ParsedRequirement>();
  let created = 0;
  let updated = 0;
  for (const requirement of parsed.requirements) {
    const current = stored.get(requirement.key);
    if (!current) created += 1;
    else if (canonicalJson(current) !== canonicalJson(requirement)) updated += 1;
  }
  const kept = existingId ? await keptKeysWarning(db, existingId, parsed) : [];
  const problems = [...parsed.problems, ...kept];
  return {
    dryRun: true,
    framework: {
      name: parsed.name,
      version: parsed.version,
      source: parsed.source,
      oscalVersion: parsed.oscalVersion,
      existingFrameworkId: existingId,
    },
    counts: countsOf(parsed, { created, updated }),
    firstRequirements: parsed.requirements
      .slice(0, PREVIEW_ROW_COUNT)
      .map(({ oscal: _oscal, depth: _depth, ...row }) => row),
    problems,
    canImport: !hasErrors(problems),
  };
}

function countsOf(parsed: ParsedFramework, changes: { created: number; updated: number }): ImportCounts {
  const children = parsed.requirements.filter((requirement) => requirement.parentKey !== null).length;
  return {
    requirements: parsed.requirements.length,
    topLevel: parsed.requirements.length - children,
    children,
    groups: parsed.groups.length,
    params: parsed.requirements.reduce((sum, requirement) => sum + requirement.params.length, 0),
    created: changes.created,
    updated: changes.updated,
    unchanged: parsed.requirements.length - changes.created - changes.updated,
  };
}

async function keptKeysWarning(db: Queryable, frameworkId: string, parsed: ParsedFramework): Promise<ImportProblem[]> {
  const incoming = new Set(parsed.requirements.map((requirement) => requirement.key));
  const missing = [...(await listRequirementDigests(db, frameworkId)).keys()].filter((key) => !incoming.has(key));
  if (missing.length === 0) return [];
  const sample = missing.slice(0, 10).join(", ");
  const message = `${missing.length} stored requirements are not in this import and are kept (${sample}${missing.length > 10 ? ", …" : ""})`;
  return [{ severity: "warning", code: "requirements_kept", message, path: null, row: null, column: null }];
}

/** 422 listing every error: `profile_unsupported` when the profile uses what STATUS does not resolve. */
export function importRefused(problems: ImportProblem[]): AppError {
  const errors = problems.filter((problem) => problem.severity === "error");
  const isUnsupported = errors.some((problem) => problem.code === "unsupported");
  const issues = errors.map((problem) => ({ path: whereOf(problem), message: problem.message }));
  return isUnsupported
    ? new AppError(422, "profile_unsupported", "Unsupported profile", describeErrors(errors), issues)
    : new AppError(422, "import_invalid", "The import has errors", describeErrors(errors), issues);
}

function describeErrors(errors: ImportProblem[]): string {
  const first = errors[0]?.message ?? "";
  return errors.length === 1 ? first : `${errors.length} problems, the first: ${first}`;
}

/** A JSON path for OSCAL, `row N, column C` for sheets. */
export function whereOf(problem: ImportProblem): string {
  if (problem.path) return problem.path;
  if (problem.row === null) return "$";
  return problem.column ? `row ${problem.row}, column ${problem.column}` : `row ${problem.row}`;
}

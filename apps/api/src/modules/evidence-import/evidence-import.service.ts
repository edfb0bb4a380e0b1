import {
  MAX_PUSHED_EVIDENCES,
  type Control,
  type EvidenceImportResult,
  type ImportedControl,
  type PushedEvidence,
  type ScannerFormat,
  type ScannerResult,
} from "@status/shared";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { assertTokenPermits } from "../../domain/token-permits.ts";
import { AppError } from "../../errors.ts";
import { sha256Hex } from "../../lib/sha256.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { getControlsWithCatalogs, requireControl } from "../controls/index.ts";
import { submitEvidence } from "../evidence-push/index.ts";
import { findImportAnswer, saveImportAnswer } from "./evidence-imports.repository.ts";
import { listMappingRows } from "./evidence-mappings.repository.ts";
import { parseScannerFile } from "./parsers/index.ts";
import { createRuleMatcher } from "./rule-matching.ts";

export interface ImportRequest {
  format: ScannerFormat;
  /** The file as sent. */
  source: string;
  isDryRun: boolean;
}

/** Where results go: every result to one control, or each to the control the catalog's rules map it to. */
interface ImportTarget {
  key: string;
  controlOf: (ruleId: string) => string | undefined;
}

const EVIDENCE_RESULT = { pass: "pass", fail: "fail", error: "error", skip: "not_applicable" } as const;

/** One scanner result as the evidence of a push submission: the rule and resource its key, the rest its value. */
function toEvidence(result: ScannerResult): PushedEvidence {
  const key = result.resource ? `${result.ruleId} @ ${result.resource}` : result.ruleId;
  return {
    key: key.length > 500 ? `${key.slice(0, 499)}…` : key,
    value: {
      ruleId: result.ruleId,
      title: result.title,
      ...(result.resource ? { resource: result.resource } : {}),
      ...(result.message ? { message: result.message } : {}),
      ...result.details,
    },
    result: EVIDENCE_RESULT[result.result],
  };
}

function summarize(control: Control, results: ScannerResult[]): ImportedControl {
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const result of results) counts[result.result] += 1;
  const applicable = counts.pass + counts.fail + counts.error;
  return {
    controlId: control.id,
    controlName: control.name,
    isPush: control.kind === "push",
    counts,
    passRatio: applicable === 0 ? null : Math.round((counts.pass / applicable) * 100_000) / 1000,
    isAllPass: applicable > 0 && counts.pass === applicable,
    results,
  };
}

/** 422 before anything is stored: scanner results become evidence of push controls only. */
function assertAllPush(controls: ImportedControl[]): void {
  const others = controls.filter((control) => !control.isPush);
  if (others.length === 0) return;
  const names = others.map((control) => `"${control.controlName}"`).join(", ");
  throw new AppError(
    422,
    "import_target_not_push",
    "Not a push control",
    `Imported results are evidence of push controls only; ${names} ${others.length === 1 ? "gets its" : "get their"} evidence from a mashup`,
  );
}

function assertSubmittable(controls: ImportedControl[]): void {
  const tooMany = controls.find((control) => control.results.length > MAX_PUSHED_EVIDENCES);
  if (tooMany)
    throw new AppError(
      413,
      "import_too_large",
      "Scanner file too large",
      `"${tooMany.controlName}" would get ${tooMany.results.length} results; one submission takes at most ${MAX_PUSHED_EVIDENCES}`,
    );
}

/**
 * Reads a scanner file, groups its results by control and — unless it is a dry run — submits one push submission
 * per control through `submitEvidence` (the evidence path every pushed result takes), its source the scanner and the
 * file's digest. The same file to the same target answers the first import again (`duplicate`), stored nothing new.
 */
async function importFile(
  deps: AppDeps,
  actor: Actor,
  target: ImportTarget,
  request: ImportRequest,
): Promise<EvidenceImportResult> {
  const digest = sha256Hex(request.source);
  if (!request.isDryRun) {
    const first = await findImportAnswer(deps.db, target.key, digest);
    if (first)
      return {
        ...first,
        submissions: first.submissions.map((submission) => ({ ...submission, status: "duplicate" })),
      };
  }
  const report = parseScannerFile(request.format, request.source);
  const byControl = new Map<string, ScannerResult[]>();
  const unmapped = new Map<string, { ruleId: string; title: string; count: number }>();
  for (const result of report.results) {
    const controlId = target.controlOf(result.ruleId);
    if (controlId) byControl.set(controlId, [...(byControl.get(controlId) ?? []), result]);
    else {
      const entry = unmapped.get(result.ruleId) ?? { ruleId: result.ruleId, title: result.title, count: 0 };
      entry.count += 1;
      unmapped.set(result.ruleId, entry);
    }
  }
  const found = await getControlsWithCatalogs(deps.db, [...byControl.keys()]);
  const controls = [...byControl.entries()]
    .filter(([controlId]) => found.has(controlId))
    .map(([controlId, results]) => summarize(found.get(controlId)!.control, results))
    .sort((left, right) => left.controlName.localeCompare(right.controlName));
  const answer: EvidenceImportResult = {
    format: request.format,
    digest,
    tool: report.tool,
    resultCount: report.results.length,
    isDryRun: request.isDryRun,
    controls,
    unmapped: [...unmapped.values()].sort((left, right) => left.ruleId.localeCompare(right.ruleId)),
    submissions: [],
  };
  if (request.isDryRun) return answer;
  assertAllPush(controls);
  assertSubmittable(controls);
  for (const control of controls)
    assertTokenPermits(actor, "evidence:write", {
      controlId: control.controlId,
      catalogId: found.get(control.controlId)!.catalog.id,
    });
  const source = `${report.tool ?? request.format} (${request.format}) sha256:${digest}`;
  for (const control of controls) {
    const submitted = await submitEvidence(
      deps,
      actor,
      control.controlId,
      { evidences: control.results.map(toEvidence) },
      // Per control: a retry after a failure part-way submits the rest and answers the ones already stored.
      { idempotencyKey: `import:${digest}:${control.controlId}`, source },
    );
    answer.submissions.push({
      controlId: control.controlId,
      computationId: submitted.computationId,
      status: submitted.status,
      windowFrom: submitted.windowFrom,
      windowTo: submitted.windowTo,
    });
  }
  await saveImportAnswer(
    deps.db,
    { targetKey: target.key, digest, format: request.format, tool: report.tool, importedBy: actor.userId },
    answer,
  );
  return answer;
}

/** `POST /catalogs/:id/evidence/import`: each result to the control the catalog's mapping rules name. */
export async function importToCatalog(
  deps: AppDeps,
  actor: Actor,
  catalogId: string,
  request: ImportRequest,
): Promise<EvidenceImportResult> {
  await requireCatalog(deps.db, catalogId);
  const controlOf = createRuleMatcher(await listMappingRows(deps.db, catalogId), request.format);
  return importFile(deps, actor, { key: `catalog:${catalogId}`, controlOf }, request);
}

/** `POST /controls/:id/evidence/import`: every result of the file is evidence of this one control. */
export async function importToControl(
  deps: AppDeps,
  actor: Actor,
  controlId: string,
  request: ImportRequest,
): Promise<EvidenceImportResult> {
  await requireControl(deps.db, controlId);
  return importFile(deps, actor, { key: `control:${controlId}`, controlOf: () => controlId }, request);
}

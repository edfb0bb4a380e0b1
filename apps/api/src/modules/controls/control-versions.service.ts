import type {
  ControlVersion,
  ControlVersionChange,
  ControlVersionListQuery,
  NextControlVersion,
  NextControlVersionQuery,
  Page,
} from "@status/shared";
import type { Queryable } from "../../db/database.ts";
import type { AppDeps } from "../../deps.ts";
import type { Actor } from "../../domain/actor.ts";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { catalogCalendar } from "../../domain/windows.ts";
import { nextUnevaluatedWindowStart, versionSpans, type VersionSpan } from "../../domain/version-windows.ts";
import { AppError, NotFoundError } from "../../errors.ts";
import { recordAudit } from "../audit/index.ts";
import { requireCatalog } from "../catalogs/index.ts";
import { controlVersionDigest } from "./control-version-digest.ts";
import {
  countPointsPerVersion,
  findEvaluatedThrough,
  findHeadChanges,
  insertVersionFromHead,
  listSealedVersions,
  listVersionsOfControls,
  type ControlVersionRow,
} from "./control-versions.repository.ts";
import { findControl } from "./controls.repository.ts";

export type { ControlVersionRow };

const FIELD_LABELS = {
  period: "period",
  threshold: "threshold",
  mashupId: "mashup",
  params: "parameters",
  scopeSets: "scope sets",
} as const;

function listOfWords(words: string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** 422: a result-deciding change of a finalized control without a reason; the issue names the field to fill in. */
function reasonRequired(path: string, changed: string[], nextVersion: number): AppError {
  const what = listOfWords(changed);
  return new AppError(
    422,
    "reason_required",
    "A reason is required",
    `Changing the ${what} of a finalized control creates version ${nextVersion}; say why in ${path}`,
    [{ path, message: `Required: changing the ${what} creates version ${nextVersion} of the control` }],
  );
}

/** Where a change made now would take effect, from the control's evaluations so far. */
async function effectiveFromNow(
  tx: Queryable,
  input: { controlId: string; catalogId: string; period: ControlVersionRow["period"]; previous: string | null },
) {
  const [catalog, evaluatedThrough] = await Promise.all([
    requireCatalog(tx, input.catalogId),
    findEvaluatedThrough(tx, input.controlId),
  ]);
  const effectiveFrom = nextUnevaluatedWindowStart({
    period: input.period,
    evaluatedThrough,
    previousEffectiveFrom: input.previous,
    timeZone: catalogCalendar(catalog),
  });
  return { effectiveFrom, evaluatedThrough };
}

/**
 * After a change to a finalized control (its row or its scope sets, in the caller's transaction, with the control's
 * row locked): when a result-deciding field now differs from the current version, records the next version —
 * effective from the next window not yet evaluated — with the actor and the reason (422 `reason_required` without
 * one), and audits it. Nothing for a draft or a change that decides nothing.
 */
export async function recordVersionIfChanged(
  tx: Queryable,
  actor: Actor,
  input: { controlId: string; reason: string | undefined; reasonPath: string },
): Promise<ControlVersionRow | null> {
  const head = await findHeadChanges(tx, input.controlId);
  const changed = head
    ? (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((f) => head.changed[f])
    : [];
  if (!head || changed.length === 0) return null;
  const nextVersion = head.version + 1;
  if (!input.reason)
    throw reasonRequired(
      input.reasonPath,
      changed.map((field) => FIELD_LABELS[field]),
      nextVersion,
    );
  const control = (await findControl(tx, input.controlId))!;
  const [previous] = await listVersionsOfControls(tx, [input.controlId]).then((rows) =>
    rows.filter((row) => row.version === head.version),
  );
  const { effectiveFrom } = await effectiveFromNow(tx, {
    controlId: control.id,
    catalogId: control.catalogId,
    period: control.period,
    previous: previous?.effectiveFrom ?? null,
  });
  const version = await insertVersionFromHead(tx, {
    controlId: control.id,
    version: nextVersion,
    effectiveFrom,
    reason: input.reason,
    actor: { id: actor.userId, name: actor.username },
  });
  await recordAudit(tx, actor, {
    action: "create",
    resourceType: "control_version",
    resourceId: control.id,
    after: { ...version, changes: previous ? versionChanges(previous, version) : [] },
  });
  return version;
}

/** Field by field, what a version changed from the one before (parameters one by one, scope sets as a whole). */
export function versionChanges(before: ControlVersionRow, after: ControlVersionRow): ControlVersionChange[] {
  const changes: ControlVersionChange[] = [];
  if (before.period !== after.period) changes.push({ field: "period", before: before.period, after: after.period });
  if (Number(before.threshold) !== Number(after.threshold))
    changes.push({ field: "threshold", before: Number(before.threshold), after: Number(after.threshold) });
  if (before.mashupId !== after.mashupId)
    changes.push({ field: "mashupId", before: before.mashupId, after: after.mashupId });
  const names = [...new Set([...Object.keys(before.params), ...Object.keys(after.params)])].sort();
  for (const name of names) {
    const [was, is] = [before.params[name], after.params[name]];
    if (canonicalJson(was) === canonicalJson(is) && name in before.params === name in after.params) continue;
    changes.push({
      field: `params.${name}`,
      ...(name in before.params ? { before: was } : {}),
      ...(name in after.params ? { after: is } : {}),
    });
  }
  const setsOf = (version: ControlVersionRow) => version.scopeSets.map((set) => set.values);
  if (canonicalJson(setsOf(before)) !== canonicalJson(setsOf(after)))
    changes.push({ field: "scopeSets", before: setsOf(before), after: setsOf(after) });
  return changes;
}

/** `GET /controls/:id/versions`: a control's versions with who, when, why, where each applies and what it changed. */
export async function listControlVersions(
  deps: AppDeps,
  controlId: string,
  query: ControlVersionListQuery,
): Promise<Page<ControlVersion>> {
  if (!(await findControl(deps.db, controlId))) throw new NotFoundError("control", controlId);
  const [versions, pointCounts] = await Promise.all([
    listVersionsOfControls(deps.db, [controlId]),
    countPointsPerVersion(deps.db, controlId),
  ]);
  const spans = versionSpans(versions);
  const items = versions.map((version, index): ControlVersion => {
    const span = spans[index]!;
    return {
      ...version,
      threshold: Number(version.threshold),
      effectiveUntil: Number.isFinite(span.until) ? new Date(span.until).toISOString() : null,
      isSupersededBeforeEffect: span.until <= span.from,
      isCurrent: index === versions.length - 1,
      pointCount: pointCounts.get(version.version) ?? 0,
      changes: index === 0 ? [] : versionChanges(versions[index - 1]!, version),
    };
  });
  if (query.sort === "-version") items.reverse();
  const start = (query.page - 1) * query.pageSize;
  // A control has a handful of versions: they are read whole (each one's changes need the one before) and paged here.
  return {
    items: items.slice(start, start + query.pageSize),
    total: items.length,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** `GET /controls/:id/versions/next`: what a result-deciding change made now would create, and from which window. */
export async function previewNextVersion(
  deps: AppDeps,
  controlId: string,
  query: NextControlVersionQuery,
): Promise<NextControlVersion> {
  const control = await findControl(deps.db, controlId);
  if (!control) throw new NotFoundError("control", controlId);
  if (control.status !== "finalized" || control.version === null) {
    return {
      controlId,
      isVersioned: false,
      currentVersion: null,
      nextVersion: null,
      effectiveFrom: null,
      evaluatedThrough: null,
    };
  }
  const current = (await listVersionsOfControls(deps.db, [controlId])).find((row) => row.version === control.version);
  const { effectiveFrom, evaluatedThrough } = await effectiveFromNow(deps.db, {
    controlId,
    catalogId: control.catalogId,
    period: query.period ?? control.period,
    previous: current?.effectiveFrom ?? null,
  });
  return {
    controlId,
    isVersioned: true,
    currentVersion: control.version,
    nextVersion: control.version + 1,
    effectiveFrom,
    evaluatedThrough,
  };
}

/** The versions of each control, with the spans of time they decide, for planning and evaluating runs. */
export async function getVersionsOfControls(
  db: Queryable,
  controlIds: string[],
): Promise<Map<string, { versions: ControlVersionRow[]; spans: VersionSpan[] }>> {
  const rows = await listVersionsOfControls(db, controlIds);
  const byControl = new Map<string, ControlVersionRow[]>();
  for (const row of rows) byControl.set(row.controlId, [...(byControl.get(row.controlId) ?? []), row]);
  return new Map([...byControl].map(([id, versions]) => [id, { versions, spans: versionSpans(versions) }]));
}

/** A version of a control that decided windows of a period, with who made it, when, why and what it changed. */
export interface VersionInPeriod {
  version: number;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  createdAt: string;
  createdByName: string | null;
  reason: string;
  changes: ControlVersionChange[];
}

/**
 * Per control, the versions in force during [from, to): those whose span meets the period, leaving out a version
 * superseded before it took effect (it decided no window). A draft control has none.
 */
export async function listVersionsInPeriod(
  deps: { db: Queryable },
  input: { controlIds: string[]; from: string; to: string },
): Promise<Map<string, VersionInPeriod[]>> {
  const [from, to] = [Date.parse(input.from), Date.parse(input.to)];
  const history = new Map<string, VersionInPeriod[]>();
  for (const [controlId, { versions, spans }] of await getVersionsOfControls(deps.db, input.controlIds)) {
    const inPeriod = versions.flatMap((version, index): VersionInPeriod[] => {
      const span = spans[index]!;
      if (span.until <= span.from || span.until <= from || span.from >= to) return [];
      return [
        {
          version: version.version,
          effectiveFrom: version.effectiveFrom,
          effectiveUntil: Number.isFinite(span.until) ? new Date(span.until).toISOString() : null,
          createdAt: new Date(version.createdAt).toISOString(),
          createdByName: version.createdByName,
          reason: version.reason,
          changes: index === 0 ? [] : versionChanges(versions[index - 1]!, version),
        },
      ];
    });
    history.set(controlId, inPeriod);
  }
  return history;
}

/**
 * Checks a control's versions for the chain verifier: numbered 1…n without gaps, each still digesting to its sealed
 * digest and linked to the one before, and the control's row naming the last. Answers the first problem, if any.
 */
export async function checkControlVersions(
  deps: Pick<AppDeps, "db">,
  controlId: string,
): Promise<{ versionCount: number; problem: string | null; brokenVersion: number | null }> {
  const { versions, headVersion } = await listSealedVersions(deps.db, controlId);
  const broken = (version: number, problem: string) => ({
    versionCount: versions.length,
    problem,
    brokenVersion: version,
  });
  let previousDigest: string | null = null;
  for (const [index, version] of versions.entries()) {
    if (version.version !== index + 1)
      return broken(index + 1, `Control version ${index + 1} is missing from the version history`);
    if (version.prevDigest !== previousDigest)
      return broken(version.version, `Control version ${version.version} does not link to the version before it`);
    if (controlVersionDigest(version) !== version.digest)
      return broken(version.version, `Control version ${version.version} was changed after it was recorded`);
    previousDigest = version.digest;
  }
  if (headVersion !== (versions.at(-1)?.version ?? null))
    return broken(
      versions.length,
      `The control names version ${headVersion}, but its history ends at ${versions.length}`,
    );
  return { versionCount: versions.length, problem: null, brokenVersion: null };
}

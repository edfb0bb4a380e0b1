import type { ControlRequirementMapping } from "@status/shared";
import type { VersionInPeriod } from "../controls/index.ts";
import { uuidV5 } from "../../lib/uuid-v5.ts";
import type { AssessedControl, AssessedPoint } from "./assessments.repository.ts";
import type { PointException } from "./point-exceptions.ts";

/** Everything an auditors' export of one catalog and period is built from. */
export interface PeriodData {
  catalog: { id: string; name: string; description: string };
  from: string;
  to: string;
  controls: AssessedControl[];
  /** Empty in a pack, which reads and writes each control's points in turn (assessCatalogPeriodByControl). */
  points: AssessedPoint[];
  mappings: ControlRequirementMapping[];
  exceptions: Map<string, PointException[]>;
  /** Per control, the versions in force during the period (the report lists them). */
  versions: Map<string, VersionInPeriod[]>;
  generatedAt: string;
}

/** What a finding keeps of each of its points once the observations are written: the report's strip and the UUIDs. */
export type FindingPoint = Pick<AssessedPoint, "id" | "result" | "windowStart">;

/** One control and scope over the period: its finding. */
export interface FindingSummary {
  uuid: string;
  control: AssessedControl;
  scopeKey: string | null;
  scope: Record<string, unknown> | null;
  state: "satisfied" | "not-satisfied";
  /** Not satisfied and its newest point still fails: the finding needs action (a POA&M item). */
  isOpen: boolean;
  passCount: number;
  failCount: number;
  notApplicableCount: number;
  exceptedCount: number;
  /** The finding's points in window order (a pack keeps only their FindingPoint fields, see compactFinding). */
  points: FindingPoint[];
  exceptions: { pointId: string; exception: PointException }[];
  requirements: ControlRequirementMapping[];
}

const periodKeys = new WeakMap<object, string>();

/** The stable key every UUID of one period's export derives from (kept: every observation's UUID uses it). */
export function periodKey(data: Pick<PeriodData, "catalog" | "from" | "to">): string {
  const known = periodKeys.get(data);
  if (known !== undefined) return known;
  const key = `${data.catalog.id}|${new Date(data.from).toISOString()}|${new Date(data.to).toISOString()}`;
  periodKeys.set(data, key);
  return key;
}

/**
 * The findings of a period: one per control and scope that has points in it (a control without any gets one finding
 * without scope, not satisfied: nothing shows it held). A finding is satisfied when none of its points failed, or every
 * failure has an accepted exception.
 */
export function assessPeriod(data: PeriodData): FindingSummary[] {
  const pointsByControl = groupBy(data.points, (point) => point.controlId);
  const mappingsByControl = groupBy(data.mappings, (mapping) => mapping.controlId);
  return data.controls.flatMap((control) => {
    const requirements = mappingsByControl.get(control.id) ?? [];
    const byScope = groupBy(pointsByControl.get(control.id) ?? [], (point) => point.scopeKey);
    if (byScope.size === 0) return [summarize(data, control, null, [], requirements)];
    return [...byScope.entries()].map(([scopeKey, points]) => summarize(data, control, scopeKey, points, requirements));
  });
}

function summarize(
  data: PeriodData,
  control: AssessedControl,
  scopeKey: string | null,
  points: AssessedPoint[],
  requirements: ControlRequirementMapping[],
): FindingSummary {
  const exceptions = points.flatMap((point) =>
    point.result === "fail"
      ? (data.exceptions.get(point.id) ?? []).map((exception) => ({ pointId: point.id, exception }))
      : [],
  );
  const excepted = new Set(exceptions.map((entry) => entry.pointId));
  const failures = points.filter((point) => point.result === "fail" && !excepted.has(point.id));
  const newest = points.at(-1);
  const state = points.length > 0 && failures.length === 0 ? "satisfied" : "not-satisfied";
  return {
    uuid: uuidV5(`finding|${periodKey(data)}|${control.id}|${scopeKey ?? ""}`),
    control,
    scopeKey,
    scope: points[0]?.scope ?? null,
    state,
    isOpen:
      state === "not-satisfied" && (newest === undefined || (newest.result === "fail" && !excepted.has(newest.id))),
    passCount: points.filter((point) => point.result === "pass").length,
    failCount: failures.length,
    notApplicableCount: points.filter((point) => point.result === "not_applicable").length,
    exceptedCount: excepted.size,
    points,
    exceptions,
    requirements,
  };
}

/**
 * The finding without its points' other fields: a pack holds a year of findings, not a year of points. `windows` is
 * shared by the findings of one build: every point read from Postgres brings its own copy of its window's start and of
 * its result, and a year of them held until the report would be hundreds of thousands of duplicate strings.
 */
export function compactFinding(
  finding: FindingSummary,
  windows: Map<string, string> = new Map<string, string>(),
): FindingSummary {
  return {
    ...finding,
    points: finding.points.map(({ id, result, windowStart }) => {
      const known = windows.get(windowStart);
      if (known === undefined) windows.set(windowStart, windowStart);
      return { id, result: RESULTS[result], windowStart: known ?? windowStart };
    }),
  };
}

/** The results as literals, held once however many points carry them. */
const RESULTS = { pass: "pass", fail: "fail", not_applicable: "not_applicable" } as const;

/** The share of a finding's applicable points that passed (excepted failures count as passed), or null. */
export function complianceOf(
  finding: Pick<FindingSummary, "passCount" | "failCount" | "exceptedCount">,
): number | null {
  const applicable = finding.passCount + finding.failCount + finding.exceptedCount;
  if (applicable === 0) return null;
  return Math.round(((finding.passCount + finding.exceptedCount) / applicable) * 1000) / 10;
}

function groupBy<Item>(items: readonly Item[], keyOf: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

import type { ControlRequirementMapping } from "@status/shared";
import { uuidV5 } from "../../lib/uuid-v5.ts";
import type { AssessedPoint } from "./assessments.repository.ts";
import { complianceOf, periodKey, type FindingSummary, type PeriodData } from "./period-assessment.ts";

/** The OSCAL version every export is written in (and validated against: the vendored 1.2.1 schemas). */
export const OSCAL_VERSION = "1.2.1";
/** STATUS's namespace for the `props` OSCAL has no field for. */
export const STATUS_OSCAL_NS = "https://status-compliance.org/ns/oscal";

type Json = Record<string, unknown>;

/** An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`) from any key: other characters become `_`. */
export function oscalToken(key: string): string {
  const cleaned = key.replace(/[^\p{L}\p{N}._-]/gu, "_");
  return /^[\p{L}_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** The token a STATUS control is named by where no framework requirement stands for it. */
export function controlToken(controlId: string): string {
  return `status-control-${controlId}`;
}

function prop(name: string, value: string | number | null | undefined): Json[] {
  const text = value === null || value === undefined ? "" : String(value).trim().replace(/\s+/g, " ");
  return text === "" ? [] : [{ name, ns: STATUS_OSCAL_NS, value: text }];
}

/** `{ props }` when there are any: OSCAL refuses an empty `props` array. */
function props(entries: Json[]): { props?: Json[] } {
  return entries.length > 0 ? { props: entries } : {};
}

function metadata(data: PeriodData, title: string): Json {
  return {
    title,
    "last-modified": data.generatedAt,
    version: `${isoDay(data.from)}..${isoDay(data.to)}`,
    "oscal-version": OSCAL_VERSION,
    props: [...prop("catalog-id", data.catalog.id), ...prop("catalog-name", data.catalog.name)],
  };
}

/** The controls a period reviews: the framework requirements mapped to the catalog's controls, else the controls. */
function reviewedControls(data: PeriodData): Json {
  const ids = new Set<string>();
  const mapped = new Set(data.mappings.map((mapping) => mapping.controlId));
  for (const mapping of data.mappings) ids.add(requirementToken(mapping));
  for (const control of data.controls) if (!mapped.has(control.id)) ids.add(controlToken(control.id));
  const selection =
    ids.size === 0 ? { "include-all": {} } : { "include-controls": [...ids].map((id) => ({ "control-id": id })) };
  return {
    description: `The controls of catalog ${data.catalog.name}, named by the framework requirements they are mapped to.`,
    "control-selections": [selection],
  };
}

function requirementToken(mapping: ControlRequirementMapping): string {
  return oscalToken(mapping.requirementKey);
}

/** `{ "assessment-results": … }` of a period: one result, a finding per control and scope, an observation per point. */
export function buildAssessmentResults(
  data: PeriodData,
  findings: FindingSummary[],
  input: { planHref: string },
): Json {
  const document = resultsSkeleton(data, findings, input);
  const result = (document["assessment-results"] as { results: Json[] }).results[0]!;
  const pointsById = new Map(data.points.map((point) => [point.id, point]));
  const observations = findings.flatMap((finding) =>
    finding.points.map((point) => observation(data, finding, pointsById.get(point.id)!)),
  );
  if (observations.length > 0) result.observations = observations;
  if (findings.length > 0) result.findings = findings.map((finding) => findingOf(data, finding));
  return document;
}

const OBSERVATIONS_MARK = "\u0000observations\u0000";
const FINDINGS_MARK = "\u0000findings\u0000";

/**
 * Writes the same document as buildAssessmentResults, compact, one observation and one finding at a time: a pack of a
 * year of many controls has hundreds of thousands of observations, never built as one object or one string. The
 * observations were written already, control by control (observationJson, joined by commas), and `writeObservations`
 * copies them in.
 */
export async function writeAssessmentResults(
  data: PeriodData,
  findings: FindingSummary[],
  input: { planHref: string; write: (text: string) => Promise<void>; writeObservations: () => Promise<void> },
): Promise<void> {
  const document = resultsSkeleton(data, findings, input);
  if (findings.length === 0) return input.write(JSON.stringify(document));
  const result = (document["assessment-results"] as { results: Json[] }).results[0]!;
  const hasObservations = findings.some((finding) => finding.points.length > 0);
  if (hasObservations) result.observations = [OBSERVATIONS_MARK];
  result.findings = [FINDINGS_MARK];
  const [beforeFindings, tail] = JSON.stringify(document).split(JSON.stringify(FINDINGS_MARK)) as [string, string];
  if (hasObservations) {
    const [head, middle] = beforeFindings.split(JSON.stringify(OBSERVATIONS_MARK)) as [string, string];
    await input.write(head);
    await input.writeObservations();
    await input.write(middle);
  } else await input.write(beforeFindings);
  for (const [index, finding] of findings.entries())
    await input.write(`${index === 0 ? "" : ","}${JSON.stringify(findingOf(data, finding))}`);
  await input.write(tail);
}

/** One observation of the results as compact JSON: what writeAssessmentResults' observations are made of. */
export function observationJson(data: PeriodData, finding: FindingSummary, point: AssessedPoint): string {
  return JSON.stringify(observation(data, finding, point));
}

function resultsSkeleton(data: PeriodData, findings: FindingSummary[], input: { planHref: string }): Json {
  const key = periodKey(data);
  const result: Json = {
    uuid: uuidV5(`result|${key}`),
    title: `Continuous monitoring of ${data.catalog.name}`,
    description: `Every evaluation STATUS recorded for catalog ${data.catalog.name} in windows starting from ${data.from} until ${data.to}.`,
    start: new Date(data.from).toISOString(),
    end: new Date(data.to).toISOString(),
    ...props(prop("overall-compliance", overallCompliance(findings))),
    "reviewed-controls": reviewedControls(data),
  };
  return {
    "assessment-results": {
      uuid: uuidV5(`assessment-results|${key}`),
      metadata: metadata(data, `Assessment results: ${data.catalog.name}, ${isoDay(data.from)} to ${isoDay(data.to)}`),
      "import-ap": {
        href: input.planHref,
        remarks:
          "The minimal assessment plan STATUS exports beside these results: the catalog's controls, tested continuously.",
      },
      results: [result],
    },
  };
}

/** The compliance over every finding's applicable points, as a percentage with one decimal, or null. */
export function overallCompliance(findings: readonly FindingSummary[]): number | null {
  return complianceOf({
    passCount: findings.reduce((sum, finding) => sum + finding.passCount, 0),
    failCount: findings.reduce((sum, finding) => sum + finding.failCount, 0),
    exceptedCount: findings.reduce((sum, finding) => sum + finding.exceptedCount, 0),
  });
}

function observationUuid(data: PeriodData, point: Pick<AssessedPoint, "id">): string {
  return uuidV5(`observation|${periodKey(data)}|${point.id}`);
}

function observation(data: PeriodData, finding: FindingSummary, point: AssessedPoint): Json {
  const window = `${point.windowStart} to ${point.windowEnd}`;
  const value = point.value === null ? "no applicable evidence" : `${point.value}%`;
  const entry: Json = {
    uuid: observationUuid(data, point),
    title: `${finding.control.name}${scopeSuffix(finding)}, ${isoDay(point.windowStart)}`,
    description: `Window ${window}: ${value} against a threshold of ${point.threshold}%, ${point.result}.`,
    props: [
      ...prop("point-id", point.id),
      ...prop("point-hash", point.hash),
      ...prop("result", point.result),
      ...prop("value", point.value),
      ...prop("computation-id", point.computationId),
      ...prop("source", point.source),
    ],
    methods: ["TEST"],
    types: ["control-objective"],
    collected: point.collectedAt,
  };
  if (point.evidenceDigest) {
    entry["relevant-evidence"] = [
      {
        href: `urn:status:evidence:sha256:${point.evidenceDigest}`,
        description: `The evidences of computation ${point.computationId ?? "(none)"}; SHA-256 of their canonical JSON, covered by the point's chain hash.`,
        ...props(prop("evidence-digest", point.evidenceDigest)),
      },
    ];
  }
  return entry;
}

function findingOf(data: PeriodData, finding: FindingSummary): Json {
  const compliance = complianceOf(finding);
  const entry: Json = {
    uuid: finding.uuid,
    title: `${finding.control.name}${scopeSuffix(finding)}`,
    description: findingDescription(finding),
    props: [
      ...prop("control-id", finding.control.id),
      ...prop("scope", finding.scopeKey),
      ...prop("compliance", compliance),
      ...prop("passed-windows", finding.passCount),
      ...prop("failed-windows", finding.failCount),
      ...prop("not-applicable-windows", finding.notApplicableCount),
      ...prop("excepted-windows", finding.exceptedCount),
      ...finding.requirements.flatMap((mapping) =>
        prop("requirement", `${mapping.frameworkName} ${mapping.frameworkVersion} ${mapping.requirementKey}`),
      ),
      ...finding.exceptions.flatMap(({ pointId, exception }) =>
        prop("exception", `point ${pointId}: ${exception.justification}`),
      ),
    ],
    target: {
      type: "statement-id",
      "target-id": controlToken(finding.control.id),
      title: finding.control.name,
      status: { state: finding.state },
    },
  };
  if (finding.points.length > 0)
    entry["related-observations"] = finding.points.map((point) => ({
      "observation-uuid": observationUuid(data, point),
    }));
  return entry;
}

function findingDescription(finding: FindingSummary): string {
  if (finding.points.length === 0) return "No evaluation of this control was recorded in the period.";
  const parts = [`${finding.passCount} window(s) passed`, `${finding.failCount} failed`];
  if (finding.exceptedCount > 0) parts.push(`${finding.exceptedCount} failed under an accepted exception`);
  if (finding.notApplicableCount > 0) parts.push(`${finding.notApplicableCount} had no applicable evidence`);
  return `${parts.join(", ")}.`;
}

function scopeSuffix(finding: Pick<FindingSummary, "scopeKey">): string {
  return finding.scopeKey ? ` (${finding.scopeKey})` : "";
}

function isoDay(instant: string | Date): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** `{ "assessment-plan": … }`: the minimal plan the results import — the catalog's controls, tested by STATUS. */
export function buildAssessmentPlan(data: PeriodData): Json {
  return {
    "assessment-plan": {
      uuid: uuidV5(`assessment-plan|${periodKey(data)}`),
      metadata: metadata(data, `Assessment plan: ${data.catalog.name}, ${isoDay(data.from)} to ${isoDay(data.to)}`),
      "import-ssp": { href: `urn:status:catalog:${data.catalog.id}` },
      "reviewed-controls": reviewedControls(data),
      "terms-and-conditions": {
        parts: [
          {
            name: "method",
            title: "Continuous testing",
            prose:
              "Each control is evaluated automatically for every window of its period; each evaluation is a TEST observation whose point is chained by hash.",
          },
        ],
      },
    },
  };
}

/** `{ "plan-of-action-and-milestones": … }`: the open not-satisfied findings of a period, one item each. */
export function buildPoam(data: PeriodData, findings: FindingSummary[]): Json {
  const open = findings.filter((finding) => finding.isOpen);
  return {
    "plan-of-action-and-milestones": {
      uuid: uuidV5(`poam|${periodKey(data)}`),
      metadata: metadata(
        data,
        `Plan of action and milestones: ${data.catalog.name}, ${isoDay(data.from)} to ${isoDay(data.to)}`,
      ),
      "import-ssp": { href: `urn:status:catalog:${data.catalog.id}` },
      ...(open.length > 0 ? { findings: open.map((finding) => withoutObservations(findingOf(data, finding))) } : {}),
      "poam-items": open.map((finding) => ({
        uuid: uuidV5(`poam-item|${finding.uuid}`),
        title: `Remediate ${finding.control.name}${scopeSuffix(finding)}`,
        description: `The control is not satisfied and its latest window still fails: ${findingDescription(finding)}`,
        ...props([...prop("control-id", finding.control.id), ...prop("scope", finding.scopeKey)]),
        "related-findings": [{ "finding-uuid": finding.uuid }],
      })),
    },
  };
}

function withoutObservations(finding: Json): Json {
  const { "related-observations": _related, ...rest } = finding;
  return rest;
}

import { describe, expect, it } from "vitest";
import type { AssessedControl, AssessedPoint } from "./assessments.repository.ts";
import { buildAssessmentResults, observationJson, oscalToken, writeAssessmentResults } from "./oscal-documents.ts";
import { assessPeriod, compactFinding, type PeriodData } from "./period-assessment.ts";

const control = (id: string, name: string): AssessedControl => ({
  id,
  name,
  description: "",
  threshold: 80,
  version: 1,
  archivedAt: null,
});

const point = (id: string, controlId: string, result: AssessedPoint["result"], day: number): AssessedPoint => ({
  id,
  controlId,
  scopeKey: "",
  scope: {},
  windowStart: `2026-01-0${day}T00:00:00.000Z`,
  windowEnd: `2026-01-0${day + 1}T00:00:00.000Z`,
  value: result === "pass" ? "100.000" : "10.000",
  threshold: "80.00",
  result,
  computationId: null,
  evidenceDigest: "ab".repeat(32),
  hash: "cd".repeat(32),
  source: "engine",
  collectedAt: `2026-01-0${day + 1}T00:01:00.000Z`,
});

function period(points: AssessedPoint[]): PeriodData {
  return {
    catalog: { id: "11111111-1111-4111-8111-111111111111", name: "Catalog", description: "" },
    from: "2026-01-01T00:00:00.000Z",
    to: "2026-01-08T00:00:00.000Z",
    controls: [control("c1", "Passing"), control("c2", "Failing"), control("c3", "Silent")],
    points,
    mappings: [],
    exceptions: new Map(),
    versions: new Map(),
    generatedAt: "2026-02-01T00:00:00.000Z",
  };
}

/** As a pack writes the results: observations first (as each control is read), then around them compact findings. */
async function written(data: PeriodData): Promise<unknown> {
  const findings = assessPeriod(data);
  const observations = findings.flatMap((finding) =>
    finding.points.map((point) => observationJson(data, finding, point as AssessedPoint)),
  );
  let text = "";
  const compact = findings.map((finding) => compactFinding(finding));
  await writeAssessmentResults(data, compact, {
    planHref: "plan.json",
    write: async (chunk) => {
      text += chunk;
    },
    writeObservations: async () => {
      text += observations.join(",");
    },
  });
  return JSON.parse(text);
}

describe("assessment results written piece by piece", () => {
  it("equal the document built whole, with observations and findings", async () => {
    const data = period([point("p1", "c1", "pass", 1), point("p2", "c2", "fail", 1), point("p3", "c2", "pass", 2)]);
    expect(await written(data)).toEqual(buildAssessmentResults(data, assessPeriod(data), { planHref: "plan.json" }));
  });

  it("equal the document built whole without any point", async () => {
    const data = period([]);
    expect(await written(data)).toEqual(buildAssessmentResults(data, assessPeriod(data), { planHref: "plan.json" }));
  });

  it("counts a control without points as not satisfied and an excepted failure as satisfied", () => {
    const data = period([point("p2", "c2", "fail", 1)]);
    data.exceptions.set("p2", [{ id: "e1", justification: "Maintenance window", approvedBy: null, approvedAt: "x" }]);
    const states = assessPeriod(data).map((finding) => [finding.control.name, finding.state]);
    expect(states).toEqual([
      ["Passing", "not-satisfied"],
      ["Failing", "satisfied"],
      ["Silent", "not-satisfied"],
    ]);
  });
});

describe("oscalToken", () => {
  it("keeps tokens and repairs other keys", () => {
    expect(oscalToken("CC6.1")).toBe("CC6.1");
    expect(oscalToken("5.1")).toBe("_5.1");
    expect(oscalToken("A 5/1")).toBe("A_5_1");
  });
});

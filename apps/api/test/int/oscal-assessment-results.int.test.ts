import { extractText } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportAssessmentResults, streamAssessmentResults } from "../../src/modules/assessments/index.ts";
import { validateOscal } from "../../src/modules/frameworks/index.ts";
import { createAuditedCatalog, type AuditedCatalog } from "../auditor-fixtures.ts";
import { startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** OSCAL exports of a catalog's period: valid against the official 1.2.1 schemas, deterministic, and complete. */
describe("OSCAL assessment results, plan and POA&M", () => {
  let app: TestApp;
  let reader: TestUser;
  let audited: AuditedCatalog;
  let period: string;
  let developer: TestUser;

  async function exported(kind: string, query = period) {
    const response = await request(app, "GET", `/api/v1/catalogs/${audited.catalog.id}/oscal/${kind}?${query}`, {
      token: reader.token,
    });
    expect(response.status, response.text).toBe(200);
    return response.body as Record<string, any>;
  }

  beforeAll(async () => {
    app = await startTestApp({ engine: { isWorker: true, isScheduler: false } });
    developer = await signInAs(app, "DEVELOPER");
    reader = await signInAs(app, "USER");
    audited = await createAuditedCatalog(app, developer.token);
    period = new URLSearchParams({ from: audited.from, to: audited.to }).toString();
  });
  afterAll(() => app?.close());

  it("exports assessment results valid against the OSCAL 1.2.1 schema with 0 errors", async () => {
    const document = await exported("assessment-results");
    expect(validateOscal("assessment-results", document)).toEqual([]);
    expect(document["assessment-results"].metadata["oscal-version"]).toBe("1.2.1");
  });

  it("gives one finding per control and scope with its state, and one TEST observation per point", async () => {
    const [result] = (await exported("assessment-results"))["assessment-results"].results;
    const findings = result.findings as any[];
    expect(findings).toHaveLength(3);
    const passing = findings.filter(
      (finding) => finding.target["target-id"] === `status-control-${audited.passing.id}`,
    );
    const failing = findings.filter(
      (finding) => finding.target["target-id"] === `status-control-${audited.failing.id}`,
    );
    expect(passing.map((finding) => finding.target.status.state)).toEqual(["satisfied"]);
    expect(failing.map((finding) => finding.target.status.state)).toEqual(["not-satisfied", "not-satisfied"]);
    const { rows } = await app.deps.db.query<{ id: string; hash: string; evidenceDigest: string }>(
      `select id, hash, evidence_digest as "evidenceDigest" from points where catalog_id = $1`,
      [audited.catalog.id],
    );
    expect(rows).toHaveLength(9);
    const observations = result.observations as any[];
    expect(observations).toHaveLength(9);
    for (const observation of observations) {
      expect(observation.methods).toEqual(["TEST"]);
      const pointId = observation.props.find((prop: any) => prop.name === "point-id").value;
      const point = rows.find((row) => row.id === pointId)!;
      expect(observation["relevant-evidence"][0].href).toBe(`urn:status:evidence:sha256:${point.evidenceDigest}`);
    }
    const observationIds = new Set(observations.map((observation) => observation.uuid));
    for (const finding of findings)
      for (const related of finding["related-observations"])
        expect(observationIds.has(related["observation-uuid"])).toBe(true);
  });

  it("reviews the mapped framework requirement for a mapped control and the control itself otherwise", async () => {
    const [result] = (await exported("assessment-results"))["assessment-results"].results;
    const ids = result["reviewed-controls"]["control-selections"][0]["include-controls"].map(
      (entry: any) => entry["control-id"],
    );
    expect(ids).toEqual(["CC6.1", `status-control-${audited.failing.id}`]);
  });

  it("exports the same document twice apart from last-modified", async () => {
    const first = await exported("assessment-results");
    const second = await exported("assessment-results");
    delete first["assessment-results"].metadata["last-modified"];
    delete second["assessment-results"].metadata["last-modified"];
    expect(second).toEqual(first);
  });

  it("streams the results from one snapshot, byte for byte the document built whole", async () => {
    const deps = { ...app.deps, now: () => new Date("2026-01-01T00:00:00.000Z") };
    const nextDay = new Date(Date.parse(audited.to) + 86_400_000).toISOString();
    const input = { catalogId: audited.catalog.id, period: { from: audited.from, to: nextDay } };
    const whole = JSON.stringify(await exportAssessmentResults(deps, input));
    const observationsOf = (document: string) =>
      (JSON.parse(document) as Record<string, any>)["assessment-results"].results[0].observations.length as number;

    // Between the two passes a point of the period is appended: it must be in neither.
    const chunks: string[] = [];
    await streamAssessmentResults(deps, {
      ...input,
      onReady: () => undefined,
      write: async (text) => {
        if (chunks.length === 0) {
          const runs = await startRuns(app, developer.token, audited.passing.id, { from: audited.to, to: nextDay });
          await waitForBatch(app, developer.token, runs.batch.id);
        }
        chunks.push(text);
      },
    });

    expect(chunks.join("")).toBe(whole);
    expect(observationsOf(JSON.stringify(await exportAssessmentResults(deps, input)))).toBe(observationsOf(whole) + 1);
  });

  it("answers a missing catalog's results as a problem, before any byte of a document", async () => {
    const response = await request(
      app,
      "GET",
      `/api/v1/catalogs/00000000-0000-4000-8000-000000000000/oscal/assessment-results?${period}`,
      { token: reader.token },
    );
    expectProblem(response, 404, "not_found");
  });

  it("serves the assessment plan its import-ap points at, naming the same period", async () => {
    const results = (await exported("assessment-results"))["assessment-results"];
    const href = results["import-ap"].href as string;
    const response = await request(app, "GET", href, { token: reader.token });
    expect(response.status).toBe(200);
    const plan = response.body["assessment-plan"];
    expect(plan.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan["reviewed-controls"]).toEqual(results.results[0]["reviewed-controls"]);
    expect(plan["import-ssp"].href).toBe(`urn:status:catalog:${audited.catalog.id}`);
  });

  it("lists the open not-satisfied findings in a POA&M valid against the OSCAL 1.2.1 schema", async () => {
    const poam = await exported("poam");
    expect(validateOscal("poam", poam)).toEqual([]);
    const items = poam["plan-of-action-and-milestones"]["poam-items"] as any[];
    expect(items).toHaveLength(2);
    const results = (await exported("assessment-results"))["assessment-results"].results[0];
    const notSatisfied = results.findings.filter((finding: any) => finding.target.status.state === "not-satisfied");
    expect(items.map((item) => item["related-findings"][0]["finding-uuid"]).sort()).toEqual(
      notSatisfied.map((finding: any) => finding.uuid).sort(),
    );
  });

  it("answers a period without points with one not-satisfied finding per control, still schema-valid", async () => {
    const query = new URLSearchParams({ from: "2020-01-01T00:00:00Z", to: "2020-02-01T00:00:00Z" }).toString();
    const document = await exported("assessment-results", query);
    expect(validateOscal("assessment-results", document)).toEqual([]);
    const [result] = document["assessment-results"].results;
    expect(result.findings.map((finding: any) => finding.target.status.state)).toEqual([
      "not-satisfied",
      "not-satisfied",
    ]);
    expect(result.observations).toBeUndefined();
  });

  it("renders the period report as a PDF naming the catalog and its controls, and as HTML", async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/catalogs/${audited.catalog.id}/report?${period}&format=pdf`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const { text } = await extractText(new Uint8Array(await response.arrayBuffer()), { mergePages: true });
    expect(text).toContain(audited.catalog.name);
    expect(text).toContain(audited.failing.name);
    expect(text).toContain("Appendix: chain verification");
    const html = await request(app, "GET", `/api/v1/catalogs/${audited.catalog.id}/report?${period}&format=html`, {
      token: reader.token,
    });
    expect(html.status).toBe(200);
    expect(html.text).toContain(audited.passing.name);
    expect(html.text).toContain("intact");
    const missing = await request(
      app,
      "GET",
      `/api/v1/catalogs/00000000-0000-4000-8000-000000000000/report?${period}`,
      {
        token: reader.token,
      },
    );
    expectProblem(missing, 404, "not_found");
  });

  it("refuses a period that ends before it starts, and an unknown catalog", async () => {
    const backwards = await request(
      app,
      "GET",
      `/api/v1/catalogs/${audited.catalog.id}/oscal/assessment-results?from=${audited.to}&to=${audited.from}`,
      { token: reader.token },
    );
    expectProblem(backwards, 400, "validation_failed");
    const missing = await request(
      app,
      "GET",
      `/api/v1/catalogs/00000000-0000-4000-8000-000000000000/oscal/poam?${period}`,
      { token: reader.token },
    );
    expectProblem(missing, 404, "not_found");
  });
  it("records an accepted exception of a failing point in the finding's props (the point stays a failure)", async () => {
    const { rows } = await app.deps.db.query<{ id: string }>(
      "select id from points where control_id = $1 and result = 'fail' order by window_start limit 1",
      [audited.failing.id],
    );
    const pointId = rows[0]!.id;
    const recorded = await request(app, "POST", `/api/v1/controls/${audited.failing.id}/exceptions`, {
      token: developer.token,
      body: {
        pointId,
        justification: "Backups paused for the datacenter move",
        approverId: developer.id,
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    });
    expect(recorded.status, recorded.text).toBe(201);
    const document = await exported("assessment-results");
    expect(validateOscal("assessment-results", document)).toEqual([]);
    const findings = document["assessment-results"].results[0].findings as any[];
    const props = findings.flatMap((finding) => (finding.props ?? []) as { name: string; value: string }[]);
    expect(props).toContainEqual(
      expect.objectContaining({
        name: "exception",
        value: `point ${pointId}: Backups paused for the datacenter move`,
      }),
    );
    const failing = findings.filter(
      (finding) => finding.target["target-id"] === `status-control-${audited.failing.id}`,
    );
    expect(failing.map((finding) => finding.target.status.state)).toEqual(["not-satisfied", "not-satisfied"]);
  });

  it("lists each control's versions in force during the period (number, when, who, why, what changed) in the PDF and the HTML", async () => {
    const changed = await request(app, "PATCH", `/api/v1/controls/${audited.passing.id}`, {
      token: developer.token,
      body: { threshold: 90, reason: "Raised for the audit" },
    });
    expect(changed.status, changed.text).toBe(200);
    const report = async (query: string, format: "pdf" | "html") => {
      const response = await fetch(
        `${app.baseUrl}/api/v1/catalogs/${audited.catalog.id}/report?${query}&format=${format}`,
        { headers: { authorization: `Bearer ${reader.token}` } },
      );
      expect(response.status).toBe(200);
      if (format === "html") return response.text();
      return (await extractText(new Uint8Array(await response.arrayBuffer()), { mergePages: true })).text;
    };
    // Version 2 decides the windows from the next one not evaluated yet: the day after the period.
    const through = new URLSearchParams({
      from: audited.from,
      to: new Date(Date.parse(audited.to) + 2 * 86_400_000).toISOString(),
    }).toString();
    for (const format of ["pdf", "html"] as const) {
      const text = (await report(through, format)).replace(/\s+/g, " ");
      expect(text).toContain("Version history in the period");
      expect(text).toMatch(/Version 1, in force from [^;]*until \d{4}-\d{2}-\d{2}; recorded [\d-]+ [\d:]+ UTC by /);
      expect(text).toContain(
        `by ${developer.username}: Raised for the audit. Changed: threshold 80 -${format === "html" ? "&#62;" : ">"} 90.`,
      );
      const before = await report(period, format);
      expect(before).toContain("Version 1");
      expect(before).not.toContain("Raised for the audit");
    }
  });
});

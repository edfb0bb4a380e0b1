import { readFileSync } from "node:fs";
import type { Catalog, Control, ScannerFormat } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/scanners/${name}`, import.meta.url), "utf8");

const CONTENT_TYPE: Record<ScannerFormat, string> = {
  ocsf: "application/json",
  junit: "application/xml",
  policyreport: "application/yaml",
  sarif: "application/sarif+json",
};

const IMPORT_LIMIT = 32 * 1024;

describe("scanner results imported as evidence", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { EVIDENCE_IMPORT_MAX_BYTES: String(IMPORT_LIMIT) } });
    app.setNow(new Date("2026-11-06T12:00:00Z"));
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  /** A finalized catalog with two push controls (identity, storage) and a mashup control. */
  async function scannerCatalog(): Promise<{ catalog: Catalog; identity: Control; storage: Control; mashup: Control }> {
    const draft = await createCatalogVia(app, developer.token, { startDate: "2026-11-01T00:00:00Z" });
    const push = (name: string) =>
      createControlVia(app, developer.token, draft.id, {
        name: `${name} ${draft.id.slice(0, 6)}`,
        kind: "push",
        mashupId: null,
        period: "DAILY",
        threshold: 50,
      });
    const identity = await push("Identity");
    const storage = await push("Storage");
    const mashup = await createControlVia(app, developer.token, draft.id, { mashupId: "test-pass", period: "DAILY" });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status).toBe(200);
    return { catalog: finalized.body, identity, storage, mashup };
  }

  async function map(catalogId: string, pattern: string, controlId: string, format: ScannerFormat | null = null) {
    const response = await request(app, "POST", `/api/v1/catalogs/${catalogId}/evidence-mappings`, {
      token: developer.token,
      body: { pattern, controlId, format },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }

  function importFile(
    path: string,
    format: ScannerFormat,
    file: string,
    options: { dryRun?: boolean; contentType?: string; token?: string } = {},
  ) {
    return request(app, "POST", `${path}?format=${format}&dryRun=${options.dryRun ? "true" : "false"}`, {
      token: options.token ?? developer.token,
      rawBody: file,
      headers: { "content-type": options.contentType ?? CONTENT_TYPE[format] },
    });
  }

  async function evidencesOf(computationId: string) {
    const detail = await request(app, "GET", `/api/v1/computations/${computationId}`, { token: developer.token });
    expect(detail.status).toBe(200);
    return detail.body;
  }

  async function computationCount(controlId: string): Promise<number> {
    const page = await request(app, "GET", `/api/v1/controls/${controlId}/computations`, { token: developer.token });
    return page.body.total;
  }

  /**
   * Each format end to end: a dry run previews the mapping (nothing stored), the import stores one submission per
   * control with one evidence per result, and the same file again stores nothing new.
   */
  const cases: {
    format: ScannerFormat;
    file: string;
    rules: (ids: { identity: string; storage: string }) => [string, string, ScannerFormat | null][];
    identity: { pass: number; fail: number; skip: number; error: number };
    storage: { pass: number; fail: number; skip: number; error: number };
    unmapped: string[];
    sampleKey: string;
  }[] = [
    {
      format: "ocsf",
      file: "prowler-ocsf.json",
      rules: ({ identity, storage }) => [
        ["iam_*", identity, null],
        ["s3_bucket_default_encryption", storage, "ocsf"],
      ],
      identity: { pass: 1, fail: 0, skip: 0, error: 0 },
      storage: { pass: 1, fail: 1, skip: 0, error: 0 },
      unmapped: ["account_security_contact_information_is_registered"],
      sampleKey: "s3_bucket_default_encryption @ arn:aws:s3:::example-logs",
    },
    {
      format: "junit",
      file: "junit.xml",
      rules: ({ identity, storage }) => [
        ["repo.settings.*", identity, "junit"],
        ["ci.pipeline.dependency_audit", storage, null],
        ["ci.pipeline.container_signing", storage, null],
      ],
      identity: { pass: 2, fail: 1, skip: 0, error: 0 },
      storage: { pass: 0, fail: 0, skip: 1, error: 1 },
      unmapped: [],
      sampleKey: "repo.settings.branch_protection_enabled @ checks/repo_settings.py",
    },
    {
      format: "policyreport",
      file: "kyverno-policyreport.yaml",
      rules: ({ identity, storage }) => [
        ["require-labels/*", identity, null],
        ["disallow-*", storage, "policyreport"],
      ],
      identity: { pass: 1, fail: 0, skip: 0, error: 0 },
      storage: { pass: 0, fail: 2, skip: 1, error: 0 },
      unmapped: [],
      sampleKey: "disallow-latest-tag/require-image-tag @ Pod default/debug-shell",
    },
    {
      format: "sarif",
      file: "sarif.json",
      rules: ({ identity, storage }) => [
        ["EX001", identity, "sarif"],
        ["EX00?", storage, null],
      ],
      identity: { pass: 0, fail: 1, skip: 0, error: 0 },
      storage: { pass: 1, fail: 0, skip: 1, error: 1 },
      unmapped: [],
      sampleKey: "EX001 @ config/deploy.pem:1",
    },
  ];

  for (const scenario of cases) {
    it(`imports ${scenario.format}: preview, one submission per control, idempotent on the file`, async () => {
      const { catalog, identity, storage } = await scannerCatalog();
      for (const [pattern, controlId, format] of scenario.rules({ identity: identity.id, storage: storage.id }))
        await map(catalog.id, pattern, controlId, format);
      const path = `/api/v1/catalogs/${catalog.id}/evidence/import`;
      const file = fixture(scenario.file);

      const preview = await importFile(path, scenario.format, file, { dryRun: true });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ format: scenario.format, isDryRun: true, submissions: [] });
      expect(preview.body.digest).toMatch(/^[0-9a-f]{64}$/);
      const byId = new Map(preview.body.controls.map((control: { controlId: string }) => [control.controlId, control]));
      expect(byId.get(identity.id)).toMatchObject({ isPush: true, counts: scenario.identity });
      expect(byId.get(storage.id)).toMatchObject({ isPush: true, counts: scenario.storage });
      expect(preview.body.unmapped.map((rule: { ruleId: string }) => rule.ruleId)).toEqual(scenario.unmapped);
      expect(await computationCount(identity.id)).toBe(0);

      const imported = await importFile(path, scenario.format, file);
      expect(imported.status).toBe(200);
      expect(imported.body.isDryRun).toBe(false);
      expect(imported.body.submissions).toHaveLength(2);
      expect(imported.body.submissions.map((submission: { status: string }) => submission.status)).toEqual([
        "accepted",
        "accepted",
      ]);
      const storageSubmission = imported.body.submissions.find(
        (submission: { controlId: string }) => submission.controlId === storage.id,
      );
      const stored = await evidencesOf(storageSubmission.computationId);
      const counts = scenario.storage;
      expect(stored.evidences).toHaveLength(counts.pass + counts.fail + counts.skip + counts.error);
      const results = stored.evidences.map((evidence: { result: string }) => evidence.result).sort();
      expect(results).toEqual(
        [
          ...Array(counts.error).fill("error"),
          ...Array(counts.fail).fill("fail"),
          ...Array(counts.skip).fill("not_applicable"),
          ...Array(counts.pass).fill("pass"),
        ].sort(),
      );
      // The computation names its source: the scanner and the file's digest.
      expect(stored.flowValue).toBe(
        `${imported.body.tool ?? scenario.format} (${scenario.format}) sha256:${imported.body.digest}`,
      );
      const allKeys = [
        ...stored.evidences,
        ...(await evidencesOf(imported.body.submissions[0].computationId)).evidences,
        ...(await evidencesOf(imported.body.submissions[1].computationId)).evidences,
      ].map((evidence: { key: string }) => evidence.key);
      expect(allKeys).toContain(scenario.sampleKey);

      const again = await importFile(path, scenario.format, file);
      expect(again.status).toBe(200);
      expect(again.body.submissions.map((submission: { status: string }) => submission.status)).toEqual([
        "duplicate",
        "duplicate",
      ]);
      expect(again.body.submissions.map((submission: { computationId: string }) => submission.computationId)).toEqual(
        imported.body.submissions.map((submission: { computationId: string }) => submission.computationId),
      );
      expect(await computationCount(identity.id)).toBe(1);
      expect(await computationCount(storage.id)).toBe(1);
    });
  }

  it("imports every result of a file to one push control, the OpenReports JSON report too", async () => {
    const { identity } = await scannerCatalog();
    const path = `/api/v1/controls/${identity.id}/evidence/import`;
    const preview = await importFile(path, "policyreport", fixture("openreports-report.json"), {
      dryRun: true,
      contentType: "application/json",
    });
    expect(preview.body.controls).toHaveLength(1);
    expect(preview.body.controls[0]).toMatchObject({
      controlId: identity.id,
      counts: { pass: 1, fail: 0, skip: 0, error: 1 },
      passRatio: 50,
      isAllPass: false,
    });
    expect(preview.body.unmapped).toEqual([]);
    const imported = await importFile(path, "policyreport", fixture("openreports-report.json"), {
      contentType: "application/json",
    });
    expect(imported.body.submissions).toHaveLength(1);
    const stored = await evidencesOf(imported.body.submissions[0].computationId);
    expect(stored).toMatchObject({ compliance: 50, result: "pass" });
  });

  it("refuses to import into mashup controls (422) before storing anything", async () => {
    const { catalog, identity, mashup } = await scannerCatalog();
    await map(catalog.id, "iam_*", identity.id);
    await map(catalog.id, "s3_*", mashup.id);
    const path = `/api/v1/catalogs/${catalog.id}/evidence/import`;
    const preview = await importFile(path, "ocsf", fixture("prowler-ocsf.json"), { dryRun: true });
    expect(
      preview.body.controls.find((control: { controlId: string }) => control.controlId === mashup.id),
    ).toMatchObject({ isPush: false });
    expectProblem(await importFile(path, "ocsf", fixture("prowler-ocsf.json")), 422, "import_target_not_push");
    expect(await computationCount(identity.id)).toBe(0);
    expectProblem(
      await importFile(`/api/v1/controls/${mashup.id}/evidence/import`, "junit", fixture("junit.xml")),
      422,
      "import_target_not_push",
    );
  });

  it("answers malformed files 400, other content types 415, oversized files 413, and USERs 403", async () => {
    const { catalog, identity } = await scannerCatalog();
    const path = `/api/v1/catalogs/${catalog.id}/evidence/import`;
    expectProblem(await importFile(path, "sarif", '{"version":'), 400, "import_format_invalid");
    expectProblem(await importFile(path, "junit", "<testsuite><testcase"), 400, "import_format_invalid");
    const laughs = `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite name="s"><testcase name="&b;"/></testsuite>`;
    expectProblem(await importFile(path, "junit", laughs), 400, "import_format_invalid");
    expectProblem(
      await importFile(path, "junit", fixture("junit.xml"), { contentType: "text/plain" }),
      415,
      "unsupported_media_type",
    );
    expectProblem(await importFile(path, "ocsf", ""), 400, "import_format_invalid");
    const big = JSON.stringify(
      Array.from({ length: 400 }, (_, index) => ({
        metadata: { event_code: `check_${index}` },
        status_code: "PASS",
        status_detail: "x".repeat(80),
      })),
    );
    expect(big.length).toBeGreaterThan(IMPORT_LIMIT);
    expectProblem(await importFile(path, "ocsf", big), 413, "payload_too_large");
    const bad = await request(app, "POST", `${path}?format=pdf`, {
      token: developer.token,
      rawBody: "{}",
      headers: { "content-type": "application/json" },
    });
    expectProblem(bad, 400, "validation_failed");
    const viewer = await signInAs(app, "USER");
    expectProblem(
      await importFile(path, "ocsf", fixture("prowler-ocsf.json"), { token: viewer.token }),
      403,
      "forbidden",
    );
    expect(await computationCount(identity.id)).toBe(0);
  });

  it("keeps the catalog's mapping rules: DEVELOPER edits, audited, unique per pattern and format, own controls only", async () => {
    const { catalog, identity, storage } = await scannerCatalog();
    const other = await scannerCatalog();
    const base = `/api/v1/catalogs/${catalog.id}/evidence-mappings`;
    const created = await map(catalog.id, "iam_*", identity.id, "ocsf");
    expect(created).toMatchObject({
      pattern: "iam_*",
      format: "ocsf",
      controlId: identity.id,
      controlName: identity.name,
    });
    await map(catalog.id, "iam_*", storage.id);
    const duplicate = await request(app, "POST", base, {
      token: developer.token,
      body: { pattern: "iam_*", controlId: storage.id },
    });
    expectProblem(duplicate, 409, "duplicate");
    const foreign = await request(app, "POST", base, {
      token: developer.token,
      body: { pattern: "x", controlId: other.identity.id },
    });
    expectProblem(foreign, 400, "validation_failed");
    const viewer = await signInAs(app, "USER");
    expectProblem(
      await request(app, "POST", base, { token: viewer.token, body: { pattern: "y", controlId: identity.id } }),
      403,
      "forbidden",
    );
    const listed = await request(app, "GET", base, { token: viewer.token });
    expect(
      listed.body.items.map((item: { pattern: string; format: string | null }) => [item.pattern, item.format]),
    ).toEqual([
      ["iam_*", null],
      ["iam_*", "ocsf"],
    ]);

    const updated = await request(app, "PUT", `${base}/${created.id}`, {
      token: developer.token,
      body: { pattern: "iam_root_*", format: "ocsf", controlId: storage.id },
    });
    expect(updated.body).toMatchObject({ pattern: "iam_root_*", controlId: storage.id });
    expectProblem(
      await request(app, "PUT", `/api/v1/catalogs/${other.catalog.id}/evidence-mappings/${created.id}`, {
        token: developer.token,
        body: { pattern: "z", controlId: other.identity.id },
      }),
      404,
      "not_found",
    );

    expect((await request(app, "DELETE", `${base}/${created.id}`, { token: developer.token })).status).toBe(204);
    expectProblem(await request(app, "DELETE", `${base}/${created.id}`, { token: developer.token }), 404, "not_found");

    const admin = await signInAs(app, "ADMIN");
    const audit = await request(app, "GET", `/api/v1/audit?resourceType=evidence_mapping&resourceId=${created.id}`, {
      token: admin.token,
    });
    expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual([
      "create",
      "delete",
      "update",
    ]);
  });
});

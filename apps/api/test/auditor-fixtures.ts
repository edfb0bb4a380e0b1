import { ImportResultSchema, type Catalog, type Control, type Framework } from "@status/shared";
import { startRuns, waitForBatch } from "./engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "./factories.ts";
import { request } from "./http-client.ts";
import { uniqueSuffix, type TestApp } from "./test-app.ts";

const DAY_MS = 86_400_000;

/** A finalized catalog evaluated by the engine over three days, as the auditors' exports read it. */
export interface AuditedCatalog {
  catalog: Catalog;
  /** test-pass, mapped to requirement `CC6.1` of `framework`. */
  passing: Control;
  /** test-fail (mixed evidences: fails its threshold), with two scope sets (env=prod, env=dev). */
  failing: Control;
  framework: Framework;
  from: string;
  to: string;
}

/**
 * Builds the catalog through the API and runs it on the real engine and Node-RED (the app must run a worker): two
 * controls, one passing and mapped to a framework requirement, one failing in two scopes; three daily windows each.
 */
export async function createAuditedCatalog(app: TestApp, token: string): Promise<AuditedCatalog> {
  const to = new Date(new Date().toISOString().slice(0, 10)).getTime() - DAY_MS;
  const from = to - 3 * DAY_MS;
  const draft = await createCatalogVia(app, token, { startDate: "2025-01-01T00:00:00Z" });
  const passing = await createControlVia(app, token, draft.id, {
    mashupId: "test-pass",
    period: "DAILY",
    threshold: 80,
  });
  const failing = await createControlVia(app, token, draft.id, {
    mashupId: "test-fail",
    period: "DAILY",
    threshold: 80,
  });
  const scope = await createScopeVia(app, token, { name: `env_${uniqueSuffix()}` });
  await createScopeSetVia(app, token, failing.id, { [scope.name]: "prod" });
  await createScopeSetVia(app, token, failing.id, { [scope.name]: "dev" });
  const finalized = await request<Catalog>(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
    token,
    body: { status: "finalized" },
  });
  if (finalized.status !== 200) throw new Error(`finalize failed: ${finalized.text}`);
  const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  for (const control of [passing, failing])
    await waitForBatch(app, token, (await startRuns(app, token, control.id, range)).batch.id);
  const imported = await request(app, "POST", "/api/v1/frameworks/import", {
    token,
    body: {
      format: "csv",
      name: `SOC 2 ${uniqueSuffix()}`,
      version: "2017",
      content: "id,title,group\nCC6.1,Logical access,CC6\n",
    },
  });
  const framework = ImportResultSchema.parse(imported.body).framework;
  const { rows } = await app.deps.db.query<{ id: string }>(
    "select id from requirements where framework_id = $1 and requirement_key = 'CC6.1'",
    [framework.id],
  );
  const mapped = await request(app, "POST", `/api/v1/controls/${passing.id}/requirements`, {
    token,
    body: { requirementId: rows[0]!.id, relationship: "equivalent-to" },
  });
  if (mapped.status !== 201) throw new Error(`mapping failed: ${mapped.text}`);
  return { catalog: finalized.body, passing, failing, framework, from: range.from, to: range.to };
}

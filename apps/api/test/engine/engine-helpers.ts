import type { CreatedRuns, Run, RunBatch } from "@status/shared";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { request } from "../http-client.ts";
import { uniqueSuffix, type TestApp } from "../test-app.ts";

/** A finalized catalog with one control bound to a mashup (a test flow's tab id), optionally with scope sets. */
export async function createEvaluableControl(
  app: TestApp,
  token: string,
  options: {
    mashupId: string;
    period?: string;
    threshold?: number;
    params?: Record<string, unknown>;
    scopes?: Record<string, string>[];
    startDate?: string;
  },
) {
  const catalog = await createCatalogVia(app, token, { startDate: options.startDate ?? "2025-01-01T00:00:00Z" });
  const control = await createControlVia(app, token, catalog.id, {
    mashupId: options.mashupId,
    period: options.period ?? "DAILY",
    threshold: options.threshold ?? 80,
    params: options.params ?? {},
    ...(options.startDate ? { startDate: options.startDate } : {}),
  });
  if (options.scopes?.length) {
    const names = new Set(options.scopes.flatMap((scope) => Object.keys(scope)));
    const renamed = new Map<string, string>();
    for (const name of names) {
      const scope = await createScopeVia(app, token, { name: `${name}_${uniqueSuffix()}` });
      renamed.set(name, scope.name);
    }
    for (const values of options.scopes) {
      await createScopeSetVia(
        app,
        token,
        control.id,
        Object.fromEntries(Object.entries(values).map(([key, value]) => [renamed.get(key)!, value])),
      );
    }
  }
  const finalized = await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
    token,
    body: { status: "finalized" },
  });
  if (finalized.status !== 200) throw new Error(`finalize failed: ${finalized.text}`);
  return { catalog: finalized.body, control };
}

export async function startRuns(
  app: TestApp,
  token: string,
  controlId: string,
  body: Record<string, unknown> = {},
): Promise<CreatedRuns> {
  const response = await request<CreatedRuns>(app, "POST", `/api/v1/controls/${controlId}/runs`, { token, body });
  if (response.status !== 202) throw new Error(`run failed to start: ${response.status} ${response.text}`);
  return response.body;
}

/** Polls the batch until every run finished (or the timeout), and answers its runs. */
export async function waitForBatch(
  app: TestApp,
  token: string,
  batchId: string,
  timeoutMs = 20_000,
): Promise<{ batch: RunBatch; runs: Run[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = (await request<RunBatch>(app, "GET", `/api/v1/run-batches/${batchId}`, { token })).body;
    if (batch.isDone) {
      const runs = (
        await request(app, "GET", `/api/v1/runs?batchId=${batchId}&pageSize=200&sort=windowStart`, { token })
      ).body.items as Run[];
      return { batch, runs };
    }
    if (Date.now() > deadline) throw new Error(`batch not done in time: ${JSON.stringify(batch.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitForRun(
  app: TestApp,
  token: string,
  runId: string,
  isDone: (run: Run) => boolean,
  timeoutMs = 20_000,
): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await request<Run>(app, "GET", `/api/v1/runs/${runId}`, { token })).body;
    if (isDone(run)) return run;
    if (Date.now() > deadline) throw new Error(`run not in the expected state in time: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

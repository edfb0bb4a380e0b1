import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusCloudEventSchema } from "@status/shared";
import { sweepAlertStates } from "../../src/modules/events/index.ts";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { createEvaluableControl, startRuns, waitForBatch } from "../engine/engine-helpers.ts";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/fake-webhook-receiver.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { appendTestPoint, eventually } from "../webhook-helpers.ts";

/**
 * The alert sweep's two SQL rules: run.error after ALERT_RUN_ERROR_THRESHOLD (2 here) runs in a row ended without a
 * verdict, and catalog.compliance_below when a catalog's compliance crosses ALERT_COMPLIANCE_LEVEL (80), each once per
 * transition. The app runs a worker (runs, event dispatch, webhooks) but no scheduler, so only the test sweeps.
 */
describe("the alert sweep: run.error and catalog.compliance_below", () => {
  let app: TestApp;
  let developer: TestUser;
  let receiver: FakeWebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({
      engine: { isWorker: true, isScheduler: false },
      env: {
        ALERT_RUN_ERROR_THRESHOLD: "2",
        ALERT_COMPLIANCE_LEVEL: "80",
        MASHUP_TIMEOUT_MS: "500",
        RUN_MAX_ATTEMPTS: "1",
        OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
        WEBHOOK_POLL_INTERVAL_MS: "50",
      },
    });
    receiver = await startFakeWebhookReceiver();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  /** A run of `controlId` that finished with `status`, as finishRun leaves it (finished at the database's now()). */
  async function finishedRun(controlId: string, status: "succeeded" | "failed" | "error"): Promise<void> {
    await app.deps.db.query(
      `insert into runs (control_id, scope_key, window_start, window_end, is_provisional, trigger, status, attempts,
                         max_attempts, started_at, finished_at, error)
       values ($1, '{}', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', false, 'manual', $2, 1, 1, now(), now(),
               case when $2 = 'succeeded' then null else 'broken by the test' end)`,
      [controlId, status],
    );
  }

  const runErrorEvents = async (controlId: string) =>
    (
      await app.deps.db.query<{ consecutive_errors: number; catalog_id: string }>(
        "select consecutive_errors, catalog_id from event_outbox where control_id = $1 and type = 'run.error' order by seq",
        [controlId],
      )
    ).rows;

  const complianceEvents = async (catalogId: string) =>
    (
      await app.deps.db.query<{ compliance: string; threshold: string; control_id: string | null }>(
        `select compliance::text, threshold::text, control_id from event_outbox
          where catalog_id = $1 and type = 'catalog.compliance_below' order by seq`,
        [catalogId],
      )
    ).rows;

  async function subscribe(body: Record<string, unknown>): Promise<string> {
    const response = await request(app, "POST", "/api/v1/webhooks", {
      token: developer.token,
      body: { url: receiver.url, ...body },
    });
    expect(response.status).toBe(201);
    return (response.body as { id: string }).id;
  }

  const receivedFor = (subscriptionId: string) =>
    receiver.received
      .filter((entry) => String(entry.headers["webhook-id"]).endsWith(`_${subscriptionId.slice(0, 8)}`))
      .map((entry) => StatusCloudEventSchema.parse(JSON.parse(entry.body)));

  it("writes run.error once per streak of errored runs, and again only after a success broke the streak", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const streak = () => sweepAlertStates(app.deps).then(() => runErrorEvents(control.id));

    await finishedRun(control.id, "error");
    expect(await streak()).toEqual([]); // one errored run is below the threshold of 2
    await finishedRun(control.id, "error");
    expect(await streak()).toEqual([{ consecutive_errors: 2, catalog_id: control.catalogId }]);
    expect(await streak()).toHaveLength(1); // the next sweep, nothing new
    await finishedRun(control.id, "error");
    expect(await streak()).toHaveLength(1); // the streak goes on: still the one event

    await finishedRun(control.id, "succeeded");
    expect(await streak()).toHaveLength(1);
    await finishedRun(control.id, "error");
    expect(await streak()).toHaveLength(1); // a new streak of one
    await finishedRun(control.id, "error");
    await finishedRun(control.id, "error");
    expect(await streak()).toEqual([
      { consecutive_errors: 2, catalog_id: control.catalogId },
      { consecutive_errors: 3, catalog_id: control.catalogId },
    ]);
    expect(await streak()).toHaveLength(2);
  });

  it("counts a failed run (the mashup answered something unusable) as an error, and a cancelled one as neither", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-malformed" });
    const runOnce = async () => {
      const batch = (await startRuns(app, developer.token, control.id)).batch.id;
      expect((await waitForBatch(app, developer.token, batch)).runs.map((run) => run.status)).toEqual(["failed"]);
    };
    await runOnce();
    await app.deps.db.query(
      `insert into runs (control_id, scope_key, window_start, window_end, is_provisional, trigger, status, max_attempts,
                         finished_at)
       values ($1, '{}', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', false, 'manual', 'cancelled', 1, now())`,
      [control.id],
    );
    await runOnce();
    await sweepAlertStates(app.deps);
    expect(await runErrorEvents(control.id)).toEqual([{ consecutive_errors: 2, catalog_id: control.catalogId }]);
  });

  it("raises run.error from real runs that time out, and delivers it to a webhook with consecutiveErrors", async () => {
    const { catalog, control } = await createEvaluableControl(app, developer.token, {
      mashupId: "test-slow",
      params: { delayMs: 3000 },
    });
    const webhook = await subscribe({ events: ["run.error"], controlId: control.id });
    for (let i = 0; i < 2; i += 1) {
      const { runs } = await waitForBatch(
        app,
        developer.token,
        (await startRuns(app, developer.token, control.id)).batch.id,
      );
      expect(runs.map((run) => run.status)).toEqual(["error"]);
    }
    await sweepAlertStates(app.deps);
    await sweepAlertStates(app.deps);
    expect(await runErrorEvents(control.id)).toEqual([{ consecutive_errors: 2, catalog_id: catalog.id }]);
    const [event] = await eventually(async () => {
      const got = receivedFor(webhook);
      return got.length > 0 ? got : undefined;
    });
    expect(event).toMatchObject({ type: "run.error", subject: control.id });
    expect(event!.data).toMatchObject({
      catalog: { id: catalog.id },
      control: { id: control.id },
      consecutiveErrors: 2,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receivedFor(webhook)).toHaveLength(1);
  }, 30_000);

  it("writes catalog.compliance_below once per crossing below the level, and delivers it", async () => {
    // Two daily controls: both passing is 100 %, one failing is 50 % (below 80), both failing 0 %.
    const draft = await createCatalogVia(app, developer.token, { startDate: "2025-01-01T00:00:00Z" });
    const first = await createControlVia(app, developer.token, draft.id, { mashupId: "test-pass", period: "DAILY" });
    const second = await createControlVia(app, developer.token, draft.id, { mashupId: "test-pass", period: "DAILY" });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status).toBe(200);
    const catalogId = draft.id;
    const webhook = await subscribe({ events: ["catalog.compliance_below"], catalogId });
    const sweep = () => sweepAlertStates(app.deps).then(() => complianceEvents(catalogId));
    const mark = async () =>
      (
        await app.deps.db.query<{ is_below: boolean; compliance: string }>(
          "select is_below, compliance::text from catalog_compliance_marks where catalog_id = $1",
          [catalogId],
        )
      ).rows[0];

    let day = 1;
    /** Both controls' points for the next day, and the clock moved to that window, so neither is stale. */
    async function nextDay(firstResult: "pass" | "fail", secondResult: "pass" | "fail") {
      const windowStart = `2026-11-${String(day).padStart(2, "0")}T00:00:00Z`;
      await appendTestPoint(app, first, firstResult, windowStart);
      await appendTestPoint(app, second, secondResult, windowStart);
      app.setNow(new Date(new Date(windowStart).getTime() + 36 * 3_600_000));
      day += 1;
    }

    try {
      await nextDay("pass", "pass");
      expect(await sweep()).toEqual([]);
      expect(await mark()).toEqual({ is_below: false, compliance: "100.00" });

      await nextDay("pass", "fail");
      expect(await sweep()).toEqual([{ compliance: "50.00", threshold: "80", control_id: null }]);
      expect(await mark()).toEqual({ is_below: true, compliance: "50.00" });
      expect(await sweep()).toHaveLength(1); // the next sweep, nothing new
      await nextDay("fail", "fail");
      expect(await sweep()).toHaveLength(1); // lower still, but no new crossing
      expect(await mark()).toEqual({ is_below: true, compliance: "0.00" });

      await nextDay("pass", "pass");
      expect(await sweep()).toHaveLength(1); // back above: no event, the mark flips
      expect(await mark()).toEqual({ is_below: false, compliance: "100.00" });
      expect(await sweep()).toHaveLength(1);

      await nextDay("fail", "pass");
      expect(await sweep()).toEqual([
        { compliance: "50.00", threshold: "80", control_id: null },
        { compliance: "50.00", threshold: "80", control_id: null },
      ]);
      expect(await sweep()).toHaveLength(2);
    } finally {
      app.setNow(undefined);
    }

    const delivered = await eventually(async () => {
      const got = receivedFor(webhook);
      return got.length === 2 ? got : undefined;
    });
    expect(delivered.map((event) => event.type)).toEqual(["catalog.compliance_below", "catalog.compliance_below"]);
    expect(delivered[0]!.data).toMatchObject({
      catalog: { id: catalogId },
      control: null,
      compliance: 50,
      threshold: 80,
    });
    expect(delivered[0]!.subject).toBeUndefined();
  });
});

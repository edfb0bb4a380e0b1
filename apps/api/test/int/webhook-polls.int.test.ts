import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NamedStatement } from "../../src/db/database.ts";
import { startEngine } from "../../src/engine.ts";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from "../fakes/fake-webhook-receiver.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { appendTestPoint, eventually } from "../webhook-helpers.ts";

const POLL_MS = 100;

/** The pool, counting the claims of due webhook deliveries sent through it. */
function countingPool(pool: pg.Pool): { db: pg.Pool; claims: () => number } {
  let claims = 0;
  const db = new Proxy(pool, {
    get(target, key) {
      if (key === "query")
        return (statement: string | NamedStatement, ...rest: unknown[]) => {
          const text = typeof statement === "string" ? statement : statement.text;
          if (text.includes("from webhook_deliveries d join webhook_subscriptions s")) claims += 1;
          return (target.query as (...args: unknown[]) => unknown)(statement, ...rest);
        };
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db, claims: () => claims };
}

describe("the webhook delivery loops of a worker", () => {
  let app: TestApp;
  let developer: TestUser;
  let receiver: FakeWebhookReceiver;
  let engine: ReturnType<typeof startEngine> | undefined;
  let pool: ReturnType<typeof countingPool>;

  beforeAll(async () => {
    app = await startTestApp({
      env: { OUTBOUND_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_POLL_INTERVAL_MS: String(POLL_MS) },
    });
    developer = await signInAs(app, "DEVELOPER");
    receiver = await startFakeWebhookReceiver();
    pool = countingPool(app.deps.db);
    engine = startEngine({ ...app.deps, db: pool.db }, { isWorker: true, isScheduler: false });
  });
  afterAll(async () => {
    await engine?.stop(1_000);
    await app?.close();
    await receiver?.close();
  });

  it("claim about once per poll interval while nothing is due, not once per loop, and still deliver at once", async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = pool.claims();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const claims = pool.claims() - before;
    // Four loops (WEBHOOK_CONCURRENCY 64) each polling every 100 ms sent about 80 claims in 2 s; together, about 20.
    expect(claims).toBeGreaterThanOrEqual(5);
    expect(claims).toBeLessThanOrEqual(30);

    // Points changing state make events (each wakes the loops): a burst of them still costs about a claim an interval.
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass" });
    const beforeEvents = pool.claims();
    for (let day = 1; day <= 20; day += 1) {
      await appendTestPoint(
        app,
        control,
        day % 2 ? "pass" : "fail",
        `2026-10-${String(day).padStart(2, "0")}T00:00:00Z`,
      );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const outbox = await app.deps.db.query("select count(*)::int as n from event_outbox where control_id = $1", [
      control.id,
    ]);
    expect(outbox.rows[0].n).toBeGreaterThanOrEqual(19);
    expect(pool.claims() - beforeEvents).toBeLessThanOrEqual(40);

    const created = await request(app, "POST", "/api/v1/webhooks", {
      token: developer.token,
      body: { url: receiver.url, events: ["control.failing"], controlId: control.id },
    });
    expect(created.status).toBe(201);
    await appendTestPoint(app, control, "fail", "2026-11-01T00:00:00Z");
    await appendTestPoint(app, control, "pass", "2026-11-02T00:00:00Z");
    const appendedAt = Date.now();
    await appendTestPoint(app, control, "fail", "2026-11-03T00:00:00Z");
    const delivered = await eventually(async () => receiver.received[0], 5_000);
    // The dispatcher's poll, then the deliveries' (woken by it): within a couple of intervals, with some slack.
    expect(delivered.receivedAt - appendedAt).toBeLessThan(10 * POLL_MS);
  });
});

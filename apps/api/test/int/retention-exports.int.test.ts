import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { EvidencePackSchema, RetentionSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneExpiredRecords } from "../../src/modules/retention/index.ts";
import { createCatalogVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { getForEvents } from "../sse.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

const SHA = "a".repeat(64);

/** Retention of what the exports and the alerting leave behind: pack files, delivered events, finished import jobs. */
describe("retention of evidence packs, delivered events and import jobs", () => {
  let app: TestApp;
  let admin: TestUser;
  let reader: TestUser;
  let catalogId: string;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await signInAs(app, "ADMIN");
    reader = await signInAs(app, "USER");
    catalogId = (await createCatalogVia(app, admin.token)).id;
  });
  afterAll(() => app?.close());

  /** Prunes now; another test file pruning the same database at this moment holds the lease, so wait for it. */
  const prune = async () => {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await pruneExpiredRecords(app.deps, { force: true });
      if (outcome.status === "pruned" || attempt === 20) return outcome;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  it("lists the three categories with their defaults (packs a year, events and import jobs 90 days)", async () => {
    const retention = RetentionSchema.parse(
      (await request(app, "GET", "/api/v1/retention", { token: admin.token })).body,
    );
    const byCategory = Object.fromEntries(retention.categories.map((category) => [category.category, category]));
    expect(byCategory.evidence_packs).toMatchObject({ keepDays: 365, defaultKeepDays: 365, isEditable: true });
    expect(byCategory.event_outbox).toMatchObject({ keepDays: 90, rowLabel: "events" });
    expect(byCategory.import_jobs).toMatchObject({ keepDays: 90, rowLabel: "import jobs" });
    expectProblem(
      await request(app, "PATCH", "/api/v1/retention", { token: admin.token, body: { evidence_packs: 1 } }),
      400,
      "validation_failed",
    );
  });

  it("expires a pack older than its period: its ZIP is deleted, its row and digests stay, it no longer downloads", async () => {
    const directory = path.join(app.deps.config.database.dataDir, "evidence-packs");
    await mkdir(directory, { recursive: true });
    const insertPack = async (builtDaysAgo: number) => {
      const { rows } = await app.deps.db.query<{ id: string }>(
        `insert into evidence_packs (catalog_id, period_from, period_to, status, progress, stage, attempts, file_name,
                                     size_bytes, sha256, manifest_sha256, point_count, created_at, completed_at)
         values ($1, '2025-01-01', '2026-01-01', 'done', 100, 'done', 1, $2, 3, $3, $3, 0,
                 now() - make_interval(days => $4), now() - make_interval(days => $4))
         returning id`,
        [catalogId, `retention-${uniqueSuffix()}.zip`, SHA, builtDaysAgo],
      );
      const pack = (await app.deps.db.query("select file_name from evidence_packs where id = $1", [rows[0]!.id]))
        .rows[0] as { file_name: string };
      const file = path.join(directory, pack.file_name);
      await writeFile(file, "zip");
      return { id: rows[0]!.id, file };
    };
    const old = await insertPack(400);
    const recent = await insertPack(10);

    const outcome = await prune();

    expect(outcome).toMatchObject({ status: "pruned", pruned: { evidence_packs_expired: 1 } });
    expect(existsSync(old.file)).toBe(false);
    expect(existsSync(recent.file)).toBe(true);
    const expired = EvidencePackSchema.parse(
      (await request(app, "GET", `/api/v1/evidence-packs/${old.id}`, { token: reader.token })).body,
    );
    expect(expired).toMatchObject({ status: "expired", sha256: SHA, manifestSha256: SHA });
    const { rows } = await app.deps.db.query("select expired_at from evidence_packs where id = $1", [old.id]);
    expect(rows[0].expired_at).not.toBeNull();
    expectProblem(
      await request(app, "GET", `/api/v1/evidence-packs/${old.id}/download`, { token: reader.token }),
      409,
      "evidence_pack_not_ready",
    );
    const stream = await getForEvents(app, `/api/v1/evidence-packs/${old.id}/events`, { token: reader.token });
    expect(stream.events.map((event) => event.data.status)).toEqual(["expired"]);
    expect(
      (await request(app, "GET", `/api/v1/evidence-packs/${recent.id}`, { token: reader.token })).body.status,
    ).toBe("done");
    const audit = await app.deps.db.query(
      "select after from audit_log where resource_type = 'retention' and action = 'delete' order by id desc limit 1",
    );
    expect(audit.rows[0].after.pruned.evidence_packs_expired).toBe(1);
  });

  it("deletes delivered events older than their period, but not the newest of a kind, undelivered ones, or those a webhook delivery names", async () => {
    const controlId = crypto.randomUUID();
    const insertEvent = async (input: { dispatchedDaysAgo: number | null; scopeKey?: string }) => {
      const { rows } = await app.deps.db.query<{ id: string }>(
        `insert into event_outbox (type, catalog_id, control_id, scope_key, occurred_at, dispatched_at)
         values ('control.failing', $1, $2, $3, now() - interval '200 days',
                 case when $4::int is null then null else now() - make_interval(days => $4::int) end)
         returning id`,
        [catalogId, controlId, input.scopeKey ?? "{}", input.dispatchedDaysAgo],
      );
      return rows[0]!.id;
    };
    const oldDelivered = await insertEvent({ dispatchedDaysAgo: 150 });
    const oldNamedByDelivery = await insertEvent({ dispatchedDaysAgo: 150 });
    const undelivered = await insertEvent({ dispatchedDaysAgo: null });
    const recentDelivered = await insertEvent({ dispatchedDaysAgo: 5 });
    const newestOfOtherScope = await insertEvent({ dispatchedDaysAgo: 150, scopeKey: '{"env":"prod"}' });
    const { rows: subscriptions } = await app.deps.db.query<{ id: string }>(
      `insert into webhook_subscriptions (owner_id, url, event_types, secret_encrypted)
       values ($1, 'https://example.invalid/hook', '{control.failing}', 'x') returning id`,
      [admin.id],
    );
    await app.deps.db.query(
      `insert into webhook_deliveries (subscription_id, event_id, message_id, event_type, body, status)
       values ($1, $2, 'msg_retention', 'control.failing', '{}', 'delivered')`,
      [subscriptions[0]!.id, oldNamedByDelivery],
    );

    const outcome = await prune();

    expect(outcome).toMatchObject({ status: "pruned", pruned: { events: 1 } });
    const { rows } = await app.deps.db.query<{ id: string }>("select id from event_outbox where control_id = $1", [
      controlId,
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual(
      [oldNamedByDelivery, undelivered, recentDelivered, newestOfOtherScope].sort(),
    );
    expect(rows.map((row) => row.id)).not.toContain(oldDelivered);
  });

  it("deletes framework import jobs finished before their period, never running or recent ones", async () => {
    const insertJob = async (status: "succeeded" | "failed" | "running", finishedDaysAgo: number | null) => {
      const { rows } = await app.deps.db.query<{ id: string }>(
        `insert into framework_import_jobs (status, format, body, body_bytes, actor, result, problem, finished_at)
         values ($1, 'csv', '{}', 2, '{}', case when $1 = 'succeeded' then '{}'::jsonb end,
                 case when $1 = 'failed' then '{}'::jsonb end,
                 case when $2::int is null then null else now() - make_interval(days => $2::int) end)
         returning id`,
        [status, finishedDaysAgo],
      );
      return rows[0]!.id;
    };
    const oldSucceeded = await insertJob("succeeded", 100);
    const oldFailed = await insertJob("failed", 100);
    const running = await insertJob("running", null);
    const recent = await insertJob("succeeded", 3);

    const outcome = await prune();

    expect(outcome).toMatchObject({ status: "pruned", pruned: { import_jobs: 2 } });
    const { rows } = await app.deps.db.query<{ id: string }>(
      "select id from framework_import_jobs where id = any($1::uuid[])",
      [[oldSucceeded, oldFailed, running, recent]],
    );
    expect(rows.map((row) => row.id).sort()).toEqual([running, recent].sort());
  });
});

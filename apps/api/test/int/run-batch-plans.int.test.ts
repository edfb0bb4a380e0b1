import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { NamedStatement, Queryable } from "../../src/db/database.ts";
import {
  claimRuns,
  finishRunsSucceededLockingChains,
  touchRunHeartbeats,
} from "../../src/modules/evaluation/runs/runs.repository.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** The text of the statement a repository function sends, without running it. */
async function statementOf(send: (db: Queryable) => Promise<unknown>): Promise<string> {
  let text = "";
  const capture = {
    async query(statement: string | NamedStatement) {
      text = typeof statement === "string" ? statement : statement.text;
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Queryable;
  await send(capture);
  return text;
}

/**
 * The generic plan (what a named statement keeps) of `text`, with `values`, on a session where `runs` is a temporary
 * copy of the table whose statistics were taken before a burst of queued and running runs: what a backfill meets.
 */
async function genericPlan(client: pg.PoolClient, text: string, values: unknown[]): Promise<string> {
  await client.query(`prepare batch_statement as ${text}`);
  try {
    // EXECUTE takes no bind parameters: the values go in as escaped literals (arrays in their text form).
    const literal = (value: unknown) =>
      typeof value === "number"
        ? String(value)
        : client.escapeLiteral(Array.isArray(value) ? `{${value.join(",")}}` : String(value));
    const { rows } = await client.query<{ "QUERY PLAN": unknown }>(
      `explain (format json) execute batch_statement(${values.map(literal).join(", ")})`,
    );
    return JSON.stringify(rows[0]!["QUERY PLAN"]);
  } finally {
    await client.query("deallocate batch_statement");
  }
}

describe("batch statements on runs", () => {
  let app: TestApp;
  let client: pg.PoolClient;
  let queued: string[];
  let running: { id: string; attempts: number }[];
  let indexes: { pkey: string; active: string };

  beforeAll(async () => {
    app = await startTestApp();
    client = await app.deps.db.connect();
    await client.query("begin");
    // A temporary table shadows `runs` for this session only (pg_temp comes first in the search path).
    await client.query("create temporary table runs (like public.runs including all) on commit drop");
    const insert = (count: number, status: string) =>
      client.query(
        `insert into runs (control_id, scope_key, window_start, window_end, is_provisional, trigger, max_attempts,
                           status, heartbeat_at)
         select gen_random_uuid(), 's', now() - i * interval '1 day', now() - (i - 1) * interval '1 day', false,
                'backfill', 3, $2, case when $2 = 'running' then now() end
           from generate_series(1, $1::int) i`,
        [count, status],
      );
    await insert(200, "succeeded");
    await client.query("analyze runs");
    await insert(5_000, "queued");
    await insert(300, "running");
    queued = (await client.query<{ id: string }>("select id from runs where status = 'queued' limit 40")).rows.map(
      (row) => row.id,
    );
    running = (
      await client.query<{ id: string; attempts: number }>(
        "select id, attempts from runs where status = 'running' limit 40",
      )
    ).rows;
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where tablename = 'runs' and schemaname like 'pg_temp%'",
    );
    indexes = {
      pkey: rows.find((row) => row.indexname.endsWith("pkey"))!.indexname,
      active: rows.find((row) => row.indexdef.includes("(status, next_attempt_at)"))!.indexname,
    };
    await client.query("set local plan_cache_mode = force_generic_plan");
  });
  afterAll(async () => {
    await client?.query("rollback");
    client?.release();
    await app?.close();
  });

  it("claims a batch through the primary key, not by walking every queued run", async () => {
    const plan = await genericPlan(client, await statementOf((db) => claimRuns(db, queued, 60_000)), [queued, 60_000]);
    expect(plan).toContain(indexes.pkey);
    expect(plan).not.toContain(indexes.active);
  });

  it("renews and finishes a batch through the primary key, not by joining every running run", async () => {
    const ids = running.map((run) => run.id);
    const attempts = running.map((run) => run.attempts);
    const heartbeats = await genericPlan(client, await statementOf((db) => touchRunHeartbeats(db, running)), [
      ids,
      attempts,
    ]);
    const finish = await genericPlan(
      client,
      await statementOf((db) => finishRunsSucceededLockingChains(db, running, [], [])),
      [ids, [], "[]", attempts],
    );
    for (const plan of [heartbeats, finish]) {
      expect(plan).toContain(indexes.pkey);
      expect(plan).not.toContain(indexes.active);
    }
  });
});

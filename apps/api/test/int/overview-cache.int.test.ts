import { OverviewSchema, type Overview } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/database.ts";
import { scheduleDueWindows } from "../../src/modules/evaluation/index.ts";
import { getOverview, getOverviewJson } from "../../src/modules/overview/overview.service.ts";
import { createEvaluableControl } from "../engine/engine-helpers.ts";
import { createCatalogVia, createControlVia, createScopeSetVia, createScopeVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { appendChosenPoints, createHourlyControl } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = 86_400_000;
const utcMidnight = (offsetDays: number) =>
  new Date(new Date(new Date().toISOString().slice(0, 10)).getTime() + offsetDays * DAY);

/**
 * GET /overview gives a kept answer again while nothing it shows has changed (overview-cache.ts, migration 0096). Two
 * API processes on one database: every change is made through `writer` (or its pool) and read through `reader`, whose
 * answer was kept just before, so each test shows that a change of that kind made elsewhere is in the next answer.
 */
describe("the overview's kept answer", () => {
  let writer: TestApp;
  let reader: TestApp;
  let developer: TestUser;
  let user: TestUser;

  const signIn = async () => {
    developer = await signInAs(writer, "DEVELOPER");
    user = await signInAs(reader, "USER");
  };
  /** Both processes' clock (undefined: the real one); access tokens last 15 minutes of it, so both sign in again. */
  const setClocks = async (at: Date | undefined) => {
    writer.setNow(at);
    reader.setNow(at);
    await signIn();
  };

  beforeAll(async () => {
    writer = await startTestApp();
    reader = await startTestApp({ database: { url: writer.environment.DATABASE_URL! } });
    await signIn();
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
  });

  /** The writer's pool behind a recorder of the statements sent: not a registered pool, so they go unnamed through
   * query(text, values), and a cache of its own (the caches are per pool). */
  function recordingPool(statements: string[]): Queryable {
    const pool = writer.deps.db;
    return {
      query: (text: string, values?: unknown[]) => {
        statements.push(text);
        return pool.query(text, values);
      },
    };
  }

  async function overviewOf(days = 30): Promise<Overview> {
    const response = await request(reader, "GET", `/api/v1/overview?days=${days}`, { token: user.token });
    expect(response.status, response.text).toBe(200);
    return OverviewSchema.parse(response.body);
  }
  const catalogIn = (overview: Overview, catalogId: string) =>
    overview.catalogs.find((catalog) => catalog.catalogId === catalogId);

  it("gives the same answer again, with the request's generatedAt, while nothing changed", async () => {
    await createHourlyControl(writer, developer.token, "2026-01-01T00:00:00Z");
    const first = await overviewOf();
    reader.setNow(new Date(Date.now() + 1_000));
    const again = await request(reader, "GET", "/api/v1/overview?days=30", { token: user.token });
    reader.setNow(undefined);

    expect(again.body.generatedAt).not.toBe(first.generatedAt);
    expect({ ...OverviewSchema.parse(again.body), generatedAt: first.generatedAt }).toEqual(first);
    // The kept text is the bytes the whole answer's JSON.stringify gives.
    const computed = await getOverview(reader.deps, { days: 30 }, new Date(again.body.generatedAt));
    const { nextStaleAt: _staleAt, ...whole } = computed;
    expect(again.text).toBe(JSON.stringify(whole));
  });

  it("shows a point appended by another process: compliance now, the series and the failing controls", async () => {
    const ids = await createHourlyControl(writer, developer.token, "2026-01-01T00:00:00Z");
    const before = await overviewOf();
    expect(catalogIn(before, ids.catalogId)).toMatchObject({ evaluated: 0, failing: 0 });

    await appendChosenPoints(writer, ids, utcMidnight(0).getTime() - 2 * 3_600_000, "engine", [
      { hour: 0, result: "fail" },
    ]);

    const after = await overviewOf();
    // Failing yesterday evening, and stale by now: either way not compliant.
    expect(catalogIn(after, ids.catalogId)).toMatchObject({ evaluated: 1, passing: 0, compliance: 0 });
    expect(after.series.find((series) => series.catalogId === ids.catalogId)?.days).toEqual([
      { day: utcMidnight(-1).toISOString(), points: 1, compliance: 0 },
    ]);
    expect(after.failingTotal).toBe(before.failingTotal + 1);
    expect(after.failingControls.map((failing) => failing.controlId)).toContain(ids.controlId);
  });

  it("shows a catalog created, renamed and archived, and a control added and archived", async () => {
    const catalog = await createCatalogVia(writer, developer.token);
    expect(catalogIn(await overviewOf(), catalog.id)).toMatchObject({ catalogName: catalog.name, controlCount: 0 });

    const renamed = await request(writer, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { name: `${catalog.name} renamed` },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(catalogIn(await overviewOf(), catalog.id)?.catalogName).toBe(`${catalog.name} renamed`);

    const control = await createControlVia(writer, developer.token, catalog.id);
    expect(catalogIn(await overviewOf(), catalog.id)?.controlCount).toBe(1);

    const archivedControl = await request(writer, "POST", `/api/v1/controls/${control.id}/archive`, {
      token: developer.token,
      body: { reason: "no longer needed" },
    });
    expect(archivedControl.status, archivedControl.text).toBe(200);
    expect(catalogIn(await overviewOf(), catalog.id)?.controlCount).toBe(0);

    const archived = await request(writer, "POST", `/api/v1/catalogs/${catalog.id}/archive`, {
      token: developer.token,
      body: { reason: "no longer needed" },
    });
    expect(archived.status, archived.text).toBe(200);
    expect(catalogIn(await overviewOf(), catalog.id)).toBeUndefined();
  });

  it("shows the scheduler's tick and a scope set added in the next runs", async () => {
    const startDate = utcMidnight(-2).toISOString();
    const { control } = await createEvaluableControl(writer, developer.token, { mashupId: "test-pass", startDate });
    const nextRunOf = async () => (await overviewOf()).nextRuns.find((run) => run.controlId === control.id);
    expect((await nextRunOf())?.windowStart).toBe(startDate);

    // The tick moves the control's cursor to today, so its next run is due tomorrow (later than the rest shown).
    await scheduleDueWindows(writer.deps);
    expect((await nextRunOf())?.windowStart).not.toBe(startDate);

    // Two scope sets where the tick left one cursor: a scope without one is scheduled from the control's start.
    const scope = await createScopeVia(writer, developer.token);
    await createScopeSetVia(writer, developer.token, control.id, { [scope.name]: "eu" }, "a new region");
    await createScopeSetVia(writer, developer.token, control.id, { [scope.name]: "us" }, "a new region");
    expect((await nextRunOf())?.windowStart).toBe(startDate);
  });

  it("turns a control stale once the clock reaches its stale_at, with nothing written", async () => {
    await setClocks(new Date("2026-10-01T12:00:00Z"));
    try {
      const ids = await createHourlyControl(writer, developer.token, "2026-10-01T00:00:00Z");
      await appendChosenPoints(writer, ids, Date.parse("2026-10-01T00:00:00Z"), "engine", [
        { hour: 10, result: "pass" },
      ]);
      const states = await request(reader, "GET", `/api/v1/catalogs/${ids.catalogId}/control-states`, {
        token: user.token,
      });
      const staleAt = Date.parse(states.body.items[0].staleAt);

      await setClocks(new Date(staleAt - 1));
      expect(catalogIn(await overviewOf(), ids.catalogId)).toMatchObject({ passing: 1, stale: 0 });
      expect(catalogIn(await overviewOf(), ids.catalogId)).toMatchObject({ passing: 1, stale: 0 });
      await setClocks(new Date(staleAt));
      expect(catalogIn(await overviewOf(), ids.catalogId)).toMatchObject({ passing: 0, stale: 1 });
    } finally {
      await setClocks(undefined);
    }
  });

  it("starts the series a day later from UTC midnight on, with nothing written", async () => {
    await setClocks(new Date("2026-10-02T23:59:59.999Z"));
    try {
      const ids = await createHourlyControl(writer, developer.token, "2026-10-01T00:00:00Z");
      await appendChosenPoints(writer, ids, Date.parse("2026-10-02T00:00:00Z"), "engine", [
        { hour: 22, result: "pass" },
      ]);
      const seriesOf = (overview: Overview) => overview.series.find((series) => series.catalogId === ids.catalogId);
      expect(seriesOf(await overviewOf(1))?.days).toEqual([
        { day: "2026-10-02T00:00:00.000Z", points: 1, compliance: 100 },
      ]);

      await setClocks(new Date("2026-10-03T00:00:00.000Z"));
      expect(seriesOf(await overviewOf(1))).toBeUndefined();
      // Another `days` is another answer.
      expect(seriesOf(await overviewOf(2))?.days).toHaveLength(1);
    } finally {
      await setClocks(undefined);
    }
  });

  it("runs one computation for requests that miss together, each answer with its own generatedAt", async () => {
    const statements: string[] = [];
    const at = new Date();
    const deps = { db: recordingPool(statements) as typeof writer.deps.db, now: () => at };
    const together = async (count: number) => {
      statements.length = 0;
      const answers = await Promise.all(
        Array.from({ length: count }, () => getOverviewJson(deps, { days: 30 }).then((text) => JSON.parse(text))),
      );
      return answers.map((answer) => OverviewSchema.parse(answer));
    };

    const first = await together(10);
    // The requests of one turn read the version once (overview-version-reads.ts); the three statements of the
    // overview run once for all ten.
    expect(statements).toHaveLength(1 + 3);
    for (const answer of first) expect(answer).toEqual(first[0]);

    const kept = await together(5);
    expect(statements).toHaveLength(1);
    expect(kept[0]).toEqual(first[0]);

    const added = await createCatalogVia(writer, developer.token, { name: `Missed together ${Date.now()}` });
    const after = await together(5);
    expect(statements).toHaveLength(1 + 3);
    for (const answer of after) expect(catalogIn(answer, added.id)).toBeDefined();
  });

  it("computes anew after the counter table is made again with the same counts (a dump restored into it)", async () => {
    const statements: string[] = [];
    const pool = writer.deps.db;
    const deps = { db: recordingPool(statements) as typeof pool, now: () => new Date() };
    await getOverviewJson(deps, { days: 30 });
    statements.length = 0;
    await getOverviewJson(deps, { days: 30 });
    expect(statements).toHaveLength(1);

    // What `pg_restore --clean` does to it: the same rows, in a table created anew.
    await pool.query(`begin;
      create table overview_versions_restored (like overview_versions including all);
      insert into overview_versions_restored select * from overview_versions;
      drop table overview_versions;
      alter table overview_versions_restored rename to overview_versions;
      commit`);
    statements.length = 0;
    await getOverviewJson(deps, { days: 30 });
    expect(statements).toHaveLength(1 + 3);
  });

  it("has the version's triggers on every table the overview's statements read", async () => {
    const statements: { text: string; values: unknown[] }[] = [];
    const pool = writer.deps.db;
    // Not a registered pool, so its statements go unnamed through query(text, values).
    const recorder: Queryable = {
      query: (text: string, values?: unknown[]) => {
        statements.push({ text, values: values ?? [] });
        return pool.query(text, values);
      },
    };
    await getOverview({ db: recorder as typeof pool, now: () => new Date() }, { days: 30 });
    expect(statements).toHaveLength(3);

    const read = new Set<string>();
    const collect = (node: Record<string, unknown>) => {
      if (typeof node["Relation Name"] === "string") read.add(node["Relation Name"]);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) collect(child);
    };
    for (const { text, values } of statements) {
      const plan = await pool.query<{ "QUERY PLAN": { Plan: Record<string, unknown> }[] }>(
        `explain (format json) ${text}`,
        values,
      );
      collect(plan.rows[0]!["QUERY PLAN"][0]!.Plan);
    }
    const triggers = await pool.query<{ table: string; trigger: string }>(
      `select tgrelid::regclass::text as table, tgname as trigger from pg_trigger
        where tgname in ('overview_version_bump', 'overview_version_truncate')`,
    );
    const bumped = (trigger: string) =>
      new Set(triggers.rows.filter((row) => row.trigger === trigger).map((row) => row.table));

    expect(read).toContain("control_latest");
    expect(read).toContain("schedule_cursors");
    for (const table of read) {
      expect(bumped("overview_version_bump"), table).toContain(table);
      expect(bumped("overview_version_truncate"), table).toContain(table);
    }
  });
});

/**
 * `npm run bench:frameworks`: the two speeds issue 16 promises, each against a baseline measured in the same run.
 *
 * 1. Importing the NIST SP 800-53 rev5 LOW baseline (149 requirements, the bundled file) through the import service:
 *    JSON parse, schema validation, reading and storing. Baseline: storing the same rows one INSERT per requirement
 *    (what a straightforward import would do) instead of the batched upsert. Budget: 3 s.
 * 2. The compliance roll-up of a framework with BENCH_REQUIREMENTS requirements mapped to BENCH_CONTROLS controls
 *    with a year of daily points each. Baseline: the same answer computed one query per requirement. Budget: 300 ms.
 *
 *   BENCH_REQUIREMENTS   requirements of the roll-up framework (default 1000)
 *   BENCH_CONTROLS       controls mapped to them (default 200)
 *   BENCH_DAYS           daily points per control (default 365)
 *   BENCH_POSTGRES_URL   server to create a scratch database on (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from "node:crypto";
import type { StatusCounts } from "@status/shared";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { loadConfig } from "../src/config.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createEnginelessDeps } from "../src/create-app-deps.ts";
import type { AppDeps } from "../src/deps.ts";
import type { Actor } from "../src/domain/actor.ts";
import { createLogger } from "../src/logger.ts";
import { createCatalog } from "../src/modules/catalogs/index.ts";
import { getFrameworkCompliance, importFramework, LIBRARY_DIR } from "../src/modules/frameworks/index.ts";
import { createUser } from "../src/modules/users/index.ts";
import { createScratchDatabase, POSTGRES_URL } from "./scratch-database.ts";

const REQUIREMENTS = Number(process.env.BENCH_REQUIREMENTS ?? 1000);
const CONTROLS = Number(process.env.BENCH_CONTROLS ?? 200);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const IMPORT_BUDGET_MS = 3000;
const ROLL_UP_BUDGET_MS = 300;
const REPEATS = 5;
const DAY = 86_400_000;
const log = createLogger("warn");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function benchImport(deps: AppDeps, pool: pg.Pool, actor: Actor): Promise<void> {
  const text = await readFile(path.join(LIBRARY_DIR, "nist-800-53-rev5-low.json"), "utf8");
  const importAs = (title: string) => {
    const document = JSON.parse(text) as { catalog: { metadata: { title: string } } };
    document.catalog.metadata.title = title;
    return importFramework(deps, actor, { body: { format: "oscal-catalog", document }, dryRun: false });
  };
  const fresh: number[] = [];
  const again: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < REPEATS; run += 1) {
    const first = await timed(() => importAs(`LOW import ${run}`));
    if (first.result.dryRun || first.result.counts.created !== 149) throw new Error("the LOW import did not store 149");
    fresh.push(first.ms);
    const second = await timed(() => importAs(`LOW import ${run}`));
    if (second.result.dryRun || second.result.counts.unchanged !== 149) throw new Error("re-import changed rows");
    again.push(second.ms);
  }
  const { rows } = await pool.query<{ id: string }>("select id from frameworks where name = 'LOW import 0'");
  const source = await pool.query<Record<string, unknown>>(
    `select requirement_key, label, title, statement, guidance, group_key, parent_key, class_name, position, depth, params, oscal
       from requirements where framework_id = $1 order by position`,
    [rows[0]!.id],
  );
  for (let run = 0; run < REPEATS; run += 1)
    baseline.push((await timed(() => insertOneByOne(pool, actor, run, source.rows))).ms);
  const importMs = median(fresh);
  const baselineMs = median(baseline);
  console.log(
    `LOW import, new framework (149 requirements: parse, validate, read, store), median of ${REPEATS}: ${importMs.toFixed(0)} ms`,
  );
  console.log(`LOW re-import, same version (149 unchanged), median of ${REPEATS}: ${median(again).toFixed(0)} ms`);
  console.log(`  baseline, only storing the same rows with one INSERT each: ${baselineMs.toFixed(0)} ms`);
  console.log(
    `  ratio whole import/baseline store: ${(importMs / baselineMs).toFixed(2)}; of the 3 s budget: ${(importMs / IMPORT_BUDGET_MS).toFixed(3)} ${importMs < IMPORT_BUDGET_MS ? "(within)" : "(OVER)"}`,
  );
}

async function insertOneByOne(
  pool: pg.Pool,
  actor: Actor,
  run: number,
  rows: Record<string, unknown>[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const framework = await client.query<{ id: string }>(
      "insert into frameworks (name, version, source, imported_by) values ($1, '1', 'oscal-catalog', $2) returning id",
      [`Baseline ${run} ${Date.now()}`, actor.userId],
    );
    for (const row of rows)
      await client.query(
        `insert into requirements (framework_id, requirement_key, label, title, statement, guidance, group_key, parent_key,
           class_name, position, depth, params, oscal)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (framework_id, requirement_key) do update set title = excluded.title`,
        [
          framework.rows[0]!.id,
          row.requirement_key,
          row.label,
          row.title,
          row.statement,
          row.guidance,
          row.group_key,
          row.parent_key,
          row.class_name,
          row.position,
          row.depth,
          JSON.stringify(row.params),
          JSON.stringify(row.oscal),
        ],
      );
    await client.query("commit");
  } finally {
    client.release();
  }
}

/**
 * A framework of REQUIREMENTS requirements in 20 groups, CONTROLS controls, two or three mappings per requirement; one
 * control in ten fails one day a month, the others pass every day.
 */
async function seedRollUp(deps: AppDeps, pool: pg.Pool, actor: Actor, from: number): Promise<string> {
  const csv = ["id,title,description,group"];
  for (let index = 0; index < REQUIREMENTS; index += 1)
    csv.push(`R-${index},Requirement ${index},Statement ${index},G${index % 20}`);
  const imported = await importFramework(deps, actor, {
    body: {
      format: "csv",
      name: "Roll-up bench",
      version: "1",
      description: "",
      content: csv.join("\n"),
      columns: { id: "id", title: "title", description: "description", group: "group" },
    },
    dryRun: false,
  });
  if (imported.dryRun) throw new Error("unexpected dry run");
  const catalog = await createCatalog(deps, actor, {
    name: "Roll-up bench",
    description: "",
    startDate: null,
    endDate: null,
    timeZone: "UTC",
    firstDayOfWeek: 1,
  });
  // Controls, mappings and points are bulk-inserted: the bench measures the roll-up, not how they are made.
  await pool.query(
    `insert into controls (catalog_id, name, period, threshold, status)
     select $1, 'Control ' || i, 'DAILY', 80, 'draft' from generate_series(1, $2) as i`,
    [catalog.id, CONTROLS],
  );
  await pool.query(
    `insert into control_requirements (control_id, requirement_id, relationship, created_by)
     select distinct on (c.id, r.id) c.id, r.id, 'subset-of', $3::uuid
       from (select id, row_number() over (order by position) - 1 as n from requirements where framework_id = $1) r
       join (select id, row_number() over (order by name) - 1 as n from controls where catalog_id = $2) c
         on c.n in (r.n % $4, (r.n * 7 + 3) % $4, case when r.n % 3 = 0 then (r.n * 13 + 5) % $4 end)`,
    [imported.framework.id, catalog.id, actor.userId, CONTROLS],
  );
  await pool.query(
    `insert into points (control_id, catalog_id, scope, scope_key, window_start, window_end, threshold, result, hash)
     select c.id, c.catalog_id, '{}'::jsonb, '', $2::timestamptz + d * interval '1 day',
            $2::timestamptz + (d + 1) * interval '1 day', 80,
            case when c.name like '%0' and d % 30 = 7 then 'fail' else 'pass' end, md5(c.id::text || d)
       from controls c cross join generate_series(0, $3 - 1) as d where c.catalog_id = $1`,
    [catalog.id, new Date(from).toISOString(), DAYS],
  );
  // Points written directly, not through the append: the read tables (migration 0063) are rebuilt from them.
  await pool.query("select rebuild_point_reads()");
  await pool.query("analyze requirements, control_requirements, controls, points");
  return imported.framework.id;
}

/** The straightforward way: one query per requirement for its controls' results. */
async function rollUpOneQueryEach(pool: pg.Pool, frameworkId: string, from: string, to: string): Promise<number> {
  const { rows } = await pool.query<{ id: string }>("select id from requirements where framework_id = $1", [
    frameworkId,
  ]);
  let satisfied = 0;
  for (const requirement of rows) {
    const result = await pool.query<{ fails: number; passes: number }>(
      `select count(*) filter (where p.result = 'fail')::int as fails, count(*) filter (where p.result = 'pass')::int as passes
         from control_requirements m join points p on p.control_id = m.control_id
        where m.requirement_id = $1 and p.window_start >= $2 and p.window_start < $3`,
      [requirement.id, from, to],
    );
    if (result.rows[0]!.fails === 0 && result.rows[0]!.passes > 0) satisfied += 1;
  }
  return satisfied;
}

async function benchRollUp(deps: AppDeps, pool: pg.Pool, actor: Actor): Promise<void> {
  const from = Date.UTC(2025, 0, 1);
  const to = from + DAYS * DAY;
  const frameworkId = await seedRollUp(deps, pool, actor, from);
  const query = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  const { rows } = await pool.query<{ points: number; mappings: number }>(
    `select (select count(*) from points)::int as points,
            (select count(*) from control_requirements m join requirements r on r.id = m.requirement_id
              where r.framework_id = $1)::int as mappings`,
    [frameworkId],
  );
  console.log(
    `roll-up data: ${REQUIREMENTS} requirements, ${CONTROLS} controls, ${rows[0]!.mappings} mappings, ${rows[0]!.points} daily points over ${DAYS} days`,
  );
  await getFrameworkCompliance(deps, { frameworkId, query });
  const runs: number[] = [];
  let overall: StatusCounts | null = null;
  for (let run = 0; run < REPEATS; run += 1) {
    const { result, ms } = await timed(() => getFrameworkCompliance(deps, { frameworkId, query }));
    overall = result.overall;
    runs.push(ms);
  }
  const baseline: number[] = [];
  for (let run = 0; run < REPEATS; run += 1) {
    const { result, ms } = await timed(() => rollUpOneQueryEach(pool, frameworkId, query.from, query.to));
    const satisfied = overall?.satisfied;
    if (result !== satisfied) throw new Error(`baseline disagrees: ${result} vs ${satisfied}`);
    baseline.push(ms);
  }
  const rollUpMs = median(runs);
  const baselineMs = median(baseline);
  console.log(
    `roll-up GET /frameworks/:id/compliance (service), median of ${REPEATS}: ${rollUpMs.toFixed(0)} ms — ${JSON.stringify(overall)}`,
  );
  console.log(`  baseline, one query per requirement:                    ${baselineMs.toFixed(0)} ms`);
  console.log(
    `  ratio roll-up/baseline: ${(rollUpMs / baselineMs).toFixed(3)}; of the 300 ms budget: ${(rollUpMs / ROLL_UP_BUDGET_MS).toFixed(2)} ${rollUpMs < ROLL_UP_BUDGET_MS ? "(within)" : "(OVER)"}`,
  );
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase("status_bench_frameworks");
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    JWT_SECRET: randomBytes(32).toString("hex"),
    DATABASE_URL: scratch.url,
  });
  const pool = new pg.Pool({ connectionString: config.database.url!, max: 4 });
  // Dropping the scratch database at the end terminates idle connections; that is expected, not a failure.
  pool.on("error", () => undefined);
  const deps: AppDeps = createEnginelessDeps({ config, db: pool, cache: createMemoryCache(), log });
  try {
    await runMigrations(pool, log);
    const user = await createUser(deps, null, {
      username: "bench",
      password: randomBytes(16).toString("hex"),
      role: "ADMIN",
    });
    const actor: Actor = { userId: user.id, username: "bench", role: "ADMIN", authMethod: "session" };
    console.log(`STATUS frameworks benchmark; Postgres ${new URL(POSTGRES_URL).host}`);
    await benchImport(deps, pool, actor);
    await benchRollUp(deps, pool, actor);
  } finally {
    await pool.end();
    await scratch.drop();
  }
}

await main();
process.exit(0);

import type { Computation, Run } from "@status/shared";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NamedStatement } from "../../src/db/database.ts";
import { createRunProcessor } from "../../src/modules/evaluation/index.ts";
import { createEvaluableControl, startRuns } from "../engine/engine-helpers.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const DAY = (date: string) => `2025-03-${date}T00:00:00.000Z`;

/** The pool, with the text of every statement sent through it outside a transaction (where claims are read). */
function recordingPool(pool: pg.Pool): { db: pg.Pool; sent: string[] } {
  const sent: string[] = [];
  const db = new Proxy(pool, {
    get(target, key) {
      if (key === "query")
        return (statement: string | NamedStatement, ...rest: unknown[]) => {
          sent.push(typeof statement === "string" ? statement : statement.text);
          return (target.query as (...args: unknown[]) => unknown)(statement, ...rest);
        };
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db, sent };
}

describe("the statements of a claim batch", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  const runRange = async (controlId: string, from: string, to: string): Promise<Run[]> =>
    (await startRuns(app, developer.token, controlId, { from, to })).runs;
  const computationOf = async (run: Run): Promise<Computation> =>
    (await request(app, "GET", `/api/v1/computations/${run.computationId}`, { token: developer.token })).body;

  it("reads a control's versions once, and again only when the control has gained a version", async () => {
    const { control } = await createEvaluableControl(app, developer.token, { mashupId: "test-pass", threshold: 80 });
    const { db, sent } = recordingPool(app.deps.db);
    const processor = createRunProcessor({ ...app.deps, db });
    const readsVersions = () => sent.filter((text) => /\bcontrol_versions\b/.test(text)).length;
    const readsCatalogsAlone = () => sent.filter((text) => /^\s*select\b[^]*\bfrom catalogs where\b/.test(text)).length;

    const [first, second] = await runRange(control.id, DAY("01"), DAY("03"));
    await processor.process(first!.id);
    expect(readsVersions()).toBe(1);
    sent.length = 0;
    await processor.process(second!.id);
    // The second claim reads the control (with its catalog's status) in one statement; its versions are known.
    expect(readsVersions()).toBe(0);
    expect(readsCatalogsAlone()).toBe(0);
    expect(await computationOf(second!)).toMatchObject({ controlVersion: 1, result: "pass" });

    const changed = await request(app, "PATCH", `/api/v1/controls/${control.id}`, {
      token: developer.token,
      body: { threshold: 95, reason: "Stricter" },
    });
    expect(changed.body).toMatchObject({ version: 2 });
    const [third] = await runRange(control.id, DAY("03"), DAY("04"));
    sent.length = 0;
    await processor.process(third!.id);
    // The control names version 2 now: its versions are read again, and the run is evaluated with it.
    expect(readsVersions()).toBe(1);
    expect(await computationOf(third!)).toMatchObject({ controlVersion: 2, windowStart: DAY("03") });
    const points = (
      await request(app, "GET", `/api/v1/points?controlId=${control.id}&sort=windowStart`, { token: developer.token })
    ).body.items as { controlVersion: number; threshold: number }[];
    expect(points.map((point) => [point.controlVersion, point.threshold])).toEqual([
      [1, 80],
      [1, 80],
      [2, 95],
    ]);
  });
});

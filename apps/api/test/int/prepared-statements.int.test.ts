import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryPrepared } from "../../src/db/prepared.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** What the connection itself holds prepared, asked of Postgres on that connection. */
async function preparedOn(client: { query: (text: string) => Promise<{ rows: { statement: string }[] }> }) {
  const { rows } = await client.query("select statement from pg_prepared_statements");
  return rows.map((row) => row.statement);
}

describe("prepared statements", () => {
  let app: TestApp;
  let unprepared: TestApp;
  beforeAll(async () => {
    [app, unprepared] = await Promise.all([
      startTestApp(),
      startTestApp({ env: { DATABASE_PREPARED_STATEMENTS: "false" } }),
    ]);
  });
  afterAll(() => Promise.all([app?.close(), unprepared?.close()]));

  it("prepares a hot statement once per connection and answers it like any other", async () => {
    const client = await app.deps.db.connect();
    try {
      const text = "select $1::int + 1 as answer /* prepared-statements test */";
      const first = await queryPrepared<{ answer: number }>(client, text, [41]);
      const second = await queryPrepared<{ answer: number }>(client, text, [1]);

      expect([first.rows[0]?.answer, second.rows[0]?.answer]).toEqual([42, 2]);
      expect((await preparedOn(client)).filter((statement) => statement === text)).toHaveLength(1);
    } finally {
      client.release();
    }
  });

  it("prepares nothing with DATABASE_PREPARED_STATEMENTS=false", async () => {
    const client = await unprepared.deps.db.connect();
    try {
      const text = "select $1::int + 1 as answer /* unprepared */";
      expect((await queryPrepared<{ answer: number }>(client, text, [1])).rows[0]?.answer).toBe(2);
      expect(await preparedOn(client)).not.toContain(text);
    } finally {
      client.release();
    }
  });
});

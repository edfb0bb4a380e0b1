import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, withTransaction, type Database } from "../../src/db/database.ts";
import { isDatabaseUnreachable } from "../../src/db/pg-errors.ts";
import { createLogger } from "../../src/logger.ts";
import { startTcpProxy, type TcpProxy } from "../faults/tcp-proxy.ts";
import { TEST_POSTGRES_ADMIN_URL } from "../test-env.ts";

/**
 * A connection lost while a transaction holds its client, between two statements: pg reports it as an `error` event
 * on the client, which the pool does not listen for while the client is checked out. Unheard, it ended the process
 * (seen once in CI as an uncaught "Connection terminated unexpectedly"); now the transaction fails with a database
 * error and the pool carries on with a fresh connection.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a connection lost inside a transaction", () => {
  let proxy: TcpProxy | undefined;
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    await proxy?.close();
  });

  it("fails the transaction, not the process, and the pool serves the next query", async () => {
    const target = new URL(TEST_POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    database = await openDatabase(
      { url: proxy.urlFor(TEST_POSTGRES_ADMIN_URL), poolMax: 2, dataDir: "", timeoutMs: 2_000 },
      createLogger("silent"),
    );
    const cutting = proxy;

    const outcome = await withTransaction(database.pool, async (tx) => {
      await tx.query("select 1");
      // Not inside a query: the loss arrives as the client's error event while the work does something else.
      await cutting.cut();
      await sleep(200);
      await tx.query("select 2");
    }).then(
      () => "committed",
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(Error);
    expect(isDatabaseUnreachable(outcome)).toBe(true);

    await cutting.restore();
    const result = await database.pool.query<{ n: number }>("select 3 as n");
    expect(result.rows[0]!.n).toBe(3);
  });
});

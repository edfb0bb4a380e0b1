import { mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Logger } from "../logger.ts";
import { isDatabaseUnreachable } from "./pg-errors.ts";
import { allowPreparedStatements } from "./prepared.ts";
import { isoOfTimestamptz } from "./timestamptz.ts";

/**
 * A statement run for every batch of the engine's hot path: sent with a name, so each connection parses and plans it
 * once and later executions skip straight to running it (its large CTEs cost Postgres about a millisecond to plan).
 * The name must be unique per text (pg refuses one name for two texts on a connection).
 */
export interface NamedStatement {
  name: string;
  text: string;
}

/** Anything that runs a parameterised query: the pool, or a client inside a transaction. */
export interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | NamedStatement,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>>;
}

/**
 * Off for PGlite: its socket server runs every connection in its one backend, so a statement prepared by a pooled
 * client outlives that client, and the client that replaces it would be refused preparing the same name again. Off too
 * when DATABASE_PREPARED_STATEMENTS is false (a transaction-mode pooler). Process-wide, as the configuration is.
 */
let isNamingStatements = true;

/** Names a hot statement (see NamedStatement); the bare text where names cannot be used (PGlite). */
export function namedStatement(name: string, text: string): NamedStatement | string {
  return isNamingStatements ? { name, text } : text;
}

export interface Database {
  pool: pg.Pool;
  kind: "postgres" | "pglite";
  /**
   * PGlite only (the embedded backup): runs `readFirst` and dumps the data directory (gzipped tar) while holding the
   * pool's only client, so no transaction is open during the dump and the two see the same state.
   */
  dumpDataDir?: <T>(readFirst: (db: Queryable) => Promise<T>) => Promise<{ dump: Blob; read: T }>;
  close(): Promise<void>;
}

// Timestamps come back as ISO strings, not Date objects, so rows serialise the way the contracts say.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoOfTimestamptz);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

const EMBEDDED_SHARED_BUFFERS = "32MB";

export interface DatabaseOptions {
  url: string | undefined;
  poolMax: number;
  dataDir: string;
  /**
   * The longest a connect, a wait for a pooled client, or a query may take (DEPENDENCY_TIMEOUT_MS), so a request never
   * hangs on a database that stopped answering; 0 leaves queries unbounded (migrations, key rotation).
   */
  timeoutMs: number;
  /**
   * Postgres only: prepare the hot fixed statements per connection (`queryPrepared`; default true). Off for a
   * transaction-mode pooler (PgBouncer before 1.21), where a connection's prepared statements do not follow a client.
   */
  preparedStatements?: boolean;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens Postgres through `pg`: the server at `url`, or, when no url is set, PGlite (Postgres compiled to WASM)
 * with its data under `dataDir/pglite`, served over the Postgres wire protocol on loopback so that the very same
 * `pg` code and SQL run on both.
 */
export async function openDatabase(options: DatabaseOptions, log: Logger): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      // Connecting and waiting for a free client share the deadline; a query gets it too, and TCP keep-alive finds a
      // connection whose server vanished without closing it.
      connectionTimeoutMillis: options.timeoutMs || DEFAULT_CONNECT_TIMEOUT_MS,
      ...(options.timeoutMs > 0 ? { query_timeout: options.timeoutMs } : {}),
      keepAlive: true,
    });
    pool.on("error", (error) => log.error({ err: error }, "idle database client failed"));
    // One switch for both kinds of prepared statement: the request path's (prepared.ts) and the engine's named ones.
    if (options.preparedStatements !== false) allowPreparedStatements(pool);
    else isNamingStatements = false;
    return { pool, kind: "postgres", close: () => pool.end() };
  }
  return openEmbeddedDatabase(path.join(options.dataDir, "pglite"), log);
}

async function openEmbeddedDatabase(directory: string, log: Logger): Promise<Database> {
  isNamingStatements = false;
  await mkdir(directory, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  // Postgres's default 128 MB of shared buffers are WASM memory PGlite touches and keeps resident (~120 MB of the
  // API's RSS); 32 MB serve an embedded installation, and its data files stay in the kernel's page cache anyway.
  const pglite = await PGlite.create(directory, {
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
  // Room for one connection more than the pool holds: pg drops a client whose query failed and reconnects at once,
  // before the old socket has closed; with a limit of one that reconnect was refused and the next query failed.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 2 });
  await server.start();
  const [host, port] = server.getServerConn().split(":");
  // PGlite is single-connection: one pooled client keeps transactions from interleaving.
  const pool = new pg.Pool({
    host,
    port: Number(port),
    user: "postgres",
    database: "postgres",
    max: 1,
    idleTimeoutMillis: 0,
  });
  pool.on("error", (error) => log.error({ err: error }, "embedded database client failed"));
  log.info({ directory }, "using embedded PGlite database");
  return {
    pool,
    kind: "pglite",
    async dumpDataDir(readFirst) {
      const { client, release } = await checkOut(pool);
      try {
        const read = await readFirst(client);
        // Everything committed is written to the data files, so the dump needs no WAL replay when it is loaded.
        await client.query("checkpoint");
        return { dump: await pglite.dumpDataDir("gzip"), read };
      } finally {
        release();
      }
    },
    async close() {
      await pool.end();
      await server.stop();
      await pglite.close();
    },
  };
}

/** A pooled client held for several statements, and what ended its connection while it was held. */
export interface CheckedOutClient {
  client: pg.PoolClient;
  /** Back to the pool; destroyed instead when `error` is given or its connection was lost while held. */
  release: (error?: Error) => void;
}

/**
 * Checks a client out of the pool for several statements. pg reports a connection lost between two statements (a
 * database restart, a cut network) as an `error` event on the client, which the pool listens for only while the
 * client is idle: unheard, that event would end the process. Here it is heard, and the client is destroyed on release.
 */
export async function checkOut(pool: pg.Pool): Promise<CheckedOutClient> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on("error", onError);
  let isReleased = false;
  return {
    client,
    release: (error) => {
      if (isReleased) return;
      isReleased = true;
      client.removeListener("error", onError);
      client.release(error ?? lost);
    },
  };
}

/** Runs `work` inside one transaction on a dedicated client; rolls back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const { client, release } = await checkOut(pool);
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    release();
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    // A client whose connection failed (or whose query timed out mid-flight) is destroyed, never pooled again.
    release(isDatabaseUnreachable(error) ? (error as Error) : undefined);
    throw error;
  }
}

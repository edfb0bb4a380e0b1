import pg from "pg";

/** The Postgres server the benchmarks make their scratch databases on (BENCH_POSTGRES_URL). */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** An empty database of one benchmark run; `drop` removes it, ending any connection still open to it. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
  /** Leaves the database in place (to inspect it) and closes the connection that made it. */
  keep(): Promise<void>;
}

/** Creates `<prefix>_<time>` on POSTGRES_URL. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async keep() {
      await admin.end();
    },
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

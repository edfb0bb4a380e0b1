/** Where the API integration tests find the real Postgres and Redis (loopback services; CI starts them). */
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Every database of one test run starts with `status_test_<run id>_`, so concurrent runs never touch each other's. */
export const DATABASE_PREFIX = "status_test_";

export function runDatabasePrefix(runId: string): string {
  return `${DATABASE_PREFIX}${runId}_`;
}

export function templateDatabase(runId: string): string {
  return `${runDatabasePrefix(runId)}template`;
}

/** A URL of the same server with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

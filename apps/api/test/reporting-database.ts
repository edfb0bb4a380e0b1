import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { runMigrations } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { REPO_ROOT } from "./deploy-files.ts";
import { uniqueSuffix } from "./test-app.ts";
import { TEST_POSTGRES_ADMIN_URL, databaseUrl, runDatabasePrefix } from "./test-env.ts";
import { currentRunId } from "./test-run.ts";

/**
 * A database set up by postgres/init.sql for real (with names of this run): the API's role, the read-only grafana
 * role and Grafana's own state database, as the postgres image creates them. The tests that run Grafana's SQL (the
 * dashboards' and the alert rules') use it.
 */
export interface ReportingDatabase {
  names: { appDb: string; appUser: string; grafanaUser: string; grafanaStateDb: string; grafanaStateUser: string };
  passwords: { app: string; grafana: string; grafanaState: string };
  /** `database` as `user` with `password`. */
  urlAs(database: string, user: string, password: string): string;
  /** The application database as the API's role. */
  appUrl: string;
  /** The application database as the read-only grafana role. */
  grafanaUrl: string;
  /** Runs postgres/init.sql (again: it is safe to re-run). */
  runInitSql(): Promise<void>;
  /** Runs the API's migrations as the API's role. */
  migrate(): Promise<void>;
  drop(): Promise<void>;
}

function urlAs(database: string, user: string, password: string): string {
  const url = new URL(databaseUrl(database));
  url.username = user;
  url.password = password;
  return url.toString();
}

/** Names and passwords for one such database; `label` tells the tests' databases apart in a listing. */
export function reportingDatabase(label: string, passwordExtra = ""): ReportingDatabase {
  const suffix = uniqueSuffix();
  const prefix = runDatabasePrefix(currentRunId());
  const names = {
    appDb: `${prefix}${label}_${suffix}`,
    appUser: `status_test_app_${suffix}`,
    grafanaUser: `status_test_grafana_${suffix}`,
    grafanaStateDb: `${prefix}${label}_state_${suffix}`,
    grafanaStateUser: `status_test_grafana_state_${suffix}`,
  };
  const passwords = {
    app: `app-${suffix}${passwordExtra}`,
    grafana: `grafana-${suffix}`,
    grafanaState: `state-${suffix}`,
  };
  const appUrl = urlAs(names.appDb, names.appUser, passwords.app);
  return {
    names,
    passwords,
    urlAs,
    appUrl,
    grafanaUrl: urlAs(names.appDb, names.grafanaUser, passwords.grafana),
    async runInitSql() {
      const variables = {
        app_db: names.appDb,
        app_user: names.appUser,
        app_password: passwords.app,
        grafana_user: names.grafanaUser,
        grafana_password: passwords.grafana,
        grafana_state_db: names.grafanaStateDb,
        grafana_state_user: names.grafanaStateUser,
        grafana_state_password: passwords.grafanaState,
      };
      await promisify(execFile)("psql", [
        "--no-psqlrc",
        "--quiet",
        TEST_POSTGRES_ADMIN_URL,
        ...Object.entries(variables).flatMap(([key, value]) => ["-v", `${key}=${value}`]),
        "-f",
        path.join(REPO_ROOT, "postgres/init.sql"),
      ]);
    },
    async migrate() {
      const pool = new pg.Pool({ connectionString: appUrl, max: 1 });
      try {
        await runMigrations(pool, createLogger("silent"));
      } finally {
        await pool.end();
      }
    },
    async drop() {
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${names.appDb}" with (force)`);
        await admin.query(`drop database if exists "${names.grafanaStateDb}" with (force)`);
        for (const role of [names.grafanaUser, names.appUser, names.grafanaStateUser])
          await admin.query(`drop role if exists "${role}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

import type { Database, Queryable } from "../db/database.ts";
import type { BackupSource } from "./backup-archive.ts";

async function appliedMigrations(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>("select name from schema_migrations order by name");
  return rows.rows.map((row) => row.name);
}

/** The backup source of an open embedded database (in the running API, or in the CLI when STATUS is stopped). */
export function embeddedBackupSource(database: Database, dataDir: string): BackupSource {
  const dump = database.dumpDataDir;
  if (database.kind !== "pglite" || !dump)
    throw new Error("npm run backup covers the embedded database; with DATABASE_URL use scripts/backup-compose.sh");
  return {
    dataDir,
    async snapshotDatabase() {
      const { dump: archive, read } = await dump(appliedMigrations);
      return { dump: archive, migrations: read };
    },
  };
}

import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ChainVerificationSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackupControl, type BackupControl } from "../../src/backup/backup-control.ts";
import { embeddedBackupSource } from "../../src/backup/embedded-backup.ts";
import { openDatabase } from "../../src/db/database.ts";
import { MIGRATIONS_DIR, runMigrations } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/logger.ts";
import { createRunProcessor } from "../../src/modules/evaluation/index.ts";
import { writeAsPreviousRelease, type PreviousReleaseData } from "../fixtures/previous-release.ts";
import { request, signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/**
 * The embedded default's data directory across an upgrade and a backup: a PGlite directory made with the previous
 * release's schema (the migrations before control versions, as in upgrade-hash-scheme.int.test.ts, whose release
 * 8477445 wrote them) and that release's scheme-1 points migrates on start and its chains verify; `npm run backup`
 * taken while STATUS runs, data changed after it, `npm run restore` and a restart bring the backup's state back, and
 * every chain still verifies.
 */
const FIRST_VERSIONED_MIGRATION = "0015";
const apiDir = path.resolve(import.meta.dirname, "../..");
const log = createLogger("silent");
const run = promisify(execFile);

/** The CLI as `npm run backup` / `npm run restore` runs it, in a process of its own, on `dataDir`. */
function cli(script: "backup-cli.ts" | "restore-cli.ts", dataDir: string, args: string[]) {
  return run(process.execPath, ["--import", "tsx", `src/backup/${script}`, ...args], {
    cwd: apiDir,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
    timeout: 60_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

async function verifyEveryChain(app: TestApp): Promise<Record<string, unknown>[]> {
  const developer = await signInAs(app, "DEVELOPER");
  const controls = await app.deps.db.query<{ id: string }>("select id from controls order by id");
  const results = [];
  for (const { id } of controls.rows) {
    const response = await request(app, "GET", `/api/v1/controls/${id}/points/verify`, { token: developer.token });
    results.push(ChainVerificationSchema.parse(response.body));
  }
  return results;
}

describe("an embedded data directory from the previous release, backed up and restored", () => {
  let dataDir: string;
  let backupDir: string;
  let before: PreviousReleaseData;
  let app: TestApp | undefined;
  let control: BackupControl | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "status-embedded-upgrade-"));
    backupDir = await mkdtemp(path.join(os.tmpdir(), "status-backups-"));
    // The previous release's PGlite directory: its migrations only, and points written with its own statements.
    const previous = await mkdtemp(path.join(os.tmpdir(), "status-previous-migrations-"));
    const database = await openDatabase({ url: undefined, poolMax: 1, dataDir, timeoutMs: 0 }, log);
    try {
      for (const file of await readdir(MIGRATIONS_DIR))
        if (file < FIRST_VERSIONED_MIGRATION)
          await copyFile(path.join(MIGRATIONS_DIR, file), path.join(previous, file));
      await runMigrations(database.pool, log, previous);
      before = await writeAsPreviousRelease(database.pool, { firstDay: "2025-03-01T00:00:00.000Z", days: 3 });
    } finally {
      await database.close();
      await rm(previous, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await control?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(backupDir, { recursive: true, force: true });
  });

  it("migrates on start, and the previous release's scheme-1 chain verifies", async () => {
    app = await startTestApp({ database: "pglite", dataDir, keys: "data-dir" });
    const applied = await app.deps.db.query<{ name: string }>("select name from schema_migrations order by name");
    const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith(".sql")).sort();

    expect(applied.rows.map((row) => row.name)).toEqual(files);
    expect(await verifyEveryChain(app)).toEqual([
      expect.objectContaining({ isIntact: true, pointCount: 3, pointsByHashScheme: { 1: 3 } }),
    ]);
    // The run the previous release left queued is evaluated now, as scheme 2 after the scheme-1 points.
    await createRunProcessor(app.deps).process(before.queuedRunId);
    expect(await verifyEveryChain(app)).toEqual([
      expect.objectContaining({ isIntact: true, pointCount: 4, pointsByHashScheme: { 1: 3, 2: 1 } }),
    ]);
  });

  it("backs up while running, and restores what the backup held after the data changed", async () => {
    const running = app!;
    control = await startBackupControl(embeddedBackupSource(running.database, dataDir), log);
    await mkdir(path.join(dataDir, "node-red"), { recursive: true });
    await writeFile(path.join(dataDir, "node-red", "flows.json"), '[{"id":"before","type":"tab"}]\n');
    const keysBefore = await readFile(path.join(dataDir, "keys", "jwt-secret"), "utf8");
    const file = path.join(backupDir, "status.tar.gz");

    const backup = await cli("backup-cli.ts", dataDir, ["--out", file]);

    expect(backup.stderr).toBe("");
    expect(backup.stdout).toMatch(/^backup written by the running STATUS: .*status\.tar\.gz/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // STATUS kept serving during and after the backup.
    const admin = await signInAs(running, "ADMIN");
    const catalog = await request(running, "POST", "/api/v1/catalogs", {
      token: admin.token,
      body: { name: "Made after the backup", description: "gone after the restore" },
    });
    expect(catalog.status).toBe(201);
    await writeFile(path.join(dataDir, "node-red", "flows.json"), '[{"id":"after","type":"tab"}]\n');

    const refused = await cli("restore-cli.ts", dataDir, [file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("STATUS is running");

    await control.close();
    control = undefined;
    await running.close();
    app = undefined;
    const restore = await cli("restore-cli.ts", dataDir, [file]);
    expect(restore.stderr).toBe("");
    expect(restore.stdout).toContain("restored the backup");

    app = await startTestApp({ database: "pglite", dataDir, keys: "data-dir" });
    const catalogs = await app.deps.db.query("select name from catalogs where id = $1", [catalog.body.id]);
    expect(catalogs.rows).toEqual([]);
    expect(await verifyEveryChain(app)).toEqual([
      expect.objectContaining({ isIntact: true, pointCount: 4, pointsByHashScheme: { 1: 3, 2: 1 } }),
    ]);
    expect(await readFile(path.join(dataDir, "node-red", "flows.json"), "utf8")).toContain('"before"');
    expect(await readFile(path.join(dataDir, "keys", "jwt-secret"), "utf8")).toBe(keysBefore);
    // What the restore replaced is kept, not deleted.
    const kept = (await readdir(dataDir)).filter((name) => name.startsWith("before-restore-"));
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(dataDir, kept[0]!, "node-red", "flows.json"), "utf8")).toContain('"after"');
  });

  it("refuses a file that is not a backup, leaving the data directory alone", async () => {
    const bogus = path.join(backupDir, "bogus.tar.gz");
    await writeFile(bogus, "not a tarball");
    const result = await cli("restore-cli.ts", dataDir, [bogus]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/restore failed: .*not a readable backup/);
    expect((await readdir(dataDir)).filter((name) => name.startsWith("before-restore-"))).toHaveLength(1);
  });
});

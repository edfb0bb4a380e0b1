import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPOSE_FILES, readCompose, readRepoFile, REPO_ROOT, type ComposeService } from "../deploy-files.ts";

/**
 * scripts/backup-compose.sh, checked without a Docker engine (none runs here): its syntax, that every service, path,
 * database and credential it names is what both compose files define, and a run of backup then restore against a
 * stand-in `docker` on PATH that records each command and what it was given on stdin, so the order (a backup of the
 * current state before anything is replaced, writers stopped, each part to its own store, the stack started again)
 * and the files are proven. What it cannot prove: that the real images run these commands (mongodump in mongo:8.0,
 * tar in the Node-RED image); the README names that as a procedure to try once against a real deployment.
 */
const SCRIPT = path.join(REPO_ROOT, "scripts/backup-compose.sh");
const run = promisify(execFile);

/** Stands in for `docker`: logs its arguments, answers the dumps with a labelled body, records what restores read. */
const FAKE_DOCKER = `#!/usr/bin/env bash
echo "$*" >>"$FAKE_DOCKER_LOG"
case "$*" in
  *pg_dumpall*) echo "globals" ;;
  *"pg_dump "*) echo "dump of \${@: -1}" ;;
  *mongodump*) echo "mongo archive" ;;
  *"tar -czf"*) echo "nodered volume" ;;
  *psql*|*pg_restore*|*mongorestore*|*"tar -xzf"*) echo "  stdin: $(cat)" >>"$FAKE_DOCKER_LOG" ;;
esac
`;

function environmentOf(service: ComposeService | undefined): Record<string, unknown> {
  const environment = service?.environment ?? {};
  return Array.isArray(environment)
    ? Object.fromEntries(environment.map((entry) => entry.split("=", 2) as [string, string]))
    : environment;
}

describe("scripts/backup-compose.sh", () => {
  let text: string;
  let work: string;
  beforeAll(async () => {
    text = await readRepoFile("scripts/backup-compose.sh");
    work = await mkdtemp(path.join(os.tmpdir(), "status-backup-compose-"));
    await writeFile(path.join(work, "docker"), FAKE_DOCKER);
    await chmod(path.join(work, "docker"), 0o755);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("is valid bash and executable", async () => {
    await expect(run("bash", ["-n", SCRIPT])).resolves.toBeDefined();
    expect(statSync(SCRIPT).mode & 0o111).not.toBe(0);
  });

  it.each(COMPOSE_FILES)("names only what %s defines", async (file) => {
    const { document } = await readCompose(file);
    const services = document.services ?? {};
    const named = new Set(
      [...text.matchAll(/(?:exec -T|run --rm --no-deps -T --entrypoint sh) ([a-z-]+)/g)].map((m) => m[1]!),
    );
    const writers = /writers=\(([^)]*)\)/.exec(text)![1]!.split(/\s+/).filter(Boolean);
    for (const name of [...named, ...writers]) expect(services, `${file} has no service ${name}`).toHaveProperty(name);
    expect([...named].sort()).toEqual(["mongo-registry", "nodered", "postgres"]);
    // The Node-RED volume is mounted where the script reads and writes it.
    expect(services.nodered?.volumes).toContain("nodered_data:/data");
    // Grafana's own database, and the Mongo root credential the script reads inside the container.
    expect(environmentOf(services.grafana).GF_DATABASE_NAME).toBe("grafana_state");
    expect(text).toContain('grafana_db="grafana_state"');
    const mongo = environmentOf(services["mongo-registry"]);
    expect(mongo).toHaveProperty("MONGO_INITDB_ROOT_USERNAME");
    expect(mongo).toHaveProperty("MONGO_INITDB_ROOT_PASSWORD");
    // Postgres's superuser is the one the script connects as; STATUS's database name is the same variable.
    expect(environmentOf(services.postgres).POSTGRES_USER).toBe("postgres");
    expect(environmentOf(services.postgres).STATUS_DB_NAME).toMatch(/status/);
  });

  it("backs up every store, then restores it after backing up the current state, with the writers stopped", async () => {
    const log = path.join(work, "docker.log");
    const env = { ...process.env, PATH: `${work}:${process.env.PATH}`, FAKE_DOCKER_LOG: log };
    const dir = path.join(work, "backup");

    await run(SCRIPT, ["backup", dir], { env });
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      "SHA256SUMS",
      "mongo-registry.archive.gz",
      "nodered-data.tar.gz",
      "postgres-globals.sql",
      "postgres-grafana_state.dump",
      "postgres-status.dump",
    ]);
    expect(await readFile(path.join(dir, "postgres-status.dump"), "utf8")).toBe("dump of status\n");
    const backupLog = await readFile(log, "utf8");
    expect(backupLog).toContain(
      "compose -f docker-compose.prod.yml exec -T postgres pg_dump -U postgres --format=custom status",
    );
    await rm(log);

    await run(SCRIPT, ["restore", dir], { env });
    const lines = (await readFile(log, "utf8")).trim().split("\n");
    const stop = lines.findIndex((line) => line.includes(" stop "));
    // The current state is backed up first (five dumps), and nothing is loaded before the writers stop.
    expect(
      lines.slice(0, stop).filter((line) => / (pg_dumpall|pg_dump|sh -c mongodump|tar -czf) /.test(line)),
    ).toHaveLength(5);
    expect(lines[stop]).toBe(
      "compose -f docker-compose.prod.yml stop status-backend worker registry director grafana nodered",
    );
    expect(lines.slice(stop + 1)).toEqual([
      "compose -f docker-compose.prod.yml exec -T postgres psql -q -U postgres -d postgres",
      "  stdin: globals",
      expect.stringMatching(/pg_restore -U postgres --clean --if-exists --exit-on-error -d status$/),
      "  stdin: dump of status",
      expect.stringMatching(/pg_restore .* -d grafana_state$/),
      "  stdin: dump of grafana_state",
      expect.stringMatching(/exec -T mongo-registry sh -c mongorestore --quiet --drop --archive --gzip/),
      "  stdin: mongo archive",
      expect.stringMatching(
        /run --rm --no-deps -T --entrypoint sh nodered -c find \/data -mindepth 1 -delete && tar -xzf - -C \/data$/,
      ),
      "  stdin: nodered volume",
      "compose -f docker-compose.prod.yml up -d",
    ]);
    const kept = (await readdir(work)).filter((name) => name.startsWith("backup.before-restore-"));
    expect(kept).toHaveLength(1);
  });

  it("refuses to restore a damaged backup, before touching anything", async () => {
    const log = path.join(work, "damaged.log");
    const env = { ...process.env, PATH: `${work}:${process.env.PATH}`, FAKE_DOCKER_LOG: log };
    const dir = path.join(work, "damaged");
    await run(SCRIPT, ["backup", dir], { env });
    await writeFile(path.join(dir, "postgres-status.dump"), "edited");
    await rm(log);

    const failure = await run(SCRIPT, ["restore", dir], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining("is damaged") });
    await expect(readFile(log, "utf8")).rejects.toThrow();
  });
});

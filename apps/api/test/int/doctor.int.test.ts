import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGrafana, type FakeGrafana } from "../fakes/fake-grafana.ts";
import { startFakeDirector, startFakeGovernifyRegistry } from "../fakes/fake-governify-registry.ts";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/fake-openai.ts";
import { REPO_ROOT } from "../deploy-files.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { databaseUrl, runDatabasePrefix, TEST_POSTGRES_ADMIN_URL } from "../test-env.ts";
import { currentRunId, sharedNodeRed } from "../test-run.ts";

/**
 * `npm run doctor`, run as an admin runs it: the CLI as a process, with a .env made here, against the repository's
 * compose files; and with --live against a running STATUS (real Postgres, Redis, Node-RED; FAKE Grafana, registry,
 * director and OpenAI-compatible server).
 */

const API_DIR = path.resolve(REPO_ROOT, "apps/api");
const SECRETS = [
  "JWT_SECRET",
  "STATUS_ENCRYPTION_KEY",
  "STATUS_ADMIN_PASSWORD",
  "POSTGRES_PASSWORD",
  "STATUS_DB_PASSWORD",
  "GRAFANA_DB_PASSWORD",
  "GRAFANA_STATE_DB_PASSWORD",
  "GRAFANA_ADMIN_PASSWORD",
  "NODE_RED_SERVICE_PASSWORD",
  "NODE_RED_CREDENTIAL_SECRET",
  "MONGO_ROOT_PASSWORD",
  "METRICS_TOKEN",
];

interface DoctorRun {
  code: number;
  output: string;
}

/** The CLI in a process of its own, with only the variables given (no shell variable leaks in). */
async function doctor(args: string[], env: Record<string, string> = {}): Promise<DoctorRun> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/doctor/doctor-cli.ts", ...args],
      { cwd: API_DIR, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** .env.example with the given values set (what `cp .env.example .env` and an editor make). */
async function envFile(dir: string, values: Record<string, string>): Promise<string> {
  let text = await readFile(path.join(REPO_ROOT, ".env.example"), "utf8");
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=.*$`, "m");
    text = line.test(text) ? text.replace(line, `${name}=${value}`) : `${text}\n${name}=${value}\n`;
  }
  const file = path.join(dir, `${uniqueSuffix()}.env`);
  await writeFile(file, text);
  return file;
}

function secretValues(): Record<string, string> {
  return Object.fromEntries(SECRETS.map((name) => [name, randomBytes(32).toString("hex")]));
}

async function openssl(args: string[]): Promise<void> {
  await promisify(execFile)("openssl", args);
}

describe("npm run doctor (a .env against the compose files)", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "status-doctor-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("passes .env.example with generated secrets for both compose files, saying what is optional and missing", async () => {
    const run = await doctor(["--env", await envFile(dir, secretValues())]);

    expect(run.code).toBe(0);
    for (const file of ["docker-compose.dev.yml", "docker-compose.prod.yml"]) expect(run.output).toContain(file);
    expect(run.output.match(/✓ status-backend: configuration valid/g)).toHaveLength(2);
    expect(run.output).toContain("✓ status-backend: configuration valid (production)");
    expect(run.output).toContain("✓ worker: configuration valid (production)");
    expect(run.output).toContain("! status-backend: REGISTRY_URL is set without REGISTRY_COLLECTOR_TOKEN");
    expect(run.output).not.toContain("✗");
  });

  it("names every missing, malformed, default or guessable value and fails", async () => {
    const file = await envFile(dir, {
      ...secretValues(),
      JWT_SECRET: "",
      STATUS_ENCRYPTION_KEY: "not-a-key",
      STATUS_DB_PASSWORD: "p@ss/word",
      GRAFANA_ADMIN_PASSWORD: "grafana-admin-dev",
      MONGO_ROOT_PASSWORD: "changeme",
      METRICS_TOKEN: "short",
      REGISTRY_COLLECTOR_TOKEN: "not-a-personal-token",
      REGISTY_URL: "http://registry",
    });

    const run = await doctor(["--env", file, "--compose", "docker-compose.prod.yml"]);

    expect(run.code).toBe(1);
    for (const line of [
      "✗ JWT_SECRET: missing: set JWT_SECRET (at least 32 random characters) in .env",
      "✗ status-backend: STATUS_ENCRYPTION_KEY: must be 32 bytes as 64 hex digits or base64",
      "✗ worker: METRICS_TOKEN: use at least 16 random characters (e.g. openssl rand -hex 32)",
      "✗ status-backend: REGISTRY_COLLECTOR_TOKEN: use a personal API token (stt_…)",
      "✗ STATUS_DB_PASSWORD: goes into a connection URL unencoded and has characters that break it",
      "✗ GRAFANA_ADMIN_PASSWORD: is a development default of docker-compose.dev.yml",
      "✗ MONGO_ROOT_PASSWORD: is a guessable value",
      "! REGISTY_URL: is set in .env but .env.example documents no such variable (a typo?)",
    ])
      expect(run.output).toContain(line);
    expect(run.output).toContain("fix: openssl rand -hex 32");
  });

  it("fails when there is no .env, saying how to make one", async () => {
    const run = await doctor(["--env", path.join(dir, "missing.env")]);
    expect(run.code).toBe(1);
    expect(run.output).toContain("fix: cp .env.example .env, then fill in the secrets");
  });

  it("checks the reverse proxy's certificate: its key, its host, its expiry and the published ports", async () => {
    const tls = path.join(dir, "tls");
    await mkdir(tls);
    const subject = ["-subj", "/CN=status.example.org", "-addext", "subjectAltName=DNS:status.example.org"];
    const [key, cert] = [path.join(tls, "privkey.pem"), path.join(tls, "fullchain.pem")];
    await openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "90",
      ...subject,
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    const base = { ...secretValues(), STATUS_TLS_DIR: tls };

    const good = await doctor([
      "--env",
      await envFile(dir, { ...base, PUBLIC_URL: "https://status.example.org", STATUS_HTTPS_PORT: "443" }),
      "--compose",
      "docker-compose.prod.yml",
    ]);
    const wrongHost = await doctor([
      "--env",
      await envFile(dir, { ...base, PUBLIC_URL: "http://other.example.org" }),
      "--compose",
      "docker-compose.prod.yml",
    ]);
    await openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "5",
      ...subject,
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    const expiring = await doctor(["--env", await envFile(dir, base), "--compose", "docker-compose.prod.yml"]);
    await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]);
    const mismatched = await doctor(["--env", await envFile(dir, base), "--compose", "docker-compose.prod.yml"]);

    expect(good.code).toBe(0);
    expect(good.output).toMatch(/✓ TLS: https with a certificate valid until/);
    expect(wrongHost.output).toContain("! TLS: the certificate is not for other.example.org (PUBLIC_URL)");
    expect(wrongHost.output).toContain("! PUBLIC_URL: is not https:// although the proxy serves https");
    expect(wrongHost.output).toContain("! STATUS_HTTPS_PORT: https is published on loopback only");
    expect(expiring.output).toMatch(/! TLS: the certificate expires in [45] days/);
    expect(mismatched.code).toBe(1);
    expect(mismatched.output).toContain("✗ TLS: privkey.pem is not the key of fullchain.pem");
  });
});

describe("npm run doctor -- --live (where the API runs)", () => {
  let app: TestApp;
  let grafana: FakeGrafana;
  let openAi: FakeOpenAi;
  const closers: (() => Promise<void>)[] = [];
  let liveEnv: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp();
    grafana = await startFakeGrafana();
    openAi = await startFakeOpenAi();
    const registry = await startFakeGovernifyRegistry({ infrastructure: { "status-backend": app.baseUrl } });
    const director = await startFakeDirector();
    closers.push(
      () => registry.close(),
      () => director.close(),
      () => grafana.close(),
      () => openAi.close(),
    );
    const nodeRed = sharedNodeRed();
    liveEnv = {
      ...app.environment,
      NODE_ENV: "test",
      NODE_RED_URL: nodeRed.baseUrl,
      NODE_RED_HTTP_ROOT: nodeRed.httpRoot,
      NODE_RED_SERVICE_USER: nodeRed.user,
      NODE_RED_SERVICE_PASSWORD: nodeRed.password,
      GRAFANA_URL: grafana.url,
      GRAFANA_ADMIN_USER: grafana.admin.user,
      GRAFANA_ADMIN_PASSWORD: grafana.admin.password,
      REGISTRY_URL: registry.url,
      REGISTRY_COLLECTOR_TOKEN: `stt_${randomBytes(16).toString("hex")}`,
      DIRECTOR_URL: director.url,
      OPENAI_API_KEY: openAi.apiKey,
      OPENAI_BASE_URL: openAi.baseUrl,
    };
  }, 60_000);
  afterAll(async () => {
    for (const close of closers) await close();
    await app?.close();
  });

  it("reports every configured dependency up, with latency and version, and passes", async () => {
    const run = await doctor(["--live"], liveEnv);

    expect(run.code).toBe(0);
    expect(run.output).toMatch(/✓ database: up \([\d.]+ ms, PostgreSQL \d+/);
    expect(run.output).toMatch(/✓ cache: up \([\d.]+ ms, Redis protocol\)/);
    expect(run.output).toMatch(/✓ queue: up/);
    expect(run.output).toMatch(/✓ node-red: up \([\d.]+ ms, 4\./);
    expect(run.output).toMatch(/✓ grafana: up \([\d.]+ ms, 11\.3\.0/);
    expect(run.output).toMatch(/✓ registry: up \([\d.]+ ms, 3\.9\.0-fake\)/);
    expect(run.output).toMatch(/✓ director: up/);
    expect(run.output).toMatch(/✓ ai: up \(\d+ ms, \d+ models\)/);
    expect(run.output).not.toContain("schema");
  });

  it("fails naming what is down and what to check, and a database that was never migrated", async () => {
    const name = `${runDatabasePrefix(currentRunId())}doctor_${uniqueSuffix()}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const unmigrated = await doctor(["--live"], {
        ...liveEnv,
        DATABASE_URL: databaseUrl(name),
        REGISTRY_URL: "http://127.0.0.1:9",
      });
      const wrongKey = await doctor(["--live"], { ...liveEnv, OPENAI_API_KEY: "sk-wrong" });

      expect(unmigrated.code).toBe(1);
      expect(unmigrated.output).toMatch(/✗ schema: \d+ migration\(s\) not applied \(0001_create_users\.sql/);
      expect(unmigrated.output).toMatch(/✗ registry: down/);
      expect(unmigrated.output).toContain(
        "fix: check REGISTRY_URL; the registry listens only once its MongoDB answers",
      );
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.output).toMatch(/✗ ai: ai_invalid_api_key: .+/);
      expect(wrongKey.output).toContain("fix: check the API key and server in Settings → AI");
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

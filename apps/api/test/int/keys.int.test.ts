import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "../../src/lib/secret-box.ts";
import { KeyRotationError, rotateEncryptionKey } from "../../src/modules/encryption/index.ts";
import { loadConfig } from "../../src/config.ts";
import { keyFilePaths, withPersistentKeys } from "../../src/persistent-keys.ts";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/fake-openai.ts";
import { request, signInAs } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { getMe, postRefresh } from "../user-factory.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function storedAiKey(app: TestApp): Promise<string> {
  const { rows } = await app.deps.db.query("select api_key_encrypted from ai_settings");
  return rows[0].api_key_encrypted as string;
}

/** Keys kept under the data directory on the embedded default: a restart signs nobody out and loses no credential. */
describe("a restart of the embedded default", () => {
  let fake: FakeOpenAi;
  let dataDir: string;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "status-restart-"));
  });
  afterAll(async () => {
    await fake?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const startEmbedded = () =>
    startTestApp({
      database: "pglite",
      cache: "memory",
      keys: "data-dir",
      dataDir,
      env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_MAX_RETRIES: "0" },
    });

  it("keeps sessions signed in and the stored OpenAI key readable, with the keys in 0600 files that are reused", async () => {
    const first = await startEmbedded();
    let admin: Awaited<ReturnType<typeof signInAs>>;
    let refreshToken: string;
    try {
      admin = await signInAs(first, "ADMIN");
      refreshToken = (
        await request(first, "POST", "/api/v1/auth/login", {
          body: { username: admin.username, password: admin.password },
        })
      ).body.tokens.refreshToken;
      expect(
        (await request(first, "PATCH", "/api/v1/ai/settings", { token: admin.token, body: { apiKey: fake.apiKey } }))
          .status,
      ).toBe(200);
    } finally {
      await first.close();
    }
    const paths = keyFilePaths(dataDir);
    const keysBefore = [await readFile(paths.jwtSecret, "utf8"), await readFile(paths.encryptionKey, "utf8")];
    expect((await stat(paths.jwtSecret)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.encryptionKey)).mode & 0o777).toBe(0o600);

    const second = await startEmbedded();
    try {
      expect((await getMe(second, admin.token)).status).toBe(200);
      const refreshed = await postRefresh(second, refreshToken);
      expect(refreshed.status).toBe(200);
      expect((await getMe(second, refreshed.body.tokens!.accessToken)).status).toBe(200);
      const check = await request(second, "POST", "/api/v1/ai/settings/check", { token: admin.token });
      expect(check.body).toMatchObject({ isOk: true });
      expect(decryptSecret(second.config.encryption.key, await storedAiKey(second))).toBe(fake.apiKey);
      expect([await readFile(paths.jwtSecret, "utf8"), await readFile(paths.encryptionKey, "utf8")]).toEqual(
        keysBefore,
      );
    } finally {
      await second.close();
    }
  });

  it("rotates the encryption key with the CLI: credentials re-encrypted, the key file replaced, still readable after a restart", async () => {
    const paths = keyFilePaths(dataDir);
    const oldKey = Buffer.from((await readFile(paths.encryptionKey, "utf8")).trim(), "hex");

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/rotate-encryption-key-cli.ts"],
      {
        cwd: apiDir,
        env: {
          ...process.env,
          NODE_ENV: "test",
          LOG_LEVEL: "silent",
          DATA_DIR: dataDir,
          DATABASE_URL: "",
          JWT_SECRET: "",
          STATUS_ENCRYPTION_KEY: "",
        },
      },
    );

    expect(stdout).toContain("ai_settings.api_key_encrypted: 1 re-encrypted, 0 already under the new key");
    const newKey = Buffer.from((await readFile(paths.encryptionKey, "utf8")).trim(), "hex");
    expect(newKey.equals(oldKey)).toBe(false);
    expect((await stat(paths.encryptionKey)).mode & 0o777).toBe(0o600);
    await expect(stat(`${paths.encryptionKey}.next`)).rejects.toMatchObject({ code: "ENOENT" });
    const app = await startEmbedded();
    try {
      expect(app.config.encryption.key.equals(newKey)).toBe(true);
      const blob = await storedAiKey(app);
      expect(decryptSecret(newKey, blob)).toBe(fake.apiKey);
      expect(() => decryptSecret(oldKey, blob)).toThrow();
      const admin = await signInAs(app, "ADMIN");
      expect((await request(app, "POST", "/api/v1/ai/settings/check", { token: admin.token })).body).toMatchObject({
        isOk: true,
      });
    } finally {
      await app.close();
    }
  });
});

describe("production without the keys in the environment", () => {
  it("refuses to start, even with key files in its data directory, and writes none", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "status-production-keys-"));
    try {
      await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));
      const before = await readdir(keyFilePaths(dataDir).directory);

      const failure = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: apiDir,
        env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, JWT_SECRET: "", STATUS_ENCRYPTION_KEY: "" },
        timeout: 60_000,
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );

      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain("JWT_SECRET: required in production");
      expect(failure?.stderr).toContain("STATUS_ENCRYPTION_KEY: required in production");
      expect(await readdir(keyFilePaths(dataDir).directory)).toEqual(before);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("rotating the encryption key (production: old and new key from the environment)", () => {
  const oldKey = randomBytes(32);
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: { STATUS_ENCRYPTION_KEY: oldKey.toString("hex"), OUTBOUND_ALLOW_HOSTS: "127.0.0.1" },
    });
  });
  afterAll(() => app?.close());

  it("re-encrypts every stored credential in one transaction, audits it, and is safe to run again", async () => {
    const admin = await signInAs(app, "ADMIN");
    await request(app, "PATCH", "/api/v1/ai/settings", { token: admin.token, body: { apiKey: "sk-rotate-me-1234" } });
    // The Grafana service account's token is the other stored credential (made by the Grafana bootstrap).
    await app.deps.db.query(
      `insert into grafana_service_account (grafana_url, service_account_id, token_id, token_encrypted)
       values ('http://127.0.0.1:3000', 1, 1, $1)`,
      [encryptSecret(oldKey, "glsa_rotate-me")],
    );
    // A user's TOTP secret is the third.
    await app.deps.db.query(
      "insert into user_totp (user_id, secret_encrypted, confirmed_at, created_at) values ($1, $2, now(), now())",
      [admin.id, encryptSecret(oldKey, "JBSWY3DPEHPK3PXP")],
    );
    // A webhook's signing secret, and after a rotation its previous one, are the fourth and fifth.
    const webhook = await request(app, "POST", "/api/v1/webhooks", {
      token: admin.token,
      body: { url: "http://127.0.0.1:9/hook", events: ["control.failing"] },
    });
    expect(webhook.status, webhook.text).toBe(201);
    const rotated = await request(app, "POST", `/api/v1/webhooks/${webhook.body.id}/rotate-secret`, {
      token: admin.token,
    });
    expect(rotated.status, rotated.text).toBeLessThan(300);
    const newKey = randomBytes(32);

    const report = await rotateEncryptionKey(app.deps, { oldKey, newKey });
    const again = await rotateEncryptionKey(app.deps, { oldKey, newKey });

    expect(report).toEqual([
      { name: "ai_settings.api_key_encrypted", reEncrypted: 1, alreadyRotated: 0 },
      { name: "grafana_service_account.token_encrypted", reEncrypted: 1, alreadyRotated: 0 },
      { name: "user_totp.secret_encrypted", reEncrypted: 1, alreadyRotated: 0 },
      { name: "webhook_subscriptions.secret_encrypted", reEncrypted: 1, alreadyRotated: 0 },
      { name: "webhook_subscriptions.previous_secret_encrypted", reEncrypted: 1, alreadyRotated: 0 },
    ]);
    expect(again).toEqual([
      { name: "ai_settings.api_key_encrypted", reEncrypted: 0, alreadyRotated: 1 },
      { name: "grafana_service_account.token_encrypted", reEncrypted: 0, alreadyRotated: 1 },
      { name: "user_totp.secret_encrypted", reEncrypted: 0, alreadyRotated: 1 },
      { name: "webhook_subscriptions.secret_encrypted", reEncrypted: 0, alreadyRotated: 1 },
      { name: "webhook_subscriptions.previous_secret_encrypted", reEncrypted: 0, alreadyRotated: 1 },
    ]);
    expect(decryptSecret(newKey, await storedAiKey(app))).toBe("sk-rotate-me-1234");
    const grafana = await app.deps.db.query<{ token_encrypted: string }>(
      "select token_encrypted from grafana_service_account",
    );
    expect(decryptSecret(newKey, grafana.rows[0]!.token_encrypted)).toBe("glsa_rotate-me");
    const totp = await app.deps.db.query<{ secret_encrypted: string }>("select secret_encrypted from user_totp");
    expect(decryptSecret(newKey, totp.rows[0]!.secret_encrypted)).toBe("JBSWY3DPEHPK3PXP");
    const secrets = await app.deps.db.query<{ secret_encrypted: string; previous_secret_encrypted: string }>(
      "select secret_encrypted, previous_secret_encrypted from webhook_subscriptions where id = $1",
      [webhook.body.id],
    );
    expect(decryptSecret(newKey, secrets.rows[0]!.secret_encrypted)).toBe(rotated.body.secret);
    expect(decryptSecret(newKey, secrets.rows[0]!.previous_secret_encrypted)).toBe(webhook.body.secret);
    const audit = await app.deps.db.query(
      "select actor_id, action, after from audit_log where resource_type = 'encryption_key' order by id",
    );
    expect(audit.rows[0]).toEqual({ actor_id: null, action: "update", after: { rotated: report } });
    expect(JSON.stringify(audit.rows)).not.toContain("sk-rotate-me");
    expect(JSON.stringify(audit.rows)).not.toContain("glsa_");
    expect(JSON.stringify(audit.rows)).not.toContain("JBSWY3DPEHPK3PXP");
  });

  it("changes nothing when a value opens with neither key", async () => {
    const strayKey = randomBytes(32);
    await app.deps.db.query(
      `insert into ai_settings (id, api_key_encrypted, api_key_last4) values (true, $1, '1234')
       on conflict (id) do update set api_key_encrypted = excluded.api_key_encrypted`,
      [encryptSecret(strayKey, "sk-unknown-1234")],
    );
    const before = await storedAiKey(app);

    await expect(rotateEncryptionKey(app.deps, { oldKey, newKey: randomBytes(32) })).rejects.toThrow(KeyRotationError);
    expect(await storedAiKey(app)).toBe(before);
  });

  it("refuses a new key equal to the current one", async () => {
    await expect(rotateEncryptionKey(app.deps, { oldKey, newKey: Buffer.from(oldKey) })).rejects.toThrow(
      /same as the current/,
    );
  });
});

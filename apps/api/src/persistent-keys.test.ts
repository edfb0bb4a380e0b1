import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { KeyFileError, keyFilePaths, withPersistentKeys } from "./persistent-keys.ts";

const SECRET = "s".repeat(32);
const ENCRYPTION_KEY = "ab".repeat(32);

describe("withPersistentKeys", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "status-keys-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

  it("creates both keys once under DATA_DIR/keys with mode 0600 (directory 0700) when the environment sets neither", async () => {
    const { config, files } = await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));

    const paths = keyFilePaths(dataDir);
    expect(files).toEqual([
      { path: paths.jwtSecret, isNew: true },
      { path: paths.encryptionKey, isNew: true },
    ]);
    expect(await modeOf(paths.jwtSecret)).toBe(0o600);
    expect(await modeOf(paths.encryptionKey)).toBe(0o600);
    expect(await modeOf(paths.directory)).toBe(0o700);
    expect(config.auth.jwtSecret).toBe((await readFile(paths.jwtSecret, "utf8")).trim());
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.encryption.key.toString("hex")).toBe((await readFile(paths.encryptionKey, "utf8")).trim());
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reuses the files on the next start: the same keys, nothing rewritten", async () => {
    const first = await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));
    const written = await stat(keyFilePaths(dataDir).jwtSecret);

    const second = await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));

    expect(second.files.map((file) => file.isNew)).toEqual([false, false]);
    expect(second.config.auth.jwtSecret).toBe(first.config.auth.jwtSecret);
    expect(second.config.encryption.key.equals(first.config.encryption.key)).toBe(true);
    expect((await stat(keyFilePaths(dataDir).jwtSecret)).mtimeMs).toBe(written.mtimeMs);
  });

  it("gives two processes starting together the same keys", async () => {
    const [api, worker] = await Promise.all([
      withPersistentKeys(loadConfig({ DATA_DIR: dataDir })),
      withPersistentKeys(loadConfig({ DATA_DIR: dataDir })),
    ]);

    expect(api.config.auth.jwtSecret).toBe(worker.config.auth.jwtSecret);
    expect(api.config.encryption.key.equals(worker.config.encryption.key)).toBe(true);
  });

  it("narrows a key file others can read to 0600", async () => {
    await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));
    await chmod(keyFilePaths(dataDir).encryptionKey, 0o644);

    await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));

    expect(await modeOf(keyFilePaths(dataDir).encryptionKey)).toBe(0o600);
  });

  it("refuses a malformed key file rather than replacing it (that would lose what it protects)", async () => {
    await withPersistentKeys(loadConfig({ DATA_DIR: dataDir }));
    await writeFile(keyFilePaths(dataDir).encryptionKey, "not a key\n");

    await expect(withPersistentKeys(loadConfig({ DATA_DIR: dataDir }))).rejects.toThrow(KeyFileError);
    expect(await readFile(keyFilePaths(dataDir).encryptionKey, "utf8")).toBe("not a key\n");
  });

  it("touches no file when the environment sets the keys (production) and keeps the JWT_SECRET-derived key", async () => {
    const production = loadConfig({
      NODE_ENV: "production",
      JWT_SECRET: SECRET,
      STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY,
      DATA_DIR: dataDir,
    });
    const derived = loadConfig({ JWT_SECRET: SECRET, DATA_DIR: dataDir });

    expect(await withPersistentKeys(production)).toEqual({ config: production, files: [] });
    expect(await withPersistentKeys(derived)).toEqual({ config: derived, files: [] });
    await expect(stat(keyFilePaths(dataDir).directory)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("keeps only the missing signing key in a file when STATUS_ENCRYPTION_KEY is set", async () => {
    const { config, files } = await withPersistentKeys(
      loadConfig({ STATUS_ENCRYPTION_KEY: ENCRYPTION_KEY, DATA_DIR: dataDir }),
    );

    expect(files).toEqual([{ path: keyFilePaths(dataDir).jwtSecret, isNew: true }]);
    expect(config.encryption.key.toString("hex")).toBe(ENCRYPTION_KEY);
  });
});

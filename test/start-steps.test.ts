import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentHash, isStampCurrent, SPA_INPUTS, SPA_STAMP, writeStamp } from "../scripts/start-steps.mjs";

/** npm start's decisions (scripts/start.mjs): rebuild the SPA only when what its build reads changed. */
describe("the SPA's source hash", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "status-start-steps-"));
    for (const [file, text] of [
      ["apps/web/src/main.tsx", "render()"],
      ["apps/web/src/features/a.tsx", "a"],
      ["apps/web/index.html", "<div id=root>"],
      ["apps/web/package.json", "{}"],
      ["packages/shared/src/index.ts", "export {}"],
      ["pnpm-lock.yaml", "lock"],
      ["apps/web/dist/index.html", "built"],
      ["apps/web/node_modules/x/index.js", "dependency"],
    ]) {
      await mkdir(path.dirname(path.join(root, file!)), { recursive: true });
      await writeFile(path.join(root, file!), text!);
    }
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("is current after a build, and stale after a source, a shared contract or the lockfile changes", async () => {
    const hash = await contentHash(root, SPA_INPUTS);
    await writeStamp(root, SPA_STAMP, hash);
    expect(await isStampCurrent(root, SPA_STAMP, await contentHash(root, SPA_INPUTS), "apps/web/dist/index.html")).toBe(
      true,
    );

    for (const file of ["apps/web/src/features/a.tsx", "packages/shared/src/index.ts", "pnpm-lock.yaml"]) {
      await writeFile(path.join(root, file), "changed");
      expect(await contentHash(root, SPA_INPUTS), file).not.toBe(hash);
      await rm(path.join(root, file));
      await writeFile(
        path.join(root, file),
        file.endsWith("a.tsx") ? "a" : file.endsWith(".ts") ? "export {}" : "lock",
      );
    }
    expect(await contentHash(root, SPA_INPUTS)).toBe(hash);
  });

  it("changes when a file is added or renamed, not when node_modules or the build output change", async () => {
    const hash = await contentHash(root, SPA_INPUTS);
    await writeFile(path.join(root, "apps/web/node_modules/x/index.js"), "another version");
    await writeFile(path.join(root, "apps/web/dist/index.html"), "rebuilt");
    expect(await contentHash(root, SPA_INPUTS)).toBe(hash);

    await writeFile(path.join(root, "apps/web/src/features/b.tsx"), "");
    expect(await contentHash(root, SPA_INPUTS)).not.toBe(hash);
  });

  it("is stale without a stamp, or without the build it stands for", async () => {
    const hash = await contentHash(root, SPA_INPUTS);
    expect(await isStampCurrent(root, SPA_STAMP, hash, "apps/web/dist/index.html")).toBe(false);
    await writeStamp(root, SPA_STAMP, hash);
    await rm(path.join(root, "apps/web/dist/index.html"));
    expect(await isStampCurrent(root, SPA_STAMP, hash, "apps/web/dist/index.html")).toBe(false);
  });
});

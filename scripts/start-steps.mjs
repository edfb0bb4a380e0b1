// The decisions of `npm start` (scripts/start.mjs) that make a warm restart quick: skip `pnpm install` when nothing
// it reads changed, and rebuild the SPA only when its sources changed. Plain JavaScript, because it runs before the
// dependencies (tsx among them) are installed. Tested by test/start-steps.test.ts.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** What `pnpm install` reads: the lockfile, the workspace and every package manifest (and the Node.js version). */
export const INSTALL_INPUTS = [
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  "package.json",
  "apps/*/package.json",
  "packages/*/package.json",
];
/** What the SPA's build reads: its sources and configuration, the shared contracts, and the locked dependencies. */
export const SPA_INPUTS = [
  "apps/web/src",
  "apps/web/public",
  "apps/web/index.html",
  "apps/web/vite.config.ts",
  "apps/web/tsconfig.json",
  "apps/web/package.json",
  "packages/shared/src",
  "packages/shared/package.json",
  "pnpm-lock.yaml",
];
/** What the API's bundle (apps/api/build.mjs) reads. */
export const API_INPUTS = [
  "apps/api/src",
  "apps/api/build.mjs",
  "apps/api/package.json",
  "packages/shared/src",
  "packages/shared/package.json",
  "pnpm-lock.yaml",
];
export const API_STAMP = "apps/api/dist/.source-hash";
export const INSTALL_STAMP = "node_modules/.status-install-hash";
export const SPA_STAMP = "apps/web/dist/.source-hash";

/** Every file an input names (a file, a directory walked recursively, or `dir/*\/file`), sorted, relative to root. */
async function filesOf(root, inputs) {
  const files = [];
  for (const input of inputs) {
    const star = input.indexOf("/*/");
    if (star >= 0) {
      const parent = path.join(root, input.slice(0, star));
      const rest = input.slice(star + 3);
      const entries = existsSync(parent) ? await readdir(parent, { withFileTypes: true }) : [];
      for (const entry of entries)
        if (entry.isDirectory() && existsSync(path.join(parent, entry.name, rest)))
          files.push(path.join(input.slice(0, star), entry.name, rest));
      continue;
    }
    const full = path.join(root, input);
    if (!existsSync(full)) continue;
    const entries = await readdir(full, { withFileTypes: true, recursive: true }).catch(() => undefined);
    if (!entries) files.push(input);
    else
      for (const entry of entries)
        if (entry.isFile() && !entry.parentPath.split(path.sep).includes("node_modules"))
          files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return [...new Set(files)].sort();
}

/** A SHA-256 over the names and contents of the inputs' files, and `extra` (e.g. the Node.js version). */
export async function contentHash(root, inputs, extra = "") {
  const hash = createHash("sha256").update(extra);
  for (const file of await filesOf(root, inputs)) {
    hash.update(`\0${file.split(path.sep).join("/")}\0`);
    hash.update(await readFile(path.join(root, file)));
  }
  return hash.digest("hex");
}

/** Whether the stamp holds `hash` (and what it stands for, `mustExist`, is there). */
export async function isStampCurrent(root, stamp, hash, mustExist) {
  if (mustExist && !existsSync(path.join(root, mustExist))) return false;
  const stored = await readFile(path.join(root, stamp), "utf8").catch(() => "");
  return stored.trim() === hash;
}

export async function writeStamp(root, stamp, hash) {
  await writeFile(path.join(root, stamp), `${hash}\n`);
}

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The SPA built once for the e2e run, served by every e2e test app (WEB_DIST_DIR). */
    webDistDir: string;
  }
}

const WEB_ROOT = path.resolve(import.meta.dirname, "../../web");

/** Builds the SPA once into a temporary directory (apps/web/dist is left alone) and removes it after the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "status-e2e-web-"));
  await promisify(execFile)(
    path.join(WEB_ROOT, "node_modules/.bin/vite"),
    ["build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"],
    {
      cwd: WEB_ROOT,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  project.provide("webDistDir", outDir);
  return () => rm(outDir, { recursive: true, force: true });
}

// Compiles the API's entry points to JavaScript in dist/ (what the production image and `npm start` run): one bundle
// of our TypeScript and @status/shared, split into shared chunks, with every npm dependency left to node_modules.
// Loading a few files instead of hundreds of TypeScript modules through tsx is most of a warm start's saving.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const apiDir = import.meta.dirname;
const manifest = JSON.parse(await readFile(path.join(apiDir, "package.json"), "utf8"));
// The workspace's TypeScript packages (the shared contracts, and the pack verifier whose chain hash the points module
// uses) are sources: bundled. Everything else is resolved at run time.
const BUNDLED = new Set(["@status/shared", "@status/verify-pack"]);
const external = Object.keys(manifest.dependencies).filter((name) => !BUNDLED.has(name));

export const ENTRY_POINTS = {
  main: "src/main.ts",
  worker: "src/worker.ts",
  "worker-healthcheck": "src/worker-healthcheck.ts",
  "migrate-cli": "src/db/migrate-cli.ts",
  "seed-cli": "src/seed/seed-cli.ts",
  "rotate-encryption-key-cli": "src/rotate-encryption-key-cli.ts",
  "backup-cli": "src/backup/backup-cli.ts",
  "restore-cli": "src/backup/restore-cli.ts",
};

// `node build.mjs [<outdir>]`: dist/ by default; tests compile into a directory of their own.
const outdir = path.resolve(apiDir, process.argv[2] ?? "dist");
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: apiDir,
  entryPoints: ENTRY_POINTS,
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external,
  sourcemap: "linked",
  logLevel: "warning",
});

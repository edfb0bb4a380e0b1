import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * V8's heap sizing for every process that runs the engine or the API: a young generation of at most 8 MiB per
 * semi-space and an old generation sized for a container (1 GiB), so V8 collects at a small multiple of the live heap
 * instead of letting promoted garbage grow to several times it. The compute and API benches run with the same flags, so
 * what they measure is what production runs.
 */
const HEAP_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=1024"];
const apiDir = path.resolve(import.meta.dirname, "..");
const repoDir = path.resolve(apiDir, "../..");

describe("heap flags", () => {
  it("are given to the API, the worker and the compute bench by their scripts", async () => {
    const { scripts } = JSON.parse(await readFile(path.join(apiDir, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const name of ["start", "worker", "bench:compute"])
      expect(scripts[name], name).toMatch(new RegExp(`^node ${HEAP_FLAGS.join(" ")} --import tsx `));
  });

  it("are in the image's environment", async () => {
    const dockerfile = await readFile(path.join(apiDir, "Dockerfile"), "utf8");
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain(`ENV NODE_OPTIONS="${HEAP_FLAGS.join(" ")}"`);
  });

  it("are given to the API and the bare Express hello that `npm run bench:api` spawns", async () => {
    const bench = await readFile(path.join(apiDir, "bench/api.bench.ts"), "utf8");
    expect(bench).toContain(`const HEAP_FLAGS = ${JSON.stringify(HEAP_FLAGS).replaceAll(",", ", ")};`);
    expect(bench).toMatch(/spawn\(process\.execPath, \[\.\.\.HEAP_FLAGS, /);
  });

  it("are given to the compiled API that `npm start` spawns", async () => {
    const start = await readFile(path.join(repoDir, "scripts/start.mjs"), "utf8");
    expect(start).toContain(`const HEAP_FLAGS = ${JSON.stringify(HEAP_FLAGS).replaceAll(",", ", ")};`);
    expect(start).toMatch(/spawn\(process\.execPath, \[\.\.\.HEAP_FLAGS, "dist\/main\.js"/);
  });
});

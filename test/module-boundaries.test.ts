import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The boundaries of .dependency-cruiser.cjs, proven to bite: each case writes a probe file with one forbidden import
 * into the real tree, runs dependency-cruiser on it the way `npm run lint` does, and expects the named rule to fail.
 */
const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const probes: string[] = [];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function writeProbe(relativeDir: string, source: string, ext = "ts"): Promise<string> {
  const file = path.join(relativeDir, `boundary-probe-${randomBytes(4).toString("hex")}.${ext}`);
  await mkdir(path.join(root, relativeDir), { recursive: true });
  await writeFile(path.join(root, file), source);
  probes.push(file);
  return file;
}

async function violationsOf(...files: string[]): Promise<Violation[]> {
  const run = promisify(execFile);
  const args = [cli, ...files, "--config", ".dependency-cruiser.cjs", "--output-type", "json", "--no-cache"];
  // dependency-cruiser exits non-zero when it finds violations; the JSON on stdout is what we read either way.
  const { stdout } = await run(process.execPath, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
  );
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

function ruleNames(violations: Violation[]): string[] {
  return [...new Set(violations.map((violation) => violation.rule.name))];
}

afterEach(async () => {
  await Promise.all(probes.splice(0).map((file) => rm(path.join(root, file), { force: true, recursive: true })));
});

describe("module boundaries", () => {
  it("refuses infrastructure that imports a feature module", async () => {
    const probe = await writeProbe("apps/api/src/http", 'export * from "../modules/audit/audit.service.ts";\n');
    expect(ruleNames(await violationsOf(probe))).toContain("api-infrastructure-not-features");
  });

  it("refuses an API module that reaches into another module's internals", async () => {
    const probe = await writeProbe("apps/api/src/modules/audit", 'export * from "../catalogs/catalogs.service.ts";\n');
    expect(ruleNames(await violationsOf(probe))).toContain("api-module-public-entry");
  });

  it("refuses another module's repository", async () => {
    const probe = await writeProbe(
      "apps/api/src/modules/audit",
      'export * from "../catalogs/catalogs.repository.ts";\n',
    );
    expect(ruleNames(await violationsOf(probe))).toContain("api-repositories-private");
  });

  it("keeps the evaluation pipeline's folders private: the rest of the API uses its index.ts", async () => {
    const fromModule = await writeProbe(
      "apps/api/src/modules/audit",
      'export * from "../evaluation/index.ts";\nexport * from "../evaluation/worker/run-processor.ts";\n',
    );
    const fromOutside = await writeProbe(
      "apps/api/src/mcp",
      'export * from "../modules/evaluation/runs/runs.service.ts";\n',
    );

    const violations = await violationsOf(fromModule, fromOutside);
    expect(violations.map((violation) => [violation.rule.name, violation.to]).sort()).toEqual([
      ["api-module-public-entry", "apps/api/src/modules/evaluation/worker/run-processor.ts"],
      ["api-outside-modules-public-entry", "apps/api/src/modules/evaluation/runs/runs.service.ts"],
    ]);
  });

  it("lets the evaluation pipeline's stages use each other, repositories included", async () => {
    const probe = await writeProbe(
      "apps/api/src/modules/evaluation/results",
      'export * from "../runs/runs.repository.ts";\nexport * from "../worker/run-terms.ts";\n',
    );
    const violations = await violationsOf(probe);
    expect(violations.filter((violation) => violation.from === probe)).toEqual([]);
  });

  it("refuses a runs, computations or scheduler module beside the evaluation pipeline", async () => {
    const dir = "apps/api/src/modules/scheduler";
    // Removed afterwards only if this test made it, so that a real folder of that name is never deleted here.
    if ((await mkdir(path.join(root, dir), { recursive: true })) !== undefined) probes.push(dir);
    const stray = await writeProbe(dir, "export const stray = 1;\n");
    const probe = await writeProbe(
      "apps/api/src/modules/audit",
      `export * from "../scheduler/${path.basename(stray)}";\n`,
    );
    expect(ruleNames(await violationsOf(probe))).toContain("api-evaluation-one-home");
  });

  it("refuses a web feature that reaches into another feature", async () => {
    const probe = await writeProbe(
      "apps/web/src/features/audit",
      'export * from "../catalogs/components/catalogs-table.tsx";\n',
    );
    expect(ruleNames(await violationsOf(probe))).toContain("web-feature-public-entry");
  });

  it("refuses a web feature that reaches into another feature through the @/ alias", async () => {
    const probe = await writeProbe(
      "apps/web/src/features/audit",
      'export * from "@/features/catalogs/components/catalogs-table.tsx";\n',
    );
    expect(ruleNames(await violationsOf(probe))).toContain("web-feature-public-entry");
  });

  it("lets a web feature use another feature's public entry, and only that, through the @/ alias", async () => {
    const feature = `boundary-probe-${randomBytes(4).toString("hex")}`;
    const dir = path.join("apps/web/src/features", feature);
    await mkdir(path.join(root, dir), { recursive: true });
    probes.push(dir);
    await writeFile(path.join(root, dir, "index.ts"), "export const entry = 1;\n");
    await writeFile(path.join(root, dir, "internal.ts"), "export const internal = 2;\n");
    const probe = await writeProbe(
      "apps/web/src/features/audit",
      `export * from "@/features/${feature}/index.ts";\nexport * from "@/features/${feature}/internal.ts";\n`,
    );

    const violations = (await violationsOf(probe)).filter(
      (violation) => violation.rule.name === "web-feature-public-entry",
    );
    expect(violations.map((violation) => violation.to)).toEqual([`${dir}/internal.ts`]);
  });

  it("refuses shared web layers that import a feature or the app", async () => {
    const probe = await writeProbe(
      "apps/web/src/components/ui",
      'export * from "@/features/catalogs/api/get-catalogs.ts";\nexport * from "@/app/router.tsx";\n',
      "tsx",
    );
    const violations = await violationsOf(probe);
    expect(violations.filter((violation) => violation.rule.name === "web-shared-layers-not-features")).toHaveLength(2);
  });

  it("refuses an import cycle", async () => {
    const name = `boundary-probe-${randomBytes(4).toString("hex")}`;
    const first = await writeProbe("apps/api/src/lib", `export { b } from "./${name}-b.ts";\nexport const a = 1;\n`);
    const second = path.join("apps/api/src/lib", `${name}-b.ts`);
    await writeFile(path.join(root, second), `export { a } from "./${path.basename(first)}";\nexport const b = 2;\n`);
    probes.push(second);
    expect(ruleNames(await violationsOf(first))).toContain("no-cycles");
  });
});

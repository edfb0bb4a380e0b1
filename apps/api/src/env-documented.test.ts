import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES } from "./config.ts";

const srcDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(srcDir, "../../..");

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return Promise.resolve(entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : []);
    }),
  );
  return nested.flat();
}

describe("environment variables", () => {
  it(".env.example documents every variable the config reads", async () => {
    const example = await readFile(path.join(repoRoot, ".env.example"), "utf8");
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const undocumented = ENV_VARIABLES.filter((name) => !documented.has(name));
    expect(undocumented).toEqual([]);
  });

  it(".env.example documents every variable the compose files use", async () => {
    const example = await readFile(path.join(repoRoot, ".env.example"), "utf8");
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    // The base file holds what both compose files take from it through `extends`.
    for (const file of ["docker-compose.dev.yml", "docker-compose.prod.yml", "docker-compose.base.yml"]) {
      // YAML comments are not interpolated by Compose.
      const compose = (await readFile(path.join(repoRoot, file), "utf8")).replace(/^\s*#.*$/gm, "");
      // Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME:?message}; `$${…}` is an escaped dollar.
      const used = [
        ...new Set([...compose.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!)),
      ];
      expect(used.length).toBeGreaterThan(0);
      expect({ file, undocumented: used.filter((name) => !documented.has(name)) }).toEqual({ file, undocumented: [] });
    }
  });

  it("only config.ts reads process.env", async () => {
    const readers: string[] = [];
    for (const file of await sourceFiles(srcDir)) {
      if (file.endsWith(`${path.sep}config.ts`)) continue;
      if ((await readFile(file, "utf8")).includes("process.env")) readers.push(path.relative(srcDir, file));
    }
    expect(readers).toEqual([]);
  });
});

import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Issue 20 item 6: `/api/v1/openapi.json` is what client generators accept. It lints with no error and no warning
 * under Redocly's recommended ruleset, and openapi-typescript generates types from it that a typed openapi-fetch
 * client compiles against (tsc, strict) and then calls the running API with.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(here, "../../../..");
const tscBin = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** Typed calls through the generated client: if the document's types were wrong, tsc refuses this file. */
const CALLS_SOURCE = `import createClient from "openapi-fetch";
import type { paths } from "./status-api.ts";

export async function callStatusApi(baseUrl: string, token: string, name: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
  const health = await client.GET("/health");
  const created = await client.POST("/catalogs", { body: { name, firstDayOfWeek: 1 } });
  if (!created.data) throw new Error(\`create failed: \${created.response.status}\`);
  const catalogId: string = created.data.id;
  const read = await client.GET("/catalogs/{id}", { params: { path: { id: catalogId } } });
  const library = await client.GET("/frameworks/library");
  const missing = await client.GET("/catalogs/{id}", {
    params: { path: { id: "00000000-0000-4000-8000-000000000000" } },
  });
  const refused = await client.GET("/frameworks/{id}/requirements", {
    params: { path: { id: catalogId }, query: { pageSize: 0 } },
  });
  return {
    healthStatus: health.response.status,
    catalogId,
    catalogName: read.data?.name,
    libraryNames: library.data?.items.map((item) => item.name) ?? [],
    missing: { status: missing.response.status, code: missing.error?.code },
    refused: { status: refused.response.status, code: refused.error?.code },
  };
}
`;

describe("the OpenAPI document and a client generated from it", () => {
  let app: TestApp;
  let developer: TestUser;
  let document: Record<string, unknown>;
  const workDir = path.join(here, `../.generated-${uniqueSuffix()}`);

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
    document = (await request(app, "GET", "/api/v1/openapi.json")).body;
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
    await app?.close();
  });

  it("lints with 0 errors and 0 warnings under Redocly's recommended ruleset", async () => {
    const config = await createConfig({ extends: ["recommended"] });

    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "/openapi.json", config });

    expect(
      problems.map(
        (problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`,
      ),
    ).toEqual([]);
  });

  it("keeps shared and recursive schemas under components, and every operation has its 4xx problems", () => {
    const components = document.components as { schemas: Record<string, unknown>; responses: Record<string, unknown> };
    expect(Object.keys(components.schemas)).toEqual(
      expect.arrayContaining(["Problem", "JsonValue", "RequirementNode"]),
    );
    expect(JSON.stringify(document)).not.toContain("#/$defs/");
    const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [route, operations] of Object.entries(paths))
      for (const [method, operation] of Object.entries(operations))
        expect(
          Object.keys(operation.responses).some((status) => status.startsWith("4")),
          `${method} ${route}`,
        ).toBe(true);
  });

  it("generates a typed client (openapi-typescript + openapi-fetch) that compiles and calls the API", async () => {
    await mkdir(workDir, { recursive: true });
    await writeFile(path.join(workDir, "status-api.ts"), astToString(await openapiTS(document as never)));
    await writeFile(path.join(workDir, "calls.ts"), CALLS_SOURCE);
    await writeFile(
      path.join(workDir, "tsconfig.json"),
      JSON.stringify({
        extends: path.relative(workDir, path.join(rootDir, "tsconfig.base.json")),
        compilerOptions: { types: [] },
        files: ["calls.ts"],
      }),
    );
    await promisify(execFile)(process.execPath, [tscBin, "-p", workDir]).catch((error: Error & { stdout?: string }) => {
      throw new Error(`the generated client does not compile:\n${error.stdout ?? error.message}`);
    });
    const { callStatusApi } = (await import(pathToFileURL(path.join(workDir, "calls.ts")).href)) as {
      callStatusApi: (baseUrl: string, token: string, name: string) => Promise<Record<string, unknown>>;
    };

    const name = `Typed client ${uniqueSuffix()}`;
    const result = await callStatusApi(`${app.baseUrl}/api/v1`, developer.token, name);

    expect(result).toMatchObject({
      healthStatus: 200,
      catalogName: name,
      libraryNames: expect.arrayContaining(["nist-800-53-rev5-low"]),
      missing: { status: 404, code: "not_found" },
      refused: { status: 400, code: "validation_failed" },
    });
  }, 60_000);
});

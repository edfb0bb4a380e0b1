import { LivenessSchema, ReadinessSchema } from "@status/shared";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../src/app.ts";
import { request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** `/catalogs/:id` as OpenAPI writes it: `/catalogs/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

describe("API description and health", () => {
  let app: TestApp;
  const routes = apiRoutes({
    config: { auth: { jwtSecret: "x".repeat(32) }, github: { enabled: false }, oidc: { isEnabled: false } },
  } as never);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  describe("GET /api/v1/openapi.json", () => {
    it("is a public OpenAPI 3.1.0 document of the STATUS API", async () => {
      const response = await request(app, "GET", "/api/v1/openapi.json");

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({
        openapi: "3.1.0",
        info: { title: "STATUS API", version: expect.any(String) },
        servers: [{ url: "/api/v1" }],
      });
      expect(response.body.components.schemas.Problem).toBeDefined();
    });

    it("has an operation for every route of the route table, and nothing else", async () => {
      const { body: document } = await request(app, "GET", "/api/v1/openapi.json");

      const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`),
      );
      const routed = routes.map((route) => `${route.method} ${openApiPath(route.path)}`);
      expect(routed.length).toBeGreaterThan(30);
      expect(documented.sort()).toEqual([...routed].sort());
    });

    it("describes the access of each operation, and marks public ones as needing no credentials", async () => {
      const { body: document } = await request(app, "GET", "/api/v1/openapi.json");

      for (const route of routes) {
        const operation = document.paths[openApiPath(route.path)][route.method];
        const label = `${route.method} ${route.path}`;
        expect(operation.description, label).toMatch(/^Access: /);
        if (route.access === "public") {
          expect(operation.security, label).toEqual([]);
          expect(operation.description, label).toContain("No authentication");
        } else {
          expect(operation.security, label).toBeUndefined();
          expect(operation.description, label).toContain(route.access === "USER" ? "Any signed-in role" : route.access);
        }
      }
    });

    it("gives every operation a unique operationId, its path parameters, and problem+json errors", async () => {
      const { body: document } = await request(app, "GET", "/api/v1/openapi.json");

      const operations = routes.map((route) => ({
        route,
        operation: document.paths[openApiPath(route.path)][route.method],
      }));
      const ids = operations.map(({ operation }) => operation.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { route, operation } of operations) {
        const pathParameters = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
        const declared = operation.parameters
          .filter((parameter: { in: string }) => parameter.in === "path")
          .map((parameter: { name: string }) => parameter.name);
        expect(declared.sort(), route.path).toEqual(pathParameters.sort());
        expect(operation.responses.default.content["application/problem+json"], route.path).toBeDefined();
        if (route.body) expect(operation.requestBody.content["application/json"].schema, route.path).toBeDefined();
      }
    });

    it("documents the catalog contract: the create body's required name and the list's query parameters", async () => {
      const { body: document } = await request(app, "GET", "/api/v1/openapi.json");

      const create = document.paths["/catalogs"].post;
      const list = document.paths["/catalogs"].get;
      expect(create.requestBody.content["application/json"].schema).toMatchObject({
        type: "object",
        required: ["name"],
        properties: { name: { type: "string", maxLength: 100 } },
      });
      expect(create.responses["201"].content["application/json"].schema.properties).toHaveProperty("finalizedAt");
      expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
        expect.arrayContaining(["page", "pageSize", "sort", "q", "status"]),
      );
    });
  });

  describe("GET /api/v1/docs", () => {
    it("answers an HTML page whose scripts load the OpenAPI document", async () => {
      const page = await request(app, "GET", "/api/v1/docs");

      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.text).toContain('id="swagger-ui"');
      const pageUrl = new URL("/api/v1/docs", app.baseUrl);
      const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((match) => new URL(match[1]!, pageUrl));
      const stylesheets = [...page.text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map(
        (match) => new URL(match[1]!, pageUrl),
      );
      expect(scripts.length).toBeGreaterThanOrEqual(2);

      // Every asset the page names is served, and the init script points Swagger UI at the document.
      for (const url of [...scripts, ...stylesheets]) {
        const asset = await fetch(url);
        expect(asset.status, url.pathname).toBe(200);
        await asset.arrayBuffer();
      }
      const ownScripts = scripts.filter((url) => !url.pathname.includes("/assets/"));
      expect(ownScripts).toHaveLength(1);
      const init = await (await fetch(ownScripts[0]!)).text();
      const documentReference = /SwaggerUIBundle\(\{[^}]*url:\s*"([^"]+)"/.exec(init)?.[1];
      expect(documentReference).toBeDefined();
      const documentUrl = new URL(documentReference!, pageUrl);
      expect(documentUrl.pathname).toBe("/api/v1/openapi.json");
      const document = await (await fetch(documentUrl)).json();
      expect(document.openapi).toBe("3.1.0");
    });
  });

  describe("health", () => {
    it("GET /api/v1/health answers ok without credentials", async () => {
      const response = await request(app, "GET", "/api/v1/health");

      expect(response.status).toBe(200);
      expect(LivenessSchema.parse(response.body)).toMatchObject({ status: "ok" });
    });

    it("GET /api/v1/health/ready reports ready with postgres, redis and node-red up", async () => {
      const response = await request(app, "GET", "/api/v1/health/ready");

      expect(response.status).toBe(200);
      const readiness = ReadinessSchema.parse(response.body);
      expect(readiness.status).toBe("ready");
      expect(readiness.checks).toEqual([
        { name: "postgres", status: "up", latencyMs: expect.any(Number) },
        { name: "redis", status: "up", latencyMs: expect.any(Number) },
        { name: "node-red", status: "up", latencyMs: expect.any(Number) },
      ]);
    });

    it("answers not ready (503) naming the dependency when the database does not answer", async () => {
      const realDatabase = app.deps.db;
      // Nothing listens on port 1 of loopback: the pool the app holds now points at a database that is down.
      app.deps.db = new pg.Pool({ host: "127.0.0.1", port: 1, user: "postgres", connectionTimeoutMillis: 1000 });
      try {
        const response = await request(app, "GET", "/api/v1/health/ready");

        expect(response.status).toBe(503);
        expect(ReadinessSchema.parse(response.body)).toMatchObject({
          status: "not_ready",
          checks: [
            { name: "postgres", status: "down", detail: expect.any(String) },
            { name: "redis", status: "up" },
            { name: "node-red", status: "up" },
          ],
        });
      } finally {
        await app.deps.db.end();
        app.deps.db = realDatabase;
      }
    });
  });
});

import { randomUUID } from "node:crypto";
import { ProblemDetailsSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import {
  expectNoServerPath,
  expectProblem,
  request,
  signInAs,
  type TestResponse,
  type TestUser,
} from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/** Every error answer is RFC 9457 problem+json with the fields clients rely on, and names the request it answers. */
function expectFullProblem(response: TestResponse, status: number, code: string, instance: string) {
  const problem = expectProblem(response, status, code);
  expect(ProblemDetailsSchema.parse(problem)).toMatchObject({
    type: `https://status.example/problems/${code}`,
    title: expect.any(String),
    status,
    code,
    instance,
    requestId: response.headers.get("x-request-id"),
  });
  expect(problem.requestId).toBeTruthy();
  return problem;
}

function pathsOf(problem: { errors?: { path: string }[] }): string[] {
  return (problem.errors ?? []).map((issue) => issue.path);
}

describe("errors at the edge", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { BODY_LIMIT: "1kb" } });
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  async function countCatalogsNamed(name: string): Promise<number> {
    const { rows } = await app.deps.db.query("select count(*)::int as count from catalogs where name = $1", [name]);
    return rows[0].count;
  }

  describe("request bodies", () => {
    it("answers malformed JSON with 400 malformed_json", async () => {
      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        rawBody: '{"name": "unterminated',
        headers: { "content-type": "application/json" },
      });

      expectFullProblem(response, 400, "malformed_json", "/api/v1/catalogs");
    });

    it("lists an unknown field as such", async () => {
      const name = `Extra ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name, colour: "blue" },
      });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/catalogs");
      expect(problem.errors).toEqual([{ path: "body", message: "Unknown field: colour" }]);
      expect(await countCatalogsNamed(name)).toBe(0);
    });

    it("lists every wrong type at once, not only the first", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: 42, period: "SOMETIMES", threshold: "high", params: [] },
      });

      const problem = expectFullProblem(response, 400, "validation_failed", `/api/v1/catalogs/${catalog.id}/controls`);
      expect(pathsOf(problem).sort()).toEqual(["body.name", "body.params", "body.period", "body.threshold"]);
      expect(problem.detail).toBe("4 fields are invalid");
    });

    it("refuses a body over BODY_LIMIT with 413 payload_too_large", async () => {
      const name = `Big ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name, description: "x".repeat(2048) },
      });

      const problem = expectFullProblem(response, 413, "payload_too_large", "/api/v1/catalogs");
      expect(problem.detail).toBe("The request body exceeds the size limit");
      expectNoServerPath(response);
      expect(await countCatalogsNamed(name)).toBe(0);
    });

    it.each([
      ["a charset other than UTF-8", { "content-type": "application/json; charset=latin1" }],
      ["an unknown content encoding", { "content-type": "application/json", "content-encoding": "x-unknown" }],
    ])("refuses %s with the body parser's 415 unsupported_media_type", async (_case, headers) => {
      const name = `Latin ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        rawBody: JSON.stringify({ name }),
        headers,
      });

      const problem = expectFullProblem(response, 415, "unsupported_media_type", "/api/v1/catalogs");
      expect(problem.detail).toBe("Send UTF-8 encoded JSON");
      expectNoServerPath(response);
      expect(await countCatalogsNamed(name)).toBe(0);
    });

    it("refuses a text/plain body on a JSON route with 415 unsupported_media_type", async () => {
      const name = `Plain ${uniqueSuffix()}`;

      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        rawBody: JSON.stringify({ name }),
        headers: { "content-type": "text/plain" },
      });

      expectFullProblem(response, 415, "unsupported_media_type", "/api/v1/catalogs");
      expect(await countCatalogsNamed(name)).toBe(0);
    });

    it("refuses a JSON array where an object is expected: 400", async () => {
      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: [{ name: `Array ${uniqueSuffix()}` }],
      });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/catalogs");
      expect(pathsOf(problem)).toEqual(["body"]);
    });

    it("refuses a bare JSON scalar: 400, never 500", async () => {
      const response = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        rawBody: '"just a string"',
        headers: { "content-type": "application/json" },
      });

      expect(response.status).toBe(400);
      expect(["malformed_json", "validation_failed"]).toContain(response.body.code);
    });
  });

  describe("routes, ids and queries", () => {
    it("answers an unknown route with 404 route_not_found", async () => {
      const response = await request(app, "GET", "/api/v1/no-such-thing", { token: developer.token });

      const problem = expectFullProblem(response, 404, "route_not_found", "/api/v1/no-such-thing");
      expect(problem.detail).toContain("GET /api/v1/no-such-thing");
    });

    it("answers a method a known path does not serve with 405 and Allow", async () => {
      const response = await request(app, "PUT", "/api/v1/catalogs", { token: developer.token, body: {} });

      expectFullProblem(response, 405, "method_not_allowed", "/api/v1/catalogs");
      expect(response.headers.get("allow")).toBe("GET, POST");
    });

    it("answers a well-formed id that matches nothing with 404 not_found", async () => {
      const id = randomUUID();

      const response = await request(app, "GET", `/api/v1/catalogs/${id}`, { token: developer.token });

      const problem = expectFullProblem(response, 404, "not_found", `/api/v1/catalogs/${id}`);
      expect(problem.detail).toContain(id);
    });

    it("answers a malformed id with 400 listing params.id", async () => {
      const response = await request(app, "GET", "/api/v1/controls/not-a-uuid", { token: developer.token });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/controls/not-a-uuid");
      expect(problem.errors).toEqual([{ path: "params.id", message: "Must be a UUID" }]);
    });

    it.each([
      ["page=0", "query.page"],
      ["pageSize=1000", "query.pageSize"],
      ["sort=bogus", "query.sort"],
      ["page=abc", "query.page"],
      ["status=archived", "query.status"],
    ])("refuses the query %s: 400 on %s", async (query, path) => {
      const response = await request(app, "GET", `/api/v1/catalogs?${query}`, { token: developer.token });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/catalogs");
      expect(pathsOf(problem)).toEqual([path]);
    });

    it("refuses an unknown query key", async () => {
      const response = await request(app, "GET", "/api/v1/catalogs?limit=5", { token: developer.token });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/catalogs");
      expect(problem.errors).toEqual([{ path: "query", message: "Unknown field: limit" }]);
    });

    it("lists every bad query parameter at once", async () => {
      const response = await request(app, "GET", "/api/v1/catalogs?page=0&pageSize=1000&sort=bogus", {
        token: developer.token,
      });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/catalogs");
      expect(pathsOf(problem).sort()).toEqual(["query.page", "query.pageSize", "query.sort"]);
    });

    it("refuses a repeated query parameter instead of failing on the array", async () => {
      const response = await request(app, "GET", "/api/v1/catalogs?status=draft&status=finalized", {
        token: developer.token,
      });

      expect(response.status).toBe(400);
      expect(pathsOf(response.body)).toEqual(["query.status"]);
    });
  });

  describe("hostile input", () => {
    it("stores an SQL-looking name verbatim and finds it by search", async () => {
      const name = `x'); drop table catalogs;-- ${uniqueSuffix()}`;

      const created = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name, description: "'; delete from users; --" },
      });
      const searched = await request(app, "GET", `/api/v1/catalogs?q=${encodeURIComponent("'); drop table")}`, {
        token: developer.token,
      });

      expect(created.status).toBe(201);
      expect(created.body.name).toBe(name);
      const { rows } = await app.deps.db.query("select name, description from catalogs where id = $1", [
        created.body.id,
      ]);
      expect(rows[0]).toEqual({ name, description: "'; delete from users; --" });
      expect(searched.body.items.map((catalog: { id: string }) => catalog.id)).toContain(created.body.id);
      const users = await app.deps.db.query("select count(*)::int as count from users");
      expect(users.rows[0].count).toBeGreaterThan(0);
    });

    it("stores unicode (accents, CJK, emoji, right-to-left) verbatim", async () => {
      const name = `Çatálogo 目录 🚦 קטלוג ${uniqueSuffix()}`;

      const created = await request(app, "POST", "/api/v1/catalogs", { token: developer.token, body: { name } });
      const reread = await request(app, "GET", `/api/v1/catalogs/${created.body.id}`, { token: developer.token });

      expect(created.status).toBe(201);
      expect(reread.body.name).toBe(name);
      expect(await countCatalogsNamed(name)).toBe(1);
    });

    it("refuses strings beyond their limits with 400, listing each field", async () => {
      const response = await request(app, "POST", "/api/v1/scopes", {
        token: developer.token,
        body: { name: `a${"b".repeat(200)}`, description: "d".repeat(600) },
      });

      const problem = expectFullProblem(response, 400, "validation_failed", "/api/v1/scopes");
      expect(pathsOf(problem).sort()).toEqual(["body.description", "body.name"]);
    });

    it("refuses a 10k-character name and search term, and survives deeply nested params (with a body limit large enough to read them)", async () => {
      const roomy = await startTestApp({ env: { BODY_LIMIT: "300kb" } });
      try {
        const user = await signInAs(roomy, "DEVELOPER");
        const long = "n".repeat(10_000);

        const created = await request(roomy, "POST", "/api/v1/catalogs", {
          token: user.token,
          body: { name: long, description: long },
        });
        const searched = await request(roomy, "GET", `/api/v1/catalogs?q=${long}`, { token: user.token });

        expect(created.status).toBe(400);
        expect(pathsOf(created.body).sort()).toEqual(["body.description", "body.name"]);
        expect(searched.status).toBe(400);
        expect(pathsOf(searched.body)).toEqual(["query.q"]);
        const { rows } = await roomy.deps.db.query("select count(*)::int as count from catalogs");
        expect(rows[0].count).toBe(0);

        const catalog = await createCatalogVia(roomy, user.token);
        const depth = 100_000;
        const nested = await request(roomy, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
          token: user.token,
          rawBody: `{"name": "Deep", "params": {"deep": ${"[".repeat(depth)}${"]".repeat(depth)}}}`,
          headers: { "content-type": "application/json" },
        });
        const problem = expectProblem(nested, 400, "validation_failed");
        expect(problem.errors).toHaveLength(1);
        expect(problem.errors[0]).toMatchObject({
          path: expect.stringMatching(/^body\.params\.deep(\.0)+$/),
          message: expect.stringContaining("Nested more than"),
        });
      } finally {
        await roomy.close();
      }
    });

    it("never answers 500 to control characters, NUL bytes or lone surrogates", async () => {
      const catalog = await createCatalogVia(app, developer.token);
      const hostile = [
        "nul \u0000 byte",
        "bell \u0007 and escape \u001b[31m",
        "lone \ud800 surrogate",
        "zero\u200bwidth",
        "\uFEFFbom",
      ];

      for (const text of hostile) {
        const asCatalog = await request(app, "POST", "/api/v1/catalogs", {
          token: developer.token,
          body: { name: `${text} ${uniqueSuffix()}` },
        });
        const asParam = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
          token: developer.token,
          body: { name: `Control ${uniqueSuffix()}`, params: { value: text } },
        });

        for (const response of [asCatalog, asParam]) {
          expect(response.status, `${JSON.stringify(text)}: ${response.text}`).toBeLessThan(500);
        }
      }
    });

    it("refuses NUL characters and unpaired surrogates (which Postgres cannot store) with 400 naming the field", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const asName = await request(app, "POST", "/api/v1/catalogs", {
        token: developer.token,
        body: { name: `nul \u0000 ${uniqueSuffix()}` },
      });
      const asParam = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Control ${uniqueSuffix()}`, params: { nested: ["ok", "n\u0000l"] } },
      });
      const asSearch = await request(app, "GET", "/api/v1/catalogs?q=a%00b", { token: developer.token });
      const asSurrogate = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Control ${uniqueSuffix()}`, description: "half \ud83d emoji" },
      });

      expect(pathsOf(expectProblem(asName, 400, "validation_failed"))).toEqual(["body.name"]);
      expect(pathsOf(expectProblem(asSurrogate, 400, "validation_failed"))).toEqual(["body.description"]);
      expect(pathsOf(expectProblem(asParam, 400, "validation_failed"))).toEqual(["body.params.nested.1"]);
      expect(pathsOf(expectProblem(asSearch, 400, "validation_failed"))).toEqual(["query.q"]);
      const { rows } = await app.deps.db.query("select id from controls where catalog_id = $1", [catalog.id]);
      expect(rows).toHaveLength(0);
    });

    it.each(["%ED%A0%80", "%FF%FE", "%E0%A4%A", "%", "%25%00", "%F0%9F%9A%A6"])(
      "never answers 500 to the search term %s",
      async (encoded) => {
        const response = await request(app, "GET", `/api/v1/catalogs?q=${encoded}`, { token: developer.token });

        expect(response.status, response.text).toBeLessThan(500);
      },
    );

    it("never answers 500 to numbers JSON can carry but the database cannot", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      for (const threshold of ["1e400", "-0", "99.999999999"]) {
        const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
          token: developer.token,
          rawBody: `{"name": "Number ${uniqueSuffix()}", "threshold": ${threshold}}`,
          headers: { "content-type": "application/json" },
        });

        expect(response.status, `${threshold}: ${response.text}`).toBeLessThan(500);
      }
    });

    it("keeps prototype-polluting keys as plain data", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        rawBody: `{"name": "Proto ${uniqueSuffix()}", "params": {"constructor": {"prototype": {"polluted": true}}}}`,
        headers: { "content-type": "application/json" },
      });

      expect(response.status).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe("request ids", () => {
    it("echoes a safe X-Request-Id on success and in problems", async () => {
      const requestId = `trace-${uniqueSuffix()}`;

      const ok = await request(app, "GET", "/api/v1/catalogs", {
        token: developer.token,
        headers: { "x-request-id": requestId },
      });
      const failed = await request(app, "GET", `/api/v1/catalogs/${randomUUID()}`, {
        token: developer.token,
        headers: { "x-request-id": requestId },
      });

      expect(ok.headers.get("x-request-id")).toBe(requestId);
      expect(failed.headers.get("x-request-id")).toBe(requestId);
      expect(failed.body.requestId).toBe(requestId);
    });

    it("replaces an unsafe X-Request-Id with one of its own", async () => {
      const response = await request(app, "GET", "/api/v1/health", {
        headers: { "x-request-id": "<script>alert(1)</script>" },
      });

      expect(response.headers.get("x-request-id")).toMatch(/^req_[A-Za-z0-9_-]+$/);
    });

    it("gives every request an id, and records it with the audit row of a change", async () => {
      const catalog = await createCatalogVia(app, developer.token);

      const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
        token: developer.token,
        body: { name: `Traced ${uniqueSuffix()}` },
      });

      const requestId = response.headers.get("x-request-id");
      expect(requestId).toMatch(/^req_/);
      const { rows } = await app.deps.db.query(
        "select request_id from audit_log where resource_type = 'control' and resource_id = $1",
        [response.body.id],
      );
      expect(rows).toEqual([{ request_id: requestId }]);
    });
  });

  describe("authentication problems", () => {
    it("answers a missing token with 401 problem+json", async () => {
      const response = await request(app, "GET", "/api/v1/catalogs");

      expectFullProblem(response, 401, "unauthenticated", "/api/v1/catalogs");
    });

    it("checks the credential before reading the body of a refused request", async () => {
      const control = await createControlVia(app, developer.token, (await createCatalogVia(app, developer.token)).id);

      const response = await request(app, "PATCH", `/api/v1/controls/${control.id}`, { body: { threshold: 500 } });

      expect(response.status).toBe(401);
    });
  });
});

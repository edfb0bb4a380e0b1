import { setTimeout as sleep } from "node:timers/promises";
import { AuditPageSchema, type AuditEntry } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createScopeVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

describe("audit trail", () => {
  let app: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await signInAs(app, "ADMIN");
  });
  afterAll(() => app?.close());

  /**
   * A fresh developer who signs in, creates a catalog, renames it and creates a scope: four audit rows of their own.
   * The pauses keep the rows' timestamps apart, so time filters can tell them apart.
   */
  async function arrangeActivity() {
    const developer = await signInAs(app, "DEVELOPER");
    await sleep(5);
    const catalog = await createCatalogVia(app, developer.token);
    await sleep(5);
    await request(app, "PATCH", `/api/v1/catalogs/${catalog.id}`, {
      token: developer.token,
      body: { description: "renamed" },
    });
    await sleep(5);
    const scope = await createScopeVia(app, developer.token);
    return { developer, catalog, scope };
  }

  async function listAudit(query: string) {
    const response = await request(app, "GET", `/api/v1/audit?${query}`, { token: admin.token });
    expect(response.status, response.text).toBe(200);
    return AuditPageSchema.parse(response.body);
  }

  function summary(entries: AuditEntry[]) {
    return entries.map((entry) => `${entry.action} ${entry.resourceType}`);
  }

  it("lists one actor's changes newest first, with the state before and after", async () => {
    const { developer, catalog, scope } = await arrangeActivity();

    const page = await listAudit(`actorId=${developer.id}`);

    expect(page.total).toBe(4);
    expect(summary(page.items)).toEqual(["create scope", "update catalog", "create catalog", "login session"]);
    expect(page.items.every((entry) => entry.actorId === developer.id && entry.actorName === developer.username)).toBe(
      true,
    );
    expect(page.items[0]).toMatchObject({ resourceId: scope.id, before: null, after: scope });
    expect(page.items[1]).toMatchObject({
      resourceId: catalog.id,
      before: catalog,
      after: expect.objectContaining({ description: "renamed" }),
    });
    const timestamps = page.items.map((entry) => Date.parse(entry.at));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
  });

  it("pages through the entries newest first, keeping the total", async () => {
    const { developer } = await arrangeActivity();

    const first = await listAudit(`actorId=${developer.id}&pageSize=3`);
    const second = await listAudit(`actorId=${developer.id}&pageSize=3&page=2`);
    const beyond = await listAudit(`actorId=${developer.id}&pageSize=3&page=3`);
    const oldestFirst = await listAudit(`actorId=${developer.id}&sort=at`);

    expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(summary(first.items)).toEqual(["create scope", "update catalog", "create catalog"]);
    expect(second).toMatchObject({ total: 4, page: 2 });
    expect(summary(second.items)).toEqual(["login session"]);
    expect(beyond).toMatchObject({ total: 4, items: [] });
    expect(summary(oldestFirst.items)).toEqual(["login session", "create catalog", "update catalog", "create scope"]);
  });

  it("filters by resource type, resource id and action", async () => {
    const { developer, catalog } = await arrangeActivity();

    const catalogs = await listAudit(`actorId=${developer.id}&resourceType=catalog`);
    const oneCatalog = await listAudit(`resourceId=${catalog.id}`);
    const updates = await listAudit(`resourceId=${catalog.id}&action=update`);
    const logins = await listAudit(`actorId=${developer.id}&action=login`);

    expect(summary(catalogs.items)).toEqual(["update catalog", "create catalog"]);
    expect(oneCatalog.total).toBe(2);
    expect(oneCatalog.items.every((entry) => entry.resourceId === catalog.id)).toBe(true);
    expect(updates).toMatchObject({
      total: 1,
      items: [{ action: "update", resourceType: "catalog", resourceId: catalog.id }],
    });
    expect(logins).toMatchObject({ total: 1, items: [{ action: "login", resourceType: "session" }] });
  });

  it("filters by time: from is inclusive, to is exclusive", async () => {
    const { developer } = await arrangeActivity();
    const all = await listAudit(`actorId=${developer.id}&sort=at`);
    const [, created, updated] = all.items;

    const fromCreated = await listAudit(`actorId=${developer.id}&from=${encodeURIComponent(created!.at)}`);
    const beforeUpdated = await listAudit(`actorId=${developer.id}&to=${encodeURIComponent(updated!.at)}`);
    const between = await listAudit(
      `actorId=${developer.id}&from=${encodeURIComponent(created!.at)}&to=${encodeURIComponent(updated!.at)}`,
    );

    expect(summary(fromCreated.items)).toEqual(["create scope", "update catalog", "create catalog"]);
    expect(summary(beforeUpdated.items)).toEqual(["create catalog", "login session"]);
    expect(summary(between.items)).toEqual(["create catalog"]);
  });

  it("refuses filters outside the contract: 400 listing each", async () => {
    const response = await request(
      app,
      "GET",
      "/api/v1/audit?resourceType=invoice&action=explode&from=yesterday&actorId=42",
      { token: admin.token },
    );

    const problem = expectProblem(response, 400, "validation_failed");
    expect(problem.errors.map((issue: { path: string }) => issue.path).sort()).toEqual([
      "query.action",
      "query.actorId",
      "query.from",
      "query.resourceType",
    ]);
  });

  it("is for administrators only", async () => {
    const developer = await signInAs(app, "DEVELOPER");

    const response = await request(app, "GET", "/api/v1/audit", { token: developer.token });

    expectProblem(response, 403, "forbidden");
  });

  describe("append-only table", () => {
    it("refuses an UPDATE of an audit row at the database, leaving it unchanged", async () => {
      const { catalog } = await arrangeActivity();
      const before = await app.deps.db.query(
        "select id, actor_name, after from audit_log where resource_id = $1 and action = 'create'",
        [catalog.id],
      );

      await expect(
        app.deps.db.query("update audit_log set actor_name = 'mallory' where resource_id = $1", [catalog.id]),
      ).rejects.toThrow(/append-only/);

      const after = await app.deps.db.query(
        "select id, actor_name, after from audit_log where resource_id = $1 and action = 'create'",
        [catalog.id],
      );
      expect(after.rows).toEqual(before.rows);
    });

    it("refuses a DELETE of audit rows at the database, keeping them", async () => {
      const { catalog } = await arrangeActivity();

      await expect(app.deps.db.query("delete from audit_log where resource_id = $1", [catalog.id])).rejects.toThrow(
        /append-only/,
      );

      const { rows } = await app.deps.db.query("select count(*)::int as count from audit_log where resource_id = $1", [
        catalog.id,
      ]);
      expect(rows[0].count).toBe(2);
    });

    it("keeps the history of a user after the user is deleted", async () => {
      const { developer, catalog } = await arrangeActivity();

      const deleted = await request(app, "DELETE", `/api/v1/users/${developer.id}`, { token: admin.token });

      expect(deleted.status).toBe(204);
      const page = await listAudit(`resourceId=${catalog.id}`);
      expect(page.items.map((entry) => entry.actorName)).toEqual([developer.username, developer.username]);
    });
  });
});

import { randomUUID } from "node:crypto";
import { ControlSchema, CreateControlBodySchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/domain/actor.ts";
import { createControl } from "../../src/modules/controls/index.ts";
import { createCatalogVia } from "../factories.ts";
import { request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";

/**
 * Issue 19: adding a draft control to a draft catalog is one statement that writes the control and its audit row,
 * instead of begin, insert, audit and commit. The audit row must stay what recordAudit wrote: `after` is the control as
 * answered, whichever path made it.
 */
describe("creating a control in one statement", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  /** The audit rows of a control, as stored (`after` compared as jsonb, so exactly what recordAudit would store). */
  async function auditRowsOf(controlId: string, answered: unknown) {
    const { rows } = await app.deps.db.query(
      `select action, actor_id as "actorId", actor_name as "actorName", request_id as "requestId", before,
              token_id as "tokenId", token_scopes as "tokenScopes", after = $2::jsonb as "isAfterAnswered"
         from audit_log where resource_type = 'control' and resource_id = $1`,
      [controlId, JSON.stringify(answered)],
    );
    return rows;
  }

  it("sends one statement and no transaction for a draft control of a draft catalog, audited with the token", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const actor: Actor = {
      userId: developer.id,
      username: developer.username,
      role: "DEVELOPER",
      authMethod: "api_token",
      requestId: `req_${randomUUID()}`,
      tokenId: randomUUID(),
      tokenScopes: ["read", "runs:write"],
    };
    const query = vi.spyOn(app.deps.db, "query");
    const connect = vi.spyOn(app.deps.db, "connect");

    try {
      const body = CreateControlBodySchema.parse({ name: `One statement ${uniqueSuffix()}` });
      const control = await createControl(app.deps, actor, catalog.id, body);

      expect(query).toHaveBeenCalledTimes(1);
      // pool.query checks a client out with a callback; a transaction would check one out for itself (no callback).
      expect(connect.mock.calls.filter((args: unknown[]) => args.length === 0)).toEqual([]);
      expect(await auditRowsOf(control.id, control)).toEqual([
        {
          action: "create",
          actorId: developer.id,
          actorName: developer.username,
          requestId: actor.requestId,
          tokenId: actor.tokenId,
          tokenScopes: ["read", "runs:write"],
          before: null,
          isAfterAnswered: true,
        },
      ]);
    } finally {
      query.mockRestore();
      connect.mockRestore();
    }
  });

  it("audits the control as answered, to the millisecond, with every field given", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const requestId = `req_${randomUUID()}`;

    const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
      token: developer.token,
      headers: { "x-request-id": requestId },
      body: {
        name: `Every field ${uniqueSuffix()}`,
        description: 'with "quotes" and ünïcode',
        period: "WEEKLY",
        mashupId: "branch-protection",
        params: { org: "acme", depth: 2.5, list: [1, "two", null], nested: { deep: { deeper: true } }, big: 1e21 },
        threshold: 33.33,
        // Microseconds and an offset: the answer drops what is past the millisecond, and the audit row must too.
        startDate: "2025-01-01T10:00:00.123987+02:00",
        endDate: "2026-06-30T23:59:59.999999Z",
        staleGraceMinutes: 90,
      },
    });

    expect(response.status).toBe(201);
    const control = ControlSchema.parse(response.body);
    expect(control).toMatchObject({
      startDate: "2025-01-01T08:00:00.123Z",
      endDate: "2026-06-30T23:59:59.999Z",
      threshold: 33.33,
    });
    expect(await auditRowsOf(control.id, response.body)).toEqual([
      {
        action: "create",
        actorId: developer.id,
        actorName: developer.username,
        requestId,
        tokenId: null,
        tokenScopes: null,
        before: null,
        isAfterAnswered: true,
      },
    ]);
  });

  it("stores neither control nor audit row when the name is taken: 409 duplicate", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const name = `Taken ${uniqueSuffix()}`;
    await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, { token: developer.token, body: { name } });

    const response = await request(app, "POST", `/api/v1/catalogs/${catalog.id}/controls`, {
      token: developer.token,
      body: { name: name.toUpperCase() },
    });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe("duplicate");
    const { rows } = await app.deps.db.query(
      `select (select count(*)::int from controls where catalog_id = $1) as controls,
              (select count(*)::int from audit_log a join controls c on c.id::text = a.resource_id
                where a.resource_type = 'control' and c.catalog_id = $1) as audited`,
      [catalog.id],
    );
    expect(rows[0]).toEqual({ controls: 1, audited: 1 });
  });

  /** An actor of `developer` as a request with an API token of `scopes` (none: a session) would give. */
  function actorWith(tokenScopes?: Actor["tokenScopes"]): Actor {
    return {
      userId: developer.id,
      username: developer.username,
      role: "DEVELOPER",
      authMethod: tokenScopes ? "api_token" : "session",
      requestId: `req_${randomUUID()}`,
      ...(tokenScopes ? { tokenId: randomUUID(), tokenScopes } : {}),
    };
  }

  it("sends one statement for draft controls asked for together, each audited with its own actor", async () => {
    const [first, second] = [
      await createCatalogVia(app, developer.token),
      await createCatalogVia(app, developer.token),
    ];
    const asked = [
      { catalogId: first.id, actor: actorWith(["read", "runs:write"]), body: { name: `Together a ${uniqueSuffix()}` } },
      { catalogId: second.id, actor: actorWith([]), body: { name: `Together b ${uniqueSuffix()}`, period: "WEEKLY" } },
      {
        catalogId: first.id,
        actor: actorWith(),
        body: {
          name: `Together "c" ${uniqueSuffix()}`,
          description: 'with "quotes", \\ and ünïcode',
          params: { list: [1, "two", null], big: 1e21 },
          threshold: 33.33,
          startDate: "2025-01-01T10:00:00.123987+02:00",
          staleGraceMinutes: 90,
        },
      },
      { catalogId: second.id, actor: actorWith(["read"]), body: { name: `Together d ${uniqueSuffix()}` } },
    ];
    const query = vi.spyOn(app.deps.db, "query");

    let controls;
    try {
      controls = await Promise.all(
        asked.map(({ catalogId, actor, body }) =>
          createControl(app.deps, actor, catalogId, CreateControlBodySchema.parse(body)),
        ),
      );
      expect(query).toHaveBeenCalledTimes(1);
    } finally {
      query.mockRestore();
    }

    for (const [index, control] of controls.entries()) {
      const { catalogId, actor, body } = asked[index]!;
      expect(control).toMatchObject({ catalogId, name: body.name, status: "draft" });
      // The answer is the control as read back, and its audit row records it and who asked, as a lone request's.
      const read = await request(app, "GET", `/api/v1/controls/${control.id}`, { token: developer.token });
      expect(read.body).toEqual(JSON.parse(JSON.stringify(control)));
      expect(await auditRowsOf(control.id, control)).toEqual([
        {
          action: "create",
          actorId: developer.id,
          actorName: developer.username,
          requestId: actor.requestId,
          tokenId: actor.tokenId ?? null,
          tokenScopes: actor.tokenScopes ?? null,
          before: null,
          isAfterAnswered: true,
        },
      ]);
    }
    for (const catalog of [first, second]) {
      const read = await request(app, "GET", `/api/v1/catalogs/${catalog.id}`, { token: developer.token });
      expect(read.body.controlCount).toBe(2);
    }
  });

  it("answers each control of a batch its own outcome: a name taken, a catalog missing, the others stored", async () => {
    const catalog = await createCatalogVia(app, developer.token);
    const name = `Twice ${uniqueSuffix()}`;
    const asked = [
      { catalogId: catalog.id, name },
      { catalogId: catalog.id, name: `Once ${uniqueSuffix()}` },
      { catalogId: catalog.id, name: name.toUpperCase() },
      { catalogId: randomUUID(), name: `Nowhere ${uniqueSuffix()}` },
    ];

    const outcomes = await Promise.allSettled(
      asked.map(({ catalogId, name }) =>
        createControl(app.deps, actorWith(["read"]), catalogId, CreateControlBodySchema.parse({ name })),
      ),
    );

    const reasons = outcomes.map((outcome) =>
      outcome.status === "fulfilled" ? "stored" : (outcome.reason as { code?: string }).code,
    );
    expect(reasons[1]).toBe("stored");
    expect([reasons[0], reasons[2]].sort()).toEqual(["duplicate", "stored"]);
    expect(reasons[3]).toBe("not_found");
    const { rows } = await app.deps.db.query(
      `select (select count(*)::int from controls where catalog_id = $1) as controls,
              (select count(*)::int from audit_log a join controls c on c.id::text = a.resource_id
                where a.resource_type = 'control' and c.catalog_id = $1) as audited`,
      [catalog.id],
    );
    expect(rows[0]).toEqual({ controls: 2, audited: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogVia, createControlVia } from "../factories.ts";
import { expectProblem, request, signInAs, type TestUser } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

const EVIDENCE = { key: "branch-protection", value: { enabled: true }, result: "pass" };

describe("push controls and scoped API tokens", () => {
  let app: TestApp;
  let developer: TestUser;
  let first: { id: string; catalogId: string };
  let second: { id: string; catalogId: string };

  async function pushControl() {
    const draft = await createCatalogVia(app, developer.token, { startDate: "2026-11-01T00:00:00Z" });
    const control = await createControlVia(app, developer.token, draft.id, {
      kind: "push",
      mashupId: null,
      period: "DAILY",
      threshold: 50,
    });
    const finalized = await request(app, "PATCH", `/api/v1/catalogs/${draft.id}`, {
      token: developer.token,
      body: { status: "finalized" },
    });
    expect(finalized.status).toBe(200);
    return { id: control.id, catalogId: draft.id };
  }

  async function token(body: Record<string, unknown>): Promise<string> {
    const created = await request(app, "POST", "/api/v1/tokens", {
      token: developer.token,
      body: { name: `scoped ${Math.random()}`, expiresInDays: 365, ...body },
    });
    expect(created.status).toBe(201);
    return created.body.token as string;
  }

  const push = (controlId: string, bearer: string) =>
    request(app, "POST", `/api/v1/controls/${controlId}/evidence`, {
      token: bearer,
      body: { at: "2026-11-06T08:00:00Z", evidences: [EVIDENCE] },
    });

  beforeAll(async () => {
    app = await startTestApp();
    app.setNow(new Date("2026-11-06T12:00:00Z"));
    developer = await signInAs(app, "DEVELOPER");
    first = await pushControl();
    second = await pushControl();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("accepts evidence:write limited to the control and refuses the control it does not name", async () => {
    const limited = await token({ scopes: ["evidence:write"], limits: { controlIds: [first.id] } });
    expect((await push(first.id, limited)).status).toBe(201);
    expectProblem(await push(second.id, limited), 403, "token_scope_insufficient");
  });

  it("accepts a token limited to the control's catalog", async () => {
    const byCatalog = await token({ scopes: ["evidence:write"], limits: { catalogIds: [second.catalogId] } });
    expect((await push(second.id, byCatalog)).status).toBe(201);
    expectProblem(await push(first.id, byCatalog), 403, "token_scope_insufficient");
  });

  it("refuses tokens without evidence:write, and lets admin-scoped and unscoped tokens push", async () => {
    expectProblem(await push(first.id, await token({ scopes: ["read"] })), 403, "token_scope_insufficient");
    expectProblem(await push(first.id, await token({ scopes: ["runs:write"] })), 403, "token_scope_insufficient");
    expect((await push(first.id, await token({ scopes: ["admin"] }))).status).toBe(201);
    expect((await push(first.id, await token({}))).status).toBe(201);
  });

  it("does not let an evidence:write token do anything else", async () => {
    const evidenceOnly = await token({ scopes: ["evidence:write"] });
    expectProblem(
      await request(app, "POST", "/api/v1/catalogs", { token: evidenceOnly, body: { name: "nope" } }),
      403,
      "token_scope_insufficient",
    );
    expectProblem(
      await request(app, "GET", `/api/v1/controls/${first.id}`, { token: evidenceOnly }),
      403,
      "token_scope_insufficient",
    );
  });
});

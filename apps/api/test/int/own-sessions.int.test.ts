import { EndedSessionsSchema, UserSessionListSchema } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request } from "../http-client.ts";
import { startTestApp, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn, postRefresh } from "../user-factory.ts";

/** A user sees and ends their own sessions; an ADMIN ends all sessions of a user. */

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

async function logInFrom(app: TestApp, user: { username: string; password: string }, userAgent: string, ip: string) {
  const response = await request(app, "POST", "/api/v1/auth/login", {
    body: { username: user.username, password: user.password },
    headers: { "user-agent": userAgent, "x-forwarded-for": ip },
  });
  return response.body.tokens as { accessToken: string; refreshToken: string };
}

async function revokeReasons(app: TestApp, userId: string) {
  const { rows } = await app.deps.db.query<{ revoke_reason: string | null }>(
    "select revoke_reason from sessions where user_id = $1 order by created_at",
    [userId],
  );
  return rows.map((row) => row.revoke_reason);
}

describe("own sessions", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it("lists the user's open sessions with device, address and last use, marking the current one", async () => {
    const user = await buildUser(app);
    const laptop = await logInFrom(app, user, FIREFOX, "198.51.100.7");
    const phone = await logInFrom(app, user, IPHONE, "203.0.113.9");
    const ended = await logIn(app, user);
    await request(app, "POST", "/api/v1/auth/logout", { token: ended.accessToken });
    await logIn(app, await buildUser(app));

    const response = await request(app, "GET", "/api/v1/auth/sessions", { token: laptop.accessToken });

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { items } = UserSessionListSchema.parse(response.body);
    expect(items).toHaveLength(2);
    const byDevice = Object.fromEntries(items.map((item) => [item.deviceLabel, item]));
    expect(byDevice["Firefox on Linux"]).toMatchObject({
      ipAddress: "198.51.100.7",
      authMethod: "password",
      isCurrent: true,
      secondFactorVerified: false,
    });
    expect(byDevice["Safari on iOS"]).toMatchObject({ ipAddress: "203.0.113.9", isCurrent: false });
    expect(phone.accessToken).toBeTruthy();
  });

  it("orders by last use: a refreshed session comes first", async () => {
    const user = await buildUser(app);
    const first = await logInFrom(app, user, FIREFOX, "198.51.100.7");
    const second = await logInFrom(app, user, IPHONE, "203.0.113.9");
    app.setNow(new Date(Date.now() + 60_000));
    await postRefresh(app, first.refreshToken);
    app.setNow(undefined);

    const { items } = UserSessionListSchema.parse(
      (await request(app, "GET", "/api/v1/auth/sessions", { token: second.accessToken })).body,
    );

    expect(items.map((item) => item.deviceLabel)).toEqual(["Firefox on Linux", "Safari on iOS"]);
  });

  it("ends another session of the user at once, audited, and keeps the current one", async () => {
    const user = await buildUser(app);
    const laptop = await logInFrom(app, user, FIREFOX, "198.51.100.7");
    const lost = await logInFrom(app, user, IPHONE, "203.0.113.9");
    const { items } = UserSessionListSchema.parse(
      (await request(app, "GET", "/api/v1/auth/sessions", { token: laptop.accessToken })).body,
    );
    const lostId = items.find((item) => !item.isCurrent)!.id;

    const response = await request(app, "DELETE", `/api/v1/auth/sessions/${lostId}`, { token: laptop.accessToken });

    expect(response.status).toBe(204);
    expectProblem(await getMe(app, lost.accessToken), 401, "token_invalid");
    expectProblem(await postRefresh(app, lost.refreshToken), 401, "token_invalid");
    expect((await getMe(app, laptop.accessToken)).status).toBe(200);
    expect(await revokeReasons(app, user.id)).toEqual([null, "revoked_by_user"]);
    const audit = await app.deps.db.query(
      "select action, resource_type, resource_id, actor_id from audit_log where resource_id = $1 and action = 'revoke'",
      [lostId],
    );
    expect(audit.rows).toEqual([
      { action: "revoke", resource_type: "session", resource_id: lostId, actor_id: user.id },
    ]);
  });

  it("answers 404 for another user's session and leaves it open", async () => {
    const owner = await buildUser(app);
    const ownerSession = await logIn(app, owner);
    const [ownerRow] = (
      await app.deps.db.query<{ id: string }>("select id from sessions where user_id = $1", [owner.id])
    ).rows;
    const intruder = await logIn(app, await buildUser(app));

    const response = await request(app, "DELETE", `/api/v1/auth/sessions/${ownerRow!.id}`, {
      token: intruder.accessToken,
    });

    expectProblem(response, 404, "not_found");
    expect((await getMe(app, ownerSession.accessToken)).status).toBe(200);
  });

  it("lets an ADMIN end every session of a user, audited with the count; the user's API tokens are untouched", async () => {
    const admin = await logIn(app, await buildUser(app, { role: "ADMIN" }));
    const user = await buildUser(app);
    const first = await logIn(app, user);
    const second = await logIn(app, user);

    const response = await request(app, "DELETE", `/api/v1/users/${user.id}/sessions`, { token: admin.accessToken });

    expect(response.status).toBe(200);
    expect(EndedSessionsSchema.parse(response.body)).toEqual({ ended: 2 });
    expectProblem(await getMe(app, first.accessToken), 401, "token_invalid");
    expectProblem(await getMe(app, second.accessToken), 401, "token_invalid");
    expect(await revokeReasons(app, user.id)).toEqual(["revoked_by_admin", "revoked_by_admin"]);
    const audit = await app.deps.db.query(
      "select action, resource_type, after from audit_log where resource_id = $1 and action = 'revoke'",
      [user.id],
    );
    expect(audit.rows).toEqual([{ action: "revoke", resource_type: "user", after: { sessionsEnded: 2 } }]);
  });

  it("answers 404 when an ADMIN ends the sessions of a user that does not exist", async () => {
    const admin = await logIn(app, await buildUser(app, { role: "ADMIN" }));

    const response = await request(app, "DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000000/sessions", {
      token: admin.accessToken,
    });

    expectProblem(response, 404, "not_found");
  });
});

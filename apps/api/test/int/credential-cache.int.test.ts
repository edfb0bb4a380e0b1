import type { CreatedApiToken } from "@status/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, request, signInAs } from "../http-client.ts";
import { startTestApp, uniqueSuffix, type TestApp } from "../test-app.ts";
import { buildUser, getMe, logIn } from "../user-factory.ts";

/**
 * CREDENTIAL_CACHE_MS: a process trusts a credential it has just checked for a moment (a long one here, 5 s, so the
 * test sees it), yet sign-out, revocation and role changes made through the process hold from the next request on.
 */
describe("the credential cache", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { CREDENTIAL_CACHE_MS: "5000" } });
  });
  afterAll(() => app?.close());

  async function tokenOf(sessionToken: string): Promise<CreatedApiToken> {
    const response = await request<CreatedApiToken>(app, "POST", "/api/v1/tokens", {
      token: sessionToken,
      body: { name: `token ${uniqueSuffix()}` },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  it("answers from memory within the bound: a token revoked behind the process's back works for a moment, then not", async () => {
    const user = await buildUser(app);
    const token = await tokenOf((await logIn(app, user)).accessToken);
    expect((await getMe(app, token.token)).status).toBe(200);

    // Another instance (or a script) revokes it: this process has not heard of it.
    await app.deps.db.query("update api_tokens set revoked_at = now() where id = $1", [token.id]);
    // A burst of requests in flight together is answered from the memo (or one shared check), all alike.
    const burst = await Promise.all(Array.from({ length: 5 }, () => getMe(app, token.token)));
    expect(burst.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);

    // Past CREDENTIAL_CACHE_MS the token is checked again, and refused.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    expectProblem(await getMe(app, token.token), 401, "token_invalid");
  }, 20_000);

  it("refuses a token at once once it is revoked through this process, though it was just used", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    const token = await tokenOf(session.accessToken);
    expect((await getMe(app, token.token)).status).toBe(200);

    const revoked = await request(app, "DELETE", `/api/v1/tokens/${token.id}`, { token: session.accessToken });

    expect(revoked.status).toBe(204);
    expectProblem(await getMe(app, token.token), 401, "token_invalid");
  });

  it("refuses a session's access token at once after sign-out, though it was just used", async () => {
    const user = await buildUser(app);
    const session = await logIn(app, user);
    expect((await getMe(app, session.accessToken)).status).toBe(200);

    expect((await request(app, "POST", "/api/v1/auth/logout", { token: session.accessToken })).status).toBe(204);

    expectProblem(await getMe(app, session.accessToken), 401, "token_invalid");
  });

  it("applies a role change to the user's API token at once, though it was just used", async () => {
    const admin = await signInAs(app, "ADMIN");
    const user = await buildUser(app, { role: "DEVELOPER" });
    const token = await tokenOf((await logIn(app, user)).accessToken);
    const createCatalog = () =>
      request(app, "POST", "/api/v1/catalogs", { token: token.token, body: { name: `Catalog ${uniqueSuffix()}` } });
    expect((await createCatalog()).status).toBe(201);

    const demoted = await request(app, "PATCH", `/api/v1/users/${user.id}`, {
      token: admin.token,
      body: { role: "USER" },
    });

    expect(demoted.status).toBe(200);
    expectProblem(await createCatalog(), 403, "forbidden");
  });
});

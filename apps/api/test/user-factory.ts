import type { Role, SessionResponse } from "@status/shared";
import { createUser } from "../src/modules/users/users.service.ts";
import { request, TEST_PASSWORD, type TestResponse } from "./http-client.ts";
import { uniqueSuffix, type TestApp } from "./test-app.ts";

export interface BuiltUser {
  id: string;
  username: string;
  role: Role;
  password: string;
}

/** Creates a local account straight through the users service (no sign-in); every call makes a new one. */
export async function buildUser(
  app: TestApp,
  overrides: { role?: Role; password?: string; username?: string } = {},
): Promise<BuiltUser> {
  const role = overrides.role ?? "USER";
  const username = overrides.username ?? `${role.toLowerCase()}-${uniqueSuffix()}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const user = await createUser(app.deps, null, { username, password, role });
  return { id: user.id, username, role, password };
}

export interface TokenSession {
  accessToken: string;
  refreshToken: string;
}

/** POST /auth/login in token mode; the raw response. */
export function postLogin(app: TestApp, username: string, password: string): Promise<TestResponse<SessionResponse>> {
  return request<SessionResponse>(app, "POST", "/api/v1/auth/login", { body: { username, password } });
}

/** Signs a user in (token mode) and returns the token pair of the new session; fails the test if sign-in fails. */
export async function logIn(app: TestApp, user: { username: string; password: string }): Promise<TokenSession> {
  const response = await postLogin(app, user.username, user.password);
  if (response.status !== 200 || !response.body.tokens)
    throw new Error(`login failed: ${response.status} ${response.text}`);
  return { accessToken: response.body.tokens.accessToken, refreshToken: response.body.tokens.refreshToken };
}

/** POST /auth/refresh in token mode. */
export function postRefresh(app: TestApp, refreshToken: string): Promise<TestResponse<SessionResponse>> {
  return request<SessionResponse>(app, "POST", "/api/v1/auth/refresh", { body: { refreshToken } });
}

/** GET /auth/me with a Bearer token; the status tells whether the token still works. */
export function getMe(app: TestApp, accessToken: string): Promise<TestResponse> {
  return request(app, "GET", "/api/v1/auth/me", { token: accessToken });
}

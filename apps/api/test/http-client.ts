import os from "node:os";
import type { Role } from "@status/shared";
import { expect } from "vitest";
import { createUser } from "../src/modules/users/users.service.ts";
import { uniqueSuffix, type TestApp } from "./test-app.ts";

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (for malformed or oversized bodies); overrides `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
}

/** A request to the running test app over real HTTP; JSON bodies are parsed when the answer is JSON. */
export async function request<T = any>(
  app: Pick<TestApp, "baseUrl">,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: method.toUpperCase(),
    headers,
    body,
    redirect: "manual",
  });
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  const parsed = contentType.includes("json") && text ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export const TEST_PASSWORD = "correct horse battery staple";

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  password: string;
  token: string;
}

/** Creates a user with the given role and signs them in (token mode) through the API. */
export async function signInAs(app: TestApp, role: Role, overrides: { username?: string } = {}): Promise<TestUser> {
  const username = overrides.username ?? `${role.toLowerCase()}-${uniqueSuffix()}`;
  const user = await createUser(app.deps, null, { username, password: TEST_PASSWORD, role });
  const login = await request(app, "POST", "/api/v1/auth/login", { body: { username, password: TEST_PASSWORD } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { id: user.id, username, role, password: TEST_PASSWORD, token: login.body.tokens.accessToken };
}

/** Asserts the RFC 9457 shape and returns the problem for further checks. */
export function expectProblem(response: TestResponse, status: number, code: string): any {
  if (response.status !== status || response.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status} ${response.text}`);
  }
  if (!response.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected application/problem+json, got ${response.headers.get("content-type")}`);
  }
  return response.body;
}

/**
 * Asserts that an answer names no place on the server's disk: not the checkout, the temporary directory or any of
 * `directories`, and no absolute path or system error code in its title or detail.
 */
export function expectNoServerPath(response: TestResponse, directories: string[] = []): void {
  for (const directory of [process.cwd(), os.tmpdir(), ...directories]) {
    if (directory.length > 1) expect(response.text).not.toContain(directory);
  }
  for (const text of [response.body?.title, response.body?.detail]) {
    expect(text ?? "").not.toMatch(/\/[\w.-]+\/|\\|ENOENT|EACCES|node_modules/);
  }
}

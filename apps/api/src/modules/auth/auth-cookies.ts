import type { CookieOptions, Request, Response } from "express";
import { AUTH_COOKIES } from "@status/shared";
import type { Config } from "../../config.ts";
import type { Actor } from "../../domain/actor.ts";
import { EDITOR_PATH } from "../../node-red/editor-path.ts";
import type { SignedIn } from "./auth.service.ts";
import { EDITOR_PASS_COOKIE, EDITOR_PASS_TTL_SECONDS, signEditorPass } from "./editor-pass.ts";
import type { AuthKeys } from "../../domain/auth-keys.ts";
import { csrfTokenFor } from "./csrf-token.ts";

const REFRESH_COOKIE_PATH = "/api/v1/auth";

function baseOptions(config: Config): CookieOptions {
  return { secure: config.auth.secureCookies, sameSite: "lax" };
}

/**
 * Cookie mode for the SPA: access and refresh tokens in httpOnly cookies (scripts never see them), and a readable
 * CSRF cookie that the SPA echoes in the `x-csrf-token` header. The refresh cookie is sent only to the auth routes.
 */
export function setSessionCookies(res: Response, config: Config, keys: AuthKeys, session: SignedIn): void {
  const maxAge = config.auth.refreshTokenTtlSeconds * 1000;
  const base = baseOptions(config);
  res.cookie(AUTH_COOKIES.access, session.accessToken, { ...base, httpOnly: true, path: "/", maxAge });
  res.cookie(AUTH_COOKIES.refresh, session.refreshToken, {
    ...base,
    httpOnly: true,
    sameSite: "strict",
    path: REFRESH_COOKIE_PATH,
    maxAge,
  });
  res.cookie(AUTH_COOKIES.csrf, csrfTokenFor(keys, session.sessionId), {
    ...base,
    httpOnly: false,
    sameSite: "strict",
    path: "/",
    maxAge,
  });
}

export function clearSessionCookies(res: Response, config: Config): void {
  const base = baseOptions(config);
  res.clearCookie(AUTH_COOKIES.access, { ...base, path: "/" });
  res.clearCookie(AUTH_COOKIES.refresh, { ...base, path: REFRESH_COOKIE_PATH });
  res.clearCookie(AUTH_COOKIES.csrf, { ...base, path: "/" });
  res.clearCookie(EDITOR_PASS_COOKIE, { ...base, path: EDITOR_PATH });
}

/** The Node-RED editor's pass (editor-pass.ts), sent only to /node-red; nothing for actors without a session. */
export function setEditorPassCookie(
  res: Response,
  config: Config,
  keys: AuthKeys,
  actor: Actor,
  nowSeconds: number,
): void {
  const pass = signEditorPass(keys, actor, nowSeconds);
  if (!pass) return;
  res.cookie(EDITOR_PASS_COOKIE, pass, {
    ...baseOptions(config),
    httpOnly: true,
    path: EDITOR_PATH,
    maxAge: EDITOR_PASS_TTL_SECONDS * 1000,
  });
}

export function readCookie(req: Request, name: string): string | undefined {
  return (req.cookies as Record<string, string> | undefined)?.[name];
}

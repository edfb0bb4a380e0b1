import type { Response } from "express";
import {
  AUTH_COOKIES,
  AuthProvidersSchema,
  ChangePasswordBodySchema,
  CSRF_HEADER,
  EndedSessionsSchema,
  IdParamsSchema,
  LoginBodySchema,
  MeSchema,
  RefreshBodySchema,
  SessionResponseSchema,
  UserSessionListSchema,
  CompleteSecondFactorBodySchema,
  LoginResponseSchema,
  PendingLoginBodySchema,
  SecondFactorSessionResponseSchema,
  TotpEnrolmentSchema,
  type SecondFactorSessionResponse,
  type SessionMode,
} from "@status/shared";
import { ForbiddenError, UnauthenticatedError } from "../../errors.ts";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import { clearSessionCookies, readCookie, setSessionCookies } from "./auth-cookies.ts";
import {
  changeOwnPassword,
  completeSecondFactorLogin,
  getMe,
  loginWithPassword,
  logout,
  refreshSession,
  toMe,
  type SignedIn,
} from "./auth.service.ts";
import { csrfTokenFor } from "./csrf-token.ts";
import { isSessionActive, peekRefreshToken } from "../sessions/index.ts";
import { listOwnSessions, revokeOwnSession } from "./own-sessions.service.ts";
import { enrolmentForPendingLogin } from "./second-factor-login.service.ts";

/** Answers a new session: cookies for the SPA, tokens in the body for integrators (and recovery codes, once). */
function sendSession(
  deps: AppDeps,
  res: Response,
  session: SignedIn & { recoveryCodes?: string[] },
  mode: SessionMode,
): void {
  const body: SecondFactorSessionResponse = {
    user: toMe(session.user, "session"),
    expiresAt: session.accessExpiresAt.toISOString(),
    ...(session.recoveryCodes ? { recoveryCodes: session.recoveryCodes } : {}),
  };
  if (mode === "cookie") {
    setSessionCookies(res, deps.config, deps.keys, session);
  } else {
    body.tokens = {
      tokenType: "Bearer",
      accessToken: session.accessToken,
      expiresIn: deps.config.auth.accessTokenTtlSeconds,
      refreshToken: session.refreshToken,
      refreshExpiresIn: deps.config.auth.refreshTokenTtlSeconds,
    };
  }
  res.set("Cache-Control", "no-store").json(body);
}

export function authRoutes(deps: AppDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: "get",
      path: "/auth/providers",
      summary: "Which sign-in methods are enabled",
      tag: "Auth",
      access: "public",
      responses: { 200: { description: "Enabled providers", schema: AuthProvidersSchema } },
      handler({ res }) {
        const oidc = deps.config.oidc;
        res.json({
          local: true,
          github: deps.config.github.enabled,
          oidc: oidc.isEnabled ? { name: oidc.providerName } : null,
        });
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with username and password (rate-limited)",
      tag: "Auth",
      access: "public",
      body: LoginBodySchema,
      responses: {
        200: {
          description:
            "Signed in (tokens in the body in token mode, cookies in cookie mode), or a second-factor challenge",
          schema: LoginResponseSchema,
        },
        401: { description: "Wrong username or password" },
        429: { description: "Too many attempts from this address, or the account is locked; see Retry-After" },
      },
      async handler({ req, res, body }) {
        const outcome = await loginWithPassword(deps, {
          username: body.username,
          password: body.password,
          ip: req.ip ?? "unknown",
          userAgent: req.get("user-agent"),
          requestId: res.locals.requestId as string,
        });
        if ("secondFactor" in outcome) return void res.set("Cache-Control", "no-store").json(outcome);
        sendSession(deps, res, outcome, body.session);
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/login/second-factor",
      summary: "Second step of sign-in: the TOTP or recovery code for a pending login (or an enrolment's first code)",
      tag: "Auth",
      access: "public",
      body: CompleteSecondFactorBodySchema,
      responses: {
        200: {
          description: "Signed in; after an enrolment also the recovery codes",
          schema: SecondFactorSessionResponseSchema,
        },
        401: { description: "Wrong code, or the pending login expired, was used or saw five wrong codes" },
      },
      async handler({ req, res, body }) {
        const session = await completeSecondFactorLogin(deps, {
          pendingToken: body.pendingToken,
          code: body.code,
          ip: req.ip ?? "unknown",
          userAgent: req.get("user-agent"),
          requestId: res.locals.requestId as string,
        });
        sendSession(deps, res, session, body.session);
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/login/second-factor/enrolment",
      summary: "The TOTP enrolment of a pending login whose role requires a second factor not yet set up",
      tag: "Auth",
      access: "public",
      body: PendingLoginBodySchema,
      responses: {
        200: { description: "The secret to scan", schema: TotpEnrolmentSchema },
        401: { description: "The pending login expired or was used" },
      },
      async handler({ res, body }) {
        res.set("Cache-Control", "no-store").json(await enrolmentForPendingLogin(deps, body.pendingToken));
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/refresh",
      summary: "Exchange a refresh token for a new access and refresh token (rotation; reuse ends the session)",
      tag: "Auth",
      access: "public",
      body: RefreshBodySchema,
      responses: {
        200: { description: "The renewed session", schema: SessionResponseSchema },
        401: { description: "Unknown, expired or reused refresh token" },
      },
      async handler({ req, res, body }) {
        const fromBody = body.refreshToken;
        const token = fromBody ?? readCookie(req, AUTH_COOKIES.refresh);
        if (!token)
          throw new UnauthenticatedError("token_invalid", "Send the refresh token in the body or the refresh cookie");
        // Cookie mode: the CSRF header must match the session the cookie belongs to.
        const cookieSession = fromBody ? undefined : await peekRefreshToken(deps, token);
        if (cookieSession && req.get(CSRF_HEADER) !== csrfTokenFor(deps.keys, cookieSession.familyId)) {
          throw new ForbiddenError(`Cookie-authenticated requests must send the ${CSRF_HEADER} header`, "csrf_failed");
        }
        try {
          const client = { ipAddress: req.ip, userAgent: req.get("user-agent") };
          sendSession(deps, res, await refreshSession(deps, token, client), fromBody ? "token" : "cookie");
        } catch (error) {
          // A tab that lost a refresh race keeps the cookies the winning tab of the same browser has just set.
          const isSessionLive = cookieSession !== undefined && (await isSessionActive(deps, cookieSession.familyId));
          if (!fromBody && !isSessionLive) clearSessionCookies(res, deps.config);
          throw error;
        }
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/logout",
      summary: "End the current session (by access token, refresh token or cookies)",
      tag: "Auth",
      access: "public",
      body: RefreshBodySchema,
      responses: { 204: { description: "Signed out" } },
      async handler({ req, res, body, optionalActor }) {
        const refreshToken = body.refreshToken ?? readCookie(req, AUTH_COOKIES.refresh);
        await logout(deps, { actor: optionalActor, ...(refreshToken ? { refreshToken } : {}) });
        clearSessionCookies(res, deps.config);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/me",
      summary: "The signed-in user",
      tag: "Auth",
      access: "USER",
      isOpenDuringPasswordChange: true,
      responses: { 200: { description: "The user", schema: MeSchema } },
      async handler({ res, actor }) {
        res.json(await getMe(deps, actor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/password",
      summary:
        "Change your password (also the change an administrator's reset asks for); every other session of yours ends",
      tag: "Auth",
      access: "USER",
      isOpenDuringPasswordChange: true,
      body: ChangePasswordBodySchema,
      responses: {
        200: { description: "Changed; how many other sessions ended", schema: EndedSessionsSchema },
        400: { description: "Wrong current password, or a weak new one" },
      },
      async handler({ res, actor, body }) {
        res.json({ ended: await changeOwnPassword(deps, actor, body) });
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/sessions",
      summary: "Your open sessions: device, address, sign-in and last use; the current one is marked",
      tag: "Auth",
      access: "USER",
      responses: { 200: { description: "Open sessions, most recently used first", schema: UserSessionListSchema } },
      async handler({ res, actor }) {
        res.set("Cache-Control", "no-store").json(await listOwnSessions(deps, actor));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/auth/sessions/:id",
      summary: "End one of your sessions (ending the current one signs you out here)",
      tag: "Auth",
      access: "USER",
      params: IdParamsSchema,
      responses: { 204: { description: "Ended" }, 404: { description: "No open session of yours by that id" } },
      async handler({ res, actor, params }) {
        const { isCurrent } = await revokeOwnSession(deps, actor, params.id);
        if (isCurrent) clearSessionCookies(res, deps.config);
        res.status(204).end();
      },
    }),
  ];
}

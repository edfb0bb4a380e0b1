import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import jwt from "jsonwebtoken";
import passport from "passport";
import { Strategy as GithubStrategy, type Profile, type StrategyOptions } from "passport-github2";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { AppDeps } from "../../deps.ts";
import { defineRoute, type RouteDefinition } from "../../http/route.ts";
import type { Actor } from "../../domain/actor.ts";
import { setSessionCookies } from "./auth-cookies.ts";
import { linkGithubToUser, signInWithGithub, unlinkOwnGithub, type GithubIdentity } from "./auth.service.ts";

const STATE_COOKIE = "status_oauth";
const STATE_TTL_SECONDS = 600;
const CALLBACK_PATH = "/api/v1/auth/github";

const StatePayloadSchema = z.object({ nonce: z.string(), linkUserId: z.uuid().optional() });
type StatePayload = z.infer<typeof StatePayloadSchema>;

const StartQuerySchema = z.strictObject({ link: z.enum(["true", "false"]).default("false") });
const CallbackQuerySchema = z.object({
  code: z.string().max(500).optional(),
  state: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});

/**
 * OAuth state without a server session: a signed, short-lived token that names a nonce, also kept in an httpOnly
 * cookie, so a callback is accepted only in the browser that started it (no login CSRF). It also carries whether
 * the signed-in user asked to link their account.
 */
function createStateStore(deps: AppDeps) {
  return {
    store(req: Request, _meta: unknown, callback: (error: Error | null, state?: string) => void) {
      const linkUserId = req.res?.locals.githubLinkUserId as string | undefined;
      const payload: StatePayload = {
        nonce: randomBytes(16).toString("base64url"),
        ...(linkUserId ? { linkUserId } : {}),
      };
      req.res?.cookie(STATE_COOKIE, payload.nonce, {
        httpOnly: true,
        sameSite: "lax",
        secure: deps.config.auth.secureCookies,
        path: CALLBACK_PATH,
        maxAge: STATE_TTL_SECONDS * 1000,
      });
      callback(null, jwt.sign(payload, deps.keys.oauthState, { algorithm: "HS256", expiresIn: STATE_TTL_SECONDS }));
    },
    verify(req: Request, state: string, callback: (error: Error | null, ok: boolean, info?: unknown) => void) {
      try {
        const payload = StatePayloadSchema.parse(jwt.verify(state, deps.keys.oauthState, { algorithms: ["HS256"] }));
        const nonce = (req.cookies as Record<string, string> | undefined)?.[STATE_COOKIE];
        if (nonce !== payload.nonce) return callback(null, false, { message: "state does not belong to this browser" });
        callback(null, true, payload);
      } catch {
        callback(null, false, { message: "invalid or expired state" });
      }
    },
  };
}

function createStrategy(deps: AppDeps): GithubStrategy | undefined {
  const github = deps.config.github;
  if (!github.enabled) return undefined;
  return new GithubStrategy(
    {
      clientID: github.clientId,
      clientSecret: github.clientSecret,
      callbackURL: github.callbackUrl,
      authorizationURL: `${github.oauthUrl}/login/oauth/authorize`,
      tokenURL: `${github.oauthUrl}/login/oauth/access_token`,
      userProfileURL: `${github.apiUrl}/user`,
      scope: ["read:user"],
      store: createStateStore(deps),
    } as StrategyOptions,
    (
      _accessToken: string,
      _refreshToken: string,
      profile: Profile,
      done: (error: null, user: GithubIdentity) => void,
    ) => {
      done(null, { id: String(profile.id), login: profile.username ?? profile.displayName ?? String(profile.id) });
    },
  );
}

function authenticateWith(
  strategy: GithubStrategy,
  req: Request,
  res: Response,
): Promise<{ identity?: GithubIdentity; state?: StatePayload; failure?: string }> {
  return new Promise((resolve, reject) => {
    const next: NextFunction = (error?: unknown) =>
      error ? reject(asError(error)) : resolve({ failure: "GitHub sign-in did not complete" });
    (passport.authenticate as AuthenticateWithCallback)(
      strategy,
      { session: false },
      (
        error: unknown,
        identity: GithubIdentity | false,
        info: { state?: StatePayload; message?: string } | undefined,
      ) => {
        if (error) return resolve({ failure: "GitHub did not accept the sign-in" });
        if (!identity) return resolve({ failure: info?.message ?? "GitHub sign-in was refused" });
        resolve({ identity, ...(info?.state ? { state: info.state } : {}) });
      },
    )(req, res, next);
  });
}

// passport types its middleware factory as returning `any`; these are the shapes it really returns.
type AuthenticateWithCallback = (
  strategy: GithubStrategy,
  options: { session: false },
  callback: (
    error: unknown,
    identity: GithubIdentity | false,
    info: { state?: StatePayload; message?: string } | undefined,
  ) => void,
) => RequestHandler;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function requireStrategy(strategy: GithubStrategy | undefined): GithubStrategy {
  if (!strategy)
    throw new AppError(
      404,
      "github_disabled",
      "GitHub sign-in is disabled",
      "Set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET to enable it",
    );
  return strategy;
}

/** The SPA shows these messages on its login page (`?error=`) or profile page (`?github=`). */
function redirectWithError(res: Response, code: string): void {
  res.redirect(302, `/login?error=${encodeURIComponent(code)}`);
}

export function githubRoutes(deps: AppDeps): RouteDefinition[] {
  const strategy = createStrategy(deps);
  return [
    defineRoute({
      method: "get",
      path: "/auth/github",
      summary: "Start GitHub sign-in (or, with link=true while signed in, link your GitHub account)",
      tag: "Auth",
      access: "public",
      query: StartQuerySchema,
      responses: { 302: { description: "Redirect to GitHub" }, 404: { description: "GitHub sign-in is disabled" } },
      async handler({ req, res, query, optionalActor }) {
        const github = requireStrategy(strategy);
        if (query.link === "true" && optionalActor) res.locals.githubLinkUserId = optionalActor.userId;
        await new Promise<void>((resolve, reject) => {
          const start = passport.authenticate(github, { session: false }) as RequestHandler;
          void start(req, res, (error?: unknown) => (error ? reject(asError(error)) : resolve()));
          res.on("finish", () => resolve());
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/auth/github/callback",
      summary: "GitHub's redirect back: signs in the linked user (or links the account)",
      tag: "Auth",
      access: "public",
      query: CallbackQuerySchema,
      responses: { 302: { description: "Redirect into the SPA, signed in, or to /login with an error code" } },
      async handler({ req, res, query, optionalActor }) {
        const github = requireStrategy(strategy);
        res.clearCookie(STATE_COOKIE, { path: CALLBACK_PATH });
        if (query.error || !query.code) return redirectWithError(res, "github_failed");
        const outcome = await authenticateWith(github, req, res);
        if (!outcome.identity) return redirectWithError(res, "github_failed");
        if (outcome.state?.linkUserId)
          return linkAndReturn(deps, res, optionalActor, outcome.state.linkUserId, outcome.identity);
        try {
          const session = await signInWithGithub(deps, outcome.identity, res.locals.requestId as string, {
            ipAddress: req.ip,
            userAgent: req.get("user-agent"),
          });
          // The pending token rides in the fragment, which browsers never send to a server or write to its logs.
          if ("secondFactor" in session) {
            const { pendingToken, purpose } = session.secondFactor;
            return res.redirect(302, `/login#${new URLSearchParams({ pendingToken, purpose }).toString()}`);
          }
          setSessionCookies(res, deps.config, deps.keys, session);
          res.redirect(302, "/");
        } catch (error) {
          if (error instanceof AppError) return redirectWithError(res, error.code);
          throw error;
        }
      },
    }),
    defineRoute({
      method: "delete",
      path: "/auth/github/link",
      summary: "Unlink your GitHub account (refused while it is your only way to sign in)",
      tag: "Auth",
      access: "USER",
      responses: {
        204: { description: "Unlinked" },
        404: { description: "No GitHub account is linked" },
        409: { description: "GitHub is your only way to sign in" },
      },
      async handler({ res, actor }) {
        await unlinkOwnGithub(deps, actor);
        res.status(204).end();
      },
    }),
  ];
}

async function linkAndReturn(
  deps: AppDeps,
  res: Response,
  actor: Actor | null,
  linkUserId: string,
  identity: GithubIdentity,
): Promise<void> {
  // The link was asked for by a signed-in user; it completes only in that user's session.
  if (!actor || actor.userId !== linkUserId) return redirectWithError(res, "github_failed");
  try {
    await linkGithubToUser(deps, actor, identity);
    res.redirect(302, "/profile?github=linked");
  } catch (error) {
    if (error instanceof AppError) return res.redirect(302, `/profile?github=${encodeURIComponent(error.code)}`);
    throw error;
  }
}

import { timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { AUTH_COOKIES, CSRF_HEADER } from "@status/shared";
import {
  credentialKeys,
  credentialMemoFor,
  forgetCredentials,
  type CredentialMemo,
} from "../../cache/credential-memo.ts";
import type { AppDeps } from "../../deps.ts";
import { ForbiddenError, UnauthenticatedError } from "../../errors.ts";
import type { Authenticate, VerifyCsrf } from "../../http/route.ts";
import type { Actor } from "../../domain/actor.ts";
import { authenticateApiToken, looksLikeApiToken } from "../tokens/index.ts";
import { createAccessTokenVerifier, type AccessTokenVerifier } from "./access-token.ts";
import { csrfTokenFor } from "./csrf-token.ts";
import { isSessionActive } from "../sessions/index.ts";
import { findAccountById } from "../users/index.ts";
import { sha256Hex } from "../../lib/sha256.ts";

/** The cookie name governify/registry forwards a caller's token in (metric-calculator.js, POST-GET-V1 collectors). */
const REGISTRY_FORWARDED_COOKIE = "accessToken";

/** Where a request's credential came from: a header (integrators) or the SPA's cookie. */
function presentedCredential(req: Request): { token: string; isCookie: boolean } | undefined {
  const authorization = req.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new UnauthenticatedError("token_invalid", "Use the form 'Authorization: Bearer <token>'");
    return { token: match[1], isCookie: false };
  }
  // The reference's header, kept so its integrations keep working.
  const legacy = req.get("x-access-token");
  if (legacy) return { token: legacy, isCookie: false };
  const cookies = req.cookies as Record<string, string> | undefined;
  const cookie = cookies?.[AUTH_COOKIES.access];
  if (cookie) return { token: cookie, isCookie: true };
  // The Governify registry forwards the credential it was given as `Cookie: accessToken=…` when it calls our
  // collector. Only personal API tokens count there: no browser is ever given one as a cookie, so this cookie
  // carries no ambient authority and needs no CSRF proof (a session token in it is refused).
  const forwarded = cookies?.[REGISTRY_FORWARDED_COOKIE];
  if (forwarded) {
    if (!looksLikeApiToken(forwarded))
      throw new UnauthenticatedError("token_invalid", "The accessToken cookie takes a personal API token (stt_…) only");
    return { token: forwarded, isCookie: false };
  }
  return undefined;
}

/**
 * The actor behind an access token or a personal API token; UnauthenticatedError when it is not (or no longer) valid.
 */
async function actorForToken(deps: AppDeps, verifyAccessToken: AccessTokenVerifier, token: string): Promise<Actor> {
  const memo = credentialMemoFor(deps.cache, deps.config.auth.credentialCacheMs);
  if (looksLikeApiToken(token)) {
    const key = credentialKeys.apiToken(sha256Hex(token));
    const known = (await memo.resolve(key, () => authenticateApiToken(deps, token))) as Actor | undefined;
    if (!known) throw new UnauthenticatedError("token_invalid", "The API token is unknown, expired or revoked");
    // A copy: the route stamps the request id on its actor, and concurrent requests share the remembered one.
    return { ...known };
  }
  const claims = verifyAccessToken(token, Math.floor(deps.now().getTime() / 1000));
  if (!(await isSessionOpen(deps, memo, claims.sid))) {
    throw new UnauthenticatedError("token_invalid", "The session has ended; sign in again");
  }
  const actor: Actor = {
    userId: claims.sub,
    username: claims.name,
    role: claims.role,
    authMethod: "session",
    sessionId: claims.sid,
  };
  // Only tokens issued while a change was due pay for the look-up: the user may have changed it since.
  if (claims.pwc) actor.mustChangePassword = (await findAccountById(deps.db, claims.sub))?.mustChangePassword ?? true;
  return actor;
}

/** Whether the session is open: remembered for CREDENTIAL_CACHE_MS, else asked of the session cache and Postgres. */
async function isSessionOpen(deps: AppDeps, memo: CredentialMemo<unknown>, familyId: string): Promise<boolean> {
  // Only "open" is remembered (undefined is not): a closed session is asked again, and refused again.
  const isOpen = await memo.resolve(credentialKeys.session(familyId), async () =>
    (await isSessionActive(deps, familyId)) ? true : undefined,
  );
  return isOpen === true;
}

/**
 * Routes under these prefixes change who may do what (sign-out, sessions, passwords, second factors, users and their
 * roles, API tokens, sign-in policies): an unsafe request to one makes this process forget every remembered
 * credential, when it starts and again when it has answered, so the change holds from the caller's next request on.
 */
const CREDENTIAL_PATHS = ["/auth", "/tokens", "/users", "/second-factor-policy"];
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function forgetCredentialsOnChange(deps: Pick<AppDeps, "cache">): RequestHandler {
  return (req, res, next) => {
    if (UNSAFE.has(req.method) && CREDENTIAL_PATHS.some((prefix) => isUnder(req.path, prefix))) {
      const forget = () => forgetCredentials(deps.cache, "all");
      forget();
      res.once("finish", forget).once("close", forget);
    }
    next();
  };
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Authenticates with `Authorization: Bearer` (an access token or a personal API token), `x-access-token`, or the
 * access cookie. Access tokens are valid only while their session exists, so sign-out and revocation take effect
 * at once rather than when the token expires (on other instances of the API, within CREDENTIAL_CACHE_MS).
 */
export function createAuthenticator(deps: AppDeps): Authenticate {
  const verifyAccessToken = accessTokenVerifier(deps);
  return async (req) => {
    const credential = presentedCredential(req);
    if (!credential) return null;
    return { actor: await actorForToken(deps, verifyAccessToken, credential.token), isCookie: credential.isCookie };
  };
}

function accessTokenVerifier(deps: AppDeps): AccessTokenVerifier {
  return createAccessTokenVerifier(deps.keys, deps.config.auth.credentialCacheMs);
}

/**
 * The signed-in browser behind a raw `Cookie` header, for traffic that is not an API call (the Node-RED editor
 * proxy, its WebSocket upgrades). Only the access cookie counts: the Authorization header there belongs to Node-RED.
 */
export function createCookieAuthenticator(deps: AppDeps): (cookieHeader: string | undefined) => Promise<Actor | null> {
  const verifyAccessToken = accessTokenVerifier(deps);
  return async (cookieHeader) => {
    const token = cookieValue(cookieHeader, AUTH_COOKIES.access);
    if (!token) return null;
    const actor = await actorForToken(deps, verifyAccessToken, token);
    // A session that owes a password change reaches nothing but the change: not the proxied editor or Grafana either.
    return actor.mustChangePassword ? null : actor;
  };
}

/** The value of one cookie in a raw `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const separator = pair.indexOf("=");
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Double-submit CSRF check for cookie-authenticated unsafe requests: the `x-csrf-token` header must equal the
 * readable CSRF cookie and the HMAC of the session id, which another site can neither read nor forge.
 */
export function createCsrfVerifier(deps: Pick<AppDeps, "keys">): VerifyCsrf {
  return (req, actor) => {
    const header = req.get(CSRF_HEADER) ?? "";
    const cookie = (req.cookies as Record<string, string> | undefined)?.[AUTH_COOKIES.csrf] ?? "";
    const expected = actor.sessionId ? csrfTokenFor(deps.keys, actor.sessionId) : "";
    if (!expected || !safeEqual(header, expected) || !safeEqual(cookie, expected)) {
      throw new ForbiddenError(`Cookie-authenticated requests must send the ${CSRF_HEADER} header`, "csrf_failed");
    }
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

import jwt from "jsonwebtoken";
import { RoleSchema } from "@status/shared";
import { z } from "zod";
import type { AppDeps } from "../../deps.ts";
import { UnauthenticatedError } from "../../errors.ts";
import type { Actor } from "../../domain/actor.ts";
import type { AuthKeys } from "../../domain/auth-keys.ts";
import { cookieValue, createCookieAuthenticator } from "./authenticate.ts";
import { isSessionActive } from "../sessions/index.ts";

const ISSUER = "status";
const PassClaimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), name: z.string(), role: RoleSchema });

export interface SessionPassOptions {
  /** The cookie that carries it, sent only under the proxied path. */
  cookie: string;
  /** The JWT audience: signed with the access-token key, so each audience keeps passes and access tokens apart. */
  audience: string;
  ttlSeconds: number;
  /** How problems name it, e.g. "editor pass". */
  label: string;
  /** What a user does to get a new one, e.g. "open the editor from STATUS again". */
  renewHint: string;
}

export interface SessionPass {
  cookie: string;
  ttlSeconds: number;
  /** A pass for a signed-in session; undefined for personal API tokens (no session to follow). */
  sign: (keys: AuthKeys, actor: Actor, nowSeconds: number) => string | undefined;
  /** The actor of a valid pass whose session is still active; UnauthenticatedError otherwise. */
  actorFor: (deps: AppDeps, pass: string) => Promise<Actor>;
  /**
   * Who a proxied request comes from: the session's access cookie, else this pass (the access token may have expired
   * while the page was open). Null when neither is valid.
   */
  resolver: (deps: AppDeps) => (cookieHeader: string | undefined) => Promise<Actor | null>;
}

/**
 * A long-lived pass for a page the app proxies (the Node-RED editor, Grafana) that cannot refresh our minutes-long
 * access tokens. It is valid for hours, but only while the session it came from is active: signing out, a password
 * change or a role change (which end sessions) end the proxied page too.
 */
export function createSessionPass({ cookie, audience, ttlSeconds, label, renewHint }: SessionPassOptions): SessionPass {
  const pass: SessionPass = {
    cookie,
    ttlSeconds,
    sign(keys, actor, nowSeconds) {
      if (!actor.sessionId) return undefined;
      return jwt.sign({ sid: actor.sessionId, name: actor.username, role: actor.role, iat: nowSeconds }, keys.jwt, {
        algorithm: "HS256",
        subject: actor.userId,
        issuer: ISSUER,
        audience,
        expiresIn: ttlSeconds,
      });
    },
    async actorFor(deps, pass) {
      let payload: unknown;
      try {
        payload = jwt.verify(pass, deps.keys.jwt, {
          algorithms: ["HS256"],
          issuer: ISSUER,
          audience,
          clockTimestamp: Math.floor(deps.now().getTime() / 1000),
        });
      } catch {
        throw new UnauthenticatedError("token_invalid", `The ${label} is not valid; ${renewHint}`);
      }
      const claims = PassClaimsSchema.safeParse(payload);
      if (!claims.success) throw new UnauthenticatedError("token_invalid", `The ${label} is not valid`);
      if (!(await isSessionActive(deps, claims.data.sid)))
        throw new UnauthenticatedError("token_invalid", "The session has ended; sign in again");
      return {
        userId: claims.data.sub,
        username: claims.data.name,
        role: claims.data.role,
        authMethod: "session",
        sessionId: claims.data.sid,
      };
    },
    resolver(deps) {
      const authenticate = createCookieAuthenticator(deps);
      return async (cookieHeader) => {
        const value = cookieValue(cookieHeader, cookie);
        return (
          (await unlessUnauthenticated(authenticate(cookieHeader))) ??
          (value ? await unlessUnauthenticated(pass.actorFor(deps, value)) : null)
        );
      };
    },
  };
  return pass;
}

async function unlessUnauthenticated(authenticating: Promise<Actor | null>): Promise<Actor | null> {
  try {
    return await authenticating;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return null;
    throw error;
  }
}

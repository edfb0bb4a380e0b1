import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { z } from "zod";
import { hasRole, type ApiTokenScope, type Role } from "@status/shared";
import { AppError, ForbiddenError, UnauthenticatedError } from "../errors.ts";
import type { Actor } from "../domain/actor.ts";
import type { TokenResource } from "../domain/token-permits.ts";
import { ROUTE_TEMPLATE_LOCAL } from "../metrics/http-metrics.ts";
import { parse } from "./parse.ts";
import { checkTokenAccess, type ResolveTokenResource } from "./token-access.ts";

/** Who may call a route: anyone, any signed-in user, or at least the given role. */
export type Access = "public" | Role;

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** The result of authenticating a request: the actor, and whether it came from a cookie (which needs CSRF proof). */
export interface Authentication {
  actor: Actor;
  isCookie: boolean;
}
export type Authenticate = (req: Request) => Promise<Authentication | null>;
export type VerifyCsrf = (req: Request, actor: Actor) => void;

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The signed-in actor; reading it on a route without one throws 401. */
  readonly actor: Actor;
  readonly optionalActor: Actor | null;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteDefinition<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: HttpMethod;
  /** Express path under /api/v1, e.g. `/catalogs/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** Routes that answer something other than JSON or that the SPA reaches by navigation are left out of some checks. */
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A body read as text rather than JSON (a file as its tool wrote it), in one of these content types; the route
   * checks the type and parses it itself. Its path needs a text parser in app.ts, before the JSON one.
   */
  rawBody?: { contentTypes: readonly string[]; description: string };
  responses: Record<number, ResponseSpec>;
  /**
   * Whether a session that owes a password change (an administrator's reset) may call it; every other signed-in
   * route answers 403 `password_change_required` until the change is made.
   */
  isOpenDuringPasswordChange?: boolean;
  /**
   * The scope a scoped personal API token needs to call this route (see `domain/token-permits.ts`); when absent, a
   * safe method needs `read` and any other needs `admin`.
   */
  tokenScope?: ApiTokenScope;
  /**
   * The catalog or control the request reaches, for a token's resource limits, when the path is not under
   * `/catalogs/:id` or `/controls/:id` (which name theirs by default; see `http/token-access.ts`).
   */
  tokenResource?: (params: Record<string, string>) => TokenResource | undefined;
  handler: (context: RouteContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<void> | void;
}

/** Declares a route with typed inputs; the table of routes drives mounting, the OpenAPI document and the role tests. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B>): RouteDefinition {
  return definition;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Mounts routes on a router. Every route authenticates and checks its declared access before anything else runs,
 * so no handler can forget it; cookie-authenticated unsafe requests must also carry the CSRF token.
 */
export function mountRoutes(
  router: Router,
  routes: readonly RouteDefinition[],
  auth: { authenticate: Authenticate; verifyCsrf: VerifyCsrf; resolveTokenResource?: ResolveTokenResource },
): void {
  const dispatch = new RouteDispatch();
  for (const route of routes) {
    dispatch.routerFor(route)[route.method](route.path, async (req, res) => {
      // The request metrics label the request with the template, never the raw URL.
      res.locals[ROUTE_TEMPLATE_LOCAL] = route.path;
      const authentication = await authenticateFor(route.access, req, auth.authenticate);
      const actor = authentication?.actor ?? null;
      if (route.access !== "public") {
        if (!actor) throw new UnauthenticatedError();
        if (authentication?.isCookie && UNSAFE_METHODS.has(req.method)) auth.verifyCsrf(req, actor);
        if (actor.mustChangePassword && !route.isOpenDuringPasswordChange)
          throw new AppError(
            403,
            "password_change_required",
            "Password change required",
            "An administrator reset your password: change it (POST /api/v1/auth/password) before anything else",
          );
        if (!hasRole(actor.role, route.access))
          throw new ForbiddenError(`This action needs the ${route.access} role or higher`);
        await checkTokenAccess(route, actor, req.params as Record<string, string>, auth.resolveTokenResource);
      }
      if (actor) actor.requestId = res.locals.requestId as string;
      if (route.body && hasBody(req) && !req.is("application/json")) {
        throw new AppError(
          415,
          "unsupported_media_type",
          "Unsupported media type",
          "Send the body as application/json",
        );
      }
      const params = route.params ? parse(route.params, req.params, "params") : undefined;
      const query = route.query ? parse(route.query, req.query, "query") : undefined;
      const body = route.body ? parse(route.body, req.body ?? {}, "body") : undefined;
      await route.handler({
        req,
        res,
        params,
        query,
        body,
        optionalActor: actor,
        get actor() {
          if (!actor) throw new UnauthenticatedError();
          return actor;
        },
      });
    });
  }
  router.use(dispatch.handler);
}

/** A route path's first segment, which must be literal (`/controls/:id` → `controls`): RouteDispatch relies on it. */
const LITERAL_FIRST_SEGMENT = /^\/([A-Za-z0-9._~-]+)(?:\/|$)/;

/**
 * Express 5's router tries every layer's path in turn, so with one flat table of ~200 routes a request paid a regular
 * expression per route declared before its own (and the last routes ~200) on every call. Only routes of the same
 * method and first segment can match a request, so each (method, first segment) gets a router of its own, holding its
 * routes in table order, and one layer picks it by a map look-up. Within it Express matches as before: parameters,
 * trailing slashes, case-insensitive paths, HEAD answered by the GET route, errors passed on to the error handler.
 */
class RouteDispatch {
  private readonly routers = new Map<string, Router>();

  routerFor(route: RouteDefinition): Router {
    const segment = LITERAL_FIRST_SEGMENT.exec(route.path)?.[1];
    if (!segment) throw new Error(`Route paths start with a literal segment: ${route.method} ${route.path}`);
    const key = dispatchKey(route.method.toUpperCase(), segment.toLowerCase());
    let router = this.routers.get(key);
    if (!router) {
      router = express.Router();
      this.routers.set(key, router);
    }
    return router;
  }

  /**
   * HEAD is served by the GET routes. No route serves OPTIONS (CORS answers a preflight), so it has no router and goes
   * on to the 405 as before (a router would have answered it itself, with a bare `Allow`).
   */
  readonly handler: RequestHandler = (req, res, next) => {
    const method = req.method === "HEAD" ? "GET" : req.method;
    const router = this.routers.get(dispatchKey(method, firstSegment(req.path)));
    if (router) router(req, res, next);
    else next();
  };
}

function dispatchKey(method: string, segment: string): string {
  return `${method} ${segment}`;
}

/** The first segment of a path (`/controls/42/versions` → `controls`), lower-cased as Express matches paths. */
function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/**
 * Public routes serve anonymous callers, so a stale credential (the access cookie of an expired or ended session)
 * counts as none there: otherwise it would block the very routes that replace it, login and refresh.
 */
async function authenticateFor(
  access: Access,
  req: Request,
  authenticate: Authenticate,
): Promise<Authentication | null> {
  if (access !== "public") return authenticate(req);
  try {
    return await authenticate(req);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return null;
    throw error;
  }
}

function hasBody(req: Request): boolean {
  return req.get("transfer-encoding") !== undefined || Number(req.get("content-length") ?? 0) > 0;
}

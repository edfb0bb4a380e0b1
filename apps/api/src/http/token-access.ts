import { IdSchema, type ApiTokenScope } from "@status/shared";
import type { Actor } from "../domain/actor.ts";
import { assertTokenPermits, type TokenResource } from "../domain/token-permits.ts";

/** What the token checks read of a route definition (`RouteDefinition` in route.ts, which calls them). */
export interface TokenRoute {
  method: string;
  path: string;
  tokenScope?: ApiTokenScope | undefined;
  tokenResource?: ((params: Record<string, string>) => TokenResource | undefined) | undefined;
}

/**
 * Completes a named resource for the limits check: a control's catalog, so a token limited to a catalog reaches its
 * controls. Receives only well-formed ids.
 */
export type ResolveTokenResource = (resource: TokenResource) => Promise<TokenResource>;

/** The scope a scoped token needs for a route: its declared one, else `read` for GET and `admin` for anything else. */
export function tokenScopeOf(route: Pick<TokenRoute, "method" | "tokenScope">): ApiTokenScope {
  return route.tokenScope ?? (route.method === "get" ? "read" : "admin");
}

/**
 * The catalog or control a request names. A route declares it with `tokenResource`; otherwise every route under
 * `/catalogs/:id` or `/controls/:id` names that catalog or control, so no route there can forget to. Any other route
 * names none, and a limited token is refused there (a list across catalogs could reveal what the limit hides).
 */
export function namedResource(route: TokenRoute, params: Record<string, string>): TokenResource | undefined {
  if (route.tokenResource) return route.tokenResource(params);
  const id = params.id;
  if (!id) return undefined;
  if (route.path.startsWith("/catalogs/:id")) return { catalogId: id };
  if (route.path.startsWith("/controls/:id")) return { controlId: id };
  return undefined;
}

/**
 * Refuses (403 `token_scope_insufficient`) a scoped personal API token lacking the route's scope, or a limited one
 * reaching outside its catalogs and controls. Sessions and unscoped tokens pass: their role alone governs them, and
 * the role check runs as well for tokens, so a token never exceeds its user's role.
 */
export async function checkTokenAccess(
  route: TokenRoute,
  actor: Actor,
  params: Record<string, string>,
  resolve: ResolveTokenResource | undefined,
): Promise<void> {
  if (!actor.tokenScopes) return;
  const limits = actor.tokenLimits;
  const isLimited = Boolean(limits?.catalogIds?.length || limits?.controlIds?.length);
  let resource = isLimited ? namedResource(route, params) : undefined;
  // Only a well-formed control id is looked up; a malformed one stays unresolved and is refused unless listed.
  if (resource?.controlId && !resource.catalogId && resolve && IdSchema.safeParse(resource.controlId).success) {
    resource = await resolve(resource);
  }
  assertTokenPermits(actor, tokenScopeOf(route), resource);
}

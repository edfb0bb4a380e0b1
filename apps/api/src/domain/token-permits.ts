import type { ApiTokenScope } from "@status/shared";
import { AppError } from "../errors.ts";
import type { Actor } from "./actor.ts";

/** The resource a request reaches, for the resource limits of a scoped token. */
export interface TokenResource {
  catalogId?: string;
  controlId?: string;
}

/**
 * Whether the actor's credential allows `scope` on `resource`. Sessions and unscoped tokens carry no token scopes and
 * are limited by their role only; `admin` includes every other scope. Resource limits: a token limited to catalogs or
 * controls reaches a resource only when it names the control or the control's catalog; a resource left unnamed (a
 * list across catalogs) is refused to a limited token, so a limit can never be stepped around by omission.
 */
export function tokenPermits(actor: Actor, scope: ApiTokenScope, resource?: TokenResource): boolean {
  const scopes = actor.tokenScopes;
  if (scopes === undefined) return true;
  if (!scopes.includes("admin") && !scopes.includes(scope)) return false;
  const limits = actor.tokenLimits;
  if (!limits || (!limits.catalogIds?.length && !limits.controlIds?.length)) return true;
  if (!resource) return false;
  if (resource.controlId && limits.controlIds?.includes(resource.controlId)) return true;
  if (resource.catalogId && limits.catalogIds?.includes(resource.catalogId)) return true;
  return false;
}

/** Throws 403 `token_scope_insufficient` unless `tokenPermits` allows it. */
export function assertTokenPermits(actor: Actor, scope: ApiTokenScope, resource?: TokenResource): void {
  if (!tokenPermits(actor, scope, resource)) {
    throw new AppError(
      403,
      "token_scope_insufficient",
      "Forbidden",
      resource
        ? `This API token does not have the ${scope} scope for this resource`
        : `This API token does not have the ${scope} scope`,
    );
  }
}

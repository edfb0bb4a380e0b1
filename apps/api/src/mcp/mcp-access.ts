import { hasRole, type ApiTokenScope, type Role } from "@status/shared";
import type { Actor } from "../domain/actor.ts";
import { assertTokenPermits, type TokenResource } from "../domain/token-permits.ts";
import { ForbiddenError } from "../errors.ts";

/**
 * The checks `mountRoutes` makes for the REST route a tool mirrors: the role the route declares, then the token's
 * scope and resource limits. A tool calls it before touching any service, so MCP grants nothing REST would refuse.
 */
export function permit(actor: Actor, role: Role, scope: ApiTokenScope, resource?: TokenResource): void {
  if (!hasRole(actor.role, role)) throw new ForbiddenError(`This action needs the ${role} role or higher`);
  assertTokenPermits(actor, scope, resource);
}

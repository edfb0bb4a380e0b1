import type { AppDeps } from "../../deps.ts";
import type { TokenResource } from "../../domain/token-permits.ts";
import { NotFoundError } from "../../errors.ts";
import type { ResolveTokenResource } from "../../http/token-access.ts";
import { requireControl } from "../controls/index.ts";

/**
 * Adds a control's catalog to the resource a limited token reaches, so a token limited to a catalog reaches its
 * controls. An unknown control stays as named: the limits check refuses it unless listed, and the route answers 404.
 */
export function createTokenResourceResolver(deps: Pick<AppDeps, "db">): ResolveTokenResource {
  return async (resource: TokenResource) => {
    if (!resource.controlId) return resource;
    try {
      const control = await requireControl(deps.db, resource.controlId);
      return { ...resource, catalogId: control.catalogId };
    } catch (error) {
      if (error instanceof NotFoundError) return resource;
      throw error;
    }
  };
}

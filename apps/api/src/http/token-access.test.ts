import { describe, expect, it, vi } from "vitest";
import type { Actor } from "../domain/actor.ts";
import { checkTokenAccess, namedResource, tokenScopeOf } from "./token-access.ts";
import { defineRoute, type RouteDefinition } from "./route.ts";

const route = (method: RouteDefinition["method"], path: string, extra: Partial<RouteDefinition> = {}) =>
  defineRoute({ method, path, summary: "", tag: "", access: "USER", responses: {}, handler: () => {}, ...extra });

const token: Actor = {
  userId: "u",
  username: "ada",
  role: "DEVELOPER",
  authMethod: "api_token",
  tokenScopes: ["read"],
};
const catalogId = "0b6c5f1e-2f5c-4c8e-9a57-0d3a8b1f1c11";
const controlId = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

describe("the token access of a route", () => {
  it("needs read for GET, admin for the rest, unless the route declares its scope", () => {
    expect(tokenScopeOf(route("get", "/catalogs"))).toBe("read");
    expect(tokenScopeOf(route("delete", "/catalogs/:id"))).toBe("admin");
    expect(tokenScopeOf(route("post", "/controls/:id/runs", { tokenScope: "runs:write" }))).toBe("runs:write");
  });

  it("names the catalog or control of paths under /catalogs/:id and /controls/:id, or the route's own choice", () => {
    expect(namedResource(route("get", "/catalogs/:id/controls"), { id: catalogId })).toEqual({ catalogId });
    expect(namedResource(route("get", "/controls/:id/scope-sets/:scopeSetId"), { id: controlId })).toEqual({
      controlId,
    });
    expect(namedResource(route("get", "/runs/:id"), { id: controlId })).toBeUndefined();
    const declared = route("post", "/computations/bulk", { tokenResource: () => ({ controlId }) });
    expect(namedResource(declared, {})).toEqual({ controlId });
  });

  it("resolves a control's catalog only for a limited token and a well-formed id", async () => {
    const resolve = vi.fn(async () => ({ controlId, catalogId }));
    const limited: Actor = { ...token, tokenLimits: { catalogIds: [catalogId] } };

    await checkTokenAccess(route("get", "/controls/:id"), token, { id: controlId }, resolve);
    await checkTokenAccess(route("get", "/controls/:id"), limited, { id: controlId }, resolve);
    await expect(
      checkTokenAccess(route("get", "/controls/:id"), limited, { id: "nope" }, resolve),
    ).rejects.toMatchObject({ status: 403, code: "token_scope_insufficient" });

    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("lets sessions and unscoped tokens through without looking anything up", async () => {
    const resolve = vi.fn();
    const session: Actor = { userId: "u", username: "ada", role: "USER", authMethod: "session" };

    await checkTokenAccess(route("delete", "/controls/:id"), session, { id: controlId }, resolve);
    await checkTokenAccess(route("delete", "/controls/:id"), { ...token, tokenScopes: undefined }, {}, resolve);

    expect(resolve).not.toHaveBeenCalled();
  });
});

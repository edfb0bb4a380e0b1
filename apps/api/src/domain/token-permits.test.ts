import { describe, expect, it } from "vitest";
import type { Actor } from "./actor.ts";
import { assertTokenPermits, tokenPermits } from "./token-permits.ts";

const base: Actor = { userId: "u", username: "ada", role: "DEVELOPER", authMethod: "api_token" };

describe("tokenPermits", () => {
  it("lets sessions and unscoped tokens through on every scope", () => {
    expect(tokenPermits({ ...base, authMethod: "session" }, "admin")).toBe(true);
    expect(tokenPermits(base, "evidence:write", { controlId: "c" })).toBe(true);
  });

  it("needs the scope, with admin covering the others", () => {
    expect(tokenPermits({ ...base, tokenScopes: ["read"] }, "read")).toBe(true);
    expect(tokenPermits({ ...base, tokenScopes: ["read"] }, "runs:write")).toBe(false);
    expect(tokenPermits({ ...base, tokenScopes: ["admin"] }, "evidence:write")).toBe(true);
  });

  it("keeps a limited token to its named controls and catalogs, and refuses unnamed resources", () => {
    const actor: Actor = {
      ...base,
      tokenScopes: ["evidence:write"],
      tokenLimits: { controlIds: ["c1"], catalogIds: ["k1"] },
    };
    expect(tokenPermits(actor, "evidence:write", { controlId: "c1", catalogId: "k9" })).toBe(true);
    expect(tokenPermits(actor, "evidence:write", { controlId: "c2", catalogId: "k1" })).toBe(true);
    expect(tokenPermits(actor, "evidence:write", { controlId: "c2", catalogId: "k2" })).toBe(false);
    expect(tokenPermits(actor, "evidence:write")).toBe(false);
    expect(() => assertTokenPermits(actor, "evidence:write", { controlId: "c2" })).toThrow(/evidence:write/);
  });
});

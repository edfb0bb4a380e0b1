import jwt from "jsonwebtoken";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deriveAuthKeys } from "../../domain/auth-keys.ts";
import { createAccessTokenVerifier, signAccessToken, verifyAccessToken, type AccessClaims } from "./access-token.ts";

const keys = deriveAuthKeys("a-secret-long-enough-for-the-test-0123456789");
const otherKeys = deriveAuthKeys("another-secret-long-enough-for-the-test-987654");
const claims: AccessClaims = {
  sub: "0b6c5f1e-2f5c-4c8e-9a57-0d3a8b1f1c11",
  sid: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  name: "ada",
  role: "DEVELOPER",
};
const ISSUED = 1_800_000_000;
const TTL_SECONDS = 900;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A verifier whose memo runs on a clock of its own (ms), and a count of the HS256 verifications it makes. */
function verifierAt(ttlMs: number): {
  verify: ReturnType<typeof createAccessTokenVerifier>;
  verifications: () => number;
  advance: (ms: number) => void;
} {
  let now = 0;
  const spy = vi.spyOn(jwt, "verify");
  return {
    verify: createAccessTokenVerifier(keys, ttlMs, () => now),
    verifications: () => spy.mock.calls.length,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe("the access token verifier", () => {
  it("answers the claims verifyAccessToken answers", () => {
    const token = signAccessToken(keys, claims, TTL_SECONDS, ISSUED);
    const { verify } = verifierAt(10_000);
    expect(verify(token, ISSUED + 1)).toEqual(claims);
    expect(verifyAccessToken(keys, token, ISSUED + 1).claims).toEqual(claims);
  });

  it("verifies a token once within the bound, and again after it", () => {
    const token = signAccessToken(keys, claims, TTL_SECONDS, ISSUED);
    const { verify, verifications, advance } = verifierAt(10_000);
    verify(token, ISSUED);
    advance(9_999);
    expect(verify(token, ISSUED + 9)).toEqual(claims);
    expect(verifications()).toBe(1);
    advance(1);
    expect(verify(token, ISSUED + 10)).toEqual(claims);
    expect(verifications()).toBe(2);
  });

  it("refuses a remembered token from its expiry on, by the app clock", () => {
    const token = signAccessToken(keys, claims, TTL_SECONDS, ISSUED);
    const { verify } = verifierAt(3_600_000);
    verify(token, ISSUED + TTL_SECONDS - 1);
    expect(() => verify(token, ISSUED + TTL_SECONDS)).toThrow(expect.objectContaining({ code: "token_expired" }));
  });

  it("never remembers a bad token: a forged, tampered or expired one is refused every time", () => {
    const { verify, verifications } = verifierAt(60_000);
    const forged = signAccessToken(otherKeys, claims, TTL_SECONDS, ISSUED);
    const good = signAccessToken(keys, claims, TTL_SECONDS, ISSUED);
    const [header, , signature] = good.split(".");
    const payload = Buffer.from(JSON.stringify({ ...claims, role: "ADMIN", iat: ISSUED, exp: ISSUED + 60 }));
    const tampered = `${header}.${payload.toString("base64url")}.${signature}`;
    for (const token of [forged, forged, tampered, tampered]) {
      expect(() => verify(token, ISSUED)).toThrow(expect.objectContaining({ code: "token_invalid" }));
    }
    expect(() => verify(good, ISSUED + TTL_SECONDS)).toThrow(expect.objectContaining({ code: "token_expired" }));
    expect(() => verify(good, ISSUED + TTL_SECONDS)).toThrow(expect.objectContaining({ code: "token_expired" }));
    expect(verifications()).toBe(6);
  });

  it("remembers nothing with a bound of 0 (CREDENTIAL_CACHE_MS=0)", () => {
    const token = signAccessToken(keys, claims, TTL_SECONDS, ISSUED);
    const { verify, verifications } = verifierAt(0);
    verify(token, ISSUED);
    verify(token, ISSUED);
    expect(verifications()).toBe(2);
  });
});

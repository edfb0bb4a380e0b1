import { randomUUID } from "node:crypto";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { deriveAuthKeys } from "../../../domain/auth-keys.ts";
import { signRunToken, verifyRunToken } from "./run-token.ts";

const keys = deriveAuthKeys("a-secret-long-enough-for-the-test-0123456789");

describe("run callback tokens", () => {
  it("are HS256 JWTs naming the run, for the callback audience, expiring after the time given", () => {
    const runId = randomUUID();
    const token = signRunToken(keys, runId, 90);
    expect(verifyRunToken(keys, token)).toBe(runId);
    const claims = jwt.verify(token, keys.jwt, { algorithms: ["HS256"] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: runId, aud: "status-run-callback" });
    expect(claims.exp! - claims.iat!).toBe(90);
  });

  it("are refused once expired, altered or signed with another key", () => {
    const runId = randomUUID();
    expect(() => verifyRunToken(keys, signRunToken(keys, runId, -1))).toThrow(/invalid or expired/);
    const [header, payload, signature] = signRunToken(keys, runId, 60).split(".");
    const other = Buffer.from(JSON.stringify({ sub: randomUUID(), aud: "status-run-callback" })).toString("base64url");
    expect(() => verifyRunToken(keys, `${header}.${other}.${signature}`)).toThrow(/invalid or expired/);
    const otherKeys = deriveAuthKeys("another-secret-long-enough-for-the-test-987654");
    expect(() => verifyRunToken(otherKeys, `${header}.${payload}.${signature}`)).toThrow(/invalid or expired/);
  });
});

import { describe, expect, it } from "vitest";
import { CURRENT_HASH_SCHEME, isPointHashIntact, pointHash, type HashablePoint } from "./point-hash.ts";

const POINT = {
  id: "5b1f5c9e-1f3a-4c55-9a59-0d2b7c1e0001",
  controlId: "5b1f5c9e-1f3a-4c55-9a59-0d2b7c1e0002",
  source: "engine",
  scopeKey: '{"team":"payments"}',
  windowStart: "2025-03-01T00:00:00Z",
  windowEnd: "2025-03-02T00:00:00.000Z",
  value: 66.6667,
  threshold: 80,
  result: "fail",
  computationId: "5b1f5c9e-1f3a-4c55-9a59-0d2b7c1e0003",
  evidenceDigest: "ab".repeat(32),
};

const SCHEME_TWO: HashablePoint = {
  ...POINT,
  hashScheme: 2,
  catalogId: "5b1f5c9e-1f3a-4c55-9a59-0d2b7c1e0004",
  scope: { team: "payments" },
  controlVersion: 3,
  versionDigest: "ef".repeat(32),
  createdAt: "2025-03-02T00:05:00.123Z",
};

describe("point hashes", () => {
  it("hashes scheme-1 points exactly as the release before control versions did", () => {
    // Computed with that release's pointHash (commit 8477445) for the same fields.
    expect(pointHash(null, { ...POINT, hashScheme: 1 })).toBe(
      "7ead76ab6e33f4dfe6e997c15742a1fe4361432a5142708eab01f6acee8bc0ab",
    );
    expect(
      pointHash("cd".repeat(32), {
        ...POINT,
        hashScheme: 1,
        value: null,
        computationId: null,
        evidenceDigest: null,
        source: "registry",
      }),
    ).toBe("1dbb7f4079b3a1358e2a21d6f75794e09c856d2af7dc9b1e10ed6e3267eff137");
  });

  it("writes new points under scheme 2, whose hash differs from scheme 1's for the same fields", () => {
    expect(CURRENT_HASH_SCHEME).toBe(2);
    expect(pointHash(null, SCHEME_TWO)).not.toBe(pointHash(null, { ...SCHEME_TWO, hashScheme: 1 }));
  });

  it.each([
    ["the control version", { controlVersion: 2 }],
    ["the version's digest", { versionDigest: "00".repeat(32) }],
    ["the catalog", { catalogId: "5b1f5c9e-1f3a-4c55-9a59-0d2b7c1e0005" }],
    ["the scope values", { scope: { team: "risk" } }],
    ["the time it was recorded", { createdAt: "2025-03-02T00:05:00.124Z" }],
    ["the threshold", { threshold: 80.01 }],
  ])("covers %s under scheme 2", (_name, change) => {
    expect(pointHash(null, { ...SCHEME_TWO, ...change })).not.toBe(pointHash(null, SCHEME_TWO));
  });

  it("hashes values read back from Postgres as the values written (instants and numbers normalised)", () => {
    const readBack = {
      ...SCHEME_TWO,
      windowStart: "2025-03-01T00:00:00.000Z",
      createdAt: "2025-03-02T00:05:00.123+00:00",
      value: 66.667,
      threshold: 80.0,
    };
    expect(pointHash("aa".repeat(32), readBack)).toBe(pointHash("aa".repeat(32), SCHEME_TWO));
  });

  it("checks a stored point under its own scheme, and refuses one whose scheme or version was changed", () => {
    const stored = { ...SCHEME_TWO, prevHash: null, hash: pointHash(null, SCHEME_TWO) };
    expect(isPointHashIntact(stored)).toBe(true);
    expect(isPointHashIntact({ ...stored, hashScheme: 1 })).toBe(false);
    expect(isPointHashIntact({ ...stored, controlVersion: 4 })).toBe(false);
    // A scheme-2 point without a version cannot be hashed at all: it was tampered with.
    expect(isPointHashIntact({ ...stored, controlVersion: null })).toBe(false);
    const legacy = {
      ...POINT,
      hashScheme: 1 as const,
      prevHash: null,
      hash: pointHash(null, { ...POINT, hashScheme: 1 }),
    };
    expect(isPointHashIntact(legacy)).toBe(true);
    expect(isPointHashIntact({ ...legacy, hashScheme: 2 })).toBe(false);
  });
});

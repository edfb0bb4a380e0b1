import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evidenceDigest } from "../../domain/evaluation.ts";
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

/**
 * The hash function as it was written before it wrote its JSON in key order directly (objects built, then every key
 * sorted by canonicalJson): the reference the faster one must match byte for byte, for every point ever hashed.
 */
function referenceCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${referenceCanonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const reference = {
  sha256: (text: string) => createHash("sha256").update(text).digest("hex"),
  pointHash(prevHash: string | null, point: HashablePoint): string {
    const iso = (instant: string) => new Date(instant).toISOString();
    const one = {
      id: point.id,
      controlId: point.controlId,
      source: point.source,
      scopeKey: point.scopeKey,
      result: point.result,
      computationId: point.computationId,
      evidenceDigest: point.evidenceDigest,
      windowStart: iso(point.windowStart),
      windowEnd: iso(point.windowEnd),
      value: point.value === null ? null : Number(point.value).toFixed(3),
      threshold: Number(point.threshold).toFixed(2),
    };
    const input =
      point.hashScheme === 1
        ? one
        : {
            ...one,
            scheme: 2,
            catalogId: point.catalogId,
            scope: point.scope,
            controlVersion: point.controlVersion,
            versionDigest: point.versionDigest,
            createdAt: iso(point.createdAt!),
          };
    return reference.sha256(`${prevHash ?? "genesis"}\n${referenceCanonicalJson(input)}`);
  },
  evidenceDigest: (evidences: Parameters<typeof evidenceDigest>[0]) =>
    reference.sha256(
      referenceCanonicalJson(
        evidences.map(({ position, key, value, result, from, to }) => ({ position, key, value, result, from, to })),
      ),
    ),
};

/** A small deterministic generator, so a failure names the seed that made it. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const text = () =>
    pick(["", "payments", 'quote " and \\ back', "ünïcode é", "line\nbreak", "\u2028", "emoji 🎉", "A", "a"]);
  const json = (depth: number): unknown => {
    const kind = pick(["string", "number", "null", "boolean", "array", "object"] as const);
    if (depth > 2 || kind === "string") return text();
    if (kind === "number") return pick([0, -0, 1.5, -12.125, 1e21, 1.5e-7, 42, 66.6667]);
    if (kind === "null") return null;
    if (kind === "boolean") return next() < 0.5;
    if (kind === "array") return Array.from({ length: Math.floor(next() * 3) }, () => json(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 4) }, () => [
        pick(["b", "a", "B", "é", "aa", "10", "2", "z"]),
        json(depth + 1),
      ]),
    );
  };
  return { next, pick, text, json };
}

describe("point hashes written in key order", () => {
  it("match fixed hashes of points and evidences with awkward values", () => {
    // Computed with the reference (the release before this change) for the same fields.
    const awkward: HashablePoint = {
      ...SCHEME_TWO,
      source: "registry",
      scopeKey: '{"région":"eu-west \\"1\\"","team":"payments"}',
      windowStart: "2025-03-01 00:00:00+00",
      windowEnd: "2025-03-02T01:00:00.5+01:00",
      value: "-0.0005",
      threshold: "79.995",
      result: "not_applicable",
      computationId: null,
      evidenceDigest: null,
      scope: {
        team: "payments",
        région: 'eu-west "1"',
        nested: { z: [3, { b: null, a: true }], A: 1.5e-7 },
        Zed: "\u2028\n",
      },
      controlVersion: 12,
      createdAt: "2025-03-02T00:05:00.123456Z",
    };
    expect(pointHash("ab".repeat(32), awkward)).toBe(
      "bb1e7aa394f0fcd4a2fd24800ffd3c882c0889c2f87aed349ad3b7e0ebe81307",
    );
    expect(pointHash(null, { ...awkward, value: null, scope: {} })).toBe(
      "6c896cc8c2d1ba25fa2c4cbc27984a9a14d30b6b1dc6e172c6c4157ad51a72fa",
    );
    expect(
      pointHash(null, { ...awkward, hashScheme: 1, value: 1234567.8915, computationId: "c", evidenceDigest: "d" }),
    ).toBe("0f78d82c4493607aefeeb34c87c18519e432fdefe11eca3384df843c805b1234");
    expect(
      evidenceDigest([
        {
          position: 0,
          key: 'k"é',
          value: { b: [1, { d: 2, c: null }], a: "x" },
          result: "pass",
          from: "2025-01-01T00:00:00.000Z",
          to: null,
        },
        { position: 1, key: "k2", value: null, result: "error", from: null, to: "2025-01-02T00:00:00.000Z" },
        { position: 2, key: "k3", value: undefined, result: "fail", from: null, to: null },
      ]),
    ).toBe("9807ab0770c7184f2a3d6646bbb9028b0caffee2d61428a228e7b0957211c914");
    expect(evidenceDigest([])).toBe("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
  });

  it.each([1, 2, 3, 4, 5])("match the reference for generated points and evidences (seed %i)", (seed) => {
    const { next, pick, text, json } = generator(seed);
    for (let index = 0; index < 300; index += 1) {
      const point: HashablePoint = {
        ...SCHEME_TWO,
        hashScheme: pick([1, 2] as const),
        id: pick([SCHEME_TWO.id, text()]),
        controlId: pick([SCHEME_TWO.controlId, text()]),
        source: pick(["engine", "registry", text()]),
        scopeKey: text(),
        windowStart: pick(["2025-03-01T00:00:00Z", "2025-03-01 00:00:00.123+00", "1999-12-31T23:59:59.999-05:00"]),
        value: pick([null, 0, -1.0005, 66.6667, "12.3456", 1e21, 100]),
        threshold: pick([80, 79.995, "0.005", 100]),
        result: pick(["pass", "fail", "not_applicable", text()]),
        computationId: pick([null, text()]),
        evidenceDigest: pick([null, "ab".repeat(32), text()]),
        catalogId: text(),
        scope: json(0) as Record<string, unknown>,
        controlVersion: Math.floor(next() * 20) + 1,
        versionDigest: pick(["ef".repeat(32), text() || "x"]),
      };
      const prevHash = pick([null, "cd".repeat(32)]);
      expect(pointHash(prevHash, point), JSON.stringify(point)).toBe(reference.pointHash(prevHash, point));
      const evidences = Array.from({ length: Math.floor(next() * 4) }, (_, position) => ({
        position,
        key: text(),
        value: json(0),
        result: pick(["pass", "fail", "error", "not_applicable"]),
        from: pick([null, "2025-01-01T00:00:00.000Z"]),
        to: pick([null, "2025-01-02T00:00:00.000Z"]),
      }));
      expect(evidenceDigest(evidences as never)).toBe(reference.evidenceDigest(evidences as never));
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listChainWalkBatch, type WalkedPoint } from "../../src/modules/points/chain-walk.repository.ts";
import { isPointHashIntact, pointHash, type HashablePoint } from "../../src/modules/points/index.ts";
import { signInAs, type TestUser } from "../http-client.ts";
import { createHourlyControl, type ControlIds } from "../point-append.ts";
import { startTestApp, type TestApp } from "../test-app.ts";

/** A small seeded generator, so a failure reproduces. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

/** Strings whose JSON is not just their quoted text: escapes, controls, non-ASCII, surrogate pairs, U+2028. */
const AWKWARD = [
  'a"b',
  "a\\b",
  "line\nbreak",
  "tab\there",
  "\u0001\u001f\u007f",
  "é ü ß",
  "😀 \u2028 \uffff",
  "",
  "a: b",
  '": "',
];

/**
 * Postgres writes each point's canonical JSON and hashes it (listChainWalkBatch): the text must be point-hash.ts's,
 * byte for byte, or a point would be verified against another definition than the one that wrote it. Fuzzed points
 * are hashed by point-hash.ts from the fields as read back, then read by the walk: every point whose values the SQL
 * text covers is verified by Postgres, every other is left to the hash function, and after random edits Postgres
 * never says other than the hash function does.
 */
describe("chain walk: the hash Postgres computes is point-hash.ts's", () => {
  let app: TestApp;
  let developer: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    developer = await signInAs(app, "DEVELOPER");
  });
  afterAll(() => app?.close());

  /** The hashed fields of a control's points as the walk reads an unverified point, in chain order. */
  async function storedPoints(controlId: string) {
    const result = await app.deps.db.query<HashablePoint & { seq: string; prevHash: string | null; hash: string }>(
      `select p.id, p.seq::text as seq, p.control_id as "controlId", p.catalog_id as "catalogId", p.source, p.scope,
              p.scope_key as "scopeKey", p.window_start::text as "windowStart", p.window_end::text as "windowEnd",
              p.value::text as value, p.threshold::text as threshold, p.result, p.computation_id as "computationId",
              p.evidence_digest as "evidenceDigest", p.control_version as "controlVersion",
              v.digest as "versionDigest", p.hash_scheme as "hashScheme", p.created_at::text as "createdAt",
              p.prev_hash as "prevHash", p.hash
         from points p left join control_versions v on v.control_id = p.control_id and v.version = p.control_version
        where p.control_id = $1 order by p.seq`,
      [controlId],
    );
    return result.rows;
  }

  /** `count` fuzzed points (placeholder hashes), then every point hashed by point-hash.ts from what was stored. */
  async function fuzzedChain(ids: ControlIds, count: number, seed: number): Promise<void> {
    const { int, pick, next } = random(seed);
    const text = () => (next() < 0.5 ? pick(AWKWARD) : `v${int(1000)}`);
    const scope = () => {
      const shape = int(6);
      if (shape === 0) return {};
      if (shape === 1) return { shard: `s${int(5)}` };
      if (shape === 2) return { [pick(["b", "aa", "Z", "_", "k k"])]: text() };
      // Several keys: jsonb orders shorter keys first, JavaScript bytewise.
      if (shape === 3) return { b: text(), aa: text(), Z: `${int(9)}`, a_b: "x" };
      // Outside what the SQL text covers (numbers, nesting, non-ASCII keys): the hash function decides.
      if (shape === 4) return { n: int(10), nested: { x: "y" } };
      return { é: "x", b: "y" };
    };
    const base = Date.parse("2026-01-01T00:00:00Z");
    const rows = Array.from({ length: count }, (_, index) => {
      const start = base + index * 3_600_000 + int(1000) * (next() < 0.3 ? 1 : 0);
      // Microseconds: Date parsing truncates them, and so must to_char.
      const created = `2026-02-01 00:00:${String(int(60)).padStart(2, "0")}.${String(int(1_000_000)).padStart(6, "0")}+00`;
      const isOld = next() < 0.05; // before 1980: outside the SQL text's instants
      return {
        scope: JSON.stringify(scope()),
        scopeKey: next() < 0.3 ? pick(AWKWARD) + index : `k${index}`,
        windowStart: new Date(isOld ? Date.parse("1975-01-01T00:00:00Z") + index * 3_600_000 : start).toISOString(),
        windowEnd: new Date(start + 3_600_000).toISOString(),
        value: next() < 0.2 ? null : (int(100_001) / 1000).toFixed(3),
        threshold: (int(10_001) / 100).toFixed(2),
        result: pick(["pass", "fail", "not_applicable"]),
        source: pick(["engine", "registry"]),
        evidenceDigest: next() < 0.5 ? null : next() < 0.5 ? pick(AWKWARD) : `${int(1e9)}`.padStart(64, "0"),
        hashScheme: next() < 0.2 ? 1 : 2,
        createdAt: created,
      };
    });
    const column = (name: keyof (typeof rows)[number]) => rows.map((row) => row[name]);
    await app.deps.db.query(
      `insert into points (control_id, catalog_id, source, scope, scope_key, window_start, window_end, value, threshold,
                           result, evidence_digest, control_version, hash_scheme, created_at, hash)
       select $1, $2, source, scope, scope_key, window_start, window_end, value, threshold, result, evidence_digest,
              1, hash_scheme, created_at, 'placeholder'
         from unnest($3::text[], $4::jsonb[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::numeric[],
                     $9::numeric[], $10::text[], $11::text[], $12::smallint[], $13::timestamptz[])
              with ordinality as x(source, scope, scope_key, window_start, window_end, value, threshold, result,
                                   evidence_digest, hash_scheme, created_at, n)
        order by n`,
      [
        ids.controlId,
        ids.catalogId,
        column("source"),
        column("scope"),
        column("scopeKey"),
        column("windowStart"),
        column("windowEnd"),
        column("value"),
        column("threshold"),
        column("result"),
        column("evidenceDigest"),
        column("hashScheme"),
        column("createdAt"),
      ],
    );
    await rehash(ids.controlId);
  }

  /** Hashes and links every point of the chain with point-hash.ts, from its fields as stored. */
  async function rehash(controlId: string): Promise<void> {
    let previous: string | null = null;
    const ids: string[] = [];
    const prevHashes: (string | null)[] = [];
    const hashes: string[] = [];
    for (const point of await storedPoints(controlId)) {
      const hash = pointHash(previous, point);
      ids.push(point.id);
      prevHashes.push(previous);
      hashes.push(hash);
      previous = hash;
    }
    await app.deps.db.query(
      `update points p set prev_hash = x.prev_hash, hash = x.hash
         from unnest($1::uuid[], $2::text[], $3::text[]) as x(id, prev_hash, hash) where p.id = x.id`,
      [ids, prevHashes, hashes],
    );
  }

  /** Every point of the chain as the walk reads it (settled or not), in batches of 300. */
  async function walk(controlId: string): Promise<WalkedPoint[]> {
    const points: WalkedPoint[] = [];
    const every = { everyPoint: true };
    for (let batch = await listChainWalkBatch(app.deps.db, controlId, "0", 300, 0, every); batch.length > 0;) {
      points.push(...batch);
      batch = await listChainWalkBatch(app.deps.db, controlId, batch.at(-1)!.seq, 300, 0, every);
    }
    return points;
  }

  /** Whether the SQL text covers a stored point: instants since 1980, and a scope of ASCII keys and string values. */
  const isCovered = (point: HashablePoint) =>
    !point.windowStart.startsWith("1975") &&
    (point.hashScheme === 1 ||
      Object.entries(point.scope ?? {}).every(([key, value]) => /^[ -~]*$/.test(key) && typeof value === "string"));

  it("verifies in Postgres exactly the points point-hash.ts verifies, and leaves the rest to it", async () => {
    const ids = await createHourlyControl(app, developer.token, "2025-12-01T00:00:00Z");
    await fuzzedChain(ids, 600, 19);
    const stored = await storedPoints(ids.controlId);
    const walked = await walk(ids.controlId);
    expect(walked.map((point) => point.id)).toEqual(stored.map((point) => point.id));
    stored.forEach((point, index) => {
      expect(isPointHashIntact(point)).toBe(true);
      expect(walked[index]!.isHashVerified, JSON.stringify(point)).toBe(isCovered(point) ? true : null);
    });
    // Both sides of the fuzz were reached: several keys, awkward strings, scheme 1, and values left to the hash.
    expect(
      stored.filter((point) => Object.keys(point.scope ?? {}).length > 1 && isCovered(point)).length,
    ).toBeGreaterThan(20);
    expect(walked.filter((point) => point.isHashVerified === null).length).toBeGreaterThan(20);
    expect(stored.filter((point) => point.hashScheme === 1).length).toBeGreaterThan(20);

    // Edits of every hashed field: Postgres says what the hash function says (or leaves it to it), point by point.
    const { int, pick } = random(7);
    const edits = [
      "update points set scope = jsonb_set(scope, '{shard}', '\"s9\"') where id = $1 and scope ? 'shard'",
      'update points set scope = scope || \'{"extra": "x"}\' where id = $1',
      "update points set scope_key = scope_key || '\"' where id = $1",
      "update points set value = coalesce(value, 0) + 0.001 where id = $1 and coalesce(value, 0) < 100",
      "update points set value = null where id = $1",
      "update points set threshold = threshold + 0.01 where id = $1 and threshold < 100",
      "update points set window_start = window_start + interval '1 millisecond' where id = $1",
      "update points set window_end = window_end - interval '1 millisecond' where id = $1",
      // Below a millisecond: truncated by both, so not an edit the hash can see (both must agree on that too).
      "update points set created_at = created_at + interval '1 microsecond' where id = $1",
      "update points set created_at = created_at + interval '1 second' where id = $1",
      "update points set result = case result when 'pass' then 'fail' else 'pass' end where id = $1",
      "update points set source = case source when 'engine' then 'registry' else 'engine' end where id = $1",
      "update points set evidence_digest = coalesce(evidence_digest, '') || 'x' where id = $1",
      "update points set evidence_digest = null where id = $1",
      "update points set hash_scheme = case hash_scheme when 1 then 2 else 1 end where id = $1",
      "update points set catalog_id = coalesce((select id from catalogs where id <> points.catalog_id limit 1), catalog_id) where id = $1",
      "update points set prev_hash = hash where id = $1",
      "update points set hash = upper(hash) where id = $1",
    ];
    for (let edit = 0; edit < 120; edit += 1) await app.deps.db.query(pick(edits), [stored[int(stored.length)]!.id]);
    const edited = await storedPoints(ids.controlId);
    const rewalked = await walk(ids.controlId);
    let broken = 0;
    edited.forEach((point, index) => {
      const intact = isPointHashIntact(point);
      if (!intact) broken += 1;
      const verdict = rewalked[index]!.isHashVerified;
      if (verdict !== null) expect(verdict, JSON.stringify(point)).toBe(intact);
      if (isCovered(point)) expect(verdict).not.toBeNull();
    });
    expect(broken).toBeGreaterThan(50);
  });

  it("sends only the points it could not settle, with each batch's first and last point and its totals", async () => {
    const ids = await createHourlyControl(app, developer.token, "2025-12-01T00:00:00Z");
    await fuzzedChain(ids, 650, 23);
    // A removal and an edit: the point after the gap and the edited point are sent, whatever their neighbours.
    const stored = await storedPoints(ids.controlId);
    await app.deps.db.query("delete from points where id = $1", [stored[140]!.id]);
    await app.deps.db.query("update points set result = 'fail', value = 1 where id = $1", [stored[410]!.id]);
    const every = await walk(ids.controlId);
    const sent: WalkedPoint[] = [];
    let totals = { points: 0, schemeOne: 0, schemeTwo: 0 };
    for (let after = "0"; ;) {
      const batch = await listChainWalkBatch(app.deps.db, ids.controlId, after, 300);
      const end = batch.at(-1);
      if (!end) break;
      expect(batch[0]!.position).toBe(1);
      expect(end.position).toBe(end.batchCount);
      sent.push(...batch);
      totals = {
        points: totals.points + end.batchCount,
        schemeOne: totals.schemeOne + end.schemeOneCount,
        schemeTwo: totals.schemeTwo + end.schemeTwoCount,
      };
      after = end.seq;
    }
    expect(totals).toEqual({
      points: every.length,
      schemeOne: every.filter((point) => point.hashScheme === 1).length,
      schemeTwo: every.filter((point) => point.hashScheme === 2).length,
    });
    // Sent: each point not verified, linked to the one before it, of an existing version and without evidence.
    const isSettled = (point: WalkedPoint, index: number) =>
      point.isHashVerified === true &&
      index > 0 &&
      point.prevHash === every[index - 1]!.hash &&
      (point.controlVersion === null || point.hasVersionDigest) &&
      !(point.computationId && point.evidenceDigest);
    const isEnd = (index: number) => index % 300 === 0 || index % 300 === 299 || index === every.length - 1;
    const expected = every.filter((point, index) => !isSettled(point, index) || isEnd(index));
    expect(sent.map((point) => point.id)).toEqual(expected.map((point) => point.id));
    expect(sent.map((point) => point.id)).toEqual(expect.arrayContaining([stored[141]!.id, stored[410]!.id]));
    expect(sent.length).toBeLessThan(every.length);
    // What a sent point links to: the point before it in the batch, sent or not.
    sent.forEach((point) => {
      const index = every.findIndex((other) => other.id === point.id);
      expect(point.hashBefore).toBe(index % 300 === 0 ? null : every[index - 1]!.hash);
    });
  });

  it("reads the fields of a point it did not verify, and none of one it did", async () => {
    const ids = await createHourlyControl(app, developer.token, "2025-12-01T00:00:00Z");
    await fuzzedChain(ids, 20, 3);
    const [first, second] = await storedPoints(ids.controlId);
    await app.deps.db.query(
      "update points set result = case result when 'pass' then 'fail' else 'pass' end where id = $1",
      [second!.id],
    );
    await app.deps.db.query(
      "update points set scope = '{\"shard\": \"s1\"}', window_start = '2026-06-01Z' where id = any($1::uuid[])",
      [[first!.id]],
    );
    await rehash(ids.controlId);
    await app.deps.db.query("update points set scope_key = 'edited' where id = $1", [second!.id]);
    const [verified, edited] = await listChainWalkBatch(app.deps.db, ids.controlId, "0", 2);
    expect(verified).toMatchObject({ id: first!.id, isHashVerified: true, scope: null, scopeKey: null, result: null });
    expect(edited).toMatchObject({ id: second!.id, isHashVerified: false, scopeKey: "edited" });
    if (edited!.isHashVerified !== true) expect(isPointHashIntact(edited!)).toBe(false);
  });
});

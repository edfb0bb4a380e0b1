import type { DigestedEvidence } from "@status/verify-pack/chain-hash";
import type { Queryable } from "../../db/database.ts";
import { queryPrepared } from "../../db/prepared.ts";
import { isoTextSql } from "../../db/timestamptz.ts";
import type { ChainPoint } from "./point-chain.repository.ts";

/**
 * What verification needs of a point's computation when the point records an evidence digest: whether retention
 * pruned its detail, the digest it kept, and its stored evidences in position order (instants as Postgres writes a
 * timestamptz column, parsed below exactly as the column would be). All null when the computation is gone.
 */
export interface ChainPointEvidence {
  isPruned: boolean | null;
  keptDigest: string | null;
  evidences: DigestedEvidence[] | null;
}

/** The fields a point's hash covers that the walk needs for nothing else: read only when Postgres did not verify it. */
type HashOnlyFields = Pick<
  ChainPoint,
  | "controlId"
  | "catalogId"
  | "source"
  | "scope"
  | "scopeKey"
  | "windowStart"
  | "windowEnd"
  | "value"
  | "threshold"
  | "result"
  | "versionDigest"
  | "createdAt"
>;

/**
 * A point of the chain as the walk reads it: what links it and names its evidence, and its computation's evidence.
 * `isHashVerified` is true when Postgres hashed the point's canonical text itself and it matched the stored hash; the
 * hash-only fields are then not read at all. Otherwise (false: it did not match; null: a value outside what the SQL
 * text is proven byte-identical for) every hashed field is read, and the points module's hash function decides.
 */
export type WalkedPoint = Pick<
  ChainPoint,
  "id" | "prevHash" | "hash" | "hashScheme" | "controlVersion" | "computationId" | "evidenceDigest"
> & {
  seq: string;
  /** Its place in the batch (from 1), the hash of the point before it there (null for the first), batch totals. */
  position: number;
  hashBefore: string | null;
  batchCount: number;
  schemeOneCount: number;
  schemeTwoCount: number;
  /** Whether the point's control version still has a (non-empty) digest: a point naming a missing version is broken. */
  hasVersionDigest: boolean;
} & ChainPointEvidence &
  ({ isHashVerified: true } | ({ isHashVerified: false | null } & HashOnlyFields));

/*
 * Postgres writes the canonical JSON that point-hash.ts hashes (its schemeOneText and schemeTwoText), byte for byte,
 * and hashes it: every field is written exactly as the JavaScript writes it, for the values it is proven for (checked
 * first, cheaply); for any other value it does not hash at all, and the hash function decides. The chain-walk test
 * hashes fuzzed points both ways. The text is one format() of the fields, not dozens of pieces joined with || or
 * concat(): each piece costs Postgres about 0.1 µs a row, and the text is most of what hashing a point costs it.
 */

/** Instants whose ISO text to_char writes as toISOString does (four-digit years; whole-minute offsets since 1980). */
const isPlainInstant = (column: string) => `${column} >= '1980-01-01Z' and ${column} < '9999-01-01Z'`;

/**
 * Numbers whose `Number(text).toFixed(digits)` is the numeric's own text rounded to `digits`: at most `digits`
 * decimals, and well inside a double's exact range.
 */
const isPlainNumber = (column: string, digits: number) =>
  `${column} = round(${column}, ${digits}) and abs(${column}) < 1e9`;

/**
 * canonicalJson of a scope (its jsonb text read once, as `scope_text`): an object of string values, keys in the order
 * JavaScript sorts them. One key (or none), neither holding a quote or backslash (so nothing was escaped, and jsonb's
 * text differs only by its spaces), is the common case and needs no function call: its text is `{"…": "…"}` with no
 * backslash and no fifth quote, so the four quotes are the pattern's own (LIKE, several times cheaper than a regular
 * expression). More keys are ordered bytewise, which is JavaScript's order for ASCII keys. Anything else (numbers,
 * nesting, other keys) is null.
 */
const SCOPE_JSON = String.raw`case
  when p.scope_text like '{"%": "%"}' and p.scope_text not like '%"%"%"%"%"%' and strpos(p.scope_text, '\') = 0
    then replace(p.scope_text, '": "', '":"')
  when p.scope_text = '{}' then '{}'
  when jsonb_typeof(p.scope) = 'object' then (
    select case when bool_and(jsonb_typeof(s.value) = 'string' and s.key ~ '^[ -~]*$')
                then '{' || string_agg(to_json(s.key)::text || ':' || s.value::text, ',' order by s.key collate "C") || '}'
           end
      from jsonb_each(p.scope) s)
end`;

/** JSON of a text (JSON.stringify's escapes are escape_json's); of null, null. */
const json = (column: string) => `case when ${column} is null then 'null' else to_json(${column})::text end`;

/** Whether the text below is the hash function's for this point: every field is one it is proven for. */
const IS_PLAIN = `${isPlainInstant("p.window_start")} and ${isPlainInstant("p.window_end")}
  and ${isPlainNumber("p.threshold", 2)} and (p.value is null or ${isPlainNumber("p.value", 3)})
  and p.result in ('pass', 'fail', 'not_applicable') and p.source in ('engine', 'registry')
  and (p.hash_scheme = 1
       or (${isPlainInstant("p.created_at")} and p.control_version is not null and p.version_digest <> '' and p.scope_json is not null))`;

/** The hash input of the point's scheme (any scheme but 1 is scheme 2, as in point-hash.ts): previous hash, text. */
const HASH_INPUT = `case when p.hash_scheme = 1 then format(
    '%s
{"computationId":%s,"controlId":"%s","evidenceDigest":%s,"id":"%s","result":"%s","scopeKey":%s,"source":"%s","threshold":"%s","value":%s,"windowEnd":"%s","windowStart":"%s"}',
    coalesce(p.prev_hash, 'genesis'), coalesce('"' || p.computation_id::text || '"', 'null'), p.control_id::text,
    ${json("p.evidence_digest")}, p.id::text, p.result, ${json("p.scope_key")}, p.source, round(p.threshold, 2)::text,
    case when p.value is null then 'null' else '"' || round(p.value, 3)::text || '"' end,
    ${isoTextSql("p.window_end")}, ${isoTextSql("p.window_start")})
  else format(
    '%s
{"catalogId":"%s","computationId":%s,"controlId":"%s","controlVersion":%s,"createdAt":"%s","evidenceDigest":%s,"id":"%s","result":"%s","scheme":2,"scope":%s,"scopeKey":%s,"source":"%s","threshold":"%s","value":%s,"versionDigest":%s,"windowEnd":"%s","windowStart":"%s"}',
    coalesce(p.prev_hash, 'genesis'), p.catalog_id::text, coalesce('"' || p.computation_id::text || '"', 'null'),
    p.control_id::text, p.control_version::text, ${isoTextSql("p.created_at")}, ${json("p.evidence_digest")}, p.id::text,
    p.result, p.scope_json, ${json("p.scope_key")}, p.source, round(p.threshold, 2)::text,
    case when p.value is null then 'null' else '"' || round(p.value, 3)::text || '"' end, p.version_digest_json,
    ${isoTextSql("p.window_end")}, ${isoTextSql("p.window_start")})
  end`;

/** Past every seq: where a batch starts that has no points. */
const MAX_SEQ = "9223372036854775807";

/** A hash-only field, read only when Postgres did not verify the point. */
const unverified = (expression: string, alias: string) =>
  `case when p.verified then null else ${expression} end as "${alias}"`;

/**
 * The `limit` points of a control's chain after `afterSeq` and the first `skip`, in order, as the walk needs them:
 * every point Postgres could not settle, and the batch's first and last. Postgres hashes each point (sha256 of its
 * previous hash and its canonical JSON, written as point-hash.ts writes it) and settles one whose hash it verified,
 * that links to the point before it in the batch, names an existing control version (or none), records no evidence
 * digest and has scheme 1 or 2: such a point is not sent at all, since the walk would only find it intact. Every
 * other point comes with what links it, whether Postgres verified its hash, every hashed field when it did not, and
 * its computation's evidences when it records a digest; the first and last come whatever they are, for the links
 * between batches and where the batch ends. Each row carries its place in the batch, the hash of the point before it
 * there (what it must link to, sent or not), and the batch's totals (points, and points of schemes 1 and 2), so the
 * walk counts the points it was not sent. `everyPoint` sends each point (the test that compares the two hashes).
 *
 * One prepared statement per batch (one range of points_control_seq_idx, one primary-key lookup of its computation
 * and one of the evidences per point sent that has them), so a chain of millions is read in keyset batches with flat
 * memory; several batches after one seq (`skip` 0, limit, 2 × limit …) can be read at once on several connections.
 * Settling points in Postgres is what makes the walk fast: only the points recording an evidence digest are sent (a
 * tenth of the benchmark's chain), so neither side writes, sends or parses the rest. Instants and numbers of
 * unverified points come as the database's text, not parsed per row: the hash normalises them itself (to ISO, to
 * fixed precision), and the text parses to what the parsed column would have been.
 */
export async function listChainWalkBatch(
  db: Queryable,
  controlId: string,
  afterSeq: string,
  limit: number,
  skip = 0,
  options: { everyPoint: boolean } = { everyPoint: false },
): Promise<WalkedPoint[]> {
  // The batch's size and place are the walk's constants, written into the text (checked: never input) so each is one
  // fixed statement whose generic plan Postgres keeps; with them as parameters it planned every batch anew (a custom
  // plan looked cheaper), 3 % of its work. A later batch starts after the seq `skip` points on, found in the index
  // alone rather than by reading and dropping those points.
  if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(skip) || limit < 1 || skip < 0)
    throw new Error(`A chain batch needs whole numbers, not limit ${limit} and skip ${skip}`);
  const after =
    skip === 0
      ? "$2::bigint"
      : `coalesce((select k.seq from points k where k.control_id = $1 and k.seq > $2::bigint
                    order by k.seq offset ${skip - 1} limit 1), ${MAX_SEQ})`;
  const result = await queryPrepared<WalkedPoint>(
    db,
    // Stages that are not pulled up (offset 0), each computing what the next reads, once per point: the scope's text,
    // its canonical JSON, whether the hash holds (read by many columns above). The window is over the points as read
    // (in seq order: no sort); the evidences are read for the points sent only.
    `select w.*, e."isPruned", e."keptDigest", e.evidences
       from (
         select p.id, p.seq::text as seq, p.prev_hash as "prevHash", p.hash, p.hash_scheme as "hashScheme",
                p.control_version as "controlVersion", coalesce(p.version_digest <> '', false) as "hasVersionDigest",
                p.computation_id as "computationId", p.evidence_digest as "evidenceDigest",
                p.verified as "isHashVerified",
                ${unverified("p.control_id", "controlId")}, ${unverified("p.catalog_id", "catalogId")},
                ${unverified("p.source", "source")}, ${unverified("p.scope", "scope")},
                ${unverified("p.scope_key", "scopeKey")}, ${unverified("p.window_start::text", "windowStart")},
                ${unverified("p.window_end::text", "windowEnd")}, ${unverified("p.value::text", "value")},
                ${unverified("p.threshold::text", "threshold")}, ${unverified("p.result", "result")},
                ${unverified("p.version_digest", "versionDigest")}, ${unverified("p.created_at::text", "createdAt")},
                p.position, p.hash_before as "hashBefore", p.batch_count as "batchCount",
                p.scheme_one_count as "schemeOneCount", p.scheme_two_count as "schemeTwoCount"
           from (
             select p.*, case when ${IS_PLAIN} then encode(sha256(convert_to(${HASH_INPUT}, 'UTF8')), 'hex') = p.hash end
                    as verified
               from (
                 select p.*, case when p.hash_scheme <> 1 then ${SCOPE_JSON} end as scope_json
                   from (
                     select p.*, v.digest as version_digest, v.digest_json as version_digest_json, p.scope::text as scope_text
                       from (
                         select b.*, (row_number() over walk)::int as position, lag(b.hash) over walk as hash_before,
                                (count(*) over batch)::int as batch_count,
                                (count(*) filter (where b.hash_scheme = 1) over batch)::int as scheme_one_count,
                                (count(*) filter (where b.hash_scheme = 2) over batch)::int as scheme_two_count
                           from (select * from points where control_id = $1 and seq > ${after} order by seq limit ${limit}) b
                         window walk as (order by b.seq),
                                batch as (walk rows between unbounded preceding and unbounded following)
                       ) p
                       -- The control's versions with their digests' JSON, written once per version rather than per point.
                       left join (select v.control_id, v.version, v.digest, to_json(v.digest)::text as digest_json
                                    from control_versions v where v.control_id = $1 offset 0) v
                         on v.control_id = p.control_id and v.version = p.control_version
                     offset 0
                   ) p
                 offset 0
               ) p
             offset 0
           ) p
       ) w
       left join lateral (
         select c.detail_pruned_at is not null as "isPruned", c.evidence_digest as "keptDigest",
                -- Instants as text (the column's own output), so they parse below as the columns would.
                (select json_agg(json_build_object('position', d.position, 'key', d.key, 'value', d.value,
                                                   'result', d.result, 'from', d.period_from::text,
                                                   'to', d.period_to::text) order by d.position)
                   from evidences d where d.computation_id = c.id) as evidences
           from computations c
          where c.id = w."computationId" and w."evidenceDigest" is not null
       ) e on true
      where ${options.everyPoint} or w.position = 1 or w.position = w."batchCount"
         or not coalesce(w."isHashVerified" and w."prevHash" = w."hashBefore" and w."hashScheme" in (1, 2)
                         and (w."controlVersion" is null or w."hasVersionDigest")
                         and (w."computationId" is null or w."evidenceDigest" is null), false)
      order by w.position`,
    [controlId, afterSeq],
  );
  return result.rows;
}

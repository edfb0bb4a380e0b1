import type { DigestedEvidence } from "@status/verify-pack/chain-hash";
import type { Queryable } from "../../db/database.ts";
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
  /** Whether the point's control version still has a (non-empty) digest: a point naming a missing version is broken. */
  hasVersionDigest: boolean;
} & ChainPointEvidence &
  ({ isHashVerified: true } | ({ isHashVerified: false | null } & HashOnlyFields));

/*
 * Postgres writes the canonical JSON that point-hash.ts hashes (its schemeOneText and schemeTwoText), byte for byte,
 * and hashes it: every piece below is written exactly as the JavaScript writes it, for the values it is proven for,
 * and null otherwise (then the hash function decides). The chain-walk test hashes fuzzed points both ways. The text is
 * one concat() of its pieces (|| copies the text so far at every step: several times the bytes), so the pieces that
 * can be null are computed first, in a stage of their own, and checked before the text is written.
 */

/** An instant as point-hash.ts's isoJson writes it: quoted ISO, milliseconds truncated as Date parsing truncates. */
const isoJson = (column: string) => `'"', to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '"'`;

/** Instants whose ISO text to_char writes as toISOString does (four-digit years; whole-minute offsets since 1980). */
const isPlainInstant = (column: string) => `${column} >= '1980-01-01Z' and ${column} < '9999-01-01Z'`;

/**
 * A number as point-hash.ts writes it: `Number(text).toFixed(digits)`, quoted. Only for values with at most `digits`
 * decimals and well inside a double's exact range, where the double's fixed text is the numeric's own rounded text.
 */
const fixedJson = (column: string, digits: number) =>
  `case when ${column} = round(${column}, ${digits}) and abs(${column}) < 1e9 then '"' || round(${column}, ${digits}) || '"' end`;

/**
 * canonicalJson of a scope: an object of string values, keys in the order JavaScript sorts them. One key (or none),
 * neither holding a quote or backslash (so nothing was escaped, and jsonb's text differs only by its spaces), is the
 * common case and needs no function call; more keys are ordered bytewise, which is JavaScript's order for ASCII keys.
 * Anything else (numbers, nesting, other keys) is null.
 */
const SCOPE_JSON = String.raw`case
  when p.scope::text ~ '^\{("[^"\\]*": "[^"\\]*")?\}$' then replace(p.scope::text, '": "', '":"')
  when jsonb_typeof(p.scope) = 'object' then (
    select case when bool_and(jsonb_typeof(s.value) = 'string' and s.key ~ '^[ -~]*$')
                then '{' || string_agg(to_json(s.key)::text || ':' || s.value::text, ',' order by s.key collate "C") || '}'
           end
      from jsonb_each(p.scope) s)
end`;

/** The pieces that may be null, each computed once (stage `p`): null where the text is not proven identical. */
const NULLABLE_PIECES = `${fixedJson("p.threshold", 2)} as threshold_json,
  case when p.value is null then 'null' else ${fixedJson("p.value", 3)} end as value_json,
  case when p.hash_scheme <> 1 then ${SCOPE_JSON} end as scope_json,
  ${isPlainInstant("p.window_start")} and ${isPlainInstant("p.window_end")}
    and (p.hash_scheme = 1 or ${isPlainInstant("p.created_at")}) as has_plain_instants`;

/** Whether Postgres can write the point's text: its pieces all are, and scheme 2 has every field it needs. */
const IS_WRITABLE = `p.has_plain_instants and p.threshold_json is not null and p.value_json is not null
  and (p.hash_scheme = 1 or (p.scope_json is not null and p.control_version is not null and p.version_digest <> ''))`;

/** JSON of a text (JSON.stringify's escapes are escape_json's); of null, null. */
const json = (column: string) => `coalesce(to_json(${column})::text, 'null')`;

/** JSON of a uuid: its text, quoted (hex digits and dashes: nothing to escape, and cheaper than to_json). */
const uuidJson = (column: string) => `coalesce('"' || ${column} || '"', 'null')`;

/** The canonical JSON of the point's scheme (any scheme but 1 is scheme 2, as in point-hash.ts). */
const CANONICAL_TEXT = `case when p.hash_scheme = 1 then concat(
    '{"computationId":', ${uuidJson("p.computation_id")}, ',"controlId":', ${uuidJson("p.control_id")},
    ',"evidenceDigest":', ${json("p.evidence_digest")}, ',"id":', ${uuidJson("p.id")}, ',"result":', ${json("p.result")},
    ',"scopeKey":', ${json("p.scope_key")}, ',"source":', ${json("p.source")}, ',"threshold":', p.threshold_json,
    ',"value":', p.value_json, ',"windowEnd":', ${isoJson("p.window_end")}, ',"windowStart":', ${isoJson("p.window_start")},
    '}')
  else concat(
    '{"catalogId":', ${uuidJson("p.catalog_id")}, ',"computationId":', ${uuidJson("p.computation_id")},
    ',"controlId":', ${uuidJson("p.control_id")}, ',"controlVersion":', p.control_version, ',"createdAt":', ${isoJson("p.created_at")},
    ',"evidenceDigest":', ${json("p.evidence_digest")}, ',"id":', ${uuidJson("p.id")}, ',"result":', ${json("p.result")},
    ',"scheme":2,"scope":', p.scope_json, ',"scopeKey":', ${json("p.scope_key")}, ',"source":', ${json("p.source")},
    ',"threshold":', p.threshold_json, ',"value":', p.value_json, ',"versionDigest":', ${json("p.version_digest")},
    ',"windowEnd":', ${isoJson("p.window_end")}, ',"windowStart":', ${isoJson("p.window_start")}, '}')
  end`;

/** A hash-only field, read only when Postgres did not verify the point. */
const unverified = (expression: string, alias: string) =>
  `case when w.verified then null else ${expression} end as "${alias}"`;

/**
 * The `limit` points of a control's chain after `afterSeq` and the first `skip`, in order: what links each point,
 * whether Postgres verified its hash (sha256 of its previous hash and its canonical JSON, written as point-hash.ts
 * writes it), every hashed field of a point it did not verify, and the evidences of each point recording a digest.
 * One statement per batch (one range of points_control_seq_idx, one primary-key lookup of its computation and one of
 * the evidences per point that has them), so a chain of millions is read in keyset batches with flat memory; several
 * batches after one seq (`skip` 0, limit, 2 × limit …) can be read at once on several connections. Postgres hashing
 * is what makes the walk fast: the rows of verified points are a fifth of the bytes, and neither side builds JSON
 * twice. Instants and numbers of unverified points come as the database's text, not parsed per row: the hash
 * normalises them itself (to ISO, to fixed precision), and the text parses to what the parsed column would have been.
 */
export async function listChainWalkBatch(
  db: Queryable,
  controlId: string,
  afterSeq: string,
  limit: number,
  skip = 0,
): Promise<WalkedPoint[]> {
  const result = await db.query<WalkedPoint>(
    // Materialized stages: each piece is computed once, and each point hashed once (not once per column reading it).
    `with p as materialized (
       select p.*, v.digest as version_digest, ${NULLABLE_PIECES}
         from (select * from points where control_id = $1 and seq > $2::bigint order by seq offset $4 limit $3) p
         left join control_versions v on v.control_id = p.control_id and v.version = p.control_version
     ),
     w as materialized (
       select p.*, case when ${IS_WRITABLE} then
                encode(sha256(convert_to(concat(coalesce(p.prev_hash, 'genesis'), E'\\n', ${CANONICAL_TEXT}), 'UTF8')), 'hex')
                  = p.hash
              end as verified
         from p
     )
     select w.id, w.seq::text as seq, w.prev_hash as "prevHash", w.hash, w.hash_scheme as "hashScheme",
            w.control_version as "controlVersion", coalesce(w.version_digest <> '', false) as "hasVersionDigest",
            w.computation_id as "computationId", w.evidence_digest as "evidenceDigest", w.verified as "isHashVerified",
            ${unverified("w.control_id", "controlId")}, ${unverified("w.catalog_id", "catalogId")},
            ${unverified("w.source", "source")}, ${unverified("w.scope", "scope")},
            ${unverified("w.scope_key", "scopeKey")}, ${unverified("w.window_start::text", "windowStart")},
            ${unverified("w.window_end::text", "windowEnd")}, ${unverified("w.value::text", "value")},
            ${unverified("w.threshold::text", "threshold")}, ${unverified("w.result", "result")},
            ${unverified("w.version_digest", "versionDigest")}, ${unverified("w.created_at::text", "createdAt")},
            e."isPruned", e."keptDigest", e.evidences
       from w
       left join lateral (
         select c.detail_pruned_at is not null as "isPruned", c.evidence_digest as "keptDigest",
                -- Instants as text (the column's own output), so they parse below as the columns would.
                (select json_agg(json_build_object('position', d.position, 'key', d.key, 'value', d.value,
                                                   'result', d.result, 'from', d.period_from::text,
                                                   'to', d.period_to::text) order by d.position)
                   from evidences d where d.computation_id = c.id) as evidences
           from computations c
          where c.id = w.computation_id and w.evidence_digest is not null
       ) e on true
      order by w.seq`,
    [controlId, afterSeq, limit, skip],
  );
  return result.rows;
}

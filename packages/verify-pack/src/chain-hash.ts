import { hash } from "node:crypto";

/**
 * The one hash function of STATUS's point chains, and the digests it covers. The API's points module owns it (it is
 * the one writer of points) and imports it from here, so the offline verifier of evidence packs recomputes hashes
 * with exactly the code that wrote them. Dependency-free on purpose: node:crypto only.
 */

/** The hash schemes points were written under: 1 before control versions existed, 2 since. */
export type HashScheme = 1 | 2;

/** The hash scheme of every point appended now. */
export const CURRENT_HASH_SCHEME: 2 = 2 satisfies HashScheme;

/** A stable JSON text: object keys sorted at every depth, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  let text = "{";
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    text += `${index === 0 ? "" : ","}${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`;
  }
  return `${text}}`;
}

/** SHA-256 of a text, as hex (one-shot: a chain's verification hashes every point, and a Hash object costs more). */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}

/** One evidence as its digest covers it. */
export interface DigestedEvidence {
  position: number;
  key: string;
  value: unknown;
  result: string;
  from: string | null;
  to: string | null;
}

/**
 * The digest of a computation's evidences, carried into its point so edited evidence breaks the chain too: SHA-256 of
 * the canonical JSON of [{position, key, value, result, from, to}, …]. The text is written field by field in
 * canonicalJson's (sorted) key order rather than built as objects and sorted: verifying a chain digests the evidences
 * of every point, and the bytes are the same.
 */
export function evidenceDigest(evidences: readonly DigestedEvidence[]): string {
  let text = "[";
  for (let index = 0; index < evidences.length; index += 1) {
    const { position, key, value, result, from, to } = evidences[index]!;
    text +=
      `${index === 0 ? "" : ","}{"from":${canonicalJson(from)},"key":${canonicalJson(key)},` +
      `"position":${canonicalJson(position)},"result":${canonicalJson(result)},"to":${canonicalJson(to)},` +
      `"value":${canonicalJson(value)}}`;
  }
  return sha256Hex(`${text}]`);
}

/** The fields of a point that every scheme's hash covers (scheme 1: exactly these). */
export interface HashedPointFields {
  id: string;
  controlId: string;
  source: string;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  value: number | string | null;
  threshold: number | string;
  result: string;
  computationId: string | null;
  evidenceDigest: string | null;
}

/**
 * What scheme 2 covers besides: the control version the point was computed under and that version's digest (which
 * covers its mashup, parameters, period, threshold, scope sets, author and reason, and every version before it), the
 * catalog and the scope values the point is listed and filtered by, and when it was recorded.
 */
export interface SchemeTwoFields {
  catalogId: string;
  scope: Record<string, unknown>;
  controlVersion: number | null;
  versionDigest: string | null;
  createdAt: string;
}

/** A point as hashed: its scheme says which fields its hash covers. */
export type HashablePoint = HashedPointFields & { hashScheme: HashScheme } & Partial<SchemeTwoFields>;

/** Instants recently normalised, and their quoted ISO text; bounded, cleared when full. */
const isoJsonMemo = new Map<string, string>();
const ISO_JSON_MEMO_SIZE = 256;

/**
 * An instant as ISO text, quoted: toISOString writes digits, "-", ":", ".", "T" and "Z" only, nothing to escape.
 * Remembered, because the points of a chain repeat their instants (the scopes of one window share its bounds, one
 * window's end is the next one's start, an append's points share their time) and parsing dates dominated hashing.
 */
function isoJson(instant: string): string {
  let json = isoJsonMemo.get(instant);
  if (json === undefined) {
    json = `"${new Date(instant).toISOString()}"`;
    if (isoJsonMemo.size >= ISO_JSON_MEMO_SIZE) isoJsonMemo.clear();
    isoJsonMemo.set(instant, json);
  }
  return json;
}

/**
 * The canonical JSON of what scheme 1 covers: {computationId, controlId, evidenceDigest, id, result, scopeKey, source,
 * threshold, value, windowEnd, windowStart}, with instants in ISO, the value to 3 decimals, the threshold to 2. Only
 * these fields: rows read back carry more (prev_hash, hash) that must not enter their own hash.
 */
function schemeOneText(point: HashedPointFields): string {
  const value = point.value === null ? null : Number(point.value).toFixed(3);
  return (
    `{"computationId":${canonicalJson(point.computationId)},"controlId":${canonicalJson(point.controlId)},` +
    `"evidenceDigest":${canonicalJson(point.evidenceDigest)},"id":${canonicalJson(point.id)},` +
    `"result":${canonicalJson(point.result)},"scopeKey":${canonicalJson(point.scopeKey)},` +
    `"source":${canonicalJson(point.source)},"threshold":${canonicalJson(Number(point.threshold).toFixed(2))},` +
    `"value":${canonicalJson(value)},"windowEnd":${isoJson(point.windowEnd)},"windowStart":${isoJson(point.windowStart)}}`
  );
}

/**
 * The canonical JSON of what scheme 2 covers: scheme 1's fields and `scheme: 2` (which keeps the two schemes' inputs
 * apart: no scheme-2 input reads as a scheme-1 one), catalogId, scope, controlVersion, versionDigest and createdAt
 * (ISO), every key in canonicalJson's order.
 */
function schemeTwoText(point: HashablePoint): string {
  const { catalogId, scope, controlVersion, versionDigest, createdAt } = point;
  if (catalogId === undefined || scope === undefined || controlVersion == null || !versionDigest || !createdAt)
    throw new Error(`point ${point.id}: hash scheme 2 needs the catalog, scope, control version, its digest and time`);
  const value = point.value === null ? null : Number(point.value).toFixed(3);
  return (
    `{"catalogId":${canonicalJson(catalogId)},"computationId":${canonicalJson(point.computationId)},` +
    `"controlId":${canonicalJson(point.controlId)},"controlVersion":${canonicalJson(controlVersion)},` +
    `"createdAt":${isoJson(createdAt)},"evidenceDigest":${canonicalJson(point.evidenceDigest)},` +
    `"id":${canonicalJson(point.id)},"result":${canonicalJson(point.result)},"scheme":2,` +
    `"scope":${canonicalJson(scope)},"scopeKey":${canonicalJson(point.scopeKey)},"source":${canonicalJson(point.source)},` +
    `"threshold":${canonicalJson(Number(point.threshold).toFixed(2))},"value":${canonicalJson(value)},` +
    `"versionDigest":${canonicalJson(versionDigest)},"windowEnd":${isoJson(point.windowEnd)},` +
    `"windowStart":${isoJson(point.windowStart)}}`
  );
}

/**
 * The hash of a point, under the scheme it names: sha256(previous hash + "\n" + canonical JSON of what the scheme
 * covers). Instants are normalised to ISO and numbers to fixed precision, so values read back from Postgres (or from an
 * evidence pack's CSV) hash exactly as the values written. Every writer and every verifier of points uses this one
 * function (the chain append, GET /controls/:id/points/verify, the evidence pack verifier, the benchmarks). The JSON is
 * written in key order directly, not built as an object and sorted: a chain's verification hashes every point, and the
 * bytes are those canonicalJson writes for the same fields (the tests compare the two).
 */
export function pointHash(prevHash: string | null, point: HashablePoint): string {
  const text = point.hashScheme === 1 ? schemeOneText(point) : schemeTwoText(point);
  return sha256Hex(`${prevHash ?? "genesis"}\n${text}`);
}

/** Whether a stored point still hashes to its stored hash, under its own scheme. */
export function isPointHashIntact(point: HashablePoint & { prevHash: string | null; hash: string }): boolean {
  try {
    return pointHash(point.prevHash, point) === point.hash;
  } catch {
    // A scheme-2 point that lost its version (or another covered field) cannot hash at all: it was tampered with.
    return false;
  }
}

import { createHash } from "node:crypto";

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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 of a text, as hex. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
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

/** The digest of a computation's evidences, carried into its point so edited evidence breaks the chain too. */
export function evidenceDigest(evidences: readonly DigestedEvidence[]): string {
  return sha256Hex(
    canonicalJson(
      evidences.map(({ position, key, value, result, from, to }) => ({ position, key, value, result, from, to })),
    ),
  );
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

const iso = (instant: string) => new Date(instant).toISOString();

function schemeOneInput(point: HashedPointFields) {
  // Only the listed fields: rows read back carry more (prev_hash, hash) that must not enter their own hash.
  return {
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
}

function schemeTwoInput(point: HashablePoint) {
  const { catalogId, scope, controlVersion, versionDigest, createdAt } = point;
  if (catalogId === undefined || scope === undefined || controlVersion == null || !versionDigest || !createdAt)
    throw new Error(`point ${point.id}: hash scheme 2 needs the catalog, scope, control version, its digest and time`);
  // `scheme` keeps the two schemes' inputs apart: no scheme-2 input reads as a scheme-1 one.
  return {
    ...schemeOneInput(point),
    scheme: 2,
    catalogId,
    scope,
    controlVersion,
    versionDigest,
    createdAt: iso(createdAt),
  };
}

/**
 * The hash of a point, under the scheme it names: sha256(previous hash + "\n" + canonical JSON of what the scheme
 * covers). Instants are normalised to ISO and numbers to fixed precision, so values read back from Postgres (or from an
 * evidence pack's CSV) hash exactly as the values written. Every writer and every verifier of points uses this one
 * function (the chain append, GET /controls/:id/points/verify, the evidence pack verifier, the benchmarks).
 */
export function pointHash(prevHash: string | null, point: HashablePoint): string {
  const input = point.hashScheme === 1 ? schemeOneInput(point) : schemeTwoInput(point);
  return sha256Hex(`${prevHash ?? "genesis"}\n${canonicalJson(input)}`);
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

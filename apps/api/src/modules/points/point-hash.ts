import { canonicalJson } from "../../domain/canonical-json.ts";
import { sha256Hex } from "../../lib/sha256.ts";

/** The fields of a point that its hash covers. */
export interface HashedPointFields {
  id: string;
  controlId: string;
  source: string;
  scopeKey: string;
  windowStart: string;
  windowEnd: string;
  value: number | null;
  threshold: number;
  result: string;
  computationId: string | null;
  evidenceDigest: string | null;
}

/**
 * hash = sha256(previous hash + canonical JSON of the point). Instants are normalised to ISO and numbers to fixed
 * precision, so the value read back from Postgres hashes exactly as the value written.
 */
export function pointHash(prevHash: string | null, point: HashedPointFields): string {
  // Only the listed fields: rows read back carry more (prev_hash, hash) that must not enter their own hash.
  const normalized = {
    id: point.id,
    controlId: point.controlId,
    source: point.source,
    scopeKey: point.scopeKey,
    result: point.result,
    computationId: point.computationId,
    evidenceDigest: point.evidenceDigest,
    windowStart: new Date(point.windowStart).toISOString(),
    windowEnd: new Date(point.windowEnd).toISOString(),
    value: point.value === null ? null : Number(point.value).toFixed(3),
    threshold: Number(point.threshold).toFixed(2),
  };
  return sha256Hex(`${prevHash ?? "genesis"}\n${canonicalJson(normalized)}`);
}

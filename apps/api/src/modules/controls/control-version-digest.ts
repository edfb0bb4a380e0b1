import { sha256Hex } from "../../lib/sha256.ts";

/**
 * A version as its digest covers it. `paramsText` and `scopeSetsText` are Postgres's own text of the jsonb columns
 * (`params::text`), the form the database sealed; a verifier reads that text back instead of re-serialising JSON.
 */
export interface SealedVersionFields {
  controlId: string;
  version: number;
  period: string;
  /** numeric(5,2) as text, e.g. `95.00`. */
  thresholdText: string;
  /** null for a push control, which has no mashup: the line is left out, as the database's concat_ws leaves it. */
  mashupId: string | null;
  paramsText: string;
  scopeSetsText: string;
  effectiveFrom: string | null;
  reason: string;
  createdById: string | null;
  createdByName: string | null;
  createdAt: string;
  prevDigest: string | null;
}

/**
 * The digest migration 0015's `control_version_digest` seals every version with, computed here so that verifiers
 * outside the database (the API's chain check today) need no SQL. The two must stay identical; a test holds them
 * together.
 */
export function controlVersionDigest(fields: SealedVersionFields): string {
  const lines = [
    fields.prevDigest ?? "genesis",
    "control-version-1",
    fields.controlId,
    String(fields.version),
    fields.period,
    fields.thresholdText,
    ...(fields.mashupId === null ? [] : [fields.mashupId]),
    fields.paramsText,
    fields.scopeSetsText,
    fields.effectiveFrom === null ? "-" : new Date(fields.effectiveFrom).toISOString(),
    fields.reason,
    fields.createdById ?? "-",
    fields.createdByName ?? "-",
    new Date(fields.createdAt).toISOString(),
  ];
  return sha256Hex(lines.join("\n"));
}

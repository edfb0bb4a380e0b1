/** The layout of an evidence pack, shared by the API that writes it and the verifier that reads it. */

export const PACK_FORMAT = "status-evidence-pack";
export const PACK_FORMAT_VERSION = 1;

export const PACK_FILES = {
  manifest: "manifest.json",
  signature: "signature.json",
  points: "points.csv",
  evidences: "evidences.csv",
  computations: "computations.jsonl",
  chain: "chain.json",
  assessmentResults: "oscal/assessment-results.json",
  assessmentPlan: "oscal/assessment-plan.json",
  poam: "oscal/poam.json",
  reportPdf: "report.pdf",
  reportHtml: "report.html",
} as const;

/** points.csv: one row per point, each control's chain in order; an empty cell is null, `scope` is JSON. */
export const POINT_COLUMNS = [
  "id",
  "control_id",
  "control_name",
  "catalog_id",
  "source",
  "scope",
  "scope_key",
  "window_start",
  "window_end",
  "value",
  "threshold",
  "result",
  "computation_id",
  "evidence_digest",
  "control_version",
  "version_digest",
  "hash_scheme",
  "created_at",
  "prev_hash",
  "hash",
  "in_period",
] as const;

/** evidences.csv: one row per evidence of the points' computations; `value` is JSON, an empty period end is null. */
export const EVIDENCE_COLUMNS = ["computation_id", "position", "key", "value", "result", "from", "to"] as const;

/** manifest.json: what the pack holds, each file with its SHA-256; signature.json signs its exact bytes. */
export interface PackManifest {
  format: typeof PACK_FORMAT;
  formatVersion: number;
  generator: string;
  createdAt: string;
  catalog: { id: string; name: string };
  period: { from: string; to: string };
  files: { path: string; sha256: string; size: number }[];
}

/** chain.json: per control, the hashes of its points in the pack in chain order and the head when it was exported. */
export interface PackChain {
  controls: { controlId: string; controlName: string; hashes: string[]; head: string | null; length: number }[];
}

/** signature.json: Ed25519 over manifest.json, with the signing public key (SPKI DER, base64) and its id. */
export interface PackSignature {
  algorithm: "Ed25519";
  keyId: string;
  publicKey: string;
  signature: string;
}

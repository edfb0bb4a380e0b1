import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import { evidenceDigest, pointHash, type DigestedEvidence, type HashablePoint, type HashScheme } from "./chain-hash.ts";
import { parseCsv } from "./csv.ts";
import {
  EVIDENCE_COLUMNS,
  PACK_FILES,
  POINT_COLUMNS,
  type PackChain,
  type PackManifest,
  type PackSignature,
} from "./pack-format.ts";
import { readZipEntries } from "./read-zip.ts";

/** What the verifier found: one line per control, and every problem naming its file (and point). */
export interface PackVerification {
  isValid: boolean;
  controlLines: string[];
  problems: string[];
  notes: string[];
}

type PackPoint = HashablePoint & { prevHash: string | null; hash: string; controlName: string };

/**
 * Verifies an evidence pack without a server or database: every file against the manifest's SHA-256, the Ed25519
 * signature over the manifest (with the given public key, else the one the pack carries), and every point's chain hash
 * recomputed from points.csv and the digest of its evidences in evidences.csv, with the points module's own function.
 */
export async function verifyPack(zipPath: string, options: { publicKeyPem?: string } = {}): Promise<PackVerification> {
  const result: PackVerification = { isValid: true, controlLines: [], problems: [], notes: [] };
  const entries = await readZipEntries(zipPath);
  const manifestBytes = entries.get(PACK_FILES.manifest);
  if (!manifestBytes) return fail(result, `${PACK_FILES.manifest}: missing`);
  const manifest = JSON.parse(manifestBytes.toString("utf8")) as PackManifest;
  checkFiles(result, manifest, entries);
  checkSignature(result, manifestBytes, entries.get(PACK_FILES.signature), options.publicKeyPem);
  const pointsText = entries.get(PACK_FILES.points)?.toString("utf8");
  const evidencesText = entries.get(PACK_FILES.evidences)?.toString("utf8");
  const chainText = entries.get(PACK_FILES.chain)?.toString("utf8");
  if (pointsText === undefined || evidencesText === undefined || chainText === undefined)
    return fail(result, "points.csv, evidences.csv or chain.json: missing");
  checkChains(result, readPoints(pointsText), readEvidences(evidencesText), JSON.parse(chainText) as PackChain);
  result.isValid = result.problems.length === 0;
  return result;
}

function fail(result: PackVerification, problem: string): PackVerification {
  result.problems.push(problem);
  result.isValid = false;
  return result;
}

function checkFiles(result: PackVerification, manifest: PackManifest, entries: Map<string, Buffer>): void {
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const file of manifest.files) {
    const bytes = entries.get(file.path);
    if (!bytes) result.problems.push(`${file.path}: listed in the manifest but missing from the pack`);
    else if (createHash("sha256").update(bytes).digest("hex") !== file.sha256)
      result.problems.push(`${file.path}: its SHA-256 does not match the manifest (the file was changed)`);
  }
  for (const path of entries.keys())
    if (!listed.has(path) && path !== PACK_FILES.manifest && path !== PACK_FILES.signature)
      result.problems.push(`${path}: in the pack but not in the manifest`);
}

function checkSignature(
  result: PackVerification,
  manifestBytes: Buffer,
  signatureBytes: Buffer | undefined,
  publicKeyPem: string | undefined,
): void {
  if (!signatureBytes) {
    result.problems.push(`${PACK_FILES.signature}: missing`);
    return;
  }
  const signature = JSON.parse(signatureBytes.toString("utf8")) as PackSignature;
  let key: KeyObject;
  if (publicKeyPem) key = createPublicKey(publicKeyPem);
  else {
    key = createPublicKey({ key: Buffer.from(signature.publicKey, "base64"), format: "der", type: "spki" });
    result.notes.push(
      `signature checked with the public key inside the pack (${signature.keyId}); pass --public-key to check it is the instance's`,
    );
  }
  const isValid = verifySignature(null, manifestBytes, key, Buffer.from(signature.signature, "base64"));
  if (!isValid)
    result.problems.push(`${PACK_FILES.signature}: the signature does not match manifest.json with this key`);
}

function readRows<Column extends string>(text: string, columns: readonly Column[], file: string) {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(",") !== columns.join(",")) throw new Error(`${file}: unexpected header ${header?.join(",")}`);
  return rows.map(
    (row) => Object.fromEntries(columns.map((column, index) => [column, row[index] ?? ""])) as Record<Column, string>,
  );
}

const orNull = (cell: string) => (cell === "" ? null : cell);

function readPoints(text: string): PackPoint[] {
  return readRows(text, POINT_COLUMNS, PACK_FILES.points).map((row) => ({
    id: row.id,
    controlId: row.control_id,
    controlName: row.control_name,
    catalogId: row.catalog_id,
    source: row.source,
    scope: JSON.parse(row.scope) as Record<string, unknown>,
    scopeKey: row.scope_key,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    value: orNull(row.value),
    threshold: row.threshold,
    result: row.result,
    computationId: orNull(row.computation_id),
    evidenceDigest: orNull(row.evidence_digest),
    controlVersion: row.control_version === "" ? null : Number(row.control_version),
    versionDigest: orNull(row.version_digest),
    hashScheme: Number(row.hash_scheme) as HashScheme,
    createdAt: row.created_at,
    prevHash: orNull(row.prev_hash),
    hash: row.hash,
  }));
}

function readEvidences(text: string): Map<string, DigestedEvidence[]> {
  const byComputation = new Map<string, DigestedEvidence[]>();
  for (const row of readRows(text, EVIDENCE_COLUMNS, PACK_FILES.evidences)) {
    const evidence = {
      position: Number(row.position),
      key: row.key,
      value: JSON.parse(row.value) as unknown,
      result: row.result,
      from: orNull(row.from),
      to: orNull(row.to),
    };
    const list = byComputation.get(row.computation_id);
    if (list) list.push(evidence);
    else byComputation.set(row.computation_id, [evidence]);
  }
  return byComputation;
}

function checkChains(
  result: PackVerification,
  points: PackPoint[],
  evidences: Map<string, DigestedEvidence[]>,
  chain: PackChain,
): void {
  const byControl = new Map<string, PackPoint[]>();
  for (const point of points) {
    const list = byControl.get(point.controlId);
    if (list) list.push(point);
    else byControl.set(point.controlId, [point]);
  }
  for (const control of chain.controls) {
    const chainPoints = byControl.get(control.controlId) ?? [];
    const problems = controlProblems(chainPoints, evidences, control);
    result.problems.push(...problems);
    const status = problems.length === 0 ? "OK  " : "FAIL";
    result.controlLines.push(
      `${status} ${control.controlName} (${control.controlId}): ${chainPoints.length} point(s), head ${control.head ?? "none"}`,
    );
  }
}

function controlProblems(
  points: PackPoint[],
  evidences: Map<string, DigestedEvidence[]>,
  control: PackChain["controls"][number],
): string[] {
  const problems: string[] = [];
  let previous: string | null | undefined;
  for (const point of points) {
    const where = `points.csv: point ${point.id} (control ${control.controlName})`;
    if (previous !== undefined && point.prevHash !== previous)
      problems.push(`${where}: does not link to the point before it (a point was removed or reordered)`);
    let hash: string | null = null;
    try {
      hash = pointHash(point.prevHash, point);
    } catch (error) {
      problems.push(`${where}: cannot be hashed (${(error as Error).message})`);
    }
    if (hash !== null && hash !== point.hash) problems.push(`${where}: its fields no longer match its hash (edited)`);
    const own = point.computationId ? evidences.get(point.computationId) : undefined;
    if (own && point.evidenceDigest && evidenceDigest(own) !== point.evidenceDigest)
      problems.push(
        `evidences.csv: the evidences of point ${point.id} (computation ${point.computationId}) were changed`,
      );
    previous = point.hash;
  }
  const hashes = points.map((point) => point.hash);
  if (hashes.join() !== control.hashes.join())
    problems.push(
      `chain.json: the hashes of control ${control.controlName} differ from points.csv (points removed or reordered)`,
    );
  if (control.hashes.length > 0 && control.head !== control.hashes.at(-1))
    problems.push(`chain.json: control ${control.controlName} ends before its head at export (points removed)`);
  return problems;
}
